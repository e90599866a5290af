//! Makes profile text inert before anything shows it.
//!
//! Every string of a profile passes through [`text`] or [`line`] once, at load.
//! What comes out holds no C0 control but newline, no DEL, no C1 control, no
//! part of an escape sequence (CSI, OSC, DCS, SOS, PM, APC, and the short
//! two-character forms) and no bidirectional control. Whole sequences are
//! removed, not just their ESC byte, so `ESC ] 52 ; c ; ... BEL` leaves nothing
//! behind. The result is stable: sanitizing it again changes nothing.

/// Characters that reorder text (Trojan Source, CVE-2021-42574).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` may never reach a terminal (newline and tab are handled apart).
pub(crate) fn is_forbidden(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Sanitizes multi-line text: newlines stay, `\r\n` becomes `\n`, tabs become a space.
pub(crate) fn text(input: &str) -> String {
    clean(input, true)
}

/// Sanitizes one-line text: like [`text`], and line breaks become spaces.
pub fn line(input: &str) -> String {
    clean(input, false)
}

/// In-place form of [`text`] that only allocates when something changes.
pub(crate) fn text_in_place(s: &mut String) {
    if needs_cleaning(s, true) {
        *s = text(s);
    }
}

/// In-place form of [`line`] that only allocates when something changes.
pub(crate) fn line_in_place(s: &mut String) {
    if needs_cleaning(s, false) {
        *s = line(s);
    }
}

fn needs_cleaning(s: &str, keep_newlines: bool) -> bool {
    s.chars()
        .any(|c| (c == '\n' && !keep_newlines) || (c != '\n' && is_forbidden(c)))
}

/// How a string-type sequence (OSC, DCS, SOS, PM, APC) ends.
#[derive(Clone, Copy, PartialEq)]
enum State {
    Text,
    /// After ESC: deciding which sequence this is.
    Escape,
    /// ESC followed by intermediate bytes (0x20..=0x2F), waiting for the final byte.
    EscapeIntermediate,
    /// Inside CSI: parameters and intermediates until a final byte 0x40..=0x7E.
    Csi,
    /// Inside OSC/DCS/SOS/PM/APC: until BEL (OSC), ST (ESC \ or U+009C).
    StringSeq,
    /// Inside a string sequence, just after an ESC (possibly the start of ST).
    StringSeqEscape,
}

fn clean(input: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(input.len());
    let mut state = State::Text;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        state = match state {
            State::Text => text_char(c, next, &mut out, keep_newlines),
            State::Escape => match c {
                '[' => State::Csi,
                ']' | 'P' | 'X' | '^' | '_' => State::StringSeq,
                '\u{20}'..='\u{2f}' => State::EscapeIntermediate,
                '\u{30}'..='\u{7e}' => State::Text,
                // Not a sequence after all: the lone ESC is dropped, the rest is text again.
                _ => text_char(c, next, &mut out, keep_newlines),
            },
            State::EscapeIntermediate => match c {
                '\u{20}'..='\u{2f}' => State::EscapeIntermediate,
                '\u{30}'..='\u{7e}' => State::Text,
                _ => text_char(c, next, &mut out, keep_newlines),
            },
            State::Csi => match c {
                '\u{40}'..='\u{7e}' => State::Text,
                '\u{20}'..='\u{3f}' => State::Csi,
                // A malformed CSI ends at the first character that cannot belong to it.
                _ => text_char(c, next, &mut out, keep_newlines),
            },
            State::StringSeq => match c {
                '\u{07}' | '\u{9c}' => State::Text,
                '\u{1b}' => State::StringSeqEscape,
                _ => State::StringSeq,
            },
            State::StringSeqEscape => match c {
                '\\' => State::Text,
                '\u{1b}' => State::StringSeqEscape,
                _ => State::StringSeq,
            },
        };
    }
    out
}

/// One character in the text state (`next` is the one after it), and the
/// state that follows: the only place text is let through, so every way
/// back to text (a lone ESC, a malformed CSI) treats it alike.
fn text_char(c: char, next: Option<char>, out: &mut String, keep_newlines: bool) -> State {
    let newline = if keep_newlines { '\n' } else { ' ' };
    match c {
        '\u{1b}' => State::Escape,
        '\u{9b}' => State::Csi,
        '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => State::StringSeq,
        // `\r\n` is one line break: the `\n` makes it.
        '\r' if next == Some('\n') => State::Text,
        '\r' | '\n' => {
            out.push(newline);
            State::Text
        }
        '\t' => {
            out.push(' ');
            State::Text
        }
        c if is_forbidden(c) => State::Text,
        c => {
            out.push(c);
            State::Text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        let s = "Hi there 😃 智源社区 “quoted” — fine";
        assert_eq!(text(s), s);
    }

    #[test]
    fn csi_sequences_are_removed_whole() {
        assert_eq!(line("a\u{1b}[31;1mred\u{1b}[0m b"), "ared b");
        assert_eq!(line("x\u{9b}2Jy"), "xy");
    }

    #[test]
    fn osc_clipboard_and_hyperlinks_are_removed_whole() {
        assert_eq!(line("a\u{1b}]52;c;ZXZpbA==\u{07}b"), "ab");
        assert_eq!(
            line("\u{1b}]8;;http://evil\u{1b}\\click\u{1b}]8;;\u{1b}\\"),
            "click"
        );
        assert_eq!(line("a\u{9d}0;title\u{9c}b"), "ab");
    }

    #[test]
    fn dcs_apc_pm_sos_are_removed_whole() {
        for intro in ['P', '_', '^', 'X'] {
            assert_eq!(line(&format!("a\u{1b}{intro}payload\u{1b}\\b")), "ab");
        }
    }

    #[test]
    fn unterminated_string_sequence_swallows_the_rest() {
        assert_eq!(line("safe\u{1b}]0;never ends"), "safe");
    }

    #[test]
    fn short_escapes_and_lone_esc_are_removed() {
        assert_eq!(line("a\u{1b}cb"), "ab");
        assert_eq!(line("a\u{1b}(Bb"), "ab");
        assert_eq!(line("a\u{1b}"), "a");
        assert_eq!(line("a\u{1b}é"), "aé");
    }

    #[test]
    fn controls_and_bidi_are_removed() {
        assert_eq!(line("a\u{0}\u{7}\u{8}\u{7f}\u{85}b"), "ab");
        assert_eq!(line("a\u{202e}b\u{2066}c\u{200f}d\u{61c}e"), "abcde");
    }

    #[test]
    fn newlines_and_tabs() {
        assert_eq!(text("a\r\nb\rc\td"), "a\nb\nc d");
        assert_eq!(line("a\r\nb\nc"), "a b c");
    }

    #[test]
    fn a_line_break_after_a_dropped_escape_is_still_one_break() {
        assert_eq!(text("a\u{1b}\r\nb"), "a\nb");
        assert_eq!(text("a\u{1b}[\r\nb"), "a\nb");
        assert_eq!(text("a\u{1b}(\r\nb"), "a\nb");
        assert_eq!(line("a\u{1b}\r\nb"), "a b");
    }

    #[test]
    fn sanitizing_twice_changes_nothing() {
        let nasty = "\u{1b}\u{1b}[[31m\u{9b}\u{1b}]x\u{7}\u{1b}[\u{1b}]0;a\u{9c}z\u{202e}\t\r";
        let once = text(nasty);
        assert_eq!(text(&once), once);
        assert!(!once.chars().any(|c| c != '\n' && is_forbidden(c)));
    }
}
