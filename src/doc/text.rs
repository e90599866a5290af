//! Text laid out by display width: word wrapping with hanging indents, and
//! truncation with `…`. Widths come from unicode-width on grapheme clusters,
//! the same measure ratatui's buffer uses, so borders never shift.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::{Line, Para, Roles, Span};

/// Whether every byte of `s` is printable ASCII: one byte, one grapheme, one cell.
pub(crate) fn is_printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Display width of `s` in terminal cells.
pub(crate) fn width(s: &str) -> usize {
    if is_printable_ascii(s) {
        return s.len();
    }
    // Characters that never join into a cluster with their neighbours can be
    // measured one by one; anything zero-width (combining marks, ZWJ,
    // variation selectors), skin tones or flags need the grapheme clusters.
    let mut total = 0;
    for c in s.chars() {
        match unicode_width::UnicodeWidthChar::width(c) {
            Some(w) if w > 0 && !joins(c) => total += w,
            _ => return s.graphemes(true).map(grapheme_width).sum(),
        }
    }
    total
}

/// The grapheme clusters of `s` with their byte offsets, by the cheapest walk
/// that gives them: bytes for printable ASCII, characters when none can
/// join its neighbours, else unicode-segmentation's.
pub(crate) fn clusters(s: &str) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    if is_printable_ascii(s) {
        Box::new((0..s.len()).map(move |i| (i, &s[i..i + 1])))
    } else if chars_are_graphemes(s) {
        Box::new(
            s.char_indices()
                .map(move |(i, c)| (i, &s[i..i + c.len_utf8()])),
        )
    } else {
        Box::new(s.grapheme_indices(true))
    }
}

/// Whether every character of `s` is a grapheme cluster of its own: none is
/// zero-width (combining marks, ZWJ, variation selectors), a control other
/// than `\n` (so no `\r\n`), a skin tone or a regional indicator.
fn chars_are_graphemes(s: &str) -> bool {
    s.chars().all(|c| {
        c == '\n'
            || (matches!(unicode_width::UnicodeWidthChar::width(c), Some(w) if w > 0) && !joins(c))
    })
}

/// Emoji modifiers and regional indicators change width when they join.
fn joins(c: char) -> bool {
    matches!(c, '\u{1F3FB}'..='\u{1F3FF}' | '\u{1F1E6}'..='\u{1F1FF}')
}

fn grapheme_width(g: &str) -> usize {
    g.width()
}

/// `n` and the noun, singular for one: "1 publication", "2 publications".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Cuts `s` to at most `max` cells, ending with `…` when something was cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    if is_printable_ascii(s) {
        // One byte, one cell.
        let mut out = s[..max - 1].to_string();
        out.push('…');
        return out;
    }
    let mut out = String::new();
    let mut used = 0;
    for (_, g) in clusters(s) {
        let w = grapheme_width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// `text` as spans with `base` roles, every case-insensitive occurrence of
/// `query` also [`Roles::MATCHED`].
pub(crate) fn highlight(text: &str, query: &str, base: Roles) -> Vec<Span> {
    highlight_spans(vec![Span::new(text, base)], query)
}

/// The spans with every case-insensitive occurrence of `query` in their
/// text (read across span boundaries) also [`Roles::MATCHED`]; a span cut
/// by a match keeps its roles and link on both sides. (When lowercasing
/// changes the text's length, as for a few non-ASCII letters, matches are
/// not marked; filtering still works.)
pub(crate) fn highlight_spans(spans: Vec<Span>, query: &str) -> Vec<Span> {
    if query.is_empty() {
        return spans;
    }
    let text: String = spans.iter().map(|s| s.text.as_str()).collect();
    let lower = text.to_lowercase();
    let needle = query.to_lowercase();
    if lower.len() != text.len() {
        return spans;
    }
    let mut hits = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find(&needle) {
        let start = at + found;
        let end = start + needle.len();
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            break;
        }
        hits.push(start..end);
        at = end;
    }
    if hits.is_empty() {
        return spans;
    }
    let mut out = Vec::with_capacity(spans.len() + 2 * hits.len());
    let mut offset = 0;
    for span in spans {
        let (start, end) = (offset, offset + span.text.len());
        offset = end;
        // Cut points inside this span: every hit's ends.
        let mut cuts = vec![start];
        for hit in hits.iter().filter(|h| h.start < end && h.end > start) {
            cuts.extend([hit.start.max(start), hit.end.min(end)]);
        }
        cuts.push(end);
        cuts.dedup();
        for pair in cuts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a == b {
                continue;
            }
            let matched = hits.iter().any(|h| h.start <= a && b <= h.end);
            let roles = if matched {
                span.roles.with(Roles::MATCHED)
            } else {
                span.roles
            };
            out.push(Span {
                text: span.text[a - start..b - start].to_string(),
                roles,
                link: span.link,
            });
        }
    }
    out
}

