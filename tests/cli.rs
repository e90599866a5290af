//! Integration tests over the built `termfolio` binary: the command line as
//! README's "Commands" gives it (the product's contract).
//!
//! Every spawned process runs in a sandbox (`tests/common`): a fresh temporary
//! directory that is also its `HOME` and `XDG_CONFIG_HOME`, with
//! `TERMFOLIO_PROFILE` and the other variables that steer termfolio removed or
//! pinned, so the files of whoever runs the tests never leak in.

mod common;

use std::io::Read;
use std::process::Stdio;

use common::{
    Sandbox, assert_fits, assert_inert, assert_no_line_wider, assert_points_at, grid, run,
    sgr_params, strip_sgr, wait,
};

const SECOND_PAPER: &str =
    "Decentralized SGD and Average-direction SAM are Asymptotically Equivalent";
const FIRST_PAPER: &str = "Topology-aware Generalization of Decentralized SGD";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Every rounded box (`╭…╮ │…│ ╰…╯`) is whole: each of its content rows starts
/// and ends with a border in the same columns as its corners. Returns how
/// many boxes there were.
#[track_caller]
fn assert_boxes_intact(screen: &str, width: usize, ctx: &str) -> usize {
    let g = grid(screen, width);
    let mut boxes = 0;
    for (y, row) in g.iter().enumerate() {
        for (x, &c) in row.iter().enumerate() {
            if c != '╭' {
                continue;
            }
            boxes += 1;
            let x2 = (x + 1..row.len())
                .find(|&i| row[i] == '╮')
                .unwrap_or_else(|| {
                    panic!("{ctx}: box at row {y} col {x} has no `╮` on its top row\n{screen}")
                });
            let mut y2 = y + 1;
            while y2 < g.len() && g[y2][x] == '│' {
                let right = g[y2][x2];
                assert!(
                    right == '│' || right == '┃',
                    "{ctx}: row {y2} of the box at ({x},{y}) should end with a border at column {x2}, found {right:?}:\n{}\n\n{screen}",
                    g[y2].iter().filter(|&&c| c != '\0').collect::<String>()
                );
                y2 += 1;
            }
            assert!(
                y2 < g.len() && g[y2][x] == '╰',
                "{ctx}: box at ({x},{y}) has no `╰` under it in column {x} (broken left border at row {y2})\n{screen}"
            );
            assert_eq!(
                g[y2][x2], '╯',
                "{ctx}: box at ({x},{y}) has no `╯` in column {x2} on row {y2}\n{screen}"
            );
            assert!(
                g[y2][x + 1..x2].iter().all(|&c| c == '─'),
                "{ctx}: bottom border of the box at ({x},{y}) is broken\n{screen}"
            );
        }
    }
    boxes
}

/// A minimal valid profile for the person `name`.
fn minimal_profile(name: &str) -> String {
    format!(
        "[person]\nname = \"{name}\"\n\n[[news]]\ndate = 2024-01-02\ntext = \"{name} news\"\n\n\
         [[publications]]\ntitle = \"{name} paper\"\nauthors = [\"{name}\"]\nyear = 2024\n"
    )
}

// ---------------------------------------------------------------------------
// 1. check on the bundled profile
// ---------------------------------------------------------------------------

#[test]
fn check_accepts_bundled_profile() {
    let sb = Sandbox::new();
    let run = sb.run(&["check"]);
    run.success();
    let out = run.out();
    assert!(out.contains("ok"), "{out}");
    assert!(
        out.contains("built in") && out.contains("built into termfolio"),
        "no profile.toml anywhere must mean the built-in one, said plainly: {out}"
    );
    assert!(
        out.contains("7 news") && out.contains("2 publications"),
        "{out}"
    );
}

#[test]
fn bundled_profile_works_without_any_home() {
    let sb = Sandbox::new();
    let mut cmd = sb.command(&["check"]);
    cmd.env_remove("HOME").env_remove("XDG_CONFIG_HOME");
    let run = run(cmd);
    run.success();
    assert!(run.out().contains("ok"), "{}", run.out());
}

// ---------------------------------------------------------------------------
// 2. Which profile is used
// ---------------------------------------------------------------------------

#[test]
fn profile_flag_before_subcommand_is_used() {
    let sb = Sandbox::new();
    sb.write("mine.toml", minimal_profile("Flag Person"));
    let run = sb.run(&["--profile", "mine.toml", "check"]);
    run.success();
    assert!(run.out().starts_with("mine.toml: ok"), "{}", run.out());
    let snap = sb.run(&["--profile", "mine.toml", "snapshot"]);
    snap.success();
    assert!(snap.out().contains("Flag Person"), "{}", snap.out());
}

#[test]
fn profile_flag_after_subcommand_is_used() {
    let sb = Sandbox::new();
    sb.write("mine.toml", minimal_profile("After Person"));
    let run = sb.run(&["check", "--profile", "mine.toml"]);
    run.success();
    assert!(run.out().starts_with("mine.toml: ok"), "{}", run.out());
    let snap = sb.run(&["snapshot", "--profile", "mine.toml", "--tab", "news"]);
    snap.success();
    assert!(snap.out().contains("After Person news"), "{}", snap.out());
}

#[test]
fn profile_from_termfolio_profile_env_is_used() {
    let sb = Sandbox::new();
    let path = sb.write("env.toml", minimal_profile("Env Person"));
    let mut cmd = sb.command(&["snapshot"]);
    cmd.env("TERMFOLIO_PROFILE", &path);
    let run = run(cmd);
    run.success();
    assert!(run.out().contains("Env Person"), "{}", run.out());
    assert!(!run.out().contains("Tongtian Zhu"), "{}", run.out());
}

