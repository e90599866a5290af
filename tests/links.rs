//! Links over the built binary: OSC 8 bytes (`snapshot --ansi --hyperlinks
//! always`, the viewer in a pseudo-terminal, the login card), numbered
//! references in plain output, `check`'s warnings, and hostile links, which
//! must stay inert everywhere. Nobody clicks in a headless terminal (and
//! tmux 3.3a does not pass OSC 8 on), so the bytes are what is checked.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Sandbox, assert_inert};

/// One OSC 8 hyperlink opened in the output: its id, its URL and the row it is on.
#[derive(Debug)]
struct Opened {
    id: String,
    url: String,
    row: usize,
}

/// Splits terminal output into its OSC 8 links and the rest. Panics on an
/// OSC 8 that is not one of ours (`ESC ] 8 ; id=tfN ; URL ESC \`, or the
/// closing `ESC ] 8 ; ; ESC \`), on an unclosed link at the end of a row,
/// and on any other OSC or string sequence.
fn hyperlinks(out: &str, ctx: &str) -> (Vec<Opened>, String) {
    let mut opened = Vec::new();
    let mut rest = String::new();
    for (row, line) in out.split('\n').enumerate() {
        let mut open = false;
        let mut s = line;
        while let Some(at) = s.find("\x1b]") {
            rest.push_str(&s[..at]);
            let tail = &s[at + 2..];
            let end = tail
                .find("\x1b\\")
                .unwrap_or_else(|| panic!("{ctx}: an OSC without ST: {tail:?}"));
            let body = &tail[..end];
            if body == "8;;" {
                assert!(open, "{ctx}: a close with nothing open on row {row}");
                open = false;
            } else {
                let (params, url) = body
                    .strip_prefix("8;")
                    .and_then(|b| b.split_once(';'))
                    .unwrap_or_else(|| panic!("{ctx}: not an OSC 8 of ours: {body:?}"));
                let id = params
                    .strip_prefix("id=tf")
                    .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                    .unwrap_or_else(|| panic!("{ctx}: an id we did not make: {params:?}"));
                assert!(
                    url.bytes().all(|b| (0x21..0x7f).contains(&b)),
                    "{ctx}: a URL with bytes outside printable ASCII: {url:?}"
                );
                let lower = url.to_ascii_lowercase();
                assert!(
                    lower.starts_with("https://")
                        || lower.starts_with("http://")
                        || lower.starts_with("mailto:"),
                    "{ctx}: a link the table refuses: {url}"
                );
                assert!(
                    !lower.contains("attach"),
                    "{ctx}: a mail link that attaches: {url}"
                );
                opened.push(Opened {
                    id: id.to_string(),
                    url: url.to_string(),
                    row,
                });
                open = true;
            }
            s = &tail[end + 2..];
        }
        rest.push_str(s);
        rest.push('\n');
        // snapshot closes every link at the end of its row; the live
        // screen closes them at the end of each frame, which is one "row"
        // here only when it has no newline: either way none stays open.
        assert!(
            !open || !out.contains('\n'),
            "{ctx}: a link left open at the end of row {row}"
        );
    }
    (opened, rest)
}

/// SGR sequences removed (what is left must be inert text).
fn without_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        let end = tail
            .find(|c: char| c.is_ascii_alphabetic())
            .expect("a CSI with a final byte");
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// `snapshot --ansi --hyperlinks always` of `tab` at `size` after `keys`,
/// which succeeds.
fn hyperlinked_snapshot(sb: &Sandbox, tab: &str, size: &str, keys: &str) -> common::Run {
    let run = sb.run(&[
        "snapshot",
        "--tab",
        tab,
        "--size",
        size,
        "--keys",
        keys,
        "--ansi",
        "--hyperlinks",
        "always",
    ]);
    run.success();
    run
}

