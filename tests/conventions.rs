//! The conventions of a well-kept command line, over the built binary: the
//! completions and the man page checked into `contrib/` are the ones the
//! binary generates, bash really completes with them, the man page reads
//! without a warning from groff, `--help` ends with examples, `--version`
//! names the features, the colour variables keep their precedence (also
//! for `check`'s diagnostics), and the LICENSE is the one Cargo.toml names.

mod common;

use std::path::Path;
use std::process::Command;

use common::{ROOT, Sandbox, run, sgr_params};

/// The files in `contrib/` that are generated, and the arguments that
/// generate each.
const GENERATED: &[(&str, &[&str])] = &[
    (
        "contrib/completions/termfolio.bash",
        &["completions", "bash"],
    ),
    ("contrib/completions/termfolio.zsh", &["completions", "zsh"]),
    (
        "contrib/completions/termfolio.fish",
        &["completions", "fish"],
    ),
    (
        "contrib/completions/termfolio.elv",
        &["completions", "elvish"],
    ),
    (
        "contrib/completions/termfolio.ps1",
        &["completions", "powershell"],
    ),
    ("contrib/termfolio.1", &["man"]),
];

/// Whether `tool` runs here; says SKIPPED when it does not.
fn have(tool: &str, why: &str) -> bool {
    let ok = Command::new(tool).arg("--version").output().is_ok();
    if !ok {
        eprintln!("SKIPPED {why}: `{tool}` is not on PATH");
    }
    ok
}

/// What `termfolio ARGS` prints, which must succeed quietly.
fn output_of(sb: &Sandbox, args: &[&str]) -> String {
    let run = sb.run(args);
    run.success();
    run.out()
}

#[test]
fn generated_files_in_contrib_are_current() {
    // The files describe the default build: the lean one has fewer commands.
    if !cfg!(all(feature = "ssh", feature = "import")) {
        eprintln!("SKIPPED: contrib/ describes the default features (ssh, import)");
        return;
    }
    let bless = std::env::var_os("TERMFOLIO_BLESS").is_some_and(|v| v == "1");
    let sb = Sandbox::new();
    let mut stale = Vec::new();
    for (file, args) in GENERATED {
        let want = output_of(&sb, args);
        let path = Path::new(ROOT).join(file);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(want.as_str()) {
            continue;
        }
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
        } else {
            stale.push(format!("cargo run -- {} > {file}", args.join(" ")));
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are not current; refresh them all with\n    \
         TERMFOLIO_BLESS=1 cargo test --test conventions generated\nor one by one:\n    {}",
        stale.join("\n    ")
    );
}

/// What bash's completion of the words `line` (the last one being
/// completed) offers, with the completion script termfolio generates
/// sourced into a real bash.
fn bash_completes(script: &Path, line: &[&str]) -> Vec<String> {
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let cword = line.len() - 1;
    let prev = if cword == 0 { "" } else { line[cword - 1] };
    let program = format!(
        "source '{}'\n\
         COMP_WORDS=({})\nCOMP_CWORD={cword}\nCOMP_LINE='{}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         _termfolio termfolio '{}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        words.join(" "),
        line.join(" "),
        line[cword],
    );
    let out = run({
        let mut cmd = Command::new("bash");
        cmd.args(["--norc", "--noprofile", "-c", &program]);
        cmd
    });
    out.success();
    out.out().lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_subcommands_and_flags() {
    if !have("bash", "bash completion") {
        return;
    }
    let sb = Sandbox::new();
    let script = sb.write("termfolio.bash", output_of(&sb, &["completions", "bash"]));
    // The words `complete` registers the function for.
    let registered = run({
        let mut cmd = Command::new("bash");
        cmd.args(["--norc", "-c"]).arg(format!(
            "source '{}'; complete -p termfolio",
            script.display()
        ));
        cmd
    });
    assert!(
        registered.out().contains("-F _termfolio termfolio"),
        "{}",
        registered.dump()
    );
    let offers = |line: &[&str]| bash_completes(&script, line);
    let first = offers(&["termfolio", ""]);
    for want in [
        "banner",
        "snapshot",
        "check",
        "init",
        "completions",
        "man",
        "--profile",
        "--color",
    ] {
        assert!(first.iter().any(|w| w == want), "{want} in {first:?}");
    }
    assert_eq!(offers(&["termfolio", "sn"]), ["snapshot"]);
    assert_eq!(offers(&["termfolio", "ch"]), ["check"]);
    let snapshot = offers(&["termfolio", "snapshot", "--"]);
    for want in ["--tab", "--size", "--keys", "--ansi", "--profile"] {
        assert!(snapshot.iter().any(|w| w == want), "{want} in {snapshot:?}");
    }
    assert!(
        !snapshot.iter().any(|w| w == "--strict"),
        "check's flag offered to snapshot: {snapshot:?}"
    );
    assert_eq!(offers(&["termfolio", "check", "--s"]), ["--strict"]);
    assert_eq!(
        offers(&["termfolio", "--color", ""]),
        ["auto", "always", "never"]
    );
    let shells = offers(&["termfolio", "completions", ""]);
    for want in ["bash", "zsh", "fish", "elvish", "powershell"] {
        assert!(shells.iter().any(|w| w == want), "{want} in {shells:?}");
    }
}

#[test]
fn the_man_page_reads_without_a_warning() {
    if !have("groff", "the man page under groff") {
        return;
    }
    let sb = Sandbox::new();
    let page = sb.write("termfolio.1", output_of(&sb, &["man"]));
    let mut cmd = sb.program("groff", &["-man", "-Tutf8", "-ww", "-rLL=80n"]);
    cmd.arg(&page);
    let run = run(cmd);
    run.success();
    // groff marks bold by overstriking; read the text.
    let text = strip_overstrike(&run.out());
    // Justified lines have runs of spaces: compare words.
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "NAME termfolio - An academic profile in the terminal",
        "SYNOPSIS termfolio [--profile PATH]",
        "COMMANDS banner Print the login card",
        "init Write a commented starter profile",
        "termfolio init [PATH]",
        "check [--strict] --strict Treat warnings",
        "EXAMPLES termfolio Browse your profile",
        "EXIT STATUS 0 on success",
        "ENVIRONMENT TERMFOLIO_PROFILE",
        "CLICOLOR 0: no colour",
        "FILES ./profile.toml",
    ] {
        assert!(words.contains(want), "{want:?} not in the page:\n{text}");
    }
    // Every line fits the 80 columns asked for.
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
}