#[test]
fn profile_flag_wins_over_termfolio_profile_env() {
    let sb = Sandbox::new();
    let env = sb.write("env.toml", minimal_profile("Env Person"));
    sb.write("flag.toml", minimal_profile("Flag Person"));
    let mut cmd = sb.command(&["--profile", "flag.toml", "snapshot"]);
    cmd.env("TERMFOLIO_PROFILE", &env);
    let run = run(cmd);
    run.success();
    assert!(run.out().contains("Flag Person"), "{}", run.out());
}

#[test]
fn local_profile_toml_wins_over_xdg_and_built_in() {
    let sb = Sandbox::new();
    sb.write("profile.toml", minimal_profile("Local Person"));
    sb.write("termfolio/profile.toml", minimal_profile("Xdg Person"));
    let run = sb.run(&["check"]);
    run.success();
    assert!(run.out().starts_with("profile.toml: ok"), "{}", run.out());
    let snap = sb.run(&["snapshot"]);
    snap.success();
    assert!(snap.out().contains("Local Person"), "{}", snap.out());
    assert!(!snap.out().contains("Xdg Person"), "{}", snap.out());
}

#[test]
fn xdg_config_profile_is_used_without_local_profile() {
    let sb = Sandbox::new();
    let xdg = sb.write("termfolio/profile.toml", minimal_profile("Xdg Person"));
    let run = sb.run(&["check"]);
    run.success();
    assert!(
        run.out().contains(&xdg.display().to_string()),
        "{}",
        run.out()
    );
    assert!(run.out().contains("ok"), "{}", run.out());
    let snap = sb.run(&["snapshot"]);
    snap.success();
    assert!(snap.out().contains("Xdg Person"), "{}", snap.out());
}

#[test]
fn home_dot_config_profile_is_used_without_xdg_config_home() {
    let sb = Sandbox::new();
    sb.write(
        ".config/termfolio/profile.toml",
        minimal_profile("Home Person"),
    );
    let mut cmd = sb.command(&["snapshot"]);
    cmd.env_remove("XDG_CONFIG_HOME");
    let run = run(cmd);
    run.success();
    assert!(run.out().contains("Home Person"), "{}", run.out());
}

#[test]
fn missing_explicit_profile_is_an_error_not_a_fallback() {
    let sb = Sandbox::new();
    // Fallbacks exist at every level; none may be used.
    sb.write("profile.toml", minimal_profile("Local Person"));
    sb.write("termfolio/profile.toml", minimal_profile("Xdg Person"));
    for args in [
        &["--profile", "nowhere.toml", "check"][..],
        &["check", "--profile", "nowhere.toml"],
        &["--profile", "nowhere.toml", "snapshot"],
        &["--profile", "nowhere.toml"],
    ] {
        let run = sb.run(args);
        run.failure(1);
        assert!(
            run.err().contains("nowhere.toml"),
            "{}: {}",
            run.what,
            run.err()
        );
    }
    let mut cmd = sb.command(&["check"]);
    cmd.env("TERMFOLIO_PROFILE", sb.path().join("nowhere.toml"));
    let run = run(cmd);
    run.failure(1);
    assert!(run.err().contains("nowhere.toml"), "{}", run.err());
}

// ---------------------------------------------------------------------------
// 3. Profile errors
// ---------------------------------------------------------------------------

/// `check` on `contents` (written as `file`) fails with exit 1 and an error
/// that names `file:line:` (and the column when given), shows the offending
/// source line as `N | text` and a caret under it. Returns stderr.
#[track_caller]
fn assert_profile_error(
    file: &str,
    contents: &[u8],
    line: usize,
    column: Option<usize>,
    shown: &str,
) -> String {
    let sb = Sandbox::new();
    sb.write(file, contents);
    let run = sb.run(&["--profile", file, "check"]);
    run.failure(1);
    let err = run.err();
    let ctx = format!("{}\n--- stderr ---\n{err}", run.what);
    assert_points_at(&err, file, line, column, shown, &ctx);
    // The same file, through the viewer and snapshot, fails the same way.
    for args in [&["--profile", file, "snapshot"][..], &["--profile", file]] {
        let r = sb.run(args);
        r.failure(1);
    }
    err
}

/// A broken profile, where `check` must point, and what it must say.
struct BrokenProfile {
    what: &'static str,
    file: &'static str,
    contents: &'static [u8],
    line: usize,
    column: Option<usize>,
    shown: &'static str,
    says: &'static [&'static str],
}

const BROKEN_PROFILES: &[BrokenProfile] = &[
    BrokenProfile {
        what: "a misspelt key, with the right one suggested",
        file: "typo.toml",
        contents: b"[person]\nname = \"X\"\n\n[[publications]]\ntitel = \"T\"\nauthors = [\"X\"]\nyear = 2022\n",
        line: 5,
        column: Some(1),
        shown: "titel = \"T\"",
        says: &["titel", "did you mean `title`"],
    },
    BrokenProfile {
        what: "a publication without a year",
        file: "noyear.toml",
        contents: b"[person]\nname = \"X\"\n\n[[publications]]\ntitle = \"T\"\nauthors = [\"X\"]\n",
        line: 4,
        column: Some(1),
        shown: "[[publications]]",
        says: &["missing field `year`"],
    },
    BrokenProfile {
        what: "a year of the wrong type",
        file: "type.toml",
        contents: b"[person]\nname = \"X\"\n\n[[publications]]\ntitle = \"T\"\nauthors = [\"X\"]\nyear = \"2022\"\n",
        line: 7,
        column: Some(8),
        shown: "year = \"2022\"",
        says: &["invalid type"],
    },
    BrokenProfile {
        what: "an unterminated string",
        file: "syntax.toml",
        contents: b"[person]\nname = \"X\nmotto = \"y\"\n",
        line: 2,
        column: None,
        shown: "name = \"X",
        says: &["string"],
    },
    BrokenProfile {
        what: "a news date that is no date",
        file: "date.toml",
        contents: b"[person]\nname = \"X\"\n\n[[news]]\ndate = \"next week\"\ntext = \"t\"\n",
        line: 5,
        column: Some(8),
        shown: "date = \"next week\"",
        says: &["expected a date like 2023-07-12"],
    },
    BrokenProfile {
        what: "an empty profile (no person)",
        file: "empty.toml",
        contents: b"",
        line: 1,
        column: Some(1),
        shown: "",
        says: &["missing field `person`"],
    },
    // A profile problem shows "the offending line ... and a caret", invalid
    // UTF-8 included.
    BrokenProfile {
        what: "invalid UTF-8",
        file: "latin1.toml",
        contents: b"[person]\nname = \"Jos\xe9\"\n",
        line: 2,
        column: Some(12),
        shown: "name = \"Jos",
        says: &["UTF-8", "latin1.toml:2:12"],
    },
];