#[test]
fn every_piece_of_a_wrapped_link_is_the_same_hyperlink() {
    let sb = Sandbox::new();
    for (tab, size) in [("bio", "40x30"), ("news", "40x30"), ("bio", "100x30")] {
        let run = hyperlinked_snapshot(&sb, tab, size, "");
        let ctx = format!("{tab} {size}");
        let (opened, rest) = hyperlinks(&run.out(), &ctx);
        assert_inert(without_sgr(&rest).as_bytes(), &ctx);
        assert!(!opened.is_empty(), "{ctx}: no hyperlink at all");
        // One URL per id, and (narrow) some link over more than one row.
        let mut urls: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut rows: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        for o in &opened {
            urls.entry(&o.id).or_default().insert(&o.url);
            rows.entry(&o.id).or_default().insert(o.row);
        }
        for (id, u) in &urls {
            assert_eq!(u.len(), 1, "{ctx}: id {id} names several URLs: {u:?}");
        }
        if size.starts_with("40") {
            assert!(
                rows.values().any(|r| r.len() > 1),
                "{ctx}: no link wraps at 40 columns: {opened:?}"
            );
        }
        let all: BTreeSet<&str> = opened.iter().map(|o| o.url.as_str()).collect();
        let want = if tab == "bio" {
            "https://person.zju.edu.cn/en/msong"
        } else {
            "https://hub.baai.ac.cn/"
        };
        assert!(
            all.contains(want),
            "{ctx}: {want} is not a hyperlink: {all:?}"
        );
    }
}

#[test]
fn no_hyperlink_unless_asked_for_outside_the_viewer() {
    let sb = Sandbox::new();
    for args in [
        &["snapshot", "--tab", "news", "--ansi"][..],
        &[
            "snapshot",
            "--tab",
            "news",
            "--ansi",
            "--hyperlinks",
            "auto",
        ],
        &["snapshot", "--tab", "news", "--hyperlinks", "always"],
        &["banner", "--color", "always"],
        &["--hyperlinks", "always"],
    ] {
        let mut cmd = sb.command(args);
        cmd.env("TERM", "xterm-kitty")
            .env("TERM_PROGRAM", "WezTerm");
        let run = common::run(cmd);
        run.success();
        assert!(
            !run.out().contains("\x1b]8"),
            "{}: OSC 8 where it was not asked for",
            run.what
        );
    }
}

#[test]
fn the_login_card_makes_its_news_links_hyperlinks_only_when_told() {
    let sb = Sandbox::new();
    let plain = sb.run(&["banner", "--width", "100"]);
    plain.success();
    let text = assert_inert(&plain.stdout, &plain.what);
    assert!(
        text.contains("I give a long talk (video, slides) at Beijing"),
        "link text only: {text}"
    );
    let linked = sb.run(&["banner", "--width", "100", "--hyperlinks", "always"]);
    linked.success();
    let (opened, rest) = hyperlinks(&linked.out(), &linked.what);
    assert_eq!(
        rest.trim_end(),
        text.trim_end(),
        "the same card around the links"
    );
    let urls: Vec<&str> = opened.iter().map(|o| o.url.as_str()).collect();
    assert!(
        urls.contains(&"https://event.baai.ac.cn/activities/692"),
        "{urls:?}"
    );
}

#[test]
fn plain_output_numbers_its_references() {
    let sb = Sandbox::new();
    let run = sb.run(&[]);
    run.success();
    let text = assert_inert(&run.stdout, &run.what);
    for want in [
        "Zhejiang University[1] (ZJU)",
        "Professors Mingli Song[2] and Chun Chen[3]",
        "References\n   1. https://www.zju.edu.cn/english/\n",
        "(video[15], slides[16])",
        "Links        Semantic Scholar[9] · Google Scholar[10] · Email[11] · WeChat[12] ·",
        "Supervisors  Professor Mingli Song[2], Professor Chun Chen[3]",
    ] {
        assert!(text.contains(want), "{want:?} missing:\n{text}");
    }
    // Each URL once, each number defined before the next section ends.
    for n in 1..=18 {
        assert_eq!(
            text.matches(&format!("\n{n:>4}. ")).count(),
            1,
            "reference {n}:\n{text}"
        );
    }
    assert!(
        !text.contains("**") && !text.contains("]("),
        "markup left:\n{text}"
    );
}

