//! Integration tests of the login card, `termfolio banner`, as README's
//! "The login card" gives it, and of the snippets that ship it in
//! `contrib/`: the `~/.bashrc` lines, the update-motd script and the sshd
//! ForceCommand wrapper.
//!
//! Every spawned process runs in a sandbox (`tests/common`): a fresh temporary
//! directory that is also its `HOME` and `XDG_CONFIG_HOME`, with the variables
//! that steer the card (`TERMFOLIO_PROFILE`, `NO_COLOR`, `CLICOLOR*`,
//! `COLUMNS`, the locale, the ssh variables) removed or pinned, so the
//! environment of whoever runs the tests never leaks in. Pseudo-terminals come
//! from util-linux's `script`.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{
    BIN, ROOT, Run, Sandbox, assert_no_line_wider, display_width, path_str, repo_file, run,
    run_with_input, sgr_params, sh_quote, strip_sgr, wait,
};

/// The repository's profile.toml (the one compiled in), by path.
const BUNDLED_PROFILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/profile.toml");

const CJK_PROFILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/banner_cjk.toml"
);

/// The card never has more lines than this...
const MAX_LINES: usize = 16;
/// ...nor more columns than this.
const MAX_WIDTH: usize = 100;
/// Below this width the card is the name and one line.
const MIN_FULL_WIDTH: usize = 40;

/// Decorations that must not appear when the locale is not UTF-8.
const UNICODE_DECORATIONS: [char; 5] = ['─', '“', '”', '·', '…'];

// ---------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------

/// The widest line of `text`, SGR sequences not counted.
fn widest(text: &str) -> usize {
    text.lines()
        .map(|l| display_width(&strip_sgr(l)))
        .max()
        .unwrap_or(0)
}

/// A card: ends with a newline, 1 to 16 lines, none wider than
/// `min(width, 100)` display columns once SGR sequences are removed.
#[track_caller]
fn assert_card_fits(card: &str, width: usize, ctx: &str) {
    let max = width.min(MAX_WIDTH);
    assert!(
        card.ends_with('\n'),
        "{ctx}: the card must end with a newline:\n{card:?}"
    );
    let lines = card.lines().count();
    assert!(
        (1..=MAX_LINES).contains(&lines),
        "{ctx}: {lines} lines (1 to {MAX_LINES} allowed):\n{card}"
    );
    assert_no_line_wider(&strip_sgr(card), max, ctx);
}

/// Whether `s` holds an SGR (or any CSI) sequence.
fn has_csi(s: &str) -> bool {
    s.contains("\x1b[")
}

// ---------------------------------------------------------------------------
// The two profiles
// ---------------------------------------------------------------------------

/// A profile the card is tested on, and what the card must show of it.
struct Case {
    label: &'static str,
    /// `--profile`, or the bundled profile.
    profile: Option<&'static str>,
    name: &'static str,
    pronunciation: &'static str,
    /// The dates of the three latest news, latest first.
    latest: [&'static str; 3],
    /// The dates of every older news item.
    older: &'static [&'static str],
    /// Text that must never be on the card (a 4th focus item, a 5th selected
    /// paper, a paper that is not selected).
    never: &'static [&'static str],
}

const BUNDLED: Case = Case {
    label: "bundled profile",
    profile: None,
    name: "Tongtian Zhu",
    pronunciation: "Tong-tee-an Joo",
    latest: ["Jul 12, 2023", "Jul 11, 2023", "Jul 8, 2023"],
    older: &[
        "Apr 25, 2023",
        "Feb 11, 2023",
        "Dec 6, 2022",
        "May 17, 2022",
    ],
    never: &[],
};

const CJK: Case = Case {
    label: "CJK/emoji profile",
    profile: Some(CJK_PROFILE),
    name: "朱同天",
    pronunciation: "Zhū Tóngtiān 😃",
    latest: ["Jul 12, 2023", "Jul 11, 2023", "Jul 8, 2023"],
    older: &["Apr 25, 2023", "May 17, 2022"],
    never: &[
        "第四个研究重点",
        "第五篇入选论文",
        "未入选的论文",
        "NeurIPS 2020",
    ],
};

const CASES: [&Case; 2] = [&BUNDLED, &CJK];