#[test]
fn check_points_at_each_broken_profile_and_says_why() {
    for broken in BROKEN_PROFILES {
        let err = assert_profile_error(
            broken.file,
            broken.contents,
            broken.line,
            broken.column,
            broken.shown,
        );
        for says in broken.says {
            assert!(
                err.to_lowercase().contains(&says.to_lowercase()),
                "{}: no {says:?} in\n{err}",
                broken.what
            );
        }
    }
}

/// Several problems of several kinds in one profile: an unknown key in
/// `[person]`, a publication without a title and with a year of the wrong
/// type, a key written twice, a wrong element type.
const SEVERAL_PROBLEMS: &str = "[person]\nname = \"X\"\nnmae = \"Y\"\n\n\
[[publications]]\nauthors = [\"X\"]\nyear = \"2022\"\n\n\
[[publications]]\ntitle = \"U\"\ntitle = \"V\"\nauthors = [1]\nyear = 2021\n";

#[test]
fn check_reports_every_problem_in_one_run_in_file_order() {
    let sb = Sandbox::new();
    sb.write("many.toml", SEVERAL_PROBLEMS);
    let run = sb.run(&["--profile", "many.toml", "check"]);
    run.failure(1);
    let err = run.err();
    let order = [
        ("error: unknown key `nmae`", "many.toml:3:1"),
        ("error: missing field `title`", "many.toml:5:1"),
        (
            "error: invalid type: string \"2022\", expected u16",
            "many.toml:7:8",
        ),
        ("error: duplicate key", "many.toml:11:1"),
        (
            "error: invalid type: integer `1`, expected a string",
            "many.toml:12:12",
        ),
    ];
    let mut from = 0;
    for (says, at) in order {
        let found = err[from..].find(says).map(|i| from + i);
        let Some(i) = found else {
            panic!("no {says:?} after byte {from} in\n{err}");
        };
        assert!(err[i..].contains(at), "{says} not at {at}:\n{err}");
        from = i + says.len();
    }
    assert!(err.contains("did you mean `name`?"), "{err}");
    assert!(err.contains('^'), "{err}");
    assert!(
        err.trim_end().ends_with("error: many.toml: 5 errors"),
        "{err}"
    );
    assert_eq!(run.out(), "");
}

#[test]
fn check_warnings_pass_and_fail_only_under_strict() {
    let sb = Sandbox::new();
    sb.write(
        "warn.toml",
        "[person]\nname = \"X\"\n\n[bio]\ntext = \"see [the page](about.html)\"\n\n\
         [[sections]]\ntitle = \"Misc\"\n",
    );
    let run = sb.run(&["--profile", "warn.toml", "check"]);
    run.no_panic().expect_code(0);
    let err = run.err();
    let link = err
        .find("warning: relative link `about.html`")
        .expect("the link");
    let empty = err
        .find("warning: the section `Misc` is empty")
        .expect("the section");
    assert!(link < empty, "file order:\n{err}");
    assert!(err.contains("warn.toml:8:"), "{err}");
    assert_eq!(
        run.out(),
        "warn.toml: ok (0 news, 0 publications, 1 extra section), 2 warnings\n"
    );
    let strict = sb.run(&["--profile", "warn.toml", "check", "--strict"]);
    strict.failure(1);
    let err = strict.err();
    assert!(!err.contains("warning:"), "{err}");
    assert!(
        err.trim_end()
            .ends_with("error: warn.toml: 2 warnings, and --strict makes them errors"),
        "{err}"
    );
}

#[test]
fn check_counts_errors_and_warnings_together() {
    let sb = Sandbox::new();
    sb.write(
        "both.toml",
        "[person]\nname = \"X\"\n\n[[publications]]\nkey = \"k\"\ntitle = \"T\"\nauthors = []\nyear = 2020\nurl = \"file:///etc/passwd\"\n\n\
         [[publications]]\nkey = \"k\"\ntitle = \"U\"\nauthors = []\nyear = 2021\n",
    );
    let run = sb.run(&["--profile", "both.toml", "check"]);
    // In file order, so the warning comes first; the exit is the error's.
    run.no_panic().expect_code(1);
    assert_eq!(run.out(), "");
    let err = run.err();
    let warning = err
        .find("warning: link `file:///etc/passwd`")
        .expect("the link");
    let error = err
        .find("error: two publications have the key `k`")
        .expect("the key");
    assert!(warning < error, "file order:\n{err}");
    assert!(
        err.trim_end()
            .ends_with("error: both.toml: 1 error, 1 warning"),
        "{err}"
    );
}