#[test]
fn the_viewer_writes_hyperlinks_on_a_terminal_that_takes_them() {
    let sb = Sandbox::new();
    // --foreground: the viewer stays in the terminal's foreground group
    // (else its raw mode would stop it with SIGTTOU under a plain sh).
    let viewer = format!(
        "stty cols 100 rows 30; timeout --foreground -s TERM 2 {} --profile {}/profile.toml",
        common::BIN,
        common::ROOT
    );
    let on = sb.pty(&viewer, &[("TERM_PROGRAM", "WezTerm")]);
    let out = String::from_utf8_lossy(&on.stdout).into_owned();
    assert!(
        out.contains("\x1b]8;id=tf1;https://www.zju.edu.cn/english/\x1b\\"),
        "no hyperlink on a WezTerm: {out:?}"
    );
    assert!(out.contains("\x1b]8;;\x1b\\"), "links are closed");
    for (env, args) in [
        (vec![], ""),
        (vec![("TERM_PROGRAM", "WezTerm")], " --hyperlinks never"),
        (vec![("TERM", "dumb")], ""),
    ] {
        let run = sb.pty(&format!("{viewer}{args}"), &env);
        let out = String::from_utf8_lossy(&run.stdout).into_owned();
        assert!(
            !out.contains("\x1b]8"),
            "{env:?}{args}: OSC 8 written: {out:?}"
        );
    }
}

/// A profile whose every link is an attack or a mistake, and a few good ones.
const HOSTILE: &str = r#"
[person]
name = "Mallory"
contact = "[a](javascript:alert(1)) [b](file:///etc/passwd) [c](data:text/html,<script>x</script>) [d](mailto:m@x.org?attach=/etc/passwd) [e](mailto:m@x.org?subject=hi&%61ttach=~/.ssh/id_ed25519) [f](vbscript:x) [g](about.html) [h](//evil.org/x) [ok](https://ok.org/fine)"
photo_caption = "[esc](https://x.org/\u001b]8;;\u0007pwn) [ent](https://x.org/&#27;]8;;&#7;pwn) [nl](https://x.org/a&#10;b) [st](https://x.org/&#x9c;) [sp](<https://x.org/a b>)"
supervisors = ["[[nested](https://a.org)](https://b.org)", "[unbalanced](https://c.org", "**[*deep* `code`](https://d.org)**", "[x]: https://e.org", "<https://f.org/auto>"]

[bio]
text = """
A 10 kB link: [long](https://example.org/LONG).

![image](https://img.org/x.png) <a href="javascript:alert(1)">html link</a> $a*b*c$ and *emphasis **inside** it*.
"""

[[news]]
date = 2024-01-01
text = "[data](data:,x) and [fine](https://news.org/)"

[[publications]]
title = "P"
authors = ["Mallory"]
year = 2024
url = "javascript:alert(document.cookie)"
code = "https://code.org/x"
abstract = "[bad](file:///etc/shadow) [good](https://abs.org/)"
"#;

fn hostile(sb: &Sandbox) {
    let long = format!("https://example.org/{}", "a".repeat(10_000));
    sb.write(
        "profile.toml",
        HOSTILE.replace("https://example.org/LONG", &long),
    );
}

