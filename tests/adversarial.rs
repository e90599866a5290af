//! The adversarial corpus: hostile, broken and extreme profiles, each run
//! through every front end of the built binary, as README's "Safety and
//! limits" promises: a clear error and an exit, or a clean render; never
//! a panic, a hang, a stack overflow, or profile text that reaches the
//! terminal as control sequences.
//!
//! Small text cases live in `tests/corpus/` (one file per case, the name says
//! what it is); binary and huge ones are generated into the sandbox at test
//! time. The table at the bottom (`cases!`) gives, for every case, what must
//! happen: a refusal (where, and what the error says) or a render (what must be
//! shown). Each case is its own `#[test]`, named after the case, so a failure
//! names the file.
//!
//! Every case runs:
//! `termfolio --profile F check`, `banner --width 80`,
//! `snapshot --size 80x24 --tab T` for every tab (plain and `--ansi`),
//! `snapshot --tab 4 --keys '<Enter>'` (plain and `--ansi`), and the bare
//! `termfolio --profile F` into a pipe (plain output). A refused profile is run
//! through check, banner, snapshot (plain and `--ansi`) and the bare viewer.
//!
//! A case marked `#[ignore = "bug: ..."]` asserts the correct behaviour and
//! fails today; `cargo test --test adversarial -- --ignored` shows how.
//! Widths are measured per grapheme (`unicode-width` over
//! `unicode-segmentation` graphemes), the measure the README promises; the
//! sandbox, the watchdog and the text checks live in `tests/common`.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{
    Sandbox, assert_fits, assert_inert, assert_no_line_wider, assert_points_at, strip_sgr,
};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");

/// No process may take longer than this: a refusal must be quick and a render
/// must end; the watchdog kills it and the test fails with "hang".
const TIMEOUT: Duration = Duration::from_secs(10);

const WIDTH: usize = 80;
const HEIGHT: usize = 24;
/// The login card is "at most about 16 lines".
const BANNER_LINES: usize = 16;

/// Payloads hidden inside escape sequences in the corpus: none may be shown.
const PAYLOADS: &[&str] = &["PWNED", "UFdORURDTElQ", "evil.example", "cm0gLXJmIH4="];

// ---------------------------------------------------------------------------
// Text checks
// ---------------------------------------------------------------------------

/// The words of a screen: badges are `[x]` in plain snapshots and ` x ` in
/// coloured ones, so brackets count as spaces.
fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace() || c == '[' || c == ']')
        .filter(|w| !w.is_empty())
        .collect()
}

#[track_caller]
fn assert_contains_all(text: &str, wanted: &[&str], ctx: &str) {
    for w in wanted {
        assert!(text.contains(w), "{ctx}: `{w}` is missing from:\n{text}");
    }
}

#[track_caller]
fn assert_contains_none(text: &str, unwanted: &[&str], ctx: &str) {
    for u in unwanted {
        assert!(!text.contains(u), "{ctx}: `{u}` must not be shown:\n{text}");
    }
}

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------

/// Where a profile comes from.
enum Input {
    /// `tests/corpus/<name>`, copied into the sandbox.
    Corpus(&'static str),
    /// Generated at test time and written into the sandbox as `name`.
    Bytes(&'static str, fn() -> Vec<u8>),
    /// `header` followed by zeros up to `len` bytes (a sparse file).
    Huge(&'static str, &'static [u8], u64),
    /// A path outside the sandbox, used as is.
    System(&'static str),
    /// A directory in the sandbox.
    Directory(&'static str),
    /// A named pipe in the sandbox, with no writer.
    Fifo(&'static str),
    /// A symbolic link in the sandbox to `target`.
    Symlink(&'static str, &'static str),
    /// A name that does not exist.
    Missing(&'static str),
}

impl Input {
    /// Makes the input exist in `sb`; returns what to pass to `--profile`.
    fn prepare(&self, sb: &Sandbox) -> String {
        match *self {
            Input::Corpus(name) => {
                let from = Path::new(CORPUS).join(name);
                std::fs::copy(&from, sb.path().join(name))
                    .unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
                name.to_string()
            }
            Input::Bytes(name, make) => {
                sb.write(name, make());
                name.to_string()
            }
            Input::Huge(name, header, len) => {
                let mut f = std::fs::File::create(sb.path().join(name)).expect("create huge case");
                std::io::Write::write_all(&mut f, header).expect("write header");
                f.set_len(len).expect("extend huge case");
                name.to_string()
            }
            Input::System(p) => p.to_string(),
            Input::Directory(name) => {
                std::fs::create_dir(sb.path().join(name)).expect("create directory case");
                name.to_string()
            }
            Input::Fifo(name) => {
                let status = Command::new("mkfifo")
                    .arg(sb.path().join(name))
                    .status()
                    .expect("run mkfifo");
                assert!(status.success(), "mkfifo failed");
                name.to_string()
            }
            Input::Symlink(name, target) => {
                std::os::unix::fs::symlink(target, sb.path().join(name)).expect("create symlink");
                name.to_string()
            }
            Input::Missing(name) => name.to_string(),
        }
    }
}

/// Where a refusal must point.
#[derive(Clone, Copy)]
enum Loc {
    /// No place in the text (the file cannot be read at all): the file is named.
    File,
    /// `F:line:col`, the line shown as `line | ...` and a caret under it.
    At(usize, usize),
    /// `F:line:<some column>`, with the line shown and a caret.
    Line(usize),
}

/// The profile is refused: exit 1, `error:` first, the file (and place) named,
/// the given phrases in the message, nothing on stdout.
struct Refuse {
    loc: Loc,
    stderr: &'static [&'static str],
}

/// The profile renders: what `check` counts and what each front end shows.
struct Render {
    /// (news, publications, extra sections), as `check` reports them.
    counts: (usize, usize, usize),
    /// In the plain output of the bare `termfolio` into a pipe.
    plain: &'static [&'static str],
    /// In `banner --width 80`.
    banner: &'static [&'static str],
    /// In `snapshot --tab 4 --keys '<Enter>'` (the first publication's detail).
    detail: &'static [&'static str],
    /// Extra snapshots: (`--tab`, `--keys`, text that must be on that screen).
    screens: &'static [(&'static str, &'static str, &'static str)],
    /// Text that no output may contain (on top of [`PAYLOADS`]).
    absent: &'static [&'static str],
}