#[test]
fn check_rejects_a_directory_as_profile() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path().join("adir")).expect("mkdir");
    let run = sb.run(&["--profile", "adir", "check"]);
    run.failure(1);
    assert!(run.err().contains("adir"), "{}", run.err());
    assert!(run.err().contains("directory"), "{}", run.err());
}

#[test]
fn check_rejects_utf16_profile_and_says_so() {
    let sb = Sandbox::new();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "[person]\nname = \"X\"\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    sb.write("wide.toml", &bytes);
    let run = sb.run(&["--profile", "wide.toml", "check"]);
    run.failure(1);
    assert!(run.err().contains("UTF-16"), "{}", run.err());
    assert!(run.err().contains("wide.toml"), "{}", run.err());
}

#[test]
fn profile_error_with_escape_sequence_in_offending_line_is_inert() {
    // Raw ESC/BEL bytes in a key, in a string value, and TOML escapes in a
    // quoted key (the key then appears in the message itself).
    let cases: [(&str, &[u8], usize); 3] = [
        (
            "raw-key.toml",
            b"[person]\nname = \"X\"\nbad\x1b]52;c;QUFBQQ==\x07 = 1\n",
            3,
        ),
        (
            "raw-value.toml",
            b"[person]\nname = \"X\x1b]52;c;QUFBQQ==\x07\"\n",
            2,
        ),
        (
            "escaped-key.toml",
            b"[person]\nname = \"X\"\n\"ev\\u001b]52;c;QUFBQQ==\\u0007il\\u001b[31m\" = 1\n",
            3,
        ),
    ];
    for (file, contents, line) in cases {
        let sb = Sandbox::new();
        sb.write(file, contents);
        let run = sb.run(&["--profile", file, "check"]);
        run.failure(1);
        assert_inert(&run.stderr, &run.what);
        let err = run.err();
        assert!(err.contains(&format!("{file}:{line}:")), "{err}");
        assert!(err.contains('^'), "{err}");
    }
    // A file name carrying an escape sequence is not echoed raw either.
    let sb = Sandbox::new();
    let run = sb.run(&["--profile", "x\x1b]52;c;QUFBQQ==\x07y.toml", "check"]);
    run.failure(1);
    assert_inert(&run.stderr, &run.what);
}

// ---------------------------------------------------------------------------
// 4. snapshot
// ---------------------------------------------------------------------------

#[test]
fn snapshot_default_is_80x24() {
    let sb = Sandbox::new();
    let run = sb.run(&["snapshot"]);
    run.success();
    let out = run.out();
    assert_fits(&out, 80, 24, "snapshot");
    assert!(out.contains("Tongtian Zhu"), "{out}");
    assert!(
        out.contains("Bio") && out.contains("Publications") && out.contains("Misc"),
        "{out}"
    );
    assert!(assert_boxes_intact(&out, 80, "snapshot") >= 1, "{out}");
}

#[test]
fn snapshot_size_120x40_has_40_lines() {
    let sb = Sandbox::new();
    let run = sb.run(&["snapshot", "--size", "120x40"]);
    run.success();
    assert_fits(&run.out(), 120, 40, "snapshot --size 120x40");
    assert!(assert_boxes_intact(&run.out(), 120, "120x40") >= 1);
}

#[test]
fn snapshot_tab_by_name_number_and_any_case_opens_publications() {
    let sb = Sandbox::new();
    for tab in ["publications", "4", "PUBLICATIONS", "Publications"] {
        let run = sb.run(&["snapshot", "--tab", tab]);
        run.success();
        let out = run.out();
        assert_fits(&out, 80, 24, &run.what);
        assert!(
            out.contains("Selected Publications"),
            "{}:\n{out}",
            run.what
        );
        assert!(out.contains("Topology-aware"), "{}:\n{out}", run.what);
        assert!(
            out.lines().last().unwrap_or("").trim_end().ends_with("1/2"),
            "{}:\n{out}",
            run.what
        );
    }
}

#[test]
fn snapshot_tab_misc_opens_the_extra_section() {
    let sb = Sandbox::new();
    for tab in ["misc", "MISC", "5"] {
        let run = sb.run(&["snapshot", "--tab", tab]);
        run.success();
        let out = run.out();
        assert_fits(&out, 80, 24, &run.what);
        assert!(out.contains("Miscellaneous"), "{}:\n{out}", run.what);
        assert!(out.contains("ACG fan"), "{}:\n{out}", run.what);
    }
}

#[test]
fn snapshot_tab_news_shows_dates() {
    let sb = Sandbox::new();
    let run = sb.run(&["snapshot", "--tab", "news"]);
    run.success();
    assert!(run.out().contains("Jul 12, 2023"), "{}", run.out());
}

#[test]
fn snapshot_unknown_tab_is_a_usage_error() {
    let sb = Sandbox::new();
    for tab in ["nope", "0", "99"] {
        let run = sb.run(&["snapshot", "--tab", tab]);
        run.failure(2);
        assert!(run.err().contains("tab"), "{}", run.err());
    }
}

#[test]
fn snapshot_bad_size_is_a_usage_error() {
    let sb = Sandbox::new();
    for size in ["0x5", "5x0", "abc", "80", "1001x10", "80x24x3", ""] {
        let run = sb.run(&["snapshot", "--size", size]);
        run.failure(2);
    }
}

#[test]
fn snapshot_unknown_key_is_a_usage_error() {
    let sb = Sandbox::new();
    let run = sb.run(&["snapshot", "--keys", "<Nope>"]);
    run.failure(2);
    assert!(run.err().contains("<Nope>"), "{}", run.err());
}