#[test]
fn hostile_links_are_inert_in_every_front_end() {
    let sb = Sandbox::new();
    hostile(&sb);
    let allowed = [
        "https://ok.org/fine",
        // The sanitizer removed the escape sequences (written raw, or as
        // entities that Markdown decodes) and the C1 ST.
        "https://x.org/pwn",
        "https://x.org/",
        "https://x.org/a%0Ab",
        "https://x.org/a%20b",
        "https://a.org",
        "https://b.org",
        "https://d.org",
        "https://f.org/auto",
        "https://news.org/",
        "https://code.org/x",
        "https://abs.org/",
    ];
    let mut seen = BTreeSet::new();
    for tab in ["bio", "news", "publications"] {
        for size in ["80x24", "30x10", "200x60"] {
            for keys in ["", "o", "<Enter>o"] {
                let run = hyperlinked_snapshot(&sb, tab, size, keys);
                let ctx = format!("{tab} {size} {keys}");
                let (opened, rest) = hyperlinks(&run.out(), &ctx);
                assert_inert(without_sgr(&rest).as_bytes(), &ctx);
                for o in opened {
                    if !o.url.starts_with("https://example.org/aaaa") {
                        assert!(allowed.contains(&o.url.as_str()), "{ctx}: {}", o.url);
                    }
                    seen.insert(o.url);
                }
                // A refused target in Markdown shows its text only; a link
                // field (the publication's url) shows its value, as text.
                let screen = run.out();
                for word in ["file:", "data:", "vbscript", "attach", "<script"] {
                    assert!(!screen.contains(word), "{ctx}: {word} is shown: {screen}");
                }
            }
        }
    }
    for want in [
        "https://ok.org/fine",
        "https://x.org/a%20b",
        "https://d.org",
        "https://x.org/pwn",
    ] {
        assert!(
            seen.contains(want),
            "{want} never drawn as a link: {seen:?}"
        );
    }
    assert!(
        seen.iter().any(|u| u.len() > 10_000),
        "the 10 kB link is one link"
    );

    let plain = sb.run(&[]);
    plain.success();
    let text = assert_inert(&plain.stdout, &plain.what);
    for word in [
        "file:///", "data:", "vbscript", "attach", "<script", "<a href",
    ] {
        assert!(!text.contains(word), "plain output shows {word}:\n{text}");
    }
    // Only allowed targets get a reference number.
    let references: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().split_once(". ").map(|(_, u)| u))
        .filter(|u| u.contains(':'))
        .collect();
    assert!(
        references.iter().all(|u| !u.starts_with("javascript")),
        "{references:?}"
    );
    assert!(
        text.contains("url   javascript:alert(document.cookie)"),
        "inert text:\n{text}"
    );
    assert!(
        text.contains("html link") && text.contains("$a*b*c$"),
        "{text}"
    );

    let card = sb.run(&["banner", "--hyperlinks", "always", "--color", "always"]);
    card.success();
    let (opened, rest) = hyperlinks(&card.out(), &card.what);
    assert_inert(without_sgr(&rest).as_bytes(), &card.what);
    assert!(
        opened.iter().all(|o| o.url == "https://news.org/"),
        "{opened:?}"
    );
}

#[test]
fn check_warns_about_each_refused_link_and_strict_fails() {
    let sb = Sandbox::new();
    hostile(&sb);
    let run = sb.run(&["check"]);
    run.no_panic().expect_code(0);
    let err = assert_inert(&run.stderr, &run.what);
    for want in [
        "warning: link `javascript:alert(1)` in contact is shown as inert text",
        "warning: mail link `mailto:m@x.org?attach=/etc/passwd` in contact",
        "warning: relative link `about.html` in contact",
        "--> profile.toml:4:",
        "warning: link `javascript:alert(document.cookie)` in url",
        "--> profile.toml:25:",
        "warning: link `file:///etc/shadow` in abstract",
    ] {
        assert!(err.contains(want), "{want:?} missing:\n{err}");
    }
    let count = err.matches("warning: ").count();
    assert!(
        run.out().ends_with(&format!(", {count} warnings\n")),
        "{}",
        run.out()
    );
    sb.run(&["check", "--strict"]).failure(1);
}
