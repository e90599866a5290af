//! What is generated from the command line's definition ([`Cli`]), so that
//! it never drifts from it: the shell completions (`termfolio completions
//! SHELL`) and the man page (`termfolio man`). The repository keeps copies
//! in `contrib/`, which a test regenerates.

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::{self, Cli};

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> String {
    let mut out = Vec::new();
    // Into memory: clap_complete panics on a failed write (a closed pipe).
    clap_complete::generate(shell, &mut Cli::command(), "termfolio", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The man page, termfolio(1), in roff: the global options, then each
/// command with its own, the examples, the exit status, the environment
/// and the files.
pub fn man_page() -> String {
    // The version alone: the page describes the program, not one build.
    let cmd = Cli::command().version(env!("CARGO_PKG_VERSION"));
    let mut cmd = cmd.override_usage(
        "termfolio [--profile PATH] [--color WHEN] [--hyperlinks WHEN]\n\
         termfolio [--profile PATH] COMMAND [OPTIONS]",
    );
    cmd.build();
    let man = Man::new(cmd.clone());
    let mut page = Roff::new().render();
    page.push_str(&section(|w| man.render_title(w)));
    page.push_str(&section(|w| man.render_name_section(w)));
    page.push_str(&section(|w| man.render_synopsis_section(w)));
    page.push_str(&prose_section("DESCRIPTION", DESCRIPTION));
    page.push_str(&section(|w| man.render_options_section(w)));
    page.push_str(&commands(&cmd));
    page.push_str(&examples());
    page.push_str(&prose_section("EXIT STATUS", EXIT_STATUS));
    page.push_str(&entries("ENVIRONMENT", ENVIRONMENT));
    page.push_str(&entries("FILES", &files()));
    page.push_str(&prose_section("SEE ALSO", SEE_ALSO));
    page
}

/// One section rendered by clap_mangen, without roff's preamble (the page
/// has it once, at the top).
fn section(render: impl Fn(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = render(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let preamble = Roff::new().render();
    text.strip_prefix(&preamble).unwrap_or(&text).to_string()
}

/// `.SH COMMANDS`: each command (not `help`) as a subsection with what it
/// does, its synopsis and its own options (the global ones are above).
fn commands(cmd: &clap::Command) -> String {
    let mut out = String::from(".SH COMMANDS\n");
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let sub = own_options_only(sub.clone());
        let man = Man::new(sub.clone());
        let mut head = Roff::new();
        head.control("SS", [sub.get_name()]);
        if let Some(about) = sub.get_about() {
            head.text([roman(about.to_string())]);
        }
        head.control("PP", []);
        out.push_str(&without_preamble(&head));
        // The synopsis's and options' text, under this subsection.
        let synopsis = section(|w| man.render_synopsis_section(w));
        out.push_str(synopsis.strip_prefix(".SH SYNOPSIS\n").unwrap_or(&synopsis));
        let options = section(|w| man.render_options_section(w));
        out.push_str(options.strip_prefix(".SH OPTIONS\n").unwrap_or(&options));
    }
    out
}

/// The command with the global options (shown once, above) and `--help`
/// hidden.
fn own_options_only(mut sub: clap::Command) -> clap::Command {
    let shared: Vec<String> = sub
        .get_arguments()
        .filter(|a| a.is_global_set() || a.get_id() == "help")
        .map(|a| a.get_id().to_string())
        .collect();
    for id in shared {
        sub = sub.mut_arg(id, |a| a.hide(true));
    }
    sub
}

/// `.SH EXAMPLES`, from the examples `--help` shows.
fn examples() -> String {
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLES"]);
    for (command, does) in cli::examples() {
        roff.control("TP", []);
        roff.text([bold(command)]);
        roff.text([roman(format!("{does}."))]);
    }
    without_preamble(&roff)
}

/// A section of paragraphs (separated by blank lines in `text`).
fn prose_section(title: &str, text: &str) -> String {
    let mut roff = Roff::new();
    roff.control("SH", [title]);
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            roff.control("PP", []);
        }
        roff.text([roman(paragraph.replace('\n', " "))]);
    }
    without_preamble(&roff)
}

/// A section of tagged entries: a name in bold, what it is.
fn entries(title: &str, items: &[(&str, &str)]) -> String {
    let mut roff = Roff::new();
    roff.control("SH", [title]);
    for (name, meaning) in items {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*meaning)]);
    }
    without_preamble(&roff)
}

/// Roff's text without its preamble.
fn without_preamble(roff: &Roff) -> String {
    let preamble = Roff::new().render();
    let text = roff.render();
    text.strip_prefix(&preamble).unwrap_or(&text).to_string()
}

const DESCRIPTION: &str = "\
termfolio shows an academic profile, read from profile.toml, as a tabbed \
terminal viewer: Bio, Research, News, Publications and any extra sections \
the profile defines. The same binary prints a compact login card for ssh \
banners, prints scripted screens of the viewer, validates profiles, \
imports and exports BibTeX and al-folio sites, and serves the viewer to \
anyone over SSH.