#[test]
fn snapshot_publications_after_down_enter_shows_second_paper() {
    let sb = Sandbox::new();
    let run = sb.run(&[
        "snapshot",
        "--tab",
        "publications",
        "--keys",
        "<Down><Enter>",
    ]);
    run.success();
    let out = run.out();
    assert_fits(&out, 80, 24, &run.what);
    let lines: Vec<&str> = out.lines().collect();
    let detail = lines
        .iter()
        .position(|l| l.contains("Details"))
        .unwrap_or_else(|| panic!("no detail pane:\n{out}"));
    assert!(
        lines[detail + 1..].iter().any(|l| l.contains(SECOND_PAPER)),
        "the detail should show the second paper in full:\n{out}"
    );
    assert!(
        !lines[detail + 1..].iter().any(|l| l.contains(FIRST_PAPER)),
        "the detail shows the first paper:\n{out}"
    );
    let footer = lines.last().expect("a footer").trim_end();
    assert!(footer.ends_with("2/2"), "footer: {footer:?}");
    assert_boxes_intact(&out, 80, &run.what);
}

#[test]
fn snapshot_question_mark_shows_the_help() {
    let sb = Sandbox::new();
    let run = sb.run(&["snapshot", "--keys", "?"]);
    run.success();
    let out = run.out();
    assert_fits(&out, 80, 24, &run.what);
    assert!(out.contains("Keys"), "{out}");
    assert!(out.contains("next tab") && out.contains("quit"), "{out}");
}

#[test]
fn snapshot_tiny_sizes_print_without_crashing() {
    let sb = Sandbox::new();
    for (w, h, says_too_small) in [
        (1, 1, false),
        (10, 3, true),
        (23, 7, true),
        (24, 7, true),
        (23, 8, true),
    ] {
        let size = format!("{w}x{h}");
        let run = sb.run(&["snapshot", "--size", &size]);
        run.success();
        let out = run.out();
        assert_fits(&out, w, h, &run.what);
        if says_too_small {
            assert!(
                out.replace('\n', " ").contains("too small"),
                "{}:\n{out}",
                run.what
            );
        }
    }
    // The smallest usable screen draws the viewer.
    let run = sb.run(&["snapshot", "--size", "24x8"]);
    run.success();
    assert_fits(&run.out(), 24, 8, &run.what);
    assert!(!run.out().contains("too small"), "{}", run.out());
    assert_boxes_intact(&run.out(), 24, &run.what);
}

#[test]
fn snapshot_ansi_uses_sgr_and_resets_every_line() {
    let sb = Sandbox::new();
    for args in [
        &["snapshot", "--ansi"][..],
        &[
            "snapshot",
            "--ansi",
            "--color",
            "always",
            "--tab",
            "publications",
            "--keys",
            "<Enter>",
        ],
    ] {
        let run = sb.run(args);
        run.success();
        let out = run.out();
        assert!(
            out.contains("\x1b["),
            "{}: no escape sequence:\n{out:?}",
            run.what
        );
        for line in out.lines() {
            // The last SGR of a line, if any, is a reset: no style leaks into the next line.
            let last_sgr = line.rfind('\x1b').map(|i| &line[i..]);
            assert!(
                last_sgr.is_none_or(|s| s.starts_with("\x1b[0m")),
                "{}: line leaves a style on: {line:?}",
                run.what
            );
        }
        let plain = strip_sgr(&out);
        assert!(
            !plain.contains('\x1b'),
            "{}: an escape that is not SGR:\n{out:?}",
            run.what
        );
        assert_fits(&plain, 80, 24, &run.what);
        let colours = sgr_params(&out)
            .into_iter()
            .flatten()
            .filter(|p| {
                p.parse::<u32>()
                    .is_ok_and(|n| (30..=49).contains(&n) || (90..=107).contains(&n))
            })
            .count();
        assert!(
            colours > 0,
            "{}: --ansi with colour on has no colour:\n{out:?}",
            run.what
        );
    }
}

#[test]
fn snapshot_plain_has_no_escape_even_with_color_always() {
    let sb = Sandbox::new();
    for args in [
        &["snapshot"][..],
        &["--color", "always", "snapshot"],
        &["snapshot", "--keys", "?"],
    ] {
        let run = sb.run(args);
        run.success();
        assert!(!run.stdout.contains(&0x1b), "{}: {:?}", run.what, run.out());
    }
}

#[track_caller]
fn assert_no_colour_codes(out: &str, ctx: &str) {
    assert!(
        out.contains("\x1b["),
        "{ctx}: attributes are still expected:\n{out:?}"
    );
    for params in sgr_params(out) {
        for p in &params {
            let n: u32 = p
                .parse()
                .unwrap_or_else(|_| panic!("{ctx}: odd SGR parameter {p:?}"));
            assert!(
                matches!(n, 0..=9 | 21..=29),
                "{ctx}: colour code {n} in SGR {params:?}:\n{out:?}"
            );
        }
    }
}

#[test]
fn snapshot_ansi_color_never_has_only_attributes() {
    let sb = Sandbox::new();
    for args in [
        &["snapshot", "--ansi", "--color", "never"][..],
        &[
            "--color",
            "never",
            "snapshot",
            "--ansi",
            "--tab",
            "publications",
            "--keys",
            "<Enter>",
        ],
    ] {
        let run = sb.run(args);
        run.success();
        assert_no_colour_codes(&run.out(), &run.what);
    }
}

#[test]
fn snapshot_ansi_respects_no_color() {
    let sb = Sandbox::new();
    let mut cmd = sb.command(&["snapshot", "--ansi", "--tab", "publications"]);
    cmd.env("NO_COLOR", "1");
    let run = run(cmd);
    run.success();
    assert_no_colour_codes(&run.out(), &run.what);
}

// ---------------------------------------------------------------------------
// 5. Bare termfolio into a pipe
// ---------------------------------------------------------------------------