const RENDER: Render = Render {
    counts: (0, 0, 0),
    plain: &[],
    banner: &[],
    detail: &[],
    screens: &[],
    absent: &[],
};

enum Expect {
    Refuse(Refuse),
    Render(Render),
}

const fn refuse(loc: Loc, stderr: &'static [&'static str]) -> Expect {
    Expect::Refuse(Refuse { loc, stderr })
}

fn run_case(input: &Input, expect: &Expect) {
    let sb = Sandbox::with_timeout(TIMEOUT);
    let file = input.prepare(&sb);
    match expect {
        Expect::Refuse(r) => check_refusal(&sb, &file, r),
        Expect::Render(r) => check_render(&sb, &file, r),
    }
}

fn check_refusal(sb: &Sandbox, file: &str, r: &Refuse) {
    let commands: [&[&str]; 5] = [
        &["check"],
        &["banner", "--width", "80"],
        &["snapshot", "--size", "80x24"],
        &["snapshot", "--size", "80x24", "--ansi"],
        &[],
    ];
    let mut first: Option<String> = None;
    for cmd in commands {
        let args: Vec<&str> = ["--profile", file].iter().chain(cmd).copied().collect();
        let run = sb.run(&args);
        // Exit 1, `error:` first, nothing on stdout.
        run.no_panic().failure(1);
        let err = assert_inert(&run.stderr, &format!("{} (stderr)", run.what));
        let ctx = format!("{}\n--- stderr ---\n{err}", run.what);
        assert!(err.contains(file), "{ctx}\nthe file `{file}` is not named");
        match r.loc {
            Loc::File => {}
            Loc::At(line, col) => assert_points_at(&err, file, line, Some(col), "", &ctx),
            Loc::Line(line) => assert_points_at(&err, file, line, None, "", &ctx),
        }
        assert_contains_all(&err, r.stderr, &ctx);
        // `check` ends a file it read with its count; the others stop at
        // the first error.
        let count = format!("error: {file}: 1 error\n");
        let err = match err.strip_suffix(&count) {
            Some(problems) if cmd == ["check"] => problems.to_string(),
            _ => err,
        };
        // Every front end refuses the same file with the same words.
        match &first {
            None => first = Some(err),
            Some(f) => assert_eq!(f, &err, "{}: not the same error as `check`", run.what),
        }
    }
}

fn check_render(sb: &Sandbox, file: &str, r: &Render) {
    let absent: Vec<&str> = PAYLOADS.iter().chain(r.absent).copied().collect();

    // check: the counts, exactly; warnings (a link made inert is one) are
    // inert themselves and counted.
    let run = sb.run(&["--profile", file, "check"]);
    run.no_panic().expect_code(0);
    let err = assert_inert(&run.stderr, &run.what);
    let warnings = err.matches("warning: ").count();
    let (news, pubs, sections) = r.counts;
    let plural = |n: usize, one: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let tail = if warnings == 0 {
        String::new()
    } else {
        format!(", {}", plural(warnings, "warning"))
    };
    assert_eq!(
        run.out(),
        format!(
            "{file}: ok ({news} news, {}, {}){tail}\n",
            plural(pubs, "publication"),
            plural(sections, "extra section")
        ),
        "{}",
        run.what
    );

    // banner: inert (stdout is a pipe: no colour at all), fits, short.
    let run = sb.run(&["--profile", file, "banner", "--width", "80"]);
    run.success();
    let card = assert_inert(&run.stdout, &run.what);
    assert_no_line_wider(&card, WIDTH, &run.what);
    assert!(
        card.lines().count() <= BANNER_LINES,
        "{}: the card has {} lines:\n{card}",
        run.what,
        card.lines().count()
    );
    assert_contains_all(&card, r.banner, &run.what);
    assert_contains_none(&card, &absent, &run.what);

    // snapshots of every tab by number, then the first publication's detail.
    let tabs: Vec<String> = (1..=4 + sections).map(|t| t.to_string()).collect();
    let mut shots: Vec<(&str, &str)> = tabs.iter().map(|t| (t.as_str(), "")).collect();
    shots.push(("4", "<Enter>"));
    for &(tab, keys) in &shots {
        let screen = snapshot(sb, file, tab, keys, &absent);
        if keys == "<Enter>" {
            let ctx = format!("{file}: snapshot --tab 4 --keys <Enter>");
            assert_contains_all(&screen, r.detail, &ctx);
        }
    }
    for &(tab, keys, wanted) in r.screens {
        let screen = snapshot(sb, file, tab, keys, &absent);
        let ctx = format!("{file}: snapshot --tab {tab} --keys {keys:?}");
        assert_contains_all(&screen, &[wanted], &ctx);
    }

    // the bare viewer into a pipe: the whole profile as plain text.
    let run = sb.run(&["--profile", file]);
    run.success();
    let text = assert_inert(&run.stdout, &run.what);
    assert_no_line_wider(&text, WIDTH, &run.what);
    assert_contains_all(&text, r.plain, &run.what);
    assert_contains_none(&text, &absent, &run.what);
}

