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
pub fn is_forbidden(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Sanitizes multi-line text: newlines stay, `\r\n` becomes `\n`, tabs become a space.
pub fn text(input: &str) -> String {
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
    // Printable ASCII is nearly all of every profile: it is passed over 16
    // bytes at a time without a branch a byte (the compiler vectorizes the
    // fold), and only a chunk holding anything else is looked at closely.
    let bytes = s.as_bytes();
    (0..bytes.len()).step_by(16).any(|at| {
        let chunk = &bytes[at..bytes.len().min(at + 16)];
        let plain = chunk
            .iter()
            .fold(true, |all, &b| all & (0x20..0x7f).contains(&b));
        !plain && needs_cleaning_at(s, at, chunk.len(), keep_newlines)
    })
}

/// [`needs_cleaning`] for the `len` bytes of `s` from `at`. A forbidden
/// character is a C0 control or DEL, or starts with one of three lead bytes
/// (C1 controls: 0xC2; U+061C: 0xD8; the other bidi controls: 0xE2): only
/// there is the character decoded (from the whole string, so one that runs
/// past the chunk is read whole) and checked.
fn needs_cleaning_at(s: &str, at: usize, len: usize, keep_newlines: bool) -> bool {
    let bytes = s.as_bytes();
    (at..at + len).any(|i| match bytes[i] {
        b'\n' => !keep_newlines,
        0x00..=0x1f | 0x7f => true,
        0xc2 | 0xd8 | 0xe2 => s[i..].chars().next().is_some_and(is_forbidden),
        _ => false,
    })
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

/// Makes every string of `profile` inert; runs once, at load (for the
/// bundled profile, at build time: build.rs).
pub fn sanitize_profile(profile: &mut super::Profile) {
    sanitize_all_but_publications(profile);
    profile
        .publications
        .iter_mut()
        .for_each(sanitize_publication);
}

/// [`sanitize_profile`] but for the publications (which a large profile's
/// batched read makes inert a batch at a time, while they are in cache).
pub(crate) fn sanitize_all_but_publications(profile: &mut super::Profile) {
    use self::{line_in_place as line, text_in_place as text};
    let lines = |v: &mut Vec<String>| v.iter_mut().for_each(line);
    let opt = |o: &mut Option<String>| {
        if let Some(s) = o {
            line(s)
        }
    };

    let p = &mut profile.person;
    line(&mut p.name);
    lines(&mut p.aliases);
    lines(&mut p.supervisors);
    for o in [
        &mut p.pronunciation,
        &mut p.motto,
        &mut p.photo,
        &mut p.photo_caption,
        &mut p.position,
        &mut p.department,
        &mut p.institution,
        &mut p.contact,
    ] {
        opt(o);
    }
    for (label, url) in &mut p.links.0 {
        line(label);
        line(url);
    }
    for e in &mut profile.experience {
        line(&mut e.role);
        line(&mut e.organization);
        opt(&mut e.topic);
        opt(&mut e.when);
        lines(&mut e.mentors);
    }
    opt(&mut profile.bio.heading);
    text(&mut profile.bio.text);
    let r = &mut profile.research;
    opt(&mut r.heading);
    opt(&mut r.quote);
    text(&mut r.text);
    opt(&mut r.focus_heading);
    lines(&mut r.focus);
    opt(&mut profile.headings.news);
    opt(&mut profile.headings.publications);
    for n in &mut profile.news {
        line(&mut n.text);
    }
    for s in &mut profile.sections {
        line(&mut s.title);
        opt(&mut s.heading);
        text(&mut s.text);
        lines(&mut s.items);
    }
}

/// Makes every string of one publication inert.
pub fn sanitize_publication(pb: &mut super::Publication) {
    use self::{line_in_place as line, text_in_place as text};
    line(&mut pb.title);
    pb.authors.iter_mut().for_each(line);
    pb.editors.iter_mut().for_each(line);
    for s in [&mut pb.key, &mut pb.entry_type].into_iter().flatten() {
        line(s);
    }
    for f in super::fields::FIELDS {
        if let Some(s) = (f.get_mut)(pb) {
            if f.multiline { text(s) } else { line(s) }
        }
    }
    if !pb.extra.is_empty() {
        pb.extra = std::mem::take(&mut pb.extra)
            .into_iter()
            .map(|(mut k, mut v)| {
                line(&mut k);
                line(&mut v);
                (k, v)
            })
            .collect();
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
    fn the_byte_scan_finds_what_the_character_scan_finds() {
        let slow = |s: &str, keep: bool| {
            s.chars()
                .any(|c| (c == '\n' && !keep) || (c != '\n' && is_forbidden(c)))
        };
        let mut samples: Vec<String> = [
            "plain",
            "a\nb",
            "tab\there",
            "“quoted” — 智源 😃",
            "\u{85}",
            "\u{9f}x",
            "\u{a0}nbsp",
            "\u{61c}",
            "\u{61b}",
            "\u{200e}",
            "\u{200d}zwj",
            "\u{202a}",
            "\u{202f}",
            "\u{2066}",
            "\u{2069}",
            "\u{206a}",
            "\u{7f}",
            "é\u{301}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every character below U+2100, alone and between letters.
        samples.extend(
            (0..0x2100u32)
                .filter_map(char::from_u32)
                .map(|c| format!("a{c}b")),
        );
        // The scan goes 16 bytes at a time: characters at every place in
        // and across a chunk's edge.
        for c in [
            '\n', '\u{1}', '\u{7f}', '\u{85}', '\u{61c}', '\u{202e}', 'é', '“', '😃',
        ] {
            samples.extend((0..40).map(|k| format!("{}{c}{}", "x".repeat(k), "y".repeat(k % 7))));
        }
        for s in &samples {
            for keep in [false, true] {
                assert_eq!(needs_cleaning(s, keep), slow(s, keep), "{s:?} keep={keep}");
            }
        }
    }

    #[test]
    fn sanitizing_twice_changes_nothing() {
        let nasty = "\u{1b}\u{1b}[[31m\u{9b}\u{1b}]x\u{7}\u{1b}[\u{1b}]0;a\u{9c}z\u{202e}\t\r";
        let once = text(nasty);
        assert_eq!(text(&once), once);
        assert!(!once.chars().any(|c| c != '\n' && is_forbidden(c)));
    }
}
