//! What the front ends share: writing to stdout, the colour decision, and
//! carrying out what the model asks for (copy, open) with the same messages
//! in the local terminal and over SSH.

use std::ffi::OsString;
use std::io::{self, Write};

use crate::app::{App, Effect};
use crate::cli::{ColorChoice, HyperlinkChoice};

/// Writes `text` to stdout and flushes; a closed pipe (`| head -1`) is not
/// an error, the output just ends.
pub fn write_stdout(text: &str) -> io::Result<()> {
    stream_stdout(|out| out.write_all(text.as_bytes()))
}

/// Lets `write` write to a buffered stdout as it goes, then flushes, with
/// [`write_stdout`]'s rule for a closed pipe.
pub fn stream_stdout(
    write: impl FnOnce(&mut io::BufWriter<io::StdoutLock<'static>>) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

pub use crate::doc::text::count;

/// What the environment says about colour, read once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColorEnv {
    /// `CLICOLOR_FORCE` set to something other than empty or `0`.
    pub force: bool,
    /// `NO_COLOR` set and not empty.
    pub no_color: bool,
    /// `CLICOLOR=0`: no colour, unless forced.
    pub clicolor_off: bool,
    /// A terminal that cannot show colour (`TERM=dumb`).
    pub dumb: bool,
    /// Whether the output goes to a terminal.
    pub terminal: bool,
}

impl ColorEnv {
    /// This process's environment; `terminal` says whether the output is one.
    pub fn of_process(terminal: bool) -> ColorEnv {
        ColorEnv::of_vars(|name| std::env::var_os(name), terminal)
    }

    /// The environment whose variables `var` gives.
    fn of_vars(var: impl Fn(&str) -> Option<OsString>, terminal: bool) -> ColorEnv {
        let set = |name: &str| var(name).filter(|v| !v.is_empty());
        ColorEnv {
            force: set("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
            no_color: set("NO_COLOR").is_some(),
            clicolor_off: var("CLICOLOR").is_some_and(|v| v == "0"),
            dumb: var("TERM").is_some_and(|t| t == "dumb"),
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
            clicolor_off: false,
            dumb: term.is_none_or(|t| t.is_empty() || t == "dumb"),
            terminal: term.is_some(),
        }
    }
}

/// Whether to colour, the first of these that speaks deciding:
/// `--color always|never`; `CLICOLOR_FORCE` (not empty, not `0`) turns it
/// on; `NO_COLOR` (not empty) turns it off; `CLICOLOR=0` turns it off;
/// else colour when the output is a terminal, and not a `TERM=dumb` one.
pub fn color(choice: ColorChoice, env: ColorEnv) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if env.force => true,
        ColorChoice::Auto if env.no_color || env.clicolor_off => false,
        ColorChoice::Auto => env.terminal && !env.dumb,
    }
}

/// What the environment says about a terminal's OSC 8 hyperlinks: the
/// variables terminals set about themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TerminalEnv {
    pub term: Option<String>,
    pub term_program: Option<String>,
    pub term_program_version: Option<String>,
    /// VTE's version (GNOME Terminal, Tilix, ...), as it sets `VTE_VERSION`.
    pub vte_version: Option<String>,
    /// Set by Konsole (`KONSOLE_VERSION`) or Windows Terminal (`WT_SESSION`).
    pub konsole_or_windows_terminal: bool,
    /// Whether the output goes to a terminal.
    pub terminal: bool,
}

impl TerminalEnv {
    /// This process's environment; `terminal` says whether the output is one.
    pub fn of_process(terminal: bool) -> TerminalEnv {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        TerminalEnv {
            term: var("TERM"),
            term_program: var("TERM_PROGRAM"),
            term_program_version: var("TERM_PROGRAM_VERSION"),
            vte_version: var("VTE_VERSION"),
            konsole_or_windows_terminal: var("KONSOLE_VERSION").is_some()
                || var("WT_SESSION").is_some(),
            terminal,
        }
    }

