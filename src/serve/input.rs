//! Bytes from an SSH channel to key and mouse actions. The client's terminal
//! sends what a keyboard and mouse produce: UTF-8 text, control bytes, CSI
//! and SS3 sequences, SGR mouse reports. Sequences may arrive split across
//! reads; garbage is dropped; the pending buffer is bounded.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use crate::app::{Action, keymap};

/// Longest incomplete sequence kept between reads; anything longer is garbage.
const MAX_PENDING: usize = 64;

/// What the visitor did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    Key(KeyEvent),
    Action(Action),
}

/// A byte-stream decoder that remembers an unfinished sequence.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    pending: Vec<u8>,
}

impl Decoder {
    /// Decodes `bytes` (appended to anything left from before) into inputs.
    pub(crate) fn feed(&mut self, bytes: &[u8]) -> Vec<Input> {
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.pending.len() {
            match parse(&self.pending[i..]) {
                Parsed::Done(used, input) => {
                    out.extend(input);
                    i += used;
                }
                Parsed::Incomplete => break,
            }
        }
        self.pending.drain(..i);
        if self.pending.len() > MAX_PENDING {
            self.pending.clear();
        }
        out
    }

    /// When a read ended in a lone ESC, that was the Esc key (clients send
    /// each escape sequence whole, in one packet).
    pub(crate) fn flush_lone_escape(&mut self) -> Option<Input> {
        (self.pending == [0x1b]).then(|| {
            self.pending.clear();
            key(KeyCode::Esc, KeyModifiers::NONE)
        })
    }
}

enum Parsed {
    /// Bytes used, and the input they made (none for garbage).
    Done(usize, Option<Input>),
    Incomplete,
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Input {
    Input::Key(KeyEvent::new(code, modifiers))
}

fn parse(b: &[u8]) -> Parsed {
    let none = KeyModifiers::NONE;
    match b[0] {
        0x1b => parse_escape(b),
        b'\r' | b'\n' => Parsed::Done(1, Some(key(KeyCode::Enter, none))),
        b'\t' => Parsed::Done(1, Some(key(KeyCode::Tab, none))),
        0x7f | 0x08 => Parsed::Done(1, Some(key(KeyCode::Backspace, none))),
        0x00 => Parsed::Done(1, Some(key(KeyCode::Char(' '), KeyModifiers::CONTROL))),
        c @ 0x01..=0x1a => Parsed::Done(
            1,
            Some(key(
                KeyCode::Char(char::from(b'a' + c - 1)),
                KeyModifiers::CONTROL,
            )),
        ),
        0x1c..=0x1f => Parsed::Done(1, None),
        _ => parse_utf8(b),
    }
}

fn parse_utf8(b: &[u8]) -> Parsed {
    let len = match b[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Parsed::Done(1, None),
    };
    if b.len() < len {
        // Only wait if what we have so far could still be valid.
        return if b[1..].iter().all(|&c| (0x80..=0xbf).contains(&c)) {
            Parsed::Incomplete
        } else {
            Parsed::Done(1, None)
        };
    }
    match std::str::from_utf8(&b[..len])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) if !c.is_control() => {
            Parsed::Done(len, Some(key(KeyCode::Char(c), KeyModifiers::NONE)))
        }
        _ => Parsed::Done(1, None),
    }
}

fn parse_escape(b: &[u8]) -> Parsed {
    let none = KeyModifiers::NONE;
    let Some(&next) = b.get(1) else {
        return Parsed::Incomplete;
    };
    match next {
        b'[' => parse_csi(b),
        b'O' => match b.get(2) {
            None => Parsed::Incomplete,
            Some(&c) => Parsed::Done(3, ss3(c).map(|code| key(code, none))),
        },
        // ESC ESC: the first is a lone Esc key.
        0x1b => Parsed::Done(1, Some(key(KeyCode::Esc, none))),
        // Alt+key arrives as ESC then the key; treat it as the key itself.
        0x20..=0x7e => Parsed::Done(
            2,
            Some(key(KeyCode::Char(char::from(next)), KeyModifiers::ALT)),
        ),
        _ => Parsed::Done(1, Some(key(KeyCode::Esc, none))),
    }
}

fn ss3(c: u8) -> Option<KeyCode> {
    Some(match c {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        _ => return None,
    })
}

fn parse_csi(b: &[u8]) -> Parsed {
    // ESC [ params (0x30-0x3f)* intermediates (0x20-0x2f)* final (0x40-0x7e)
    let mut end = 2;
    loop {
        let Some(&c) = b.get(end) else {
            return Parsed::Incomplete;
        };
        match c {
            0x20..=0x3f => end += 1,
            0x40..=0x7e => break,
            // Not a CSI after all: drop the introducer.
            _ => return Parsed::Done(end, None),
        }
    }
    let params = &b[2..end];
    let final_byte = b[end];
    Parsed::Done(end + 1, csi(params, final_byte))
}