#[test]
fn bare_termfolio_into_a_pipe_prints_the_whole_profile() {
    let sb = Sandbox::new();
    for args in [&[][..], &["--color", "always"]] {
        let run = sb.run(args);
        run.success();
        let out = run.out();
        assert!(
            !run.stdout.contains(&0x1b),
            "{}: escape in a pipe:\n{out:?}",
            run.what
        );
        for want in [
            "Tongtian Zhu",
            "Zhejiang University",
            "Bio",
            "Research",
            "Seek truth and beauty.",
            "Jul 12, 2023",
            "May 17, 2022",
            "News",
            "Selected Publications",
            FIRST_PAPER,
            SECOND_PAPER,
            "Miscellaneous",
            "basketball",
        ] {
            assert!(out.contains(want), "{}: missing {want:?}:\n{out}", run.what);
        }
        assert_no_line_wider(&out, 80, &run.what);
    }
}

#[test]
fn bare_termfolio_into_a_closed_pipe_exits_quietly() {
    // Enough output to fill any pipe buffer, then the reader goes away.
    let sb = Sandbox::new();
    let mut profile = String::from("[person]\nname = \"Busy Person\"\n");
    for i in 0..5000 {
        profile.push_str(&format!(
            "\n[[news]]\ndate = 2020-01-01\ntext = \"Item {i}: a fairly long line of news to fill the pipe quickly.\"\n"
        ));
    }
    sb.write("profile.toml", profile);
    let mut cmd = sb.command(&[]);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let mut stderr = child.stderr.take().expect("stderr");
    let status = wait(&mut child, "termfolio into a closed pipe");
    let mut err = String::new();
    stderr.read_to_string(&mut err).expect("read stderr");
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert!(err.is_empty(), "stderr: {err}");
    assert!(
        first.starts_with(b"Busy Person"),
        "{:?}",
        String::from_utf8_lossy(&first)
    );
}

#[test]
fn bare_termfolio_onto_a_full_disk_says_so() {
    // Plain output is written as it is laid out: a write that fails part
    // way is an error, not a quiet half of a profile.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("SKIPPED bare_termfolio_onto_a_full_disk_says_so: no /dev/full");
        return;
    };
    let sb = Sandbox::new();
    let mut cmd = sb.command(&[]);
    cmd.stdin(Stdio::null()).stdout(full).stderr(Stdio::piped());
    let out = cmd.output().expect("run termfolio");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(
        err.starts_with("error: ") && err.contains("No space left on device"),
        "stderr: {err}"
    );
}

// ---------------------------------------------------------------------------
// 6. Wide text: CJK, emoji, very long words
// ---------------------------------------------------------------------------

fn cjk_profile() -> String {
    let word = "abcdefghij".repeat(30);
    let han = "漫画家".repeat(100);
    format!(
        r#"[person]
name = "朱同天"
pronunciation = "Zhū Tóngtiān 😃"
motto = "说服后人，而不仅仅是同行。😃🦄🔥"
position = "博士研究生"
department = "计算机科学与技术学院"
institution = "浙江大学（ZJU）"
supervisors = ["宋明黎教授", "陈纯教授"]
contact = "欢迎通过电子邮件或微信联系我😃🦄🔥，{word}"

[person.links]
email = "{word}@example.com"

[[experience]]
role = "研究实习生"
organization = "京东探索研究院"
topic = "去中心化学习的泛化理论🔥"
mentors = ["何凤翔博士", "陶大程教授"]

[bio]
heading = "😃 个人简介 {han}"
text = """
我曾经想成为一名漫画家😃🦄🔥。Mixed English and 中文 text (智源社区, BAAI), with 漫画家 and emoji 😃🦄🔥 again.

{word}

{han}
"""

[research]
heading = "🦄 研究兴趣"
quote = "求真，求美。😃"
text = "理解深度学习成功背后的机制。{han}"
focus_heading = "目前的研究重点："
focus = ["去中心化学习的泛化理论。", "{word}", "快速且可泛化的去中心化算法😃🦄🔥。"]

[headings]
news = "🔥 新闻"
publications = "📝 论文 😃🦄🔥"

[[news]]
date = 2023-07-12
text = "新しい論文がICML 2023に採択されました！漫画家😃🦄🔥。ありがとうございます。"

[[news]]
date = 2023-07-11
text = "{word}"

[[news]]
date = 2023-07-08
text = "在第六届世界人工智能大会（WAIC）上做报告😃！{han}"

[[publications]]
title = "漫画家の理論 😃🦄🔥 分散型学習の一般化"
authors = ["朱同天", "何凤翔", "{word}"]
abbr = "国际机器学习大会"
booktitle = "第四十届国际机器学习大会论文集😃"
year = 2023
award = "最佳论文😃🦄🔥"
note = "漫画家"
url = "https://example.com/{word}"
abstract = "摘要：{han} {word}"

[[publications]]
title = "{word} 漫画家"
authors = ["朱同天"]
abbr = "ICML 2022"
journal = "{han}"
year = 2022
note = "🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥"

[[sections]]
title = "杂项"
heading = "🤗 杂项 Miscellaneous"
items = ["我是一个老派的ACG爱好者😃。", "我曾经想成为一名漫画家（“漫画家”）。", "{han}"]

[[sections]]
title = "絵文字😃🦄🔥"
text = "😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥😃🦄🔥 {word}"
"#
    )
}

const CJK_TABS: usize = 6;

#[test]
fn check_counts_one_of_a_kind_in_the_singular() {
    let sb = Sandbox::new();
    sb.write(
        "one.toml",
        "[person]\nname = \"X\"\n\n[[publications]]\ntitle = \"T\"\nauthors = [\"X\"]\nyear = 2022\n\n[[sections]]\ntitle = \"Misc\"\ntext = \"t\"\n",
    );
    let run = sb.run(&["--profile", "one.toml", "check"]);
    run.success();
    assert_eq!(
        run.out(),
        "one.toml: ok (0 news, 1 publication, 1 extra section)\n"
    );
}