    #[cfg(feature = "ssh")]
    /// An SSH visitor's: the `TERM` of their PTY and the `TERM_PROGRAM` (and
    /// version) their client sent, if it did.
    pub(crate) fn of_visitor(
        term: Option<&str>,
        term_program: Option<&str>,
        term_program_version: Option<&str>,
    ) -> TerminalEnv {
        TerminalEnv {
            term: term.map(str::to_string),
            term_program: term_program.map(str::to_string),
            term_program_version: term_program_version.map(str::to_string),
            vte_version: None,
            konsole_or_windows_terminal: false,
            terminal: term.is_some(),
        }
    }

    /// Whether this terminal is known to take OSC 8 hyperlinks. Unknown
    /// terminals, `TERM=dumb` and the Linux console are not.
    fn takes_hyperlinks(&self) -> bool {
        let term = self.term.as_deref().unwrap_or("");
        if !self.terminal || term.is_empty() || term == "dumb" || term.starts_with("linux") {
            return false;
        }
        let version = |v: Option<&str>| -> Vec<u32> {
            v.unwrap_or("")
                .split(['.', '-', 'a', 'b'])
                .map_while(|n| n.parse().ok())
                .collect()
        };
        match self.term_program.as_deref() {
            Some(
                "iTerm.app" | "WezTerm" | "vscode" | "ghostty" | "Hyper" | "Tabby" | "rio"
                | "WarpTerminal" | "kitty",
            ) => return true,
            // tmux passes hyperlinks on from 3.4 (and drops them safely when
            // the terminal outside does not take them).
            Some("tmux") => return version(self.term_program_version.as_deref()) >= vec![3, 4],
            _ => {}
        }
        if [
            "xterm-kitty",
            "xterm-ghostty",
            "wezterm",
            "alacritty",
            "foot",
            "contour",
        ]
        .iter()
        .any(|known| term.starts_with(known))
        {
            return true;
        }
        // VTE 0.50 (5000) brought OSC 8.
        let vte = self
            .vte_version
            .as_deref()
            .and_then(|v| v.parse::<u32>().ok());
        vte.is_some_and(|v| v >= 5000) || self.konsole_or_windows_terminal
    }
}

/// Whether a terminal takes 24-bit colour: `COLORTERM=truecolor` (or
/// `24bit`), or a `TERM` of the `-direct` kind; else the photo is drawn in the
/// 256-colour palette.
pub fn truecolor(term: Option<&str>, colorterm: Option<&str>) -> bool {
    colorterm
        .is_some_and(|c| c.eq_ignore_ascii_case("truecolor") || c.eq_ignore_ascii_case("24bit"))
        || term.is_some_and(|t| t.ends_with("-direct"))
}

/// How the photo shows on this process's terminal: not at all without
/// colour, else in true colour when the terminal says it takes it.
pub fn photo_look(color: bool) -> crate::app::PhotoLook {
    if !color {
        return crate::app::PhotoLook::Off;
    }
    let var = |name: &str| std::env::var(name).ok();
    crate::app::PhotoLook::Drawn {
        truecolor: truecolor(var("TERM").as_deref(), var("COLORTERM").as_deref()),
    }
}

/// Whether links are OSC 8 hyperlinks: `--hyperlinks always|never` decides;
/// under `auto`, only on a terminal known to take them.
pub fn hyperlinks(choice: HyperlinkChoice, env: &TerminalEnv) -> bool {
    match choice {
        HyperlinkChoice::Always => true,
        HyperlinkChoice::Never => false,
        HyperlinkChoice::Auto => env.takes_hyperlinks(),
    }
}

// ---------------------------------------------------------------------------
// Which graphics a terminal draws (for the photo)
// ---------------------------------------------------------------------------

/// What the terminal said about its graphics.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Answer {
    pub kitty: bool,
    pub sixel: bool,
    /// A cell's width and height in pixels.
    pub cell: Option<(u16, u16)>,
}