/// Lays out paragraphs into lines at most `width` cells wide. Newlines inside
/// a span start a new line; long words are broken between graphemes; CJK
/// text may break between any two wide characters.
pub(crate) fn wrap(paras: &[Para], width: usize) -> Vec<Line> {
    wrap_with_starts(paras, width).0
}

/// Like [`wrap`], and also returns the index of each paragraph's first line.
pub(crate) fn wrap_with_starts(paras: &[Para], width: usize) -> (Vec<Line>, Vec<usize>) {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut starts = Vec::with_capacity(paras.len());
    for para in paras {
        starts.push(lines.len());
        wrap_para(para, width, &mut lines);
    }
    (lines, starts)
}

/// One unbreakable piece of text: a word, a run of spaces, or one wide grapheme.
struct Atom<'a> {
    text: &'a str,
    roles: Roles,
    link: Option<super::LinkId>,
    width: usize,
    space: bool,
    newline: bool,
    /// It goes on with the word before it (a span ends and another begins
    /// inside one word: `**bold**,`, a link and its full stop): no line
    /// break between them unless the word is wider than a line.
    glued: bool,
}

fn atoms<'a>(spans: &'a [Span]) -> Vec<Atom<'a>> {
    let mut out: Vec<Atom<'a>> = Vec::new();
    for span in spans {
        let text: &'a str = &span.text;
        // The atom being built: where it starts, whether it is space, its width.
        let mut open: Option<(usize, bool, usize)> = None;
        let close = |out: &mut Vec<Atom<'a>>, open: Option<(usize, bool, usize)>, end: usize| {
            if let Some((start, space, width)) = open
                && end > start
            {
                let glued = !space
                    && start == 0
                    && out.last().is_some_and(|p: &Atom| {
                        // Two wide characters may still break apart (CJK).
                        !(p.space
                            || p.newline
                            || char_wide(p.text.chars().next_back())
                                && char_wide(text[start..end].chars().next()))
                    });
                out.push(Atom {
                    text: &text[start..end],
                    roles: span.roles,
                    link: span.link,
                    width,
                    space,
                    newline: false,
                    glued,
                });
            }
        };
        if is_printable_ascii(text) {
            // A byte a cell, and only ' ' is space: the runs of one or the
            // other are the atoms (what the walk below finds, byte by byte).
            let bytes = text.as_bytes();
            let mut start = 0;
            while start < bytes.len() {
                let space = bytes[start] == b' ';
                let end = bytes[start..]
                    .iter()
                    .position(|&b| (b == b' ') != space)
                    .map_or(bytes.len(), |n| start + n);
                close(&mut out, Some((start, space, end - start)), end);
                start = end;
            }
            continue;
        }
        for (i, g) in clusters(text) {
            if g == "\n" || g == "\r\n" {
                close(&mut out, open.take(), i);
                out.push(Atom {
                    text: "",
                    roles: span.roles,
                    link: span.link,
                    width: 0,
                    space: false,
                    newline: true,
                    glued: false,
                });
                continue;
            }
            let gw = grapheme_width(g);
            let space = g.chars().all(char::is_whitespace);
            // Text may break between two wide graphemes (CJK), not where wide
            // meets narrow: "(智" and "区," stay together.
            match open {
                Some((start, s, w)) if s == space && !(gw > 1 && ends_wide(&text[start..i])) => {
                    open = Some((start, s, w + gw));
                }
                _ => {
                    close(&mut out, open.take(), i);
                    open = Some((i, space, gw));
                }
            }
        }
        close(&mut out, open, text.len());
    }
    out
}

/// Whether `c` takes two cells (a CJK character, most emoji).
fn char_wide(c: Option<char>) -> bool {
    c.is_some_and(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > 1)
}

fn ends_wide(s: &str) -> bool {
    s.graphemes(true)
        .next_back()
        .is_some_and(|g| grapheme_width(g) > 1)
}