Without a command, termfolio opens the viewer; when standard output is not \
a terminal it prints the whole profile as plain text, wrapped to 80 \
columns, and exits.

The profile is the file given with --profile (before or after the command), \
else $TERMFOLIO_PROFILE, else ./profile.toml, else \
$XDG_CONFIG_HOME/termfolio/profile.toml, else the copy compiled into the \
binary. An explicit profile that cannot be read is an error. termfolio init \
writes a commented starter profile.

Colour: --color always or never decides; under auto (the default), \
CLICOLOR_FORCE set and not 0 turns it on, else NO_COLOR set and not empty \
turns it off, else CLICOLOR=0 turns it off, else colour is used when the \
output is a terminal whose TERM is not dumb. Diagnostics on standard error \
follow the same rule, for standard error.";

const EXIT_STATUS: &str = "\
0 on success; 2 for a usage error; 1 for anything else, such as an invalid \
profile (check also exits 1 for a warning under --strict). Errors go to \
standard error and start with error:; a profile problem names the file, the \
line and the column, shows the line with a caret, and suggests the right key \
for a misspelt one.";

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "TERMFOLIO_PROFILE",
        "The profile, when --profile is not given (empty counts as unset).",
    ),
    (
        "XDG_CONFIG_HOME",
        "Where the profile is looked for after ./profile.toml: \
         $XDG_CONFIG_HOME/termfolio/profile.toml (default ~/.config).",
    ),
    (
        "CLICOLOR_FORCE",
        "Set and not 0: colour even when the output is not a terminal (--color wins).",
    ),
    (
        "NO_COLOR",
        "Set and not empty: no colour (--color and CLICOLOR_FORCE win).",
    ),
    (
        "CLICOLOR",
        "0: no colour (--color, CLICOLOR_FORCE and NO_COLOR win).",
    ),
    (
        "TERM",
        "dumb: no colour; also tells which terminals take OSC 8 hyperlinks (with \
         TERM_PROGRAM, VTE_VERSION and the like).",
    ),
    (
        "COLUMNS",
        "The login card's width when the terminal's is not known.",
    ),
    (
        "LC_ALL, LC_CTYPE, LANG",
        "A locale that is not UTF-8 gives the login card ASCII decorations.",
    ),
];

/// `.SH FILES`: the profile's places, and the host key where `serve` is built in.
fn files() -> Vec<(&'static str, &'static str)> {
    let mut files = vec![
        (
            "./profile.toml",
            "The profile, when neither --profile nor TERMFOLIO_PROFILE is given.",
        ),
        (
            "$XDG_CONFIG_HOME/termfolio/profile.toml",
            "The profile, when there is no ./profile.toml.",
        ),
    ];
    if cfg!(feature = "ssh") {
        files.push((
            "$XDG_DATA_HOME/termfolio/ssh_host_ed25519_key",
            "The host key of serve (default ~/.local/share), made on first start with mode 0600.",
        ));
    }
    files
}

const SEE_ALSO: &str = "ssh(1), sshd_config(5) (Banner, ForceCommand). The README \
of termfolio's repository describes the profile format key by key.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_man_page_has_its_sections_once_and_one_preamble() {
        let page = man_page();
        for heading in [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "COMMANDS",
            "EXAMPLES",
            "\"EXIT STATUS\"",
            "ENVIRONMENT",
            "FILES",
            "\"SEE ALSO\"",
        ] {
            let line = format!("\n.SH {heading}\n");
            assert_eq!(page.matches(&line).count(), 1, "{heading}:\n{page}");
        }
        let preamble = Roff::new().render();
        assert!(page.starts_with(&preamble));
        assert_eq!(page.matches(preamble.trim()).count(), 1, "{page}");
        assert!(page.contains("\n.TH termfolio 1 "), "{page}");
    }

    #[test]
    fn each_command_has_its_own_options_and_not_the_global_ones() {
        let page = man_page();
        let commands =
            &page[page.find(".SH COMMANDS").unwrap()..page.find(".SH EXAMPLES").unwrap()];
        for want in [
            ".SS banner",
            ".SS snapshot",
            ".SS init",
            ".SS completions",
            ".SS man",
        ] {
            assert!(commands.contains(want), "{want}:\n{commands}");
        }
        assert!(commands.contains("\\-\\-width"), "{commands}");
        assert!(!commands.contains("\\-\\-hyperlinks"), "{commands}");
        assert!(!commands.contains(".SS help"), "{commands}");
    }

    #[test]
    fn completions_name_every_command() {
        let bash = completions(Shell::Bash);
        for command in ["banner", "snapshot", "check", "init", "completions", "man"] {
            assert!(bash.contains(command), "{command}");
        }
        assert!(bash.contains("_termfolio()"), "{bash}");
    }
}