/// The query: kitty's graphics, the cell size in pixels, then the primary
/// device attributes (DA1), which every terminal answers: their answer ends
/// the wait.
pub(crate) const GRAPHICS_QUERY: &str = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[16t\x1b[c";

/// The terminal's answer once it is whole (DA1's reply has come), read with
/// ratatui-image's parser of these replies.
pub(crate) fn parse_answer(reply: &[u8]) -> Option<Answer> {
    let text = String::from_utf8_lossy(reply);
    let da1 = text.find("\x1b[?")?;
    text[da1..].find('c')?;
    #[cfg_attr(not(feature = "photo"), allow(unused_mut))]
    let mut answer = Answer::default();
    #[cfg(feature = "photo")]
    {
        use ratatui_image::picker::cap_parser::{Parser, Response};
        let mut parser = Parser::new();
        for c in text.chars() {
            for response in parser.push(c) {
                match response {
                    Response::Kitty => answer.kitty = true,
                    Response::Sixel => answer.sixel = true,
                    Response::CellSize(Some(size)) => answer.cell = Some(size),
                    _ => {}
                }
            }
        }
    }
    Some(answer)
}

/// Whether asking a terminal with this `TERM` about graphics makes sense:
/// not a dumb one, not the Linux console, not inside tmux or screen (their
/// passthrough is not something to count on).
pub(crate) fn may_ask_for_graphics(term: &str) -> bool {
    !(term.is_empty()
        || term == "dumb"
        || term.starts_with("linux")
        || term.starts_with("tmux")
        || term.starts_with("screen"))
}

/// The photo's look from a terminal's answer (and what its environment
/// says of it): its own graphics, or `None` for half blocks. WezTerm and
/// Konsole answer kitty's query but draw its placeholders wrongly and their
/// sixel is poor: iTerm2's images there.
pub(crate) fn graphics_look(
    answer: &Answer,
    term_program: &str,
    konsole: bool,
) -> Option<crate::app::PhotoLook> {
    use crate::photo::Graphics;
    let iterm2 = matches!(term_program, "iTerm.app" | "WezTerm") || konsole;
    let kind = if iterm2 {
        Graphics::Iterm2
    } else if answer.kitty {
        Graphics::Kitty
    } else if answer.sixel && answer.cell.is_some() {
        Graphics::Sixel
    } else {
        return None;
    };
    // A terminal (or an SSH client) may claim any cell size: a sane one
    // only, rounded to even pixels, so that no answer can make a picture of
    // millions of pixels and few distinct sizes are ever made (visitors
    // share what is made).
    let (w, h) = answer.cell.unwrap_or((10, 20));
    let even = |v: u16, lo: u16, hi: u16| v.clamp(lo, hi).div_ceil(2) * 2;
    Some(crate::app::PhotoLook::Graphic {
        kind,
        font: (even(w, 4, 32), even(h, 8, 64)),
    })
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
                app.set_status(format!("Sent {what} to the terminal's clipboard."));
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
        clicolor_off: false,
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
            ColorEnv {
                clicolor_off: true,
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

    /// The precedence, row by row: `--color`, then `CLICOLOR_FORCE`, then
    /// `NO_COLOR`, then `CLICOLOR=0`, then whether the output is a terminal
    /// (and not a dumb one).
    #[test]
    fn colour_precedence_table() {
        use ColorChoice::{Always, Auto, Never};
        // (--color, CLICOLOR_FORCE, NO_COLOR, CLICOLOR=0, terminal, colour?)
        let table: &[(ColorChoice, bool, bool, bool, bool, bool)] = &[
            (Always, false, true, true, false, true),
            (Never, true, false, false, true, false),
            (Auto, true, true, true, false, true),
            (Auto, true, false, false, false, true),
            (Auto, false, true, false, true, false),
            (Auto, false, true, true, true, false),
            (Auto, false, false, true, true, false),
            (Auto, false, false, false, true, true),
            (Auto, false, false, false, false, false),
        ];
        for &(choice, force, no_color, clicolor_off, terminal, want) in table {
            let env = ColorEnv {
                force,
                no_color,
                clicolor_off,
                dumb: false,
                terminal,
            };
            assert_eq!(color(choice, env), want, "{choice:?} {env:?}");
        }
    }

    #[test]
    fn the_variables_are_read_as_their_conventions_say() {
        let env = |vars: &[(&str, &str)]| {
            let vars: Vec<(String, OsString)> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), OsString::from(v)))
                .collect();
            ColorEnv::of_vars(
                |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
                true,
            )
        };
        assert_eq!(env(&[]), TTY);
        // CLICOLOR: only 0 means off; CLICOLOR=1 forces nothing.
        assert!(env(&[("CLICOLOR", "0")]).clicolor_off);
        for other in ["1", "", "yes", "00"] {
            assert_eq!(env(&[("CLICOLOR", other)]), TTY, "CLICOLOR={other:?}");
        }
        // CLICOLOR_FORCE: anything but empty and 0 forces.
        assert!(env(&[("CLICOLOR_FORCE", "1")]).force);
        assert!(env(&[("CLICOLOR_FORCE", "yes")]).force);
        assert!(!env(&[("CLICOLOR_FORCE", "0")]).force);
        assert!(!env(&[("CLICOLOR_FORCE", "")]).force);
        // NO_COLOR: anything but empty, even 0.
        assert!(env(&[("NO_COLOR", "0")]).no_color);
        assert!(!env(&[("NO_COLOR", "")]).no_color);
        assert!(env(&[("TERM", "dumb")]).dumb);
        // All at once: the force wins, as the table above has it.
        let all = env(&[
            ("CLICOLOR_FORCE", "1"),
            ("NO_COLOR", "1"),
            ("CLICOLOR", "0"),
        ]);
        assert!(color(ColorChoice::Auto, all));
        assert!(!color(
            ColorChoice::Auto,
            ColorEnv {
                force: false,
                ..all
            }
        ));
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

    #[test]
    fn hyperlinks_only_on_terminals_known_to_take_them() {
        let env = |term: &str, program: Option<&str>, version: Option<&str>| TerminalEnv {
            term: Some(term.to_string()),
            term_program: program.map(str::to_string),
            term_program_version: version.map(str::to_string),
            terminal: true,
            ..TerminalEnv::default()
        };
        let auto = |e: &TerminalEnv| hyperlinks(HyperlinkChoice::Auto, e);
        for on in [
            env("xterm-kitty", None, None),
            env("xterm-256color", Some("iTerm.app"), None),
            env("xterm-256color", Some("WezTerm"), None),
            env("tmux-256color", Some("tmux"), Some("3.4")),
            env("foot", None, None),
            TerminalEnv {
                vte_version: Some("7600".into()),
                ..env("xterm-256color", None, None)
            },
        ] {
            assert!(auto(&on), "{on:?}");
        }
        for off in [
            env("xterm-256color", None, None),
            env("dumb", Some("iTerm.app"), None),
            env("linux", None, None),
            env("tmux-256color", Some("tmux"), Some("3.3a")),
            env("screen", None, None),
            TerminalEnv {
                terminal: false,
                ..env("xterm-kitty", None, None)
            },
            TerminalEnv::default(),
        ] {
            assert!(!auto(&off), "{off:?}");
            assert!(hyperlinks(HyperlinkChoice::Always, &off));
        }
        assert!(!hyperlinks(
            HyperlinkChoice::Never,
            &env("xterm-kitty", None, None)
        ));
    }

    #[cfg(feature = "photo")]
    #[test]
    fn answers_are_read_once_whole() {
        let kitty = "\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1b[?62;22c";
        assert_eq!(
            parse_answer(kitty.as_bytes()),
            Some(Answer {
                kitty: true,
                sixel: false,
                cell: Some((10, 20))
            })
        );
        let xterm = "\x1b[6;17;9t\x1b[?63;1;2;4;6;9;15;22c";
        assert_eq!(
            parse_answer(xterm.as_bytes()),
            Some(Answer {
                kitty: false,
                sixel: true,
                cell: Some((9, 17))
            })
        );
        // Only DA1 (most terminals): nothing better than half blocks.
        assert_eq!(parse_answer(b"\x1b[?1;2c"), Some(Answer::default()));
        // Not whole yet, or garbage: keep reading (until the timeout).
        assert_eq!(parse_answer(b"\x1b_Gi=31;OK\x1b\\"), None);
        assert_eq!(parse_answer(b"\x1b[?62;4"), None);
        assert_eq!(parse_answer(b"\xff\xfe garbage"), None);
    }

    #[cfg(feature = "photo")]
    #[test]
    fn no_answer_can_ask_for_a_giant_picture() {
        let answer = Answer {
            kitty: false,
            sixel: true,
            cell: Some((65535, 65535)),
        };
        assert_eq!(
            graphics_look(&answer, "", false),
            Some(crate::app::PhotoLook::Graphic {
                kind: crate::photo::Graphics::Sixel,
                font: (32, 64)
            })
        );
    }
}