#[test]
fn cjk_profile_passes_check() {
    let sb = Sandbox::new();
    sb.write("profile.toml", cjk_profile());
    let run = sb.run(&["check"]);
    run.success();
    assert!(
        run.out()
            .contains("ok (3 news, 2 publications, 2 extra sections)"),
        "{}",
        run.out()
    );
}

#[test]
fn snapshot_of_cjk_profile_fits_every_tab_at_every_size_with_borders_intact() {
    let sb = Sandbox::new();
    sb.write("profile.toml", cjk_profile());
    for (w, h) in [(40usize, 12usize), (80, 24), (120, 40)] {
        let size = format!("{w}x{h}");
        for tab in 1..=CJK_TABS {
            let tab = tab.to_string();
            let keysets: &[&str] = if tab == "4" {
                &[
                    "",
                    "<Down>",
                    "<Enter>",
                    "<Down><Enter>",
                    "<Down><Enter><End>",
                    "?",
                ]
            } else {
                &["", "<End>", "<PageDown>"]
            };
            for keys in keysets {
                let run = sb.run(&["snapshot", "--size", &size, "--tab", &tab, "--keys", keys]);
                run.success();
                let out = run.out();
                assert_fits(&out, w, h, &run.what);
                if *keys != "?" {
                    let boxes = assert_boxes_intact(&out, w, &run.what);
                    let want = if tab == "4" { 2 } else { 1 };
                    assert_eq!(boxes, want, "{}: expected {want} boxes:\n{out}", run.what);
                }
                // In colour, badges are drawn on a background instead of in
                // brackets, so only the monochrome --ansi text equals the plain one.
                let colour = sb.run(&[
                    "snapshot", "--ansi", "--size", &size, "--tab", &tab, "--keys", keys,
                ]);
                colour.success();
                assert_fits(&strip_sgr(&colour.out()), w, h, &colour.what);
                let mono = sb.run(&[
                    "snapshot", "--ansi", "--color", "never", "--size", &size, "--tab", &tab,
                    "--keys", keys,
                ]);
                mono.success();
                let stripped = strip_sgr(&mono.out());
                assert_fits(&stripped, w, h, &mono.what);
                let trimmed = |s: &str| {
                    s.lines()
                        .map(|l| l.trim_end().to_string())
                        .collect::<Vec<_>>()
                };
                assert_eq!(
                    trimmed(&stripped),
                    trimmed(&out),
                    "{}: --ansi text differs",
                    mono.what
                );
            }
        }
    }
}

#[test]
fn snapshot_of_cjk_profile_shows_the_wide_text() {
    let sb = Sandbox::new();
    sb.write("profile.toml", cjk_profile());
    let bio = sb.run(&["snapshot", "--size", "120x40"]);
    bio.success();
    assert!(bio.out().contains("朱同天"), "{}", bio.out());
    assert!(bio.out().contains("漫画家😃🦄🔥"), "{}", bio.out());
    let news = sb.run(&["snapshot", "--size", "120x40", "--tab", "news"]);
    news.success();
    assert!(news.out().contains("Jul 12, 2023"), "{}", news.out());
    assert!(
        news.out().contains("新しい論文がICML 2023に採択されました"),
        "{}",
        news.out()
    );
    let tab = sb.run(&["snapshot", "--size", "120x40", "--tab", "杂项"]);
    tab.success();
    assert!(tab.out().contains("🤗 杂项 Miscellaneous"), "{}", tab.out());
}

/// The CJK profile with its 600-column bio heading cut short (see
/// `bare_termfolio_wraps_long_section_headings_to_80_columns`).
fn cjk_profile_short_headings() -> String {
    let p = cjk_profile();
    let start = p.find("heading = \"😃 个人简介").expect("bio heading");
    let end = start + p[start..].find('\n').expect("end of line");
    format!("{}heading = \"😃 个人简介\"{}", &p[..start], &p[end..])
}

#[test]
fn bare_termfolio_with_cjk_profile_wraps_to_80_columns() {
    let sb = Sandbox::new();
    sb.write("profile.toml", cjk_profile_short_headings());
    let run = sb.run(&[]);
    run.success();
    let out = run.out();
    assert!(!run.stdout.contains(&0x1b));
    for want in [
        "朱同天",
        "漫画家の理論 😃🦄🔥 分散型学習の一般化",
        "新しい論文",
        "杂项",
        "😃🦄🔥",
    ] {
        assert!(out.contains(want), "missing {want:?}:\n{out}");
    }
    assert_no_line_wider(&out, 80, &run.what);
}

/// Bare `termfolio` into a pipe prints every section "wrapped to 80
/// columns". Body text is wrapped, but a section heading is printed whole.
#[test]
fn bare_termfolio_wraps_long_section_headings_to_80_columns() {
    let sb = Sandbox::new();
    let heading = "Research ".repeat(12);
    sb.write(
        "profile.toml",
        format!("[person]\nname = \"X\"\n\n[research]\nheading = \"{heading}\"\ntext = \"Some research.\"\n"),
    );
    let run = sb.run(&[]);
    run.success();
    assert_no_line_wider(&run.out(), 80, &run.what);
    sb.write("profile.toml", cjk_profile());
    let run = sb.run(&[]);
    run.success();
    assert_no_line_wider(&run.out(), 80, &run.what);
}

// ---------------------------------------------------------------------------
// 7. Profile text is inert
// ---------------------------------------------------------------------------