/// A plain and an `--ansi` snapshot of `tab` after `keys`, both checked; returns
/// the plain one.
fn snapshot(sb: &Sandbox, file: &str, tab: &str, keys: &str, absent: &[&str]) -> String {
    let base = [
        "--profile",
        file,
        "snapshot",
        "--size",
        "80x24",
        "--tab",
        tab,
    ];
    let mut args = base.to_vec();
    args.extend(["--keys", keys]);
    let run = sb.run(&args);
    run.success();
    let plain = assert_inert(&run.stdout, &run.what);
    assert_fits(&plain, WIDTH, HEIGHT, &run.what);
    assert_contains_none(&plain, absent, &run.what);

    args.push("--ansi");
    let run = sb.run(&args);
    run.success();
    let ansi = run.out();
    assert!(
        ansi.contains("\x1b["),
        "{}: --ansi with TERM=xterm-256color should colour the screen",
        run.what
    );
    let stripped = strip_sgr(&ansi);
    let ctx = format!("{} (after removing SGR)", run.what);
    assert_inert(stripped.as_bytes(), &ctx);
    assert_fits(&stripped, WIDTH, HEIGHT, &ctx);
    assert_contains_none(&stripped, absent, &ctx);
    // Colour changes nothing that is shown: the same words, in the same order.
    assert_eq!(
        words(&stripped),
        words(&plain),
        "{ctx}: the coloured screen shows other words than the plain one\n--- plain ---\n{plain}\n--- ansi ---\n{stripped}"
    );
    plain
}

// ---------------------------------------------------------------------------
// Generated cases
// ---------------------------------------------------------------------------

/// Binary and huge cases, made at test time.
mod generate {
    /// Deterministic pseudo-random bytes (xorshift), NULs included.
    pub fn binary_garbage() -> Vec<u8> {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut out = vec![0x00, 0x01, 0x02, 0xff];
        for i in 0..8192 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            out.push(if i % 97 == 0 { 0 } else { x.to_le_bytes()[3] });
        }
        out
    }

    pub fn invalid_utf8_in_value() -> Vec<u8> {
        b"[person]\nname = \"Ada \xff\xfe Lovelace\"\n".to_vec()
    }

    /// Two NULs (valid UTF-8) before an invalid byte on the same line.
    pub fn controls_before_invalid_utf8() -> Vec<u8> {
        b"[person]\nname = \"\x00\x00\xff\"\n".to_vec()
    }

    pub fn latin1() -> Vec<u8> {
        // "José Müller" in ISO-8859-1.
        b"[person]\nname = \"Jos\xe9 M\xfcller\"\n".to_vec()
    }

    pub const SMALL_PROFILE: &str = "[person]\nname = \"Ada Lovelace\"\n";

    pub fn utf16_le_bom() -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        out.extend(SMALL_PROFILE.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    pub fn utf16_be_bom() -> Vec<u8> {
        let mut out = vec![0xFE, 0xFF];
        out.extend(SMALL_PROFILE.encode_utf16().flat_map(u16::to_be_bytes));
        out
    }

    pub fn utf16_le_no_bom() -> Vec<u8> {
        SMALL_PROFILE
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect()
    }

    pub fn raw_esc_bytes_in_string() -> Vec<u8> {
        b"[person]\nname = \"Ada\x1b[2J\x1b]52;c;UFdORURDTElQ\x07\"\n".to_vec()
    }

    pub fn raw_nul_in_comment() -> Vec<u8> {
        b"# a comment \x00 with a NUL\n[person]\nname = \"Ada\"\n".to_vec()
    }

    pub fn bare_carriage_return() -> Vec<u8> {
        b"[person]\rname = \"Ada\"\n".to_vec()
    }

    pub fn raw_bel_and_backspace_in_key() -> Vec<u8> {
        b"[person]\nname = \"Ada\"\nmo\x07\x08tto = \"x\"\n".to_vec()
    }

    pub const DEPTH: usize = 5000;

    pub fn nested_5000_deep_arrays() -> Vec<u8> {
        format!(
            "a = {}{}\n\n[person]\nname = \"Ada\"\n",
            "[".repeat(DEPTH),
            "]".repeat(DEPTH)
        )
        .into_bytes()
    }

    pub fn nested_5000_deep_inline_tables() -> Vec<u8> {
        format!(
            "a = {}1{}\n\n[person]\nname = \"Ada\"\n",
            "{ b = ".repeat(DEPTH),
            " }".repeat(DEPTH)
        )
        .into_bytes()
    }

    pub fn nested_5000_deep_table_header() -> Vec<u8> {
        format!("[{}a]\nb = 1\n", "a.".repeat(DEPTH)).into_bytes()
    }

    pub fn dotted_key_5000_deep() -> Vec<u8> {
        format!("a{} = 1\n", ".a".repeat(DEPTH)).into_bytes()
    }

    pub fn nested_5000_deep_in_person_name() -> Vec<u8> {
        format!(
            "[person]\nname = {}\"Ada\"{}\n",
            "[".repeat(DEPTH),
            "]".repeat(DEPTH)
        )
        .into_bytes()
    }

    /// A 10,000-character word.
    pub fn long_word() -> String {
        "Pneumonoultramicroscopicsilicovolcanoconiosis"
            .chars()
            .cycle()
            .take(10_000)
            .collect()
    }

    pub fn long_word_10000_in_title_and_bio() -> Vec<u8> {
        let w = long_word();
        format!(
            "[person]\nname = \"Long Word\"\nmotto = \"{w}\"\n\n[bio]\ntext = \"Start {w} End\"\n\n\
             [research]\nfocus = [\"{w}\"]\n\n[[news]]\ndate = 2024-01-02\ntext = \"{w}\"\n\n\
             [[publications]]\ntitle = \"Before {w} After\"\nauthors = [\"{w}\", \"Long Word\"]\n\
             year = 2024\nabbr = \"{w}\"\naward = \"{w}\"\nurl = \"https://example.org/{w}\"\nselected = true\n\n\
             [[sections]]\ntitle = \"{w}\"\nitems = [\"{w}\"]\n"
        )
        .into_bytes()
    }

    pub fn news_1000() -> Vec<u8> {
        let mut s = String::from("[person]\nname = \"Busy Person\"\n");
        for i in 0..1000 {
            let (y, m, d) = (2024 - i / 300, 12 - (i / 25) % 12, 28 - i % 25);
            s.push_str(&format!(
                "\n[[news]]\ndate = {y:04}-{m:02}-{d:02}\ntext = \"News item {i:04}\"\n"
            ));
        }
        s.into_bytes()
    }

    pub fn publications_5000() -> Vec<u8> {
        let mut s = String::from("[person]\nname = \"Prolific Person\"\n");
        for i in 0..5000 {
            s.push_str(&format!(
                "\n[[publications]]\ntitle = \"Paper {i:04} on adversarial inputs\"\n\
                 authors = [\"Coauthor {i}\", \"Prolific Person\"]\nyear = {}\nabbr = \"V{} {}\"\n\
                 award = \"Award {i:04}\"\nselected = {}\n",
                1900 + i % 125,
                i % 50,
                1900 + i % 125,
                i % 1000 == 0
            ));
        }
        s.into_bytes()
    }
}

