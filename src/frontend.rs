//! What the front ends share: writing to stdout, the colour decision, and
//! carrying out what the model asks for (copy, open) with the same messages
//! in the local terminal and over SSH.

use std::io::{self, Write};

use crate::app::{App, Effect};
use crate::cli::ColorChoice;

/// Writes `text` to stdout and flushes; a closed pipe (`| head -1`) is not
/// an error, the output just ends.
pub fn write_stdout(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// `n` and the noun, singular for one: "1 publication", "2 publications".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the environment says about colour, read once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColorEnv {
    /// `CLICOLOR_FORCE` set to something other than empty or `0`.
    pub force: bool,
    /// `NO_COLOR` set and not empty.
    pub no_color: bool,
    /// A terminal that cannot show colour (`TERM=dumb`).
    pub dumb: bool,
    /// Whether the output goes to a terminal.
    pub terminal: bool,
}

impl ColorEnv {
    /// This process's environment; `terminal` says whether the output is one.
    pub fn of_process(terminal: bool) -> ColorEnv {
        let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        ColorEnv {
            force: set("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
            no_color: set("NO_COLOR").is_some(),
            dumb: std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
            terminal,
        }
    }

    #[cfg(feature = "ssh")]
    /// An SSH visitor's: the `TERM` their client sent with the PTY (none, or
    /// `dumb`: no colour) and whether they sent `NO_COLOR`.
    pub(crate) fn of_visitor(term: Option<&str>, no_color: bool) -> ColorEnv {
        ColorEnv {
            force: false,
            no_color,
            dumb: term.is_none_or(|t| t.is_empty() || t == "dumb"),
            terminal: term.is_some(),
        }
    }
}

/// Whether to colour: `--color always|never` decides; under `auto`,
/// `CLICOLOR_FORCE` turns colour on, and otherwise it needs a terminal,
/// no `NO_COLOR` and a `TERM` other than `dumb`.
pub fn color(choice: ColorChoice, env: ColorEnv) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => env.force || (env.terminal && !env.no_color && !env.dumb),
    }
}

/// Where a front end carries out the model's effects.
pub(crate) trait Effects {
    /// Puts `text` on the clipboard of whoever is looking (OSC 52).
    fn copy(&mut self, text: &str) -> io::Result<()>;
    /// Opens `url` (already checked against the link table); the opener's name.
    fn open(&mut self, url: &str) -> io::Result<&'static str>;
}

/// Carries out every effect the model asked for and says in the footer what
/// was done: the same messages for every front end.
pub(crate) fn apply_effects(app: &mut App, to: &mut impl Effects) -> io::Result<()> {
    for effect in app.take_effects() {
        match effect {
            Effect::Copy { text, what } => {
                to.copy(&text)?;
                // OSC 52 asks the terminal; it may say no (tmux's default
                // `set-clipboard external` drops it), so say what was done.
                app.set_status(format!(
                    "Sent the BibTeX of “{what}” to the terminal's clipboard."
                ));
            }
            Effect::Open(url) => match to.open(&url) {
                Ok(opener) => app.set_status(format!("Opened {url} with {opener}")),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    app.set_status(format!("No opener on this machine. Link: {url}"));
                }
                Err(e) => app.set_status(format!("Could not open {url}: {e}")),
            },
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTY: ColorEnv = ColorEnv {
        force: false,
        no_color: false,
        dumb: false,
        terminal: true,
    };

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(0, "publication", "publications"), "0 publications");
        assert_eq!(count(1, "publication", "publications"), "1 publication");
        assert_eq!(
            count(2, "extra section", "extra sections"),
            "2 extra sections"
        );
    }

    #[test]
    fn colour_follows_the_flag_then_the_environment() {
        assert!(color(ColorChoice::Always, ColorEnv::default()));
        assert!(!color(ColorChoice::Never, TTY));
        assert!(color(ColorChoice::Auto, TTY));
        for off in [
            ColorEnv {
                no_color: true,
                ..TTY
            },
            ColorEnv { dumb: true, ..TTY },
            ColorEnv {
                terminal: false,
                ..TTY
            },
        ] {
            assert!(!color(ColorChoice::Auto, off), "{off:?}");
            assert!(color(ColorChoice::Auto, ColorEnv { force: true, ..off }));
        }
    }

    #[cfg(feature = "ssh")]
    #[test]
    fn a_visitor_without_a_term_gets_no_colour() {
        assert!(!color(ColorChoice::Auto, ColorEnv::of_visitor(None, false)));
        assert!(!color(
            ColorChoice::Auto,
            ColorEnv::of_visitor(Some(""), false)
        ));
        assert!(!color(
            ColorChoice::Auto,
            ColorEnv::of_visitor(Some("dumb"), false)
        ));
        assert!(!color(
            ColorChoice::Auto,
            ColorEnv::of_visitor(Some("xterm"), true)
        ));
        assert!(color(
            ColorChoice::Auto,
            ColorEnv::of_visitor(Some("xterm"), false)
        ));
    }
}