const HOSTILE_PROFILE: &str = r#"[person]
name = "Mallory\u001b[31m Evil\u001b[0m Person\u009b2J"
motto = "Trust\u202e me"
position = "Hacker\u001bPdcs-payload\u001b\\ at Large"

[bio]
text = "Bio with \u001b]52;c;ZXZpbA==\u0007clipboard and \u202ebidi."

[[news]]
date = 2023-07-12
text = "News \u001b]8;;http://evil.example/\u001b\\click here\u001b]8;;\u001b\\ now \u009b31mred\u202e end"

[[publications]]
title = "Title \u001b]52;c;ZXZpbA==\u0007Safe\u001bPq$payload\u001b\\ Paper\u009b1;31m\u202e done"
authors = ["Al\u001b[1mice"]
year = 2023
url = "https://example.com/\u001b]8;;http://evil.example/\u0007x"

[[sections]]
title = "Ex\u001b]0;window title\u0007tra"
items = ["item \u009d0;osc\u009c one"]
"#;

#[track_caller]
fn assert_no_payload(text: &str, ctx: &str) {
    for bad in [
        "evil.example",
        "ZXZpbA",
        "payload",
        "31m",
        "2J",
        "window title",
        "0;osc",
    ] {
        assert!(!text.contains(bad), "{ctx}: {bad:?} leaked:\n{text}");
    }
}

#[test]
fn hostile_profile_passes_check_inertly() {
    let sb = Sandbox::new();
    sb.write("profile.toml", HOSTILE_PROFILE);
    let run = sb.run(&["check"]);
    run.success();
    assert_inert(&run.stdout, &run.what);
}

#[test]
fn snapshot_of_hostile_profile_contains_no_escape_or_control() {
    let sb = Sandbox::new();
    sb.write("profile.toml", HOSTILE_PROFILE);
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &["snapshot", "--size", "120x40"],
            &[
                "Mallory Evil Person",
                "Bio with clipboard and bidi.",
                "Trust me",
            ],
        ),
        (
            &["snapshot", "--size", "120x40", "--tab", "news"],
            &["News click here now red end"],
        ),
        (
            &[
                "snapshot",
                "--size",
                "120x40",
                "--tab",
                "publications",
                "--keys",
                "<Enter>",
            ],
            &["Title Safe Paper done", "Alice", "https://example.com/x"],
        ),
        (
            &["snapshot", "--size", "120x40", "--tab", "extra"],
            &["item one", "Extra"],
        ),
        (
            &["snapshot", "--size", "120x40", "--tab", "5"],
            &["item one"],
        ),
    ];
    for (args, wants) in cases {
        let run = sb.run(args);
        run.success();
        assert_inert(&run.stdout, &run.what);
        let out = run.out();
        assert_no_payload(&out, &run.what);
        assert_fits(&out, 120, 40, &run.what);
        for want in wants {
            assert!(
                out.contains(want),
                "{}: {want:?} should survive:\n{out}",
                run.what
            );
        }
        // Under --ansi the only escapes are the viewer's own SGR sequences.
        let mut ansi_args = args.to_vec();
        ansi_args.push("--ansi");
        let ansi = sb.run(&ansi_args);
        ansi.success();
        let stripped = strip_sgr(&ansi.out());
        assert_inert(stripped.as_bytes(), &ansi.what);
        assert_no_payload(&stripped, &ansi.what);
        for want in wants {
            assert!(
                stripped.contains(want),
                "{}: {want:?} should survive:\n{stripped}",
                ansi.what
            );
        }
    }
}

#[test]
fn bare_termfolio_with_hostile_profile_prints_inert_text() {
    let sb = Sandbox::new();
    sb.write("profile.toml", HOSTILE_PROFILE);
    let run = sb.run(&[]);
    run.success();
    assert_inert(&run.stdout, &run.what);
    let out = run.out();
    assert_no_payload(&out, &run.what);
    for want in [
        "Mallory Evil Person",
        "Trust me",
        "Hacker at Large",
        "Bio with clipboard and bidi.",
        "News click here now red end",
        "Title Safe Paper done",
        "https://example.com/x",
        "Extra",
        "item one",
    ] {
        assert!(out.contains(want), "{want:?} should survive:\n{out}");
    }
}

// ---------------------------------------------------------------------------
// 8. Usage
// ---------------------------------------------------------------------------

#[test]
fn help_exits_zero_and_lists_the_commands() {
    let sb = Sandbox::new();
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let run = sb.run(args);
        run.success();
        let out = run.out();
        assert!(out.contains("Usage: termfolio"), "{out}");
        for want in ["snapshot", "check", "--profile", "--color"] {
            assert!(out.contains(want), "{}: {want} missing:\n{out}", run.what);
        }
    }
    let run = sb.run(&["snapshot", "--help"]);
    run.success();
    for want in ["--tab", "--size", "--keys", "--ansi"] {
        assert!(run.out().contains(want), "{want} missing:\n{}", run.out());
    }
}

#[test]
fn unknown_subcommand_or_flag_is_a_usage_error() {
    let sb = Sandbox::new();
    for args in [
        &["bogus"][..],
        &["--bogus"],
        &["snapshot", "--bogus"],
        &["check", "extra"],
        &["--color", "sometimes"],
        &["snapshot", "--size"],
    ] {
        let run = sb.run(args);
        run.failure(2);
    }
}

#[test]
fn usage_error_wins_over_a_broken_profile_only_after_parsing() {
    // A usage error is reported as such (2), even when the profile is fine;
    // a broken profile with valid arguments is 1.
    let sb = Sandbox::new();
    sb.write("profile.toml", "[person]\nnmae = \"x\"\n");
    sb.run(&["--bogus"]).failure(2);
    sb.run(&["check"]).failure(1);
}
