//! `termfolio init [PATH]` over the built binary: the starter profile it
//! writes passes `check` and renders in every front end, and it never
//! overwrites anything or leaves anything behind when it refuses.

mod common;

use common::{Sandbox, assert_fits};

/// What `init` printed on success: nothing on stdout, the file and the
/// next steps on stderr.
#[track_caller]
fn assert_wrote(run: &common::Run, path: &str) {
    run.no_panic().expect_code(0);
    assert!(run.stdout.is_empty(), "{}", run.dump());
    let err = run.err();
    assert!(
        err.starts_with(&format!("wrote a starter profile to {path}\n")),
        "{err}"
    );
    assert!(
        err.contains("Next steps:") && err.contains("check"),
        "{err}"
    );
}

#[test]
fn init_then_check_is_ok_without_a_warning() {
    let sb = Sandbox::new();
    let run = sb.run(&["init"]);
    assert_wrote(&run, "profile.toml");
    // ./profile.toml is found without --profile, so the steps do not name it.
    assert!(!run.err().contains("--profile"), "{}", run.err());
    let check = sb.run(&["check"]);
    check.success();
    assert!(
        check.out().starts_with("profile.toml: ok ("),
        "{}",
        check.out()
    );
    // --strict too: the starter has no warning at all.
    sb.run(&["check", "--strict"]).success();
}

#[test]
fn init_writes_to_the_path_given_and_makes_its_directories() {
    let sb = Sandbox::new();
    let run = sb.run(&["init", "config/termfolio/profile.toml"]);
    assert_wrote(&run, "config/termfolio/profile.toml");
    assert!(
        run.err()
            .contains("termfolio --profile config/termfolio/profile.toml check"),
        "{}",
        run.err()
    );
    let written = std::fs::read_to_string(sb.path().join("config/termfolio/profile.toml")).unwrap();
    assert!(written.starts_with("# A termfolio profile"), "{written}");
    sb.run(&["--profile", "config/termfolio/profile.toml", "check"])
        .success();
}

#[test]
fn the_starter_renders_in_every_tab_and_in_plain_text() {
    let sb = Sandbox::new();
    sb.run(&["init"]).expect_code(0);
    for (tab, want) in [
        ("bio", "Office: Room 101, Example Building"),
        ("research", "The first topic you work on."),
        ("news", "Jan 15, 2024"),
        ("publications", "Title of Your Paper"),
        ("misc", "A paragraph about anything else"),
    ] {
        let run = sb.run(&["snapshot", "--tab", tab, "--size", "100x30"]);
        run.success();
        let screen = run.out();
        assert_fits(&screen, 100, 30, tab);
        assert!(screen.contains("Your Name"), "{tab}:\n{screen}");
        assert!(screen.contains(want), "{tab}: {want:?} missing:\n{screen}");
    }
    // The hard break in the bio is a line break, not a backslash.
    let bio = sb
        .run(&["snapshot", "--tab", "bio", "--size", "100x30"])
        .out();
    assert!(!bio.contains("Building\\"), "{bio}");
    assert!(bio.contains("│ Example Street 1, Example City"), "{bio}");
    let plain = sb.run(&[]);
    plain.success();
    for want in [
        "Your Name",
        "Title of Your Paper",
        "Misc",
        "https://example.org",
    ] {
        assert!(plain.out().contains(want), "{want}:\n{}", plain.out());
    }
    sb.run(&["banner", "--width", "80"]).success();
}

#[test]
fn init_never_overwrites_a_file() {
    let sb = Sandbox::new();
    sb.write("profile.toml", "[person]\nname = \"Mine\"\n");
    let run = sb.run(&["init"]);
    run.failure(1);
    assert!(
        run.err().contains("profile.toml already exists"),
        "{}",
        run.err()
    );
    assert_eq!(
        std::fs::read_to_string(sb.path().join("profile.toml")).unwrap(),
        "[person]\nname = \"Mine\"\n"
    );
    // Nor what a link points at, even when it points nowhere yet.
    std::os::unix::fs::symlink(sb.path().join("target.toml"), sb.path().join("link.toml")).unwrap();
    sb.run(&["init", "link.toml"]).failure(1);
    assert!(!sb.path().join("target.toml").exists());
}

#[test]
fn init_refuses_a_directory_and_creates_nothing() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path().join("site")).unwrap();
    let run = sb.run(&["init", "site"]);
    run.failure(1);
    assert!(
        run.err().contains("site is a directory") && run.err().contains("init site/profile.toml"),
        "{}",
        run.err()
    );
    assert_eq!(
        std::fs::read_dir(sb.path().join("site")).unwrap().count(),
        0
    );
    sb.run(&["init", "new/"]).failure(1);
    assert!(!sb.path().join("new").exists());
}

#[test]
fn init_that_fails_leaves_no_directory_behind() {
    let sb = Sandbox::new();
    sb.write("file", "");
    let run = sb.run(&["init", "file/below/profile.toml"]);
    run.failure(1);
    assert!(run.err().contains("cannot write"), "{}", run.err());
    // Directories made for a file whose name cannot be: removed again.
    let long = format!("made/below/{}", "x".repeat(300));
    sb.run(&["init", &long]).failure(1);
    assert!(!sb.path().join("made").exists());
}

#[test]
fn init_reads_no_profile_and_takes_one_path() {
    let sb = Sandbox::new();
    // A broken profile does not stop init: it reads none.
    sb.write("broken.toml", "[person\n");
    let run = sb.run(&["--profile", "broken.toml", "init", "fresh.toml"]);
    assert_wrote(&run, "fresh.toml");
    sb.run(&["init", "a.toml", "b.toml"]).expect_code(2);
    assert!(!sb.path().join("a.toml").exists());
}
