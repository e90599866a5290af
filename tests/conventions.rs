//! The conventions of a well-kept command line, over the built binary: the
//! colour variables keep their precedence (also for `check`'s diagnostics),
//! and the LICENSE is the one Cargo.toml names.

mod common;

use std::path::Path;

use common::{ROOT, Sandbox, run, sgr_params};

/// Whether `text` has a colour (foreground 30-37, 90-97, 38;...) in it.
fn has_colour(text: &str) -> bool {
    sgr_params(text)
        .iter()
        .flatten()
        .any(|p| matches!(p.parse::<u32>(), Ok(30..=38 | 90..=97)))
}

#[test]
fn clicolor_zero_turns_colour_off_below_the_other_variables() {
    let sb = Sandbox::new();
    let snapshot = |env: &[(&str, &str)], flags: &[&str]| {
        let mut args = flags.to_vec();
        args.extend(["snapshot", "--ansi"]);
        let mut cmd = sb.command(&args);
        cmd.envs(env.iter().copied());
        let run = run(cmd);
        run.success();
        has_colour(&run.out())
    };
    // snapshot --ansi asks for a terminal's bytes: colour, unless told not to.
    assert!(snapshot(&[], &[]));
    assert!(!snapshot(&[("CLICOLOR", "0")], &[]));
    assert!(snapshot(&[("CLICOLOR", "1")], &[]));
    assert!(snapshot(&[("CLICOLOR", "0"), ("CLICOLOR_FORCE", "1")], &[]));
    assert!(!snapshot(&[("NO_COLOR", "1"), ("CLICOLOR", "1")], &[]));
    assert!(snapshot(&[("CLICOLOR", "0")], &["--color", "always"]));
    // In a terminal (a pty), the login card too.
    let card = |env: &[(&str, &str)]| {
        let bin = common::BIN;
        let run = sb.pty(&format!("{bin} banner --width 60"), env);
        has_colour(&run.screen())
    };
    assert!(card(&[]));
    assert!(!card(&[("CLICOLOR", "0")]));
}

#[test]
fn check_diagnostics_are_coloured_by_the_same_rule_for_stderr() {
    let sb = Sandbox::new();
    sb.write("profile.toml", "[person]\nnmae = \"x\"\n");
    let check = |env: &[(&str, &str)], flags: &[&str]| {
        let mut args = flags.to_vec();
        args.push("check");
        let mut cmd = sb.command(&args);
        cmd.envs(env.iter().copied());
        let run = run(cmd);
        run.expect_code(1);
        let err = run.err();
        assert!(
            common::strip_sgr(&err).starts_with("error: unknown key `nmae`"),
            "{err}"
        );
        has_colour(&err)
    };
    // stderr is a pipe here: plain, unless asked for.
    assert!(!check(&[], &[]));
    assert!(check(&[], &["--color", "always"]));
    assert!(check(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!check(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]));
    // A terminal's stderr: colour, unless CLICOLOR=0 (or NO_COLOR) says not.
    let bin = common::BIN;
    let pty = |env: &[(&str, &str)]| {
        let run = sb.pty(&format!("{bin} check"), env);
        let screen = run.screen();
        assert!(screen.contains("did you mean `name`?"), "{screen}");
        has_colour(&screen)
    };
    assert!(pty(&[]));
    assert!(!pty(&[("CLICOLOR", "0")]));
    assert!(!pty(&[("NO_COLOR", "1")]));
    // The warnings' summary line and the caret keep their text either way.
    sb.write(
        "warn.toml",
        "[person]\nname = \"x\"\n[bio]\ntext = \"[a](about.html)\"\n",
    );
    let mut cmd = sb.command(&[
        "--color",
        "always",
        "--profile",
        "warn.toml",
        "check",
        "--strict",
    ]);
    cmd.env_remove("NO_COLOR");
    let run = run(cmd);
    run.expect_code(1);
    let plain = common::strip_sgr(&run.err());
    assert!(plain.contains("warn.toml:4:"), "{plain}");
    assert!(
        plain.ends_with("error: warn.toml: 1 warning, and --strict makes them errors\n"),
        "{plain}"
    );
}

#[test]
fn the_license_is_mit_as_cargo_toml_says() {
    let license = std::fs::read_to_string(Path::new(ROOT).join("LICENSE")).unwrap();
    assert!(license.starts_with("MIT License\n"), "{license}");
    assert!(
        license.contains("Copyright (c) the termfolio contributors"),
        "{license}"
    );
    assert!(license.contains("THE SOFTWARE IS PROVIDED \"AS IS\""));
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\nlicense = \"MIT\"\n"));
}
