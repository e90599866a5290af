//! The escape sequences termfolio writes, in one place: SGR styles, the
//! full-screen viewer's enter and leave sequences (for SSH visitors, whose
//! terminal we drive with bytes), and OSC 52 clipboard copies, which work in
//! a local terminal, inside tmux (when it allows them) and over SSH, with no
//! clipboard tool on the machine.

use std::fmt::Write as _;

use ratatui::style::{Color, Modifier, Style};

/// Alternate screen, hidden cursor, mouse clicks and wheel as SGR reports.
#[cfg(feature = "ssh")]
pub(crate) const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[?1000h\x1b[?1006h\x1b[H\x1b[2J";
/// Everything [`ENTER`] turned on, turned off again.
#[cfg(feature = "ssh")]
pub(crate) const LEAVE: &[u8] = b"\x1b[?1006l\x1b[?1000l\x1b[0m\x1b[?25h\x1b[?1049l";

/// Ends an OSC 8 hyperlink.
pub(crate) const LINK_END: &str = "\x1b]8;;\x1b\\";

/// Starts an OSC 8 hyperlink to `url`, numbered `id` on this screen (the
/// pieces of a wrapped link share it); `None` for a target the link table
/// refuses. The URL is percent-encoded to printable ASCII here and the id is
/// ours, so nothing from the profile can end or extend the sequence.
pub(crate) fn link_start(id: u16, url: &str) -> Option<String> {
    use crate::profile::links;
    links::allowed(url).then(|| format!("\x1b]8;id=tf{id};{}\x1b\\", links::for_terminal(url)))
}

/// Which OSC 8 link the output is in, as the cells of a screen are
/// written: only what changes is written.
#[derive(Debug, Default)]
pub(crate) struct LinkState(Option<u16>);

impl LinkState {
    /// Into `link` (its number on the screen and URL), or out of any.
    pub(crate) fn switch(&mut self, out: &mut String, link: Option<(u16, &str)>) {
        if link.map(|(n, _)| n) == self.0 {
            return;
        }
        if self.0.take().is_some() {
            out.push_str(LINK_END);
        }
        if let Some((n, url)) = link
            && let Some(start) = link_start(n, url)
        {
            out.push_str(&start);
            self.0 = Some(n);
        }
    }
}

/// The SGR sequence that sets exactly `style` (from a reset).
pub(crate) fn sgr(style: Style) -> String {
    let mut codes = vec!["0".to_string()];
    let m = style.add_modifier;
    for (flag, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if m.contains(flag) {
            codes.push(code.to_string());
        }
    }
    if let Some(c) = style.fg.and_then(|c| color_code(c, false)) {
        codes.push(c);
    }
    if let Some(c) = style.bg.and_then(|c| color_code(c, true)) {
        codes.push(c);
    }
    let mut s = String::from("\x1b[");
    let _ = write!(s, "{}m", codes.join(";"));
    s
}

fn color_code(color: Color, bg: bool) -> Option<String> {
    let base = if bg { 40 } else { 30 };
    let bright = if bg { 100 } else { 90 };
    let named = |n: u8| Some((base + n).to_string());
    let light = |n: u8| Some((bright + n).to_string());
    match color {
        Color::Reset => None,
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => light(0),
        Color::LightRed => light(1),
        Color::LightGreen => light(2),
        Color::LightYellow => light(3),
        Color::LightBlue => light(4),
        Color::LightMagenta => light(5),
        Color::LightCyan => light(6),
        Color::White => light(7),
        Color::Indexed(i) => Some(format!("{};5;{i}", base + 8)),
        Color::Rgb(r, g, b) => Some(format!("{};2;{r};{g};{b}", base + 8)),
    }
}

/// The OSC 52 sequence that puts `text` on the terminal's clipboard.
pub(crate) fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

/// The same, wrapped for tmux's passthrough (`allow-passthrough on`), for
/// when tmux does not take OSC 52 from applications itself.
pub(crate) fn osc52_tmux(text: &str) -> String {
    format!(
        "\x1bPtmux;\x1b\x1b]52;c;{}\x07\x1b\\",
        base64(text.as_bytes())
    )
}

/// Standard base64 with padding (RFC 4648).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn osc52_is_one_inert_sequence() {
        let s = osc52("@misc{a,\n title = {x}}\u{1b}");
        assert!(s.starts_with("\x1b]52;c;") && s.ends_with('\x07'));
        assert_eq!(
            s.matches('\x1b').count(),
            1,
            "the payload is base64, never raw"
        );
    }
}