impl Case {
    /// `[--profile P] banner EXTRA...`
    fn args<'a>(&'a self, extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = Vec::new();
        if let Some(p) = self.profile {
            args.extend(["--profile", p]);
        }
        args.push("banner");
        args.extend_from_slice(extra);
        args
    }

    /// The card on stdout of a successful `banner EXTRA...` in `sb`.
    #[track_caller]
    fn card(&self, sb: &Sandbox, extra: &[&str]) -> String {
        self.card_with(sb, extra, &[])
    }

    /// Like [`Case::card`], with extra environment variables.
    #[track_caller]
    fn card_with(&self, sb: &Sandbox, extra: &[&str], env: &[(&str, &str)]) -> String {
        let mut cmd = sb.command(&self.args(extra));
        cmd.envs(env.iter().copied());
        let r = run(cmd);
        r.success();
        r.out()
    }

    /// A shell command line running this card's `termfolio banner EXTRA...`.
    fn shell_line(&self, extra: &[&str]) -> String {
        std::iter::once(BIN)
            .chain(self.args(extra))
            .map(sh_quote)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The line of `card` holding `needle`, if any.
fn line_of(card: &str, needle: &str) -> Option<usize> {
    card.lines().position(|l| l.contains(needle))
}

// ---------------------------------------------------------------------------
// 1. Widths, content, --news
// ---------------------------------------------------------------------------

#[test]
fn card_fits_every_asked_width_on_both_profiles() {
    let sb = Sandbox::new();
    for case in CASES {
        for n in [20usize, 40, 80, 100, 300] {
            let w = n.to_string();
            let ctx = format!("{}: banner --width {n}", case.label);
            let card = case.card(&sb, &["--width", &w]);
            assert_card_fits(&card, n, &ctx);
            let first = card.lines().next().unwrap_or_default();
            assert!(
                first.starts_with(case.name),
                "{ctx}: line 1 must be the name:\n{card}"
            );
            assert!(!card.contains('\x1b'), "{ctx}: escape in a pipe:\n{card}");
            if n < MIN_FULL_WIDTH {
                assert_eq!(
                    card.lines().count(),
                    2,
                    "{ctx}: below {MIN_FULL_WIDTH} columns the card is the name and one line:\n{card}"
                );
            } else {
                assert!(
                    card.lines().count() > 2,
                    "{ctx}: a full card is expected:\n{card}"
                );
            }
        }
    }
}

#[test]
fn card_fits_every_width_from_1_to_100_on_both_profiles() {
    let sb = Sandbox::new();
    for case in CASES {
        for n in 1..=MAX_WIDTH {
            let w = n.to_string();
            let ctx = format!("{}: banner --width {n}", case.label);
            let card = case.card(&sb, &["--width", &w]);
            assert_card_fits(&card, n, &ctx);
            if n < MIN_FULL_WIDTH {
                assert_eq!(card.lines().count(), 2, "{ctx}:\n{card}");
            }
        }
    }
}

#[test]
fn card_at_80_shows_name_latest_news_selected_papers_and_hint() {
    let sb = Sandbox::new();
    for case in CASES {
        let ctx = format!("{}: banner --width 80", case.label);
        let card = case.card(&sb, &["--width", "80"]);
        assert_card_fits(&card, 80, &ctx);
        let lines: Vec<&str> = card.lines().collect();
        assert!(
            lines[0].starts_with(case.name) && lines[0].contains(case.pronunciation),
            "{ctx}: line 1 must be the name and pronunciation:\n{card}"
        );
        // The three latest news, latest first, nothing older.
        let rows: Vec<usize> = case
            .latest
            .iter()
            .map(|d| {
                line_of(&card, d).unwrap_or_else(|| panic!("{ctx}: news date {d} missing:\n{card}"))
            })
            .collect();
        assert!(
            rows.windows(2).all(|w| w[0] < w[1]),
            "{ctx}: the latest news must come first ({:?} at rows {rows:?}):\n{card}",
            case.latest
        );
        for d in case.older {
            assert!(
                !card.contains(d),
                "{ctx}: only three news by default, but {d} is shown:\n{card}"
            );
        }
        // The selected paper keeps its venue and its award on its line.
        let row = line_of(&card, "ICML 2022")
            .unwrap_or_else(|| panic!("{ctx}: `ICML 2022` missing:\n{card}"));
        assert!(
            lines[row].contains("Spotlight"),
            "{ctx}: the award `Spotlight` must stay on the paper's line:\n{}\n\n{card}",
            lines[row]
        );
        assert!(card.contains("ICML 2023"), "{ctx}: 2nd paper:\n{card}");
        for never in case.never {
            assert!(!card.contains(never), "{ctx}: {never} shown:\n{card}");
        }
        let last = lines.last().expect("a last line");
        assert!(
            last.contains("termfolio"),
            "{ctx}: the last line must say how to browse more:\n{card}"
        );
    }
}

#[test]
fn card_shows_the_award_of_a_long_cjk_title_at_full_widths() {
    // The very long 漫画家 😃🦄🔥 title is cut; its award must survive the cut.
    let sb = Sandbox::new();
    for n in [64usize, 72, 80, 90, 100] {
        let w = n.to_string();
        let card = CJK.card(&sb, &["--width", &w]);
        let ctx = format!("CJK: banner --width {n}");
        assert_card_fits(&card, n, &ctx);
        let row = line_of(&card, "漫画家的拓扑感知")
            .unwrap_or_else(|| panic!("{ctx}: the long title is missing:\n{card}"));
        let line = card.lines().nth(row).unwrap_or_default();
        assert!(
            line.trim_end().ends_with("Spotlight"),
            "{ctx}: the award must end the line:\n{line}\n\n{card}"
        );
        assert!(
            line.contains('…'),
            "{ctx}: the cut title must end with `…`:\n{line}"
        );
    }
}

#[test]
fn news_flag_sets_how_many_news_are_shown() {
    let sb = Sandbox::new();
    for case in CASES {
        let none = case.card(&sb, &["--width", "80", "--news", "0"]);
        let ctx = format!("{}: banner --news 0", case.label);
        assert_card_fits(&none, 80, &ctx);
        for d in case.latest.iter().chain(case.older) {
            assert!(!none.contains(d), "{ctx}: {d} shown:\n{none}");
        }
        assert!(
            !none.lines().any(|l| l.starts_with("News")),
            "{ctx}: no News section expected:\n{none}"
        );
        assert!(none.contains("ICML 2022"), "{ctx}: papers missing:\n{none}");
        assert!(
            none.lines()
                .last()
                .unwrap_or_default()
                .contains("termfolio"),
            "{ctx}: hint missing:\n{none}"
        );

        let one = case.card(&sb, &["--width", "80", "--news", "1"]);
        let ctx = format!("{}: banner --news 1", case.label);
        assert_card_fits(&one, 80, &ctx);
        assert!(one.contains(case.latest[0]), "{ctx}: latest news:\n{one}");
        for d in case.latest[1..].iter().chain(case.older) {
            assert!(!one.contains(d), "{ctx}: {d} shown:\n{one}");
        }

        for n in [20usize, 40, 80, 100] {
            let w = n.to_string();
            let many = case.card(&sb, &["--width", &w, "--news", "50"]);
            let ctx = format!("{}: banner --width {n} --news 50", case.label);
            assert_card_fits(&many, n, &ctx);
            if n >= MIN_FULL_WIDTH {
                assert!(many.contains(case.latest[0]), "{ctx}: latest news:\n{many}");
                assert!(many.contains("ICML 2022"), "{ctx}: papers:\n{many}");
                assert!(
                    many.lines()
                        .last()
                        .unwrap_or_default()
                        .contains("termfolio"),
                    "{ctx}: the hint must not be pushed out by news:\n{many}"
                );
            }
        }
    }
    // The bundled profile has room for more than three news when asked.
    let many = BUNDLED.card(&sb, &["--width", "80", "--news", "50"]);
    assert!(
        many.contains(BUNDLED.older[0]),
        "--news 50 shows more than the default three:\n{many}"
    );
}

#[test]
fn card_has_no_doubled_or_lone_ellipsis_where_a_badge_is_cut() {
    // Seen on the CJK profile at 40-46 and 48 columns: `漫画家的拓扑感……`,
    // the title's own `…` followed by the award cut down to `…`.
    let sb = Sandbox::new();
    for case in CASES {
        for n in MIN_FULL_WIDTH..=MAX_WIDTH {
            let w = n.to_string();
            let card = case.card(&sb, &["--width", &w]);
            assert!(
                !card.contains("……"),
                "{}: banner --width {n}: a badge cut to a lone `…`:\n{card}",
                case.label
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 2. Where the width comes from
// ---------------------------------------------------------------------------

#[test]
fn columns_sets_the_width_when_stdout_is_a_pipe() {
    let sb = Sandbox::new();
    for case in CASES {
        let with_env = case.card_with(&sb, &[], &[("COLUMNS", "50")]);
        assert_card_fits(&with_env, 50, &format!("{}: COLUMNS=50", case.label));
        assert!(
            widest(&with_env) > MIN_FULL_WIDTH,
            "{}: COLUMNS=50 gives a full card, not the narrow one:\n{with_env}",
            case.label
        );
        assert_eq!(
            with_env,
            case.card(&sb, &["--width", "50"]),
            "{}: COLUMNS=50 is --width 50",
            case.label
        );
    }
}

#[test]
fn no_columns_means_80() {
    let sb = Sandbox::new();
    for case in CASES {
        let card = case.card(&sb, &[]);
        assert_card_fits(&card, 80, &format!("{}: no COLUMNS", case.label));
        assert!(
            widest(&card) > 60,
            "{}: the card uses the 80 columns:\n{card}",
            case.label
        );
        assert_eq!(card, case.card(&sb, &["--width", "80"]), "{}", case.label);
    }
}

#[test]
fn unusable_columns_means_80() {
    let sb = Sandbox::new();
    let at_80 = BUNDLED.card(&sb, &["--width", "80"]);
    for bad in ["abc", "0", "-5", ""] {
        let card = BUNDLED.card_with(&sb, &[], &[("COLUMNS", bad)]);
        assert_eq!(card, at_80, "COLUMNS={bad:?} must fall back to 80");
    }
}

#[test]
fn huge_columns_is_capped_at_100() {
    let sb = Sandbox::new();
    for case in CASES {
        let card = case.card_with(&sb, &[], &[("COLUMNS", "1000")]);
        assert_card_fits(&card, 100, &format!("{}: COLUMNS=1000", case.label));
        assert_eq!(card, case.card(&sb, &["--width", "100"]), "{}", case.label);
        let flag = case.card(&sb, &["--width", "1000"]);
        assert_eq!(flag, card, "{}: --width 1000 is capped too", case.label);
    }
}

#[test]
fn width_flag_wins_over_columns() {
    let sb = Sandbox::new();
    let card = BUNDLED.card_with(&sb, &["--width", "80"], &[("COLUMNS", "50")]);
    assert_eq!(card, BUNDLED.card(&sb, &["--width", "80"]));
}

#[test]
fn bad_width_or_news_is_a_usage_error() {
    let sb = Sandbox::new();
    for args in [
        &["banner", "--width", "0"][..],
        &["banner", "--width", "-1"],
        &["banner", "--width", "abc"],
        &["banner", "--width"],
        &["banner", "--news", "-1"],
        &["banner", "--news", "many"],
        &["banner", "--bogus"],
    ] {
        sb.run(args).failure(2);
    }
}

#[test]
fn terminal_width_wins_over_columns_in_a_pty() {
    // `script` gives its pseudo-terminal no size; `stty` sets one.
    let sb = Sandbox::new();
    let line = BUNDLED.shell_line(&["--color", "never"]);
    let r = sb.pty(
        &format!("stty cols 45 rows 30; {line}"),
        &[("COLUMNS", "90")],
    );
    r.success();
    let screen = r.screen();
    assert_card_fits(&screen, 45, "pty 45 columns, COLUMNS=90");
    assert_eq!(screen, BUNDLED.card(&sb, &["--width", "45"]));

    // --width still wins over the terminal.
    let line = BUNDLED.shell_line(&["--color", "never", "--width", "70"]);
    let r = sb.pty(&format!("stty cols 45 rows 30; {line}"), &[]);
    r.success();
    assert_eq!(r.screen(), BUNDLED.card(&sb, &["--width", "70"]));
}

#[test]
fn pty_without_a_size_uses_columns_then_80() {
    let sb = Sandbox::new();
    let line = BUNDLED.shell_line(&["--color", "never"]);
    let r = sb.pty(&format!("stty cols 0 rows 0; {line}"), &[("COLUMNS", "50")]);
    r.success();
    assert_eq!(r.screen(), BUNDLED.card(&sb, &["--width", "50"]));
    let r = sb.pty(&format!("stty cols 0 rows 0; {line}"), &[]);
    r.success();
    assert_eq!(r.screen(), BUNDLED.card(&sb, &["--width", "80"]));
}

// ---------------------------------------------------------------------------
// 3. Colour
// ---------------------------------------------------------------------------

#[test]
fn piped_card_has_no_escape_at_all() {
    let sb = Sandbox::new();
    for case in CASES {
        for env in [
            &[][..],
            &[("TERM", "xterm-256color"), ("COLORTERM", "truecolor")],
            &[("CLICOLOR", "1")],
            &[("CLICOLOR_FORCE", "0")],
            &[("CLICOLOR_FORCE", "")],
        ] {
            for extra in [&[][..], &["--color", "auto"], &["--width", "20"]] {
                let mut cmd = sb.command(&case.args(extra));
                cmd.envs(env.iter().copied());
                let r = run(cmd);
                r.success();
                assert!(
                    !r.stdout.contains(&0x1b),
                    "{}: {env:?} {extra:?}: escape in a pipe:\n{:?}",
                    case.label,
                    r.out()
                );
            }
        }
    }
}

/// Colour present, every line that has SGR ends with a reset, nothing but
/// SGR, and the text is that of `--color never`.
#[track_caller]
fn assert_coloured_card(card: &str, plain: &str, width: usize, ctx: &str) {
    assert!(has_csi(card), "{ctx}: no colour:\n{card:?}");
    assert_card_fits(card, width, ctx);
    for (i, line) in card.lines().enumerate() {
        let sgr = sgr_params(line);
        if let Some(last) = sgr.last() {
            assert!(
                last == &["0"] || last == &[""],
                "{ctx}: line {} does not end its colour with a reset (last SGR {last:?}):\n{line:?}",
                i + 1
            );
        }
    }
    let stripped = strip_sgr(card);
    assert!(
        !stripped.contains('\x1b'),
        "{ctx}: an escape that is not SGR:\n{card:?}"
    );
    assert_eq!(stripped, plain, "{ctx}: colour must not change the text");
}

#[test]
fn color_always_colours_and_resets_every_line() {
    let sb = Sandbox::new();
    for case in CASES {
        for n in [20usize, 40, 80, 100] {
            let w = n.to_string();
            let card = case.card(&sb, &["--width", &w, "--color", "always"]);
            let plain = case.card(&sb, &["--width", &w, "--color", "never"]);
            let ctx = format!("{}: banner --width {n} --color always", case.label);
            assert_coloured_card(&card, &plain, n, &ctx);
        }
    }
    // --color is global: before the subcommand works too.
    let r = sb.run(&["--color", "always", "banner"]);
    r.success();
    assert!(has_csi(&r.out()), "--color always banner:\n{}", r.out());
}

#[test]
fn clicolor_force_colours_a_pipe() {
    let sb = Sandbox::new();
    for case in CASES {
        let card = case.card_with(&sb, &[], &[("CLICOLOR_FORCE", "1")]);
        let plain = case.card(&sb, &[]);
        assert_coloured_card(
            &card,
            &plain,
            80,
            &format!("{}: CLICOLOR_FORCE=1", case.label),
        );
    }
}

#[test]
fn color_flag_wins_over_the_environment() {
    let sb = Sandbox::new();
    let plain = BUNDLED.card(&sb, &[]);
    let card = BUNDLED.card_with(&sb, &["--color", "always"], &[("NO_COLOR", "1")]);
    assert_coloured_card(&card, &plain, 80, "NO_COLOR=1 --color always");
    let card = BUNDLED.card_with(&sb, &["--color", "always"], &[("TERM", "dumb")]);
    assert_coloured_card(&card, &plain, 80, "TERM=dumb --color always");
    let card = BUNDLED.card_with(&sb, &["--color", "never"], &[("CLICOLOR_FORCE", "1")]);
    assert_eq!(card, plain, "CLICOLOR_FORCE=1 --color never: no colour");
}

/// `termfolio banner EXTRA` in a pseudo-terminal, `env` set with `env(1)`.
fn pty_card(sb: &Sandbox, env: &[&str], extra: &[&str]) -> Run {
    let prefix: Vec<String> = env.iter().map(|e| sh_quote(e)).collect();
    let script = format!("env {} {}", prefix.join(" "), BUNDLED.shell_line(extra));
    let r = sb.pty(&script, &[]);
    r.success();
    assert!(
        r.screen().contains(BUNDLED.name),
        "{}: the card is missing:\n{:?}",
        r.what,
        r.out()
    );
    r
}

#[test]
fn pty_colours_by_default() {
    let sb = Sandbox::new();
    for env in [&[][..], &["NO_COLOR="], &["TERM=xterm"], &["TERM=linux"]] {
        let r = pty_card(&sb, env, &[]);
        let screen = r.screen();
        let plain = BUNDLED.card(&sb, &["--width", "80"]);
        assert_coloured_card(&screen, &plain, 80, &format!("pty {env:?}"));
    }
}

#[test]
fn pty_with_no_color_has_no_escape() {
    let sb = Sandbox::new();
    for env in [&["NO_COLOR=1"][..], &["NO_COLOR=0"], &["NO_COLOR=yes"]] {
        let r = pty_card(&sb, env, &[]);
        assert!(
            !has_csi(&r.out()),
            "pty {env:?}: colour despite NO_COLOR:\n{:?}",
            r.out()
        );
    }
}

#[test]
fn pty_with_dumb_term_has_no_escape() {
    let sb = Sandbox::new();
    let r = pty_card(&sb, &["TERM=dumb"], &[]);
    assert!(!has_csi(&r.out()), "pty TERM=dumb: colour:\n{:?}", r.out());
}

#[test]
fn pty_with_color_never_has_no_escape() {
    let sb = Sandbox::new();
    let r = pty_card(&sb, &[], &["--color", "never"]);
    assert!(!has_csi(&r.out()), "pty --color never:\n{:?}", r.out());
}

// ---------------------------------------------------------------------------
// 4. Locale
// ---------------------------------------------------------------------------

/// The bundled card at 80 columns with the locale variables `env` (and no
/// others: LANG, LC_ALL and LC_CTYPE are unset unless given).
fn card_in_locale(sb: &Sandbox, env: &[(&str, &str)]) -> String {
    let mut cmd = sb.command(&["banner", "--width", "80"]);
    cmd.env_remove("LANG");
    cmd.envs(env.iter().copied());
    let r = run(cmd);
    r.success();
    r.out()
}

#[track_caller]
fn assert_ascii_decorations(card: &str, ctx: &str) {
    for c in UNICODE_DECORATIONS {
        assert!(
            !card.contains(c),
            "{ctx}: Unicode decoration {c:?} in a non-UTF-8 locale:\n{card}"
        );
    }
    assert!(card.contains("----------"), "{ctx}: ASCII rule:\n{card}");
    assert!(
        card.contains("\"Convince future generations, not just peers.\""),
        "{ctx}: ASCII quotes:\n{card}"
    );
    assert!(card.contains(" - "), "{ctx}: ASCII separator:\n{card}");
}

#[track_caller]
fn assert_unicode_decorations(card: &str, ctx: &str) {
    assert!(card.contains("──────────"), "{ctx}: Unicode rule:\n{card}");
    assert!(
        card.contains("“Convince future generations, not just peers.”"),
        "{ctx}: Unicode quotes:\n{card}"
    );
    assert!(card.contains(" · "), "{ctx}: Unicode separator:\n{card}");
}

#[test]
fn non_utf8_locales_get_ascii_decorations() {
    let sb = Sandbox::new();
    for env in [
        &[("LC_ALL", "C")][..],
        &[("LC_ALL", "POSIX")],
        &[("LANG", "C")],
        &[("LC_ALL", "en_US.ISO-8859-1")],
        &[("LC_ALL", "C"), ("LANG", "C.UTF-8")],
        &[("LC_CTYPE", "C"), ("LANG", "C.UTF-8")],
        &[
            ("LC_ALL", ""),
            ("LC_CTYPE", ""),
            ("LANG", "en_US.ISO-8859-1"),
        ],
        &[],
    ] {
        let card = card_in_locale(&sb, env);
        assert_ascii_decorations(&card, &format!("{env:?}"));
    }
}

#[test]
fn utf8_locales_get_unicode_decorations() {
    let sb = Sandbox::new();
    for env in [
        &[("LANG", "C.UTF-8")][..],
        &[("LANG", "en_US.utf8")],
        &[("LC_ALL", "zh_CN.UTF-8")],
        &[("LC_CTYPE", "C.UTF-8"), ("LANG", "C")],
        // An empty variable counts as unset.
        &[("LC_ALL", ""), ("LANG", "C.UTF-8")],
    ] {
        let card = card_in_locale(&sb, env);
        assert_unicode_decorations(&card, &format!("{env:?}"));
    }
}

#[test]
fn ascii_locale_keeps_ascii_decorations_at_every_usable_width() {
    let sb = Sandbox::new();
    for n in 4..=MAX_WIDTH {
        let w = n.to_string();
        let card = BUNDLED.card_with(&sb, &["--width", &w], &[("LC_ALL", "C")]);
        for c in UNICODE_DECORATIONS {
            assert!(
                !card.contains(c),
                "LC_ALL=C banner --width {n}: {c:?}:\n{card}"
            );
        }
    }
}

#[test]
fn ascii_locale_never_uses_the_unicode_ellipsis() {
    // Seen: `LC_ALL=C termfolio banner --width 3` prints `To…`; on the CJK
    // profile at 40-48 columns a badge cut to the last free column is `…`
    // (`漫画家的拓扑...…`). The fixture's own text holds no `…`.
    let sb = Sandbox::new();
    for case in CASES {
        for n in 1..=MAX_WIDTH {
            let w = n.to_string();
            let card = case.card_with(&sb, &["--width", &w], &[("LC_ALL", "C")]);
            assert!(
                !card.contains('…'),
                "{}: LC_ALL=C banner --width {n}: Unicode `…`:\n{card}",
                case.label
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 4b. --ascii: the card written in advance (sshd's Banner file)
// ---------------------------------------------------------------------------

const PUNCTUATION_PROFILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/banner_punctuation.toml"
);

/// `[--profile P] banner --ascii EXTRA...` with the locale variables `env`
/// (LANG, LC_ALL and LC_CTYPE unset unless given).
fn ascii_card(sb: &Sandbox, profile: &str, extra: &[&str], env: &[(&str, &str)]) -> String {
    let mut args = vec!["--profile", profile, "banner", "--ascii"];
    args.extend_from_slice(extra);
    let mut cmd = sb.command(&args);
    cmd.env_remove("LANG").envs(env.iter().copied());
    let r = run(cmd);
    r.success();
    r.out()
}

#[test]
fn ascii_card_is_the_same_in_every_locale() {
    let sb = Sandbox::new();
    for profile in [BUNDLED_PROFILE, CJK_PROFILE, PUNCTUATION_PROFILE] {
        let extra = ["--color", "never", "--width", "80"];
        let in_c = ascii_card(&sb, profile, &extra, &[("LC_ALL", "C")]);
        for env in [
            &[("LANG", "C.UTF-8")][..],
            &[("LC_ALL", "zh_CN.UTF-8")],
            &[("LC_CTYPE", "en_US.ISO-8859-1")],
            &[],
        ] {
            let card = ascii_card(&sb, profile, &extra, env);
            assert_eq!(card, in_c, "{profile}: --ascii in {env:?}");
        }
        assert_ascii_decorations_only(&in_c, profile);
    }
    // The bundled card is then what a non-UTF-8 locale always gave.
    let c_locale = card_in_locale(&sb, &[("LC_ALL", "C")]);
    let ascii = ascii_card(
        &sb,
        BUNDLED_PROFILE,
        &["--width", "80"],
        &[("LANG", "C.UTF-8")],
    );
    assert_eq!(ascii, c_locale);
}

/// No Unicode decoration and no typographic punctuation; every other
/// non-ASCII character is a letter (names, CJK), CJK's own fullwidth
/// punctuation (written as it is) or an emoji.
#[track_caller]
fn assert_ascii_decorations_only(card: &str, ctx: &str) {
    for c in UNICODE_DECORATIONS {
        assert!(!card.contains(c), "{ctx}: decoration {c:?}:\n{card}");
    }
    for c in card.chars().filter(|c| !c.is_ascii()) {
        let emoji = ('\u{1F300}'..='\u{1FAFF}').contains(&c);
        let cjk_punctuation =
            ('\u{3000}'..='\u{303F}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c);
        assert!(
            c.is_alphabetic() || emoji || cjk_punctuation,
            "{ctx}: U+{:04X} {c:?} is neither a letter, CJK punctuation nor an emoji:\n{card}",
            u32::from(c)
        );
    }
}

#[test]
fn ascii_card_writes_the_profiles_punctuation_as_ascii() {
    let sb = Sandbox::new();
    let card = ascii_card(
        &sb,
        PUNCTUATION_PROFILE,
        &["--width", "100"],
        &[("LANG", "C.UTF-8")],
    );
    assert_ascii_decorations_only(&card, "punctuation profile");
    for shown in [
        // The name keeps its letters; its apostrophe is ASCII.
        "José O'Núñez 朱同天 (ho-SAY oh-NOON-yeth -- Zhū Tóngtiān)",
        "PhD student * year 2 - Computer Science -> Theory - Zhejiang University (ZJU) 浙江大学",
        "\"'Convince future generations' -- not just peers...\"",
        "Generalization - theory => practice",
        "Fast \"decentralized\" SGD <- and back",
        "Emphasis: cooperative learning ... \"朱同天\"",
        "A talk -- \"Decentralized SGD\" -- at BAAI's seminar...",
        "Paper accepted * ICML 2023 <oral> and <<more>>",
        "ICML'22  Topology-aware Generalization",
        "Spotlight -- top 3% - \"Favorite\"",
        "\"Blog\" -- notes - GitHub",
    ] {
        assert!(card.contains(shown), "want {shown:?} in:\n{card}");
    }
    // Without --ascii the same profile is shown as written.
    let written = run(sb.command(&["--profile", PUNCTUATION_PROFILE, "banner", "--width", "100"]));
    written.success();
    assert!(written.out().contains("José O’Núñez"), "{}", written.out());
    assert!(
        written
            .out()
            .contains("‘Convince future generations’ — not just peers…")
    );
}

#[test]
fn ascii_card_fits_every_width() {
    // `…` is one column, `...` three; `—` one, `--` two: the widths are
    // measured after the replacements.
    let sb = Sandbox::new();
    for profile in [BUNDLED_PROFILE, CJK_PROFILE, PUNCTUATION_PROFILE] {
        for n in 1..=MAX_WIDTH {
            let w = n.to_string();
            let card = ascii_card(&sb, profile, &["--width", &w], &[("LANG", "C.UTF-8")]);
            let ctx = format!("{profile}: banner --ascii --width {n}");
            assert_card_fits(&card, n, &ctx);
            assert_ascii_decorations_only(&card, &ctx);
            assert!(
                !card.contains("......"),
                "{ctx}: a doubled ellipsis:\n{card}"
            );
        }
    }
}

#[test]
fn ascii_card_keeps_colour_rules_and_has_no_portrait() {
    let sb = Sandbox::new();
    let utf8 = [("LANG", "C.UTF-8")];
    let plain = ascii_card(&sb, BUNDLED_PROFILE, &[], &utf8);
    let coloured = ascii_card(&sb, BUNDLED_PROFILE, &["--color", "always"], &utf8);
    assert_coloured_card(&coloured, &plain, 80, "--ascii --color always");
    // The portrait is half blocks: never with --ascii.
    let photo = ascii_card(
        &sb,
        BUNDLED_PROFILE,
        &["--color", "always", "--photo"],
        &utf8,
    );
    assert_eq!(photo, coloured, "--ascii --photo draws no portrait");
    // Calibration: without --ascii the same command draws one.
    let mut cmd = sb.command(&[
        "--profile",
        BUNDLED_PROFILE,
        "banner",
        "--color",
        "always",
        "--photo",
    ]);
    cmd.envs(utf8);
    let with_photo = run(cmd);
    with_photo.success();
    assert!(
        with_photo.out().contains('▀') || with_photo.out().contains('▄'),
        "calibration: no portrait without --ascii:\n{}",
        with_photo.out()
    );
    // In a pipe, no colour unless asked.
    assert!(!plain.contains('\x1b'), "{plain:?}");
}

// ---------------------------------------------------------------------------
// 5. A closed pipe
// ---------------------------------------------------------------------------

#[test]
fn closed_pipe_ends_the_card_quietly() {
    // The reader is gone before termfolio writes a byte: its write fails
    // with EPIPE (or SIGPIPE), whatever the card's size.
    let sb = Sandbox::new();
    for case in CASES {
        for extra in [
            &[][..],
            &["--news", "50", "--width", "100"],
            &["--color", "always"],
        ] {
            let (reader, writer) = std::io::pipe().expect("a pipe");
            drop(reader);
            let mut cmd = sb.command(&case.args(extra));
            cmd.stdin(Stdio::null())
                .stdout(writer)
                .stderr(Stdio::piped());
            let mut child = cmd.spawn().expect("spawn termfolio");
            // The parent's copy of the write end went into `cmd`: drop it.
            drop(cmd);
            let mut stderr = child.stderr.take().expect("stderr");
            let status = wait(&mut child, "termfolio banner into a closed pipe");
            let mut err = String::new();
            stderr.read_to_string(&mut err).expect("read stderr");
            assert_eq!(
                status.code(),
                Some(0),
                "{} {extra:?}: into a closed pipe: {status:?}, stderr: {err}",
                case.label
            );
            assert!(
                err.is_empty(),
                "{} {extra:?}: stderr must stay empty: {err}",
                case.label
            );
        }
    }
}

#[test]
fn card_piped_into_head_ends_quietly() {
    let sb = Sandbox::new();
    for extra in [&[][..], &["--news", "50"], &["--color", "always"]] {
        let line = BUNDLED.shell_line(extra);
        let script = format!("{{ {line} 2>\"$HOME/err\"; echo $? >\"$HOME/status\"; }} | head -1");
        let r = run(sb.program("sh", &["-c", &script]));
        r.success();
        let first = strip_sgr(&r.out());
        assert_eq!(first.lines().count(), 1, "{extra:?}: {first}");
        assert!(first.starts_with(BUNDLED.name), "{extra:?}: {first}");
        let err = std::fs::read_to_string(sb.path().join("err")).expect("stderr file");
        let status = std::fs::read_to_string(sb.path().join("status")).expect("status");
        assert_eq!(err, "", "{extra:?}: termfolio's stderr");
        assert!(!err.contains("Broken pipe") && !err.contains("panicked"));
        assert_eq!(status.trim(), "0", "{extra:?}: termfolio's exit status");
    }
}

// ---------------------------------------------------------------------------
// 6. No terminal at all
// ---------------------------------------------------------------------------

#[test]
fn no_terminal_and_no_columns_is_not_an_error() {
    let sb = Sandbox::new();
    // Pipes everywhere.
    let card = BUNDLED.card(&sb, &[]);
    assert_card_fits(&card, 80, "no terminal");

    // Regular files everywhere.
    let input = sb.write("stdin.txt", "");
    let out_path = sb.path().join("stdout.txt");
    let err_path = sb.path().join("stderr.txt");
    let mut cmd = sb.command(&["banner"]);
    cmd.stdin(std::fs::File::open(&input).expect("stdin file"))
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"));
    let mut child = cmd.spawn().expect("spawn");
    drop(cmd);
    let status = wait(&mut child, "termfolio banner with files");
    assert_eq!(status.code(), Some(0));
    let out = std::fs::read_to_string(&out_path).expect("stdout");
    let err = std::fs::read_to_string(&err_path).expect("stderr");
    assert_eq!(err, "");
    assert_eq!(out, card, "a file gets what a pipe gets");
}

// ---------------------------------------------------------------------------
// 7. The shipping snippets
// ---------------------------------------------------------------------------

/// A home whose `.bashrc` is `bashrc`, and a PATH that finds the built binary
/// as `termfolio` first.
fn bash_home(sb: &Sandbox, bashrc: &str) -> String {
    sb.write(".bashrc", bashrc);
    let bin = sb.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    let link = bin.join("termfolio");
    if !link.exists() {
        std::os::unix::fs::symlink(BIN, &link).expect("symlink termfolio");
    }
    let path = std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".to_string());
    format!("{}:{path}", path_str(&bin))
}

fn bashrc_snippet() -> String {
    repo_file("contrib/bashrc.sh")
}

const SSH_CLIENT: &str = "1.2.3.4 5 22";

#[test]
fn bashrc_is_silent_in_non_interactive_shells() {
    let sb = Sandbox::new();

    // Calibration: with SSH_CLIENT set (and no SHLVL), Debian's bash reads
    // ~/.bashrc even for `bash -c`, so the snippet really is run.
    let marker = sb.path().join("bashrc-was-read");
    let probe = format!("{}\n: > \"$HOME/bashrc-was-read\"\n", bashrc_snippet());
    let path = bash_home(&sb, &probe);
    let mut cmd = sb.program("bash", &["-c", "true"]);
    cmd.env("PATH", &path).env("SSH_CLIENT", SSH_CLIENT);
    run(cmd).silent();
    let sourced = marker.exists();

    let path = bash_home(&sb, &bashrc_snippet());
    for ssh in [false, true] {
        for script in ["true", "echo cmd-ok"] {
            let mut cmd = sb.program("bash", &["-c", script]);
            cmd.env("PATH", &path);
            if ssh {
                cmd.env("SSH_CLIENT", SSH_CLIENT);
            }
            let r = run(cmd);
            r.success();
            let expected = if script == "true" { "" } else { "cmd-ok\n" };
            assert_eq!(
                r.out(),
                expected,
                "bash -c {script:?} (SSH_CLIENT set: {ssh}) must print only its own output"
            );
        }
    }
    assert!(
        sourced,
        "calibration: bash -c with SSH_CLIENT did not read ~/.bashrc here, so the ssh case was not exercised"
    );
}

#[test]
fn bashrc_is_silent_for_ssh_commands_with_a_pty() {
    // `ssh -t host cmd`: a terminal, SSH_CLIENT, but not an interactive shell.
    let sb = Sandbox::new();
    let path = bash_home(&sb, &bashrc_snippet());
    let r = sb.pty(
        &format!(
            "env -u SHLVL SSH_CLIENT={} bash -c 'echo cmd-ok'",
            sh_quote(SSH_CLIENT)
        ),
        &[("PATH", path.as_str())],
    );
    r.success();
    assert_eq!(r.screen(), "cmd-ok\n");
}

#[test]
fn bashrc_interactive_with_piped_stdout_prints_nothing() {
    let sb = Sandbox::new();
    let path = bash_home(&sb, &bashrc_snippet());
    let mut cmd = sb.program("bash", &["-i", "-c", "true"]);
    cmd.env("PATH", &path);
    let r = run(cmd);
    r.expect_code(0);
    assert_eq!(r.out(), "", "bash -i -c true | cat must print nothing");
    // bash may complain about job control on stderr; never about termfolio.
    let err = r.err();
    assert!(
        !err.contains("termfolio") && !err.contains(BUNDLED.name),
        "stderr: {err}"
    );
}

/// What an interactive bash in a pty prints with `.bashrc` = `bashrc`.
fn interactive_bash(sb: &Sandbox, bashrc: &str, path: Option<&str>) -> String {
    let default_path = bash_home(sb, bashrc);
    let r = sb.pty(
        "bash -i -c true",
        &[("PATH", path.unwrap_or(&default_path))],
    );
    r.expect_code(0);
    r.screen()
}

#[test]
fn bashrc_interactive_in_a_pty_prints_the_card() {
    let sb = Sandbox::new();
    let baseline = interactive_bash(&sb, "", None);
    let screen = interactive_bash(&sb, &bashrc_snippet(), None);
    assert_ne!(screen, baseline, "the card is missing");
    let plain = strip_sgr(&screen);
    assert!(
        plain.contains(BUNDLED.name),
        "the card is missing:\n{plain}"
    );
    assert!(plain.contains("ICML 2022"), "the card is missing:\n{plain}");
    assert!(
        plain.contains("Run `termfolio`"),
        "the card is missing:\n{plain}"
    );
    assert!(has_csi(&screen), "a terminal gets colour:\n{screen:?}");
}

#[test]
fn bashrc_is_silenced_by_hushlogin() {
    let sb = Sandbox::new();
    sb.write(".hushlogin", "");
    let baseline = interactive_bash(&sb, "", None);
    let screen = interactive_bash(&sb, &bashrc_snippet(), None);
    assert_eq!(screen, baseline, "~/.hushlogin must silence the card");
    assert!(!screen.contains(BUNDLED.name), "{screen}");
}

#[test]
fn bashrc_without_termfolio_on_path_is_silent() {
    let sb = Sandbox::new();
    let path = "/usr/bin:/bin";
    let probe = run(sb.program(
        "sh",
        &["-c", &format!("PATH={path}; command -v termfolio || true")],
    ));
    if !probe.out().trim().is_empty() {
        // A termfolio is installed system-wide; nothing to test here.
        return;
    }
    let baseline = interactive_bash(&sb, "", Some(path));
    let screen = interactive_bash(&sb, &bashrc_snippet(), Some(path));
    assert_eq!(
        screen, baseline,
        "no termfolio on PATH: no card and no error"
    );
}

/// `sh contrib/update-motd.sh` with `TERMFOLIO=termfolio`.
fn update_motd(sb: &Sandbox, termfolio: &str, env: &[(&str, &str)]) -> Run {
    let script = Path::new(ROOT).join("contrib/update-motd.sh");
    let mut cmd = sb.program("sh", &[path_str(&script)]);
    cmd.env("TERMFOLIO", termfolio).envs(env.iter().copied());
    run(cmd)
}

#[test]
fn update_motd_prints_the_plain_card() {
    let sb = Sandbox::new();
    let plain = BUNDLED.card(&sb, &["--ascii", "--width", "80", "--color", "never"]);
    for env in [
        &[][..],
        &[("CLICOLOR_FORCE", "1"), ("COLUMNS", "200")],
        &[("COLUMNS", "30")],
    ] {
        let r = update_motd(&sb, BIN, env);
        r.success();
        let out = r.out();
        assert!(
            !r.stdout.contains(&0x1b),
            "{env:?}: escape in motd:\n{out:?}"
        );
        assert!(out.contains(BUNDLED.name), "{env:?}: the card:\n{out}");
        assert_card_fits(&out, 80, &format!("update-motd {env:?}"));
        assert_eq!(out, plain, "{env:?}: the 80-column plain ASCII card");
    }
}

#[test]
fn update_motd_without_the_binary_prints_nothing() {
    let sb = Sandbox::new();
    let missing = sb.path().join("no-such-termfolio");
    update_motd(&sb, path_str(&missing), &[]).silent();
    // Present but not executable.
    let not_exec = sb.write("termfolio-not-executable", "#!/bin/sh\necho hi\n");
    update_motd(&sb, path_str(&not_exec), &[]).silent();
}

#[test]
fn update_motd_with_a_broken_profile_prints_nothing() {
    // The motd must never break a login: a profile that does not load gives
    // no card and no error.
    let sb = Sandbox::new();
    sb.write("profile.toml", "[person]\nnmae = \"typo\"\n");
    update_motd(&sb, BIN, &[]).silent();
}

/// `sh contrib/termfolio-login.sh` with `TERMFOLIO` = the built binary.
fn login_command(sb: &Sandbox, env: &[(&str, &str)]) -> Command {
    let script = Path::new(ROOT).join("contrib/termfolio-login.sh");
    let mut cmd = sb.program("sh", &[path_str(&script)]);
    cmd.env("TERMFOLIO", BIN).envs(env.iter().copied());
    cmd
}

/// The same, as a command line for a pty: `SSH_ORIGINAL_COMMAND` unset, then
/// the assignments `env` given to `env(1)`.
fn login_line(env: &[&str]) -> String {
    let script = Path::new(ROOT).join("contrib/termfolio-login.sh");
    let env: Vec<String> = env.iter().map(|e| sh_quote(e)).collect();
    format!(
        "env -u SSH_ORIGINAL_COMMAND TERMFOLIO={} {} sh {}",
        sh_quote(BIN),
        env.join(" "),
        sh_quote(path_str(&script))
    )
}

#[test]
fn login_wrapper_runs_commands_untouched() {
    let sb = Sandbox::new();
    let r = run(login_command(
        &sb,
        &[
            ("SSH_ORIGINAL_COMMAND", "printf scp-ok"),
            ("SHELL", "/bin/sh"),
        ],
    ));
    r.success();
    assert_eq!(r.stdout, b"scp-ok", "stdout must be the command's, no card");

    // Even with a terminal (`ssh -t host cmd`): the command's output only.
    let line = login_line(&["SSH_ORIGINAL_COMMAND=printf scp-ok", "SHELL=/bin/sh"]);
    let r = sb.pty(&line, &[]);
    r.success();
    assert_eq!(r.screen(), "scp-ok");

    // The command's exit status is the session's.
    let r = run(login_command(
        &sb,
        &[("SSH_ORIGINAL_COMMAND", "exit 7"), ("SHELL", "/bin/sh")],
    ));
    r.expect_code(7);
    assert!(r.stdout.is_empty());
}

#[test]
fn login_wrapper_passes_binary_streams_clean() {
    let sb = Sandbox::new();
    let input: Vec<u8> = (0..=255u8).collect();
    for bytes in [input.clone(), input.repeat(1024)] {
        let cmd = login_command(
            &sb,
            &[("SSH_ORIGINAL_COMMAND", "cat"), ("SHELL", "/bin/sh")],
        );
        let r = run_with_input(cmd, Some(bytes.clone()));
        r.success();
        assert!(
            r.stdout == bytes,
            "cat through the wrapper changed the stream ({} bytes in, {} out)",
            bytes.len(),
            r.stdout.len()
        );
    }
}

#[test]
fn login_wrapper_shows_the_card_on_interactive_logins() {
    let sb = Sandbox::new();
    let r = sb.pty(&login_line(&["SHELL=/bin/true"]), &[]);
    r.success();
    let screen = strip_sgr(&r.screen());
    assert!(screen.contains(BUNDLED.name), "no card:\n{screen}");
    assert!(screen.contains("Run `termfolio`"), "no card:\n{screen}");
}

#[test]
fn login_wrapper_shows_no_card_without_a_terminal() {
    let sb = Sandbox::new();
    run(login_command(&sb, &[("SHELL", "/bin/true")])).silent();
}

#[test]
fn login_wrapper_without_the_binary_still_starts_the_shell() {
    let sb = Sandbox::new();
    let line = format!(
        "{}; echo \"status=$?\"",
        login_line(&["SHELL=/bin/true", "TERMFOLIO=/nonexistent/termfolio"])
    );
    let r = sb.pty(&line, &[]);
    r.success();
    assert_eq!(r.screen(), "status=0\n");
}

#[test]
fn readme_contains_the_shipping_snippets_verbatim() {
    // What a person copies from README is what the tests run.
    let readme = repo_file("README.md");
    for file in [
        "contrib/bashrc.sh",
        "contrib/update-motd.sh",
        "contrib/termfolio-login.sh",
        "contrib/ssh-banner.sh",
    ] {
        let snippet = repo_file(file);
        assert!(
            readme.contains(snippet.trim()),
            "README.md must contain {file} verbatim:\n{}",
            snippet.trim()
        );
    }
}