// ---------------------------------------------------------------------------
// Expectations shared by the "escape sequence in every field" cases
// ---------------------------------------------------------------------------

// Each of those files holds `<Field>first<SEQUENCE><Field>last` in every kind
// of field; the sequence must vanish whole, so the two words meet.
const JOINED: Render = Render {
    counts: (1, 1, 1),
    plain: &[
        "NamefirstNamelast",
        "PronfirstPronlast",
        "MottofirstMottolast",
        "BiofirstBiolast",
        "FocusfirstFocuslast",
        "NewsfirstNewslast",
        "TitlefirstTitlelast",
        "AuthorfirstAuthorlast",
        "AbbrfirstAbbrlast",
        "AwardfirstAwardlast",
        "UrlfirstUrllast",
        "SectfirstSectlast",
        "ItemfirstItemlast",
    ],
    banner: &[
        "NamefirstNamelast",
        "PronfirstPronlast",
        "MottofirstMottolast",
        "FocusfirstFocuslast",
        "NewsfirstNewslast",
    ],
    detail: &[
        "TitlefirstTitlelast",
        "AuthorfirstAuthorlast",
        "AbbrfirstAbbrlast",
        "AwardfirstAwardlast",
        "UrlfirstUrllast",
    ],
    screens: &[
        ("1", "", "NamefirstNamelast"),
        ("1", "", "BiofirstBiolast"),
        ("2", "", "FocusfirstFocuslast"),
        ("3", "", "NewsfirstNewslast"),
        ("4", "", "TitlefirstTitlelast"),
        ("5", "", "SectfirstSectlast"),
        ("5", "", "ItemfirstItemlast"),
    ],
    absent: &[],
};

// The same with a space between the words: a carriage return in a one-line
// field becomes a space; a lone ESC ends each value.
const SPACED: Render = Render {
    counts: (1, 1, 1),
    plain: &[
        "Namefirst Namelast",
        "Pronfirst Pronlast",
        "Mottofirst Mottolast",
        "Biofirst Biolast",
        "Focusfirst Focuslast",
        "Newsfirst Newslast",
        "Titlefirst Titlelast",
        "Authorfirst Authorlast",
        "Abbrfirst Abbrlast",
        "Awardfirst Awardlast",
        "Urlfirst Urllast",
        "Sectfirst Sectlast",
        "Itemfirst Itemlast",
    ],
    banner: &[
        "Namefirst Namelast",
        "Mottofirst Mottolast",
        "Focusfirst Focuslast",
        "Newsfirst Newslast",
    ],
    detail: &[
        "Titlefirst Titlelast",
        "Authorfirst Authorlast",
        "Urlfirst Urllast",
    ],
    screens: &[
        ("1", "", "Biofirst Biolast"),
        ("5", "", "Itemfirst Itemlast"),
    ],
    absent: &[],
};

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