fn wrap_para(para: &Para, width: usize, lines: &mut Vec<Line>) {
    let prefix_width: usize = para.prefix.iter().map(|s| self::width(&s.text)).sum();
    // Too narrow for a hanging indent: the prefix gets its own line.
    let (mut current, indent) = if prefix_width > 0 && prefix_width + 6 > width {
        let prefix = Para {
            spans: para.prefix.clone(),
            ..Para::default()
        };
        lines.extend(wrap(&[prefix], width));
        (Vec::new(), 0)
    } else {
        (
            para.prefix.clone(),
            para.indent.min(width.saturating_sub(1)),
        )
    };
    let mut used = if current.is_empty() { 0 } else { prefix_width };
    let new_line = |current: &mut Vec<Span>, used: &mut usize, lines: &mut Vec<Line>| {
        trim_trailing_space(current);
        lines.push(Line {
            spans: std::mem::take(current),
        });
        if indent > 0 {
            current.push(Span::raw(" ".repeat(indent)));
        }
        *used = indent;
    };
    let mut fresh = true; // nothing but the prefix or indent on the current line
    let atoms = atoms(&para.spans);
    for (i, atom) in atoms.iter().enumerate() {
        // A word made of several atoms moves to the next line whole.
        let word_width = atom.width
            + atoms[i + 1..]
                .iter()
                .take_while(|a| a.glued)
                .map(|a| a.width)
                .sum::<usize>();
        if atom.newline {
            new_line(&mut current, &mut used, lines);
            fresh = true;
        } else if atom.space {
            if !fresh && used + atom.width <= width {
                push(&mut current, atom.text, atom);
                used += atom.width;
            }
        } else {
            let too_wide = if atom.glued {
                used + atom.width > width
            } else {
                used + word_width > width && word_width <= width.saturating_sub(indent)
                    || used + atom.width > width
            };
            if too_wide && !fresh {
                new_line(&mut current, &mut used, lines);
            }
            if used + atom.width <= width {
                push(&mut current, atom.text, atom);
                used += atom.width;
            } else {
                // A word wider than the line (a URL, say): break it after a
                // `/`, `-`, `.`, `_`, `?` or `&` when one falls on this line,
                // else between graphemes.
                let mut rest = atom.text;
                while !rest.is_empty() {
                    let room = width.saturating_sub(used);
                    let (fit, fit_width) = prefix_fitting(rest, room);
                    if fit == rest.len() {
                        push(&mut current, rest, atom);
                        used += fit_width;
                        break;
                    }
                    let cut = rest[..fit]
                        .rfind(['/', '-', '.', '_', '?', '&'])
                        .map(|i| i + 1)
                        // Only past half of what fits, in cells (not bytes:
                        // `é` is two bytes and one cell).
                        .filter(|&i| self::width(&rest[..i]) > fit_width / 2)
                        .unwrap_or(fit);
                    if cut == 0 {
                        if used > indent {
                            new_line(&mut current, &mut used, lines);
                            continue;
                        }
                        // Not even one grapheme fits a fresh line: place one anyway.
                        let g = rest.graphemes(true).next().unwrap_or(rest);
                        push(&mut current, g, atom);
                        used += grapheme_width(g);
                        rest = &rest[g.len()..];
                        continue;
                    }
                    push(&mut current, &rest[..cut], atom);
                    rest = &rest[cut..];
                    new_line(&mut current, &mut used, lines);
                }
            }
            fresh = false;
        }
    }
    trim_trailing_space(&mut current);
    lines.push(Line { spans: current });
}

/// The longest prefix of `s` (in bytes) that fits in `room` cells, and its width.
fn prefix_fitting(s: &str, room: usize) -> (usize, usize) {
    let mut used = 0;
    for (i, g) in clusters(s) {
        let w = grapheme_width(g);
        if used + w > room {
            return (i, used);
        }
        used += w;
    }
    (s.len(), used)
}

/// Appends `text` with the roles and link of `atom`, to the last span when
/// it has the same.
fn push(current: &mut Vec<Span>, text: &str, atom: &Atom) {
    if let Some(last) = current.last_mut()
        && last.roles == atom.roles
        && last.link == atom.link
    {
        last.text.push_str(text);
        return;
    }
    current.push(Span {
        text: text.to_string(),
        roles: atom.roles,
        link: atom.link,
    });
}