fn csi(params: &[u8], final_byte: u8) -> Option<Input> {
    let none = KeyModifiers::NONE;
    if let Some(rest) = params.strip_prefix(b"<") {
        return mouse(rest, final_byte);
    }
    let text = std::str::from_utf8(params).ok()?;
    let mut numbers = text.split(';').map(|n| n.parse::<u16>().ok());
    let first = numbers.next().flatten();
    let modifier = numbers.next().flatten().map_or(none, modifiers);
    let code = match (final_byte, first) {
        (b'A', _) => KeyCode::Up,
        (b'B', _) => KeyCode::Down,
        (b'C', _) => KeyCode::Right,
        (b'D', _) => KeyCode::Left,
        (b'H', _) => KeyCode::Home,
        (b'F', _) => KeyCode::End,
        (b'Z', _) => KeyCode::BackTab,
        (b'~', Some(1 | 7)) => KeyCode::Home,
        (b'~', Some(4 | 8)) => KeyCode::End,
        (b'~', Some(5)) => KeyCode::PageUp,
        (b'~', Some(6)) => KeyCode::PageDown,
        (b'~', Some(3)) => KeyCode::Delete,
        (b'~', Some(2)) => KeyCode::Insert,
        _ => return None,
    };
    let modifier = if code == KeyCode::BackTab {
        KeyModifiers::SHIFT
    } else {
        modifier
    };
    Some(key(code, modifier))
}

/// xterm's modifier parameter: 1 + (shift 1, alt 2, ctrl 4).
fn modifiers(n: u16) -> KeyModifiers {
    let bits = n.saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

/// SGR mouse: `ESC [ < button ; column ; row M` (press) or `m` (release).
fn mouse(params: &[u8], final_byte: u8) -> Option<Input> {
    let text = std::str::from_utf8(params).ok()?;
    let mut parts = text.split(';').map(|n| n.parse::<u32>().ok());
    let (button, column, row) = (parts.next()??, parts.next()??, parts.next()??);
    let at = |v: u32| u16::try_from(v.saturating_sub(1).min(u32::from(u16::MAX))).ok();
    let kind = match (button, final_byte) {
        (0, b'M') => MouseEventKind::Down(MouseButton::Left),
        (64, b'M') => MouseEventKind::ScrollUp,
        (65, b'M') => MouseEventKind::ScrollDown,
        _ => return None,
    };
    let event = MouseEvent {
        kind,
        column: at(column)?,
        row: at(row)?,
        modifiers: KeyModifiers::NONE,
    };
    keymap::mouse_action(&event).map(Input::Action)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Turns an input into the action the key table binds it to.
    fn action(input: Input) -> Option<Action> {
        match input {
            Input::Action(a) => Some(a),
            Input::Key(k) => keymap::action_for(&k),
        }
    }

    fn actions(bytes: &[u8]) -> Vec<Action> {
        Decoder::default()
            .feed(bytes)
            .into_iter()
            .filter_map(action)
            .collect()
    }

    #[test]
    fn arrows_home_end_and_pages() {
        assert_eq!(
            actions(b"\x1b[A\x1b[B\x1bOC\x1b[D\x1b[H\x1b[F\x1b[5~\x1b[6~\x1b[1~\x1b[4~"),
            [
                Action::Up,
                Action::Down,
                Action::NextTab,
                Action::PrevTab,
                Action::Top,
                Action::Bottom,
                Action::PageUp,
                Action::PageDown,
                Action::Top,
                Action::Bottom
            ]
        );
    }

    #[test]
    fn letters_enter_tab_and_ctrl() {
        assert_eq!(
            actions(b"jk\r\t\x1b[Z\x04\x15q\x03?"),
            [
                Action::Down,
                Action::Up,
                Action::Open,
                Action::NextTab,
                Action::PrevTab,
                Action::HalfPageDown,
                Action::HalfPageUp,
                Action::Quit,
                Action::Quit,
                Action::ToggleHelp
            ]
        );
    }

    #[test]
    fn sequences_split_across_reads() {
        let mut d = Decoder::default();
        assert!(d.feed(b"\x1b").is_empty());
        assert!(d.feed(b"[").is_empty());
        assert!(d.feed(b"<0;12").is_empty());
        let got: Vec<_> = d.feed(b";3M").into_iter().filter_map(action).collect();
        assert_eq!(got, [Action::Click { column: 11, row: 2 }]);
        assert!(d.feed("智".as_bytes().get(..2).unwrap()).is_empty());
        assert_eq!(d.feed(&"智".as_bytes()[2..]).len(), 1);
    }

    #[test]
    fn lone_escape_is_the_esc_key_after_a_pause() {
        let mut d = Decoder::default();
        assert!(d.feed(b"\x1b").is_empty());
        assert_eq!(d.flush_lone_escape().and_then(action), Some(Action::Back));
        assert!(d.flush_lone_escape().is_none());
    }

    #[test]
    fn wheel_scrolls() {
        assert_eq!(
            actions(b"\x1b[<64;5;5M\x1b[<65;5;5M\x1b[<0;1;1m"),
            [Action::ScrollUp, Action::ScrollDown]
        );
    }

    #[test]
    fn garbage_is_dropped_and_bounded() {
        let mut d = Decoder::default();
        let garbage: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        let _ = d.feed(&garbage);
        let _ = d.feed(b"\x1b[999999999999999999;99999999999999999;1M");
        let _ = d.feed(b"\x1b[<4294967295;4294967295;4294967295M");
        let mut endless = vec![0x1b, b'['];
        endless.extend(std::iter::repeat_n(b'1', 1000));
        let _ = d.feed(&endless);
        assert!(d.pending.len() <= MAX_PENDING);
        assert_eq!(actions(b"\xff\xfej"), [Action::Down]);
    }
}