macro_rules! cases {
    ($( $(#[$attr:meta])* $test:ident: $input:expr => $expect:expr; )*) => {
        /// Every case: its test name and its input.
        const CASES: &[(&str, Input)] = &[ $( (stringify!($test), $input), )* ];
        $(
            $(#[$attr])*
            #[test]
            fn $test() {
                run_case(&$input, &$expect);
            }
        )*
    };
}

use Input::{Bytes, Corpus, Directory, Fifo, Huge, Missing, Symlink, System};
use Loc::{At, File, Line};

const MIB: u64 = 1024 * 1024;

cases! {
    // ---- not a profile at all: refused at once, naming the file ----------
    empty: Corpus("empty.toml") => refuse(At(1, 1), &["missing field `person`"]);
    only_whitespace_and_comments: Corpus("only_whitespace_and_comments.toml")
        => refuse(Line(1), &["missing field `person`"]);
    binary_garbage: Bytes("binary_garbage.bin", generate::binary_garbage)
        => refuse(Line(1), &["not valid UTF-8", "save the file as UTF-8"]);
    controls_before_invalid_utf8: Bytes("controls_before_invalid_utf8.toml", generate::controls_before_invalid_utf8)
        => refuse(At(2, 11), &["not valid UTF-8"]);
    invalid_utf8_in_value: Bytes("invalid_utf8_in_value.toml", generate::invalid_utf8_in_value)
        => refuse(At(2, 13), &["not valid UTF-8", "name = \"Ada \u{fffd}"]);
    latin1_file: Bytes("latin1.toml", generate::latin1)
        => refuse(At(2, 12), &["not valid UTF-8", "save the file as UTF-8"]);
    utf16_le_with_bom: Bytes("utf16_le_bom.toml", generate::utf16_le_bom)
        => refuse(File, &["UTF-16", "save it as UTF-8"]);
    utf16_be_with_bom: Bytes("utf16_be_bom.toml", generate::utf16_be_bom)
        => refuse(File, &["UTF-16", "save it as UTF-8"]);
    utf16_le_without_bom: Bytes("utf16_le_no_bom.toml", generate::utf16_le_no_bom)
        => refuse(Line(1), &["unexpected key or value"]);
    over_64_mib_70_mib_file: Huge("huge_70_mib.toml", b"[person]\nname = \"Ada\"\n# ", 70 * MIB)
        => refuse(File, &["larger than 64 MiB"]);
    over_64_mib_by_one_byte: Huge("huge_64_mib_plus_1.toml", b"[person]\nname = \"Ada\"\n# ", 64 * MIB + 1)
        => refuse(File, &["larger than 64 MiB"]);
    dev_zero: System("/dev/zero") => refuse(File, &["/dev/zero", "a device, not a regular file"]);
    dev_null: System("/dev/null") => refuse(File, &["a device, not a regular file"]);
    a_directory: Directory("a_directory.toml") => refuse(File, &["a directory, not a regular file"]);
    a_fifo_with_no_writer: Fifo("a_fifo.toml") => refuse(File, &["a named pipe, not a regular file"]);
    symlink_to_dev_zero: Symlink("link_to_zero.toml", "/dev/zero")
        => refuse(File, &["a device, not a regular file"]);
    symlink_loop: Symlink("loop.toml", "loop.toml") => refuse(File, &["cannot read profile"]);
    missing_file: Missing("no_such_profile.toml") => refuse(File, &["cannot read profile"]);

    // ---- nested thousands deep: refused quickly, no stack overflow ---------
    nested_5000_deep_arrays: Bytes("nested_5000_deep_arrays.toml", generate::nested_5000_deep_arrays)
        => refuse(Line(1), &["recursion"]);
    nested_5000_deep_inline_tables: Bytes("nested_5000_deep_inline_tables.toml", generate::nested_5000_deep_inline_tables)
        => refuse(Line(1), &["recursion"]);
    nested_5000_deep_value_of_a_known_key: Bytes("nested_5000_deep_name.toml", generate::nested_5000_deep_in_person_name)
        => refuse(Line(2), &["recursion"]);
    #[ignore = "bug: `recursion limit` error has no line:col (toml gives no span; load.rs prints `= note: in F`)"]
    nested_5000_deep_table_header: Bytes("nested_5000_deep_table_header.toml", generate::nested_5000_deep_table_header)
        => refuse(Line(1), &["recursion"]);
    #[ignore = "bug: `recursion limit` error has no line:col (toml gives no span; load.rs prints `= note: in F`)"]
    dotted_key_5000_deep: Bytes("dotted_key_5000_deep.toml", generate::dotted_key_5000_deep)
        => refuse(Line(1), &["recursion"]);

    // ---- TOML syntax -------------------------------------------------------
    unterminated_string: Corpus("unterminated_string.toml")
        => refuse(At(2, 12), &["invalid basic string", "name = \"Ada"]);
    unterminated_multiline_string: Corpus("unterminated_multiline_string.toml")
        => refuse(Line(8), &["invalid multi-line basic string"]);
    unterminated_table_header: Corpus("unterminated_table_header.toml")
        => refuse(At(1, 8), &["unclosed table", "[person"]);
    #[ignore = "bug: reports 4:5 `key with no value`, not the unterminated string at 3:13 (toml's first error is kept)"]
    newline_inside_basic_string: Corpus("newline_inside_basic_string.toml")
        => refuse(Line(3), &["invalid basic string", "motto = \"one"]);
    duplicate_key: Corpus("duplicate_key.toml") => refuse(At(3, 1), &["duplicate key", "name = \"Bob\""]);
    duplicate_table_person: Corpus("duplicate_table_person.toml") => refuse(At(4, 2), &["duplicate key"]);
    news_array_of_tables_mixed_with_inline_array: Corpus("news_array_of_tables_mixed_with_inline_array.toml")
        => refuse(At(7, 3), &["duplicate key", "[[news]]"]);
    news_array_of_tables_then_plain_table: Corpus("news_array_of_tables_then_plain_table.toml")
        => refuse(At(8, 2), &["duplicate key", "[news]"]);
    raw_esc_bytes_in_string: Bytes("raw_esc_bytes_in_string.toml", generate::raw_esc_bytes_in_string)
        => refuse(At(2, 12), &["name = \"Ada"]);
    raw_nul_in_comment: Bytes("raw_nul_in_comment.toml", generate::raw_nul_in_comment)
        => refuse(At(1, 13), &["# a comment"]);
    bare_carriage_return: Bytes("bare_carriage_return.toml", generate::bare_carriage_return)
        => refuse(At(1, 10), &["carriage return must be followed by newline"]);
    raw_bel_and_backspace_in_key: Bytes("raw_bel_and_backspace_in_key.toml", generate::raw_bel_and_backspace_in_key)
        => refuse(At(3, 3), &["invalid unquoted key"]);
    bidi_marks_before_error_on_same_line: Corpus("bidi_marks_before_error_on_same_line.toml")
        => refuse(At(3, 16), &["oops"]);
    bidi_control_in_unknown_key: Corpus("bidi_control_in_unknown_key.toml")
        => refuse(At(3, 3), &["invalid unquoted key"]);
    escape_sequence_in_unknown_quoted_key: Corpus("escape_sequence_in_unknown_quoted_key.toml")
        => refuse(At(3, 1), &["unknown key"]);

    // ---- wrong types ---------------------------------------------------------
    wrong_type_name_integer: Corpus("wrong_type_name_integer.toml")
        => refuse(At(2, 8), &["invalid type: integer `3`, expected a string"]);
    wrong_type_authors_string: Corpus("wrong_type_authors_string.toml")
        => refuse(At(6, 11), &["expected a sequence"]);
    wrong_type_year_string: Corpus("wrong_type_year_string.toml")
        => refuse(At(7, 8), &["invalid type: string \"2022\""]);
    wrong_type_year_negative: Corpus("wrong_type_year_negative.toml")
        => refuse(At(7, 8), &["invalid value: integer `-1`"]);
    wrong_type_year_70000: Corpus("wrong_type_year_70000.toml")
        => refuse(At(7, 8), &["invalid value: integer `70000`"]);
    wrong_type_selected_string: Corpus("wrong_type_selected_string.toml")
        => refuse(At(8, 12), &["expected a boolean"]);
    wrong_type_news_string: Corpus("wrong_type_news_string.toml")
        => refuse(At(1, 8), &["expected a sequence"]);
    wrong_type_focus_string: Corpus("wrong_type_focus_string.toml")
        => refuse(At(5, 9), &["expected a sequence"]);
    top_level_key_inside_person_table: Corpus("top_level_key_inside_person_table.toml")
        => refuse(At(4, 1), &["unknown key `news`", "the keys allowed here are"]);

    // ---- dates ---------------------------------------------------------------
    bad_date_month_13_day_45: Corpus("bad_date_month_13_day_45.toml")
        => refuse(At(5, 8), &["invalid date", "month"]);
    bad_date_feb_30: Corpus("bad_date_feb_30.toml") => refuse(At(5, 8), &["invalid date", "day"]);
    bad_date_feb_29_non_leap_year: Corpus("bad_date_feb_29_non_leap_year.toml")
        => refuse(At(5, 8), &["invalid date", "day"]);
    // A news date pasted as al-folio writes it (a time, a zone, a string)
    // is its day.
    date_with_time: Corpus("date_with_time.toml")
        => Expect::Render(Render { counts: (1, 0, 0), plain: &["Jul 12, 2023"], ..RENDER });
    date_with_offset: Corpus("date_with_offset.toml")
        => Expect::Render(Render { counts: (1, 0, 0), plain: &["Jul 12, 2023"], ..RENDER });
    date_time_only: Corpus("date_time_only.toml")
        => refuse(At(5, 8), &["expected a date like 2023-07-12"]);
    date_as_string: Corpus("date_as_string.toml")
        => Expect::Render(Render { counts: (1, 0, 0), plain: &["Jul 12, 2023"], ..RENDER });
    date_as_al_folio_text: Corpus("date_as_al_folio_text.toml")
        => Expect::Render(Render { counts: (1, 0, 0), plain: &["Nov 7, 2015"], ..RENDER });
    date_as_other_text: Corpus("date_as_other_text.toml")
        => refuse(At(5, 8), &["expected a date like 2023-07-12", "`July 12`"]);

    // ---- unknown keys (typos) at every level: "did you mean" ------------------
    typo_top_level_table_persn: Corpus("typo_top_level_table_persn.toml")
        => refuse(At(1, 2), &["`persn`", "did you mean `person`?"]);
    typo_person_nmae: Corpus("typo_person_nmae.toml")
        => refuse(At(2, 1), &["unknown key `nmae`", "did you mean `name`?"]);
    typo_publication_titel: Corpus("typo_publication_titel.toml")
        => refuse(At(5, 1), &["unknown key `titel`", "did you mean `title`?"]);
    typo_publication_autors: Corpus("typo_publication_autors.toml")
        => refuse(At(6, 1), &["unknown key `autors`", "did you mean `authors`?"]);
    typo_news_dat: Corpus("typo_news_dat.toml") => refuse(At(5, 1), &["`dat`", "did you mean `date`?"]);
    typo_bio_txet: Corpus("typo_bio_txet.toml") => refuse(At(5, 1), &["`txet`", "did you mean `text`?"]);
    typo_research_focsu: Corpus("typo_research_focsu.toml")
        => refuse(At(5, 1), &["unknown key `focsu`", "did you mean `focus`?"]);
    typo_headings_nwes: Corpus("typo_headings_nwes.toml")
        => refuse(At(5, 1), &["`nwes`", "did you mean `news`?"]);
    typo_sections_itmes: Corpus("typo_sections_itmes.toml")
        => refuse(At(6, 1), &["unknown key `itmes`", "did you mean `items`?"]);
    typo_experience_organisation: Corpus("typo_experience_organisation.toml")
        => refuse(At(6, 1), &["unknown key `organisation`", "did you mean `organization`?"]);

    // ---- missing required fields -------------------------------------------------
    missing_person: Corpus("missing_person.toml") => refuse(Line(1), &["missing field `person`"]);
    person_without_name: Corpus("person_without_name.toml") => refuse(Line(1), &["missing field `name`"]);
    publication_without_title: Corpus("publication_without_title.toml")
        => refuse(Line(4), &["missing field `title`"]);
    publication_without_authors: Corpus("publication_without_authors.toml")
        => refuse(Line(4), &["missing field `authors`"]);
    publication_without_year: Corpus("publication_without_year.toml")
        => refuse(Line(4), &["missing field `year`"]);
    news_without_date: Corpus("news_without_date.toml") => refuse(Line(4), &["missing field `date`"]);
    section_without_title: Corpus("section_without_title.toml")
        => refuse(Line(4), &["missing field `title`"]);

    // ---- escape sequences and controls in every kind of field: made inert -------
    esc_csi_clear_screen_everywhere: Corpus("esc_csi_clear_screen_everywhere.toml")
        => Expect::Render(Render { absent: &["[2J", "[H"], ..JOINED });
    esc_csi_sgr_red_everywhere: Corpus("esc_csi_sgr_red_everywhere.toml")
        => Expect::Render(Render { absent: &["31;1m"], ..JOINED });
    esc_csi_private_mode_everywhere: Corpus("esc_csi_private_mode_everywhere.toml")
        => Expect::Render(Render { absent: &["?1049h", "?25l"], ..JOINED });
    osc0_window_title_everywhere: Corpus("osc0_window_title_everywhere.toml")
        => Expect::Render(Render { absent: &["]0;"], ..JOINED });
    osc8_hyperlink_everywhere: Corpus("osc8_hyperlink_everywhere.toml")
        => Expect::Render(Render { absent: &["]8;", "https://"], ..JOINED });
    osc52_clipboard_bel_everywhere: Corpus("osc52_clipboard_bel_everywhere.toml")
        => Expect::Render(Render { absent: &["]52;"], ..JOINED });
    osc52_clipboard_st_everywhere: Corpus("osc52_clipboard_st_everywhere.toml")
        => Expect::Render(Render { absent: &["]52;", "\\"], ..JOINED });
    dcs_everywhere: Corpus("dcs_everywhere.toml") => Expect::Render(Render { absent: &["$t", "\\"], ..JOINED });
    apc_everywhere: Corpus("apc_everywhere.toml") => Expect::Render(Render { absent: &["\\"], ..JOINED });
    pm_everywhere: Corpus("pm_everywhere.toml") => Expect::Render(Render { absent: &["\\"], ..JOINED });
    sos_everywhere: Corpus("sos_everywhere.toml") => Expect::Render(Render { absent: &["\\"], ..JOINED });
    c1_csi_8bit_everywhere: Corpus("c1_csi_8bit_everywhere.toml")
        => Expect::Render(Render { absent: &["2J", "31m"], ..JOINED });
    c1_osc_8bit_everywhere: Corpus("c1_osc_8bit_everywhere.toml")
        => Expect::Render(Render { absent: &["52;c"], ..JOINED });
    esc_short_forms_everywhere: Corpus("esc_short_forms_everywhere.toml")
        => Expect::Render(Render { absent: &["(0"], ..JOINED });
    bel_everywhere: Corpus("bel_everywhere.toml") => Expect::Render(JOINED);
    backspace_everywhere: Corpus("backspace_everywhere.toml") => Expect::Render(JOINED);
    del_everywhere: Corpus("del_everywhere.toml") => Expect::Render(JOINED);
    nul_and_c0_everywhere: Corpus("nul_and_c0_everywhere.toml") => Expect::Render(JOINED);
    bidi_overrides_everywhere: Corpus("bidi_overrides_everywhere.toml") => Expect::Render(JOINED);
    toml11_escape_e_and_x_everywhere: Corpus("toml11_escape_e_and_x_everywhere.toml")
        => Expect::Render(Render { absent: &["[2J", "]52;", "5n"], ..JOINED });
    carriage_return_everywhere: Corpus("carriage_return_everywhere.toml") => Expect::Render(SPACED);
    bare_esc_at_end_everywhere: Corpus("bare_esc_at_end_everywhere.toml") => Expect::Render(SPACED);
    osc52_in_title: Corpus("osc52_in_title.toml") => Expect::Render(Render {
        counts: (0, 1, 0),
        plain: &["Honest AlphaHonest Omega"],
        detail: &["Honest AlphaHonest Omega"],
        absent: &["]52;"],
        ..RENDER
    });
    bidi_override_in_title: Corpus("bidi_override_in_title.toml") => Expect::Render(Render {
        counts: (0, 1, 0),
        plain: &["Access resu nimda level granted"],
        detail: &["Access resu nimda level granted"],
        ..RENDER
    });
    c1_and_bidi_literal_chars: Corpus("c1_and_bidi_literal_chars.toml") => Expect::Render(Render {
        plain: &["LiteralName", "“abcdef”", "Bioword and tail."],
        banner: &["LiteralName", "abcdef"],
        screens: &[("1", "", "Bioword and tail.")],
        absent: &["PAYLOADDCS", "31m"],
        ..RENDER
    });
    unterminated_osc_swallows_rest: Corpus("unterminated_osc_swallows_rest.toml") => Expect::Render(Render {
        counts: (1, 0, 0),
        plain: &["Kept Name", "“visible”", "Later news survives"],
        banner: &["visible", "Later news survives"],
        absent: &["never ends"],
        ..RENDER
    });

    // ---- empty, blank and extreme values -------------------------------------------
    utf8_bom: Corpus("utf8_bom.toml") => Expect::Render(Render {
        plain: &["Bom Person"],
        banner: &["Bom Person"],
        screens: &[("1", "", "Bom Person")],
        ..RENDER
    });
    crlf_line_endings: Corpus("crlf_line_endings.toml") => Expect::Render(Render {
        plain: &["Crlf Person", "First line second line"],
        ..RENDER
    });
    name_only: Corpus("name_only.toml") => Expect::Render(Render {
        plain: &["Solo Name"],
        banner: &["Solo Name"],
        screens: &[("4", "", "No publications yet.")],
        ..RENDER
    });
    empty_lists_everywhere: Corpus("empty_lists_everywhere.toml") => Expect::Render(Render {
        counts: (0, 1, 1),
        plain: &["Empty Lists", "Intern, Lab", "A paper with no authors listed"],
        detail: &["A paper with no authors listed", "2020"],
        ..RENDER
    });
    empty_top_level_arrays: Corpus("empty_top_level_arrays.toml") => Expect::Render(Render {
        plain: &["Empty Arrays"],
        ..RENDER
    });
    empty_strings_everywhere: Corpus("empty_strings_everywhere.toml") => Expect::Render(Render {
        counts: (1, 1, 1),
        plain: &["Jan 2, 2024"],
        ..RENDER
    });
    whitespace_only_strings_everywhere: Corpus("whitespace_only_strings_everywhere.toml")
        => Expect::Render(Render {
            counts: (1, 1, 1),
            plain: &["Jan 2, 2024", "2024"],
            ..RENDER
        });
    numbers_at_the_edges: Corpus("numbers_at_the_edges.toml") => Expect::Render(Render {
        counts: (3, 2, 0),
        plain: &["Jan 1, 1", "Dec 31, 9999", "Feb 29, 2024", "Year max", "65535"],
        banner: &["Dec 31, 9999"],
        ..RENDER
    });
    keys_quoted_and_dotted: Corpus("keys_quoted_and_dotted.toml") => Expect::Render(Render {
        counts: (1, 1, 0),
        plain: &["Dotted Person", "Bio via a dotted key.", "Focus via quoted key", "Inline news", "Inline paper"],
        ..RENDER
    });
    long_word_10000_in_title_and_bio: Bytes("long_word.toml", generate::long_word_10000_in_title_and_bio)
        => Expect::Render(Render {
            counts: (1, 1, 1),
            plain: &["Long Word", "Start", "End", "Before", "After", "https://example.org/Pneumono"],
            banner: &["Long Word"],
            detail: &["Before"],
            screens: &[("1", "", "Start"), ("1", "<End>", "End")],
            ..RENDER
        });

    // ---- scripts, emoji and marks ----------------------------------------------------
    cjk_everywhere: Corpus("cjk_everywhere.toml") => Expect::Render(Render {
        counts: (1, 1, 1),
        plain: &["朱同天", "你好😃", "去中心化随机梯度下降的拓扑感知泛化", "漫画家", "全角ＡＢＣ１２３"],
        banner: &["朱同天", "浙江大学", "去中心化学习的泛化理论"],
        detail: &["去中心化随机梯度下降的拓扑感知泛化", "焦点报告", "我的最爱", "https://例子.测试/论文"],
        screens: &[("杂项", "", "漫画家"), ("5", "", "第二项")],
        ..RENDER
    });
    emoji_zwj_everywhere: Corpus("emoji_zwj_everywhere.toml") => Expect::Render(Render {
        counts: (1, 1, 1),
        plain: &["Emo 👨\u{200d}👩\u{200d}👧\u{200d}👦 Ji", "🏳\u{fe0f}\u{200d}🌈", "🧑🏽\u{200d}💻 🇨🇳 ❤\u{fe0f} 👍🏿 1\u{fe0f}\u{20e3}"],
        banner: &["Emo 👨\u{200d}👩\u{200d}👧\u{200d}👦 Ji"],
        detail: &["Emo 👨\u{200d}👩\u{200d}👧\u{200d}👦 Ji"],
        ..RENDER
    });
    zalgo_50_combining_marks: Corpus("zalgo_50_combining_marks.toml") => Expect::Render(Render {
        counts: (1, 1, 1),
        plain: &["go Person", "e comes.", "H\u{300}\u{301}\u{302}\u{303}\u{304}"],
        banner: &["go Person"],
        screens: &[("1", "", "e comes.")],
        ..RENDER
    });
    rtl_arabic_hebrew: Corpus("rtl_arabic_hebrew.toml") => Expect::Render(Render {
        counts: (1, 1, 1),
        plain: &["عادل כהן", "שלום", "مرحبا", "Mixed: English"],
        banner: &["عادل כהן"],
        detail: &["פרס", "مؤتمر"],
        screens: &[("متفرقات", "", "שלום")],
        ..RENDER
    });

    // ---- many items, many tabs -----------------------------------------------------------
    news_1000: Bytes("news_1000.toml", generate::news_1000) => Expect::Render(Render {
        counts: (1000, 0, 0),
        plain: &["News item 0000", "News item 0999"],
        banner: &["News item 0000"],
        screens: &[("news", "", "News item 0000"), ("news", "<End>", "News item 0999")],
        ..RENDER
    });
    publications_5000: Bytes("publications_5000.toml", generate::publications_5000) => Expect::Render(Render {
        counts: (0, 5000, 0),
        plain: &["Paper 0000 on adversarial inputs", "Paper 4999 on adversarial inputs"],
        banner: &["Paper 0000"],
        detail: &["Paper 0000 on adversarial inputs", "Award 0000"],
        screens: &[("4", "<End><Enter>", "Paper 4999 on adversarial inputs"), ("4", "", "5000")],
        ..RENDER
    });
    section_titled_like_builtin_tabs: Corpus("section_titled_like_builtin_tabs.toml") => Expect::Render(Render {
        counts: (0, 0, 3),
        plain: &["The real bio text.", "The section called Bio", "The section called 4"],
        screens: &[
            ("bio", "", "The real bio text."),
            ("publications", "", "No publications yet."),
            ("4", "", "No publications yet."),
            ("5", "", "The section called Bio"),
            ("6", "", "The section called publications"),
            ("7", "", "The section called 4"),
        ],
        ..RENDER
    });
    twenty_extra_sections: Corpus("twenty_extra_sections.toml") => Expect::Render(Render {
        counts: (0, 0, 20),
        plain: &["Extra heading 01", "Extra heading 20", "Item 20b"],
        screens: &[
            ("24", "", "Item 20b"),
            ("extra13", "", "Body of extra section 13."),
            ("1", "9", "Item 05a"),
            ("24", "<Left>", "Item 19a"),
        ],
        ..RENDER
    });
}

// ---------------------------------------------------------------------------
// The corpus itself
// ---------------------------------------------------------------------------

/// Every file in `tests/corpus/` is a case in the table, and the corpus is
/// big enough.
#[test]
fn every_corpus_file_is_in_the_table() {
    let mut files: Vec<String> = std::fs::read_dir(CORPUS)
        .expect("read tests/corpus")
        .map(|e| {
            e.expect("corpus entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let listed: Vec<&str> = CASES
        .iter()
        .filter_map(|(_, input)| match input {
            Input::Corpus(name) => Some(*name),
            _ => None,
        })
        .collect();
    for f in &files {
        assert!(
            listed.contains(&f.as_str()),
            "tests/corpus/{f} has no expectation in the table"
        );
    }
    for l in &listed {
        assert!(
            files.iter().any(|f| f == l),
            "the table names tests/corpus/{l}, which does not exist"
        );
    }
    assert!(files.len() >= 40, "only {} corpus files", files.len());
    assert!(CASES.len() >= files.len());
}

/// The BOM case really starts with a BOM (an editor could strip it).
#[test]
fn utf8_bom_case_starts_with_a_bom() {
    let bytes = std::fs::read(Path::new(CORPUS).join("utf8_bom.toml")).expect("read");
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
}