fn trim_trailing_space(current: &mut [Span]) {
    if let Some(last) = current.last_mut() {
        let trimmed = last.text.trim_end_matches(' ').len();
        last.text.truncate(trimmed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Roles = Roles::TEXT;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn printable_ascii_wraps_as_the_grapheme_walk_wraps_it() {
        // `é` is one cell like `e`, and a span holding one is walked by
        // graphemes: the two spellings must lay out alike at every width.
        let samples = [
            "the quick brown fox jumps over the lazy dog",
            "  leading and trailing  ",
            "supercalifragilisticexpialidocious even longer",
            "a-very-long-hyphenated-word/with/slashes and https://example.org/a/b/c",
            "one",
            " ",
            "x  y   z    end",
        ];
        for sample in samples {
            for width in 1..=30 {
                let ascii = vec![
                    Span::new("Pre ", Roles::HEADING),
                    Span::new(sample, NONE),
                    Span::new(",", Roles::TITLE),
                ];
                let accented: Vec<Span> = ascii
                    .iter()
                    .map(|s| Span::new(s.text.replace('e', "é"), s.roles))
                    .collect();
                let para = |spans| Para {
                    spans,
                    indent: 2,
                    ..Para::default()
                };
                let fast: Vec<String> = texts(&wrap(&[para(ascii)], width))
                    .iter()
                    .map(|l| l.replace('e', "é"))
                    .collect();
                let walked = texts(&wrap(&[para(accented)], width));
                assert_eq!(fast, walked, "{sample:?} at {width}");
            }
        }
    }

    #[test]
    fn wraps_at_word_boundaries() {
        let out = wrap(&[Para::plain("the quick brown fox jumps", NONE)], 10);
        assert_eq!(texts(&out), ["the quick", "brown fox", "jumps"]);
    }

    #[test]
    fn long_urls_break_after_slashes_and_hyphens() {
        let url = "https://github.com/Raiden-Zhu/Generalization-of-DSGD";
        let out = wrap(&[Para::plain(url, NONE)], 40);
        assert_eq!(
            texts(&out),
            ["https://github.com/Raiden-Zhu/", "Generalization-of-DSGD"]
        );
    }

    #[test]
    fn long_words_break_between_graphemes() {
        let out = wrap(&[Para::plain("abcdefghij", NONE)], 4);
        assert_eq!(texts(&out), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn cjk_breaks_between_wide_characters_by_width() {
        let out = wrap(&[Para::plain("智源社区漫画家", NONE)], 5);
        assert_eq!(texts(&out), ["智源", "社区", "漫画", "家"]);
        assert!(out.iter().all(|l| l.width() <= 5));
    }

    #[test]
    fn emoji_take_two_cells() {
        let out = wrap(&[Para::plain("a 😃 b 🦄 c", NONE)], 4);
        assert!(out.iter().all(|l| l.width() <= 4), "{:?}", texts(&out));
    }

    #[test]
    fn hanging_indent_for_continuations() {
        let p = Para::hanging(vec![Span::raw("- ")], vec![Span::raw("one two three")]);
        let out = wrap(&[p], 9);
        assert_eq!(texts(&out), ["- one two", "  three"]);
    }

    #[test]
    fn newlines_start_new_lines() {
        let out = wrap(&[Para::plain("a\n\nb", NONE)], 10);
        assert_eq!(texts(&out), ["a", "", "b"]);
    }

    #[test]
    fn fast_width_agrees_with_grapheme_width() {
        for s in [
            "智源社区 😃 “quoted” — · …",
            "👨‍👩‍👧‍👦 family",
            "é (e + \u{301})",
            "🇨🇳 flag",
            "👍🏽 tone",
            "❤️ heart with VS16",
            "ﬁ ligature",
            "שלום",
        ] {
            let slow: usize = s.graphemes(true).map(grapheme_width).sum();
            assert_eq!(width(s), slow, "{s}");
        }
    }

    #[test]
    fn wrapping_by_characters_agrees_with_wrapping_by_graphemes() {
        // Texts where every character is its own cluster take the fast path;
        // the result must be what the grapheme walk gives.
        for s in [
            "Hi there 😃. I am Tongtian Zhu (智源社区, BAAI) “quoted” — fine",
            "é (e + \u{301}) 👨\u{200d}👩 🇨🇳 a\r\nb",
        ] {
            assert_eq!(chars_are_graphemes(s), !s.contains('\u{301}'));
            let fast: Vec<&str> = s
                .char_indices()
                .map(|(i, c)| &s[i..i + c.len_utf8()])
                .collect();
            let slow: Vec<&str> = s.graphemes(true).collect();
            if chars_are_graphemes(s) {
                assert_eq!(fast, slow);
            }
        }
    }

    #[test]
    fn truncate_marks_the_cut() {
        assert_eq!(truncate("Topology-aware", 8), "Topolog…");
        assert_eq!(truncate("智源社区", 5), "智源…");
        assert_eq!(truncate("short", 8), "short");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn every_line_fits_at_every_width() {
        let text = "Hi there 😃. I am Tongtian Zhu (智源社区, BAAI) https://github.com/Raiden-Zhu/Generalization-of-DSGD";
        for w in 1..60 {
            let p = Para::hanging(vec![Span::raw("Jul 12, 2023  ")], vec![Span::raw(text)]);
            for l in wrap(&[p], w) {
                assert!(l.width() <= w.max(2), "width {w}: {l:?}");
            }
        }
    }
}