/// groff's `x\bx` (bold) and `_\bx` (underline) as `x`.
fn strip_overstrike(text: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{8}' {
            out.pop();
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    // Terminal escapes, should groff write them (SGR mode).
    common::strip_sgr(&out.into_iter().collect::<String>())
}

#[test]
fn help_ends_with_examples_that_name_real_commands() {
    let sb = Sandbox::new();
    for flag in ["-h", "--help"] {
        let help = output_of(&sb, &[flag]);
        let examples = help
            .split_once("\nExamples:\n")
            .map(|(_, rest)| rest)
            .unwrap_or_else(|| panic!("{flag}: no Examples section:\n{help}"));
        assert!(
            help.find("Options:") < help.find("Examples:"),
            "examples come last:\n{help}"
        );
        let commands: Vec<&str> = help
            .split_once("\nCommands:\n")
            .and_then(|(_, rest)| rest.split_once("\n\n"))
            .map(|(list, _)| {
                list.lines()
                    .filter_map(|l| l.split_whitespace().next())
                    .collect()
            })
            .unwrap_or_default();
        assert!(commands.contains(&"init"), "{help}");
        let lines: Vec<&str> = examples
            .lines()
            .filter_map(|l| l.strip_prefix("      termfolio"))
            .collect();
        assert!(lines.len() >= 5, "{examples}");
        // Each example is the viewer itself or runs a command there is.
        for line in lines {
            assert!(
                line.is_empty() || line.split_whitespace().any(|w| commands.contains(&w)),
                "termfolio{line}: no such command in {commands:?}"
            );
        }
        for line in examples.lines() {
            assert!(line.chars().count() <= 80, "too wide: {line:?}");
        }
    }
}

#[test]
fn version_names_the_features_built_in() {
    let sb = Sandbox::new();
    let version = output_of(&sb, &["--version"]);
    let want_start = format!("termfolio {} (features: ", env!("CARGO_PKG_VERSION"));
    assert!(version.starts_with(&want_start), "{version}");
    assert!(version.ends_with(")\n"), "{version:?}");
    let listed = version[want_start.len()..version.len() - 2].to_string();
    let built: Vec<&str> = [
        ("ssh", cfg!(feature = "ssh")),
        ("import", cfg!(feature = "import")),
        ("photo", cfg!(feature = "photo")),
    ]
    .iter()
    .filter(|(_, on)| *on)
    .map(|(name, _)| *name)
    .collect();
    let want = if built.is_empty() {
        "none".to_string()
    } else {
        built.join(", ")
    };
    assert_eq!(listed, want);
    assert_eq!(output_of(&sb, &["-V"]), version);
}

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
