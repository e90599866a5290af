//! Inline Markdown in profile prose: links, autolinks, `**bold**`, `*italic*`,
//! `` `code` `` and hard line breaks, read by pulldown-cmark (CommonMark).
//!
//! pulldown-cmark has no inline-only mode, so block syntax is made literal
//! before it parses: a line that would start a heading, a quote, a list, a
//! rule, a fence or a link definition gets a backslash before its marker, and
//! leading spaces are dropped (no indented code). Images and raw HTML are not
//! rendered: their tags are dropped and their text kept (`<br>` is a line
//! break). Math between `$` stays exactly as written. Text with no character
//! Markdown could act on is returned as it is, without parsing.
//!
//! Every piece of text and every link target that comes out is sanitized
//! again: an entity such as `&#27;` would otherwise make an ESC out of inert
//! text. Whether a target may be drawn as a link is for [`super::links`].

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::sanitize;

/// How a piece of text is emphasised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Emphasis(pub(crate) u8);

impl Emphasis {
    pub const NONE: Emphasis = Emphasis(0);
    pub const STRONG: Emphasis = Emphasis(1);
    pub const EMPH: Emphasis = Emphasis(1 << 1);
    pub const CODE: Emphasis = Emphasis(1 << 2);

    #[must_use]
    pub const fn with(self, other: Emphasis) -> Emphasis {
        Emphasis(self.0 | other.0)
    }

    pub const fn contains(self, other: Emphasis) -> bool {
        self.0 & other.0 == other.0
    }
}

/// A run of text with one emphasis, in one link or none. A hard line break
/// is a piece whose text is `"\n"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub text: String,
    pub emphasis: Emphasis,
    /// Index into [`Rich::links`].
    pub link: Option<usize>,
}

/// A paragraph of rich text: its pieces and the targets of its links, in
/// the order they appear.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rich {
    pub pieces: Vec<Piece>,
    pub links: Vec<String>,
}

impl Rich {
    /// The text without markup, as it reads.
    pub fn plain(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }

    /// The text of link `i`.
    pub fn link_text(&self, i: usize) -> String {
        self.pieces
            .iter()
            .filter(|p| p.link == Some(i))
            .map(|p| p.text.as_str())
            .collect()
    }

    fn push(&mut self, text: &str, emphasis: Emphasis, link: Option<usize>) {
        if text.is_empty() {
            return;
        }
        match self.pieces.last_mut() {
            Some(last)
                if last.emphasis == emphasis
                    && last.link == link
                    && last.text != "\n"
                    && text != "\n" =>
            {
                last.text.push_str(text);
            }
            _ => self.pieces.push(Piece {
                text: text.to_string(),
                emphasis,
                link,
            }),
        }
    }
}

/// Splits prose into paragraphs at blank lines and reads each: single
/// newlines are spaces, runs of spaces one space, as in Markdown.
pub fn paragraphs(text: &str) -> Vec<Rich> {
    // The bundled profile's prose was read at build time (build.rs).
    if let Some(read) = super::load::bundled_paragraphs(text) {
        return read;
    }
    read_paragraphs(text)
}

/// One paragraph of prose (blank lines, if any, read as spaces).
pub fn inline(text: &str) -> Rich {
    if let Some(read) = super::load::bundled_inline(text) {
        return read;
    }
    read_inline(text)
}

/// [`paragraphs`], read now.
pub fn read_paragraphs(text: &str) -> Vec<Rich> {
    split_paragraphs(text)
        .map(read_inline)
        .filter(|r| !r.pieces.is_empty())
        .collect()
}

/// [`inline`], read now.
pub fn read_inline(text: &str) -> Rich {
    if !may_have_markup(text) {
        let mut rich = Rich::default();
        // Profile text is inert already; this keeps any other text so too.
        let mut clean = text.to_string();
        sanitize::line_in_place(&mut clean);
        rich.push(&collapse(&clean), Emphasis::NONE, None);
        trim(&mut rich);
        return rich;
    }
    let source = literal_blocks(text);
    let mut rich = Rich::default();
    let mut emphasis: Vec<Emphasis> = Vec::new();
    let mut link: Option<usize> = None;
    let current = |stack: &[Emphasis]| stack.iter().fold(Emphasis::NONE, |a, &b| a.with(b));
    for event in Parser::new_ext(&source, Options::ENABLE_MATH) {
        match event {
            Event::Start(Tag::Strong) => emphasis.push(Emphasis::STRONG),
            Event::Start(Tag::Emphasis) => emphasis.push(Emphasis::EMPH),
            Event::End(TagEnd::Strong | TagEnd::Emphasis) => {
                emphasis.pop();
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                let mut url = url.trim().to_string();
                sanitize::line_in_place(&mut url);
                rich.links.push(url);
                link = Some(rich.links.len() - 1);
            }
            Event::End(TagEnd::Link) => link = None,
            Event::Text(t) => rich.push(&collapse(&t), current(&emphasis), link),
            Event::Code(t) => {
                rich.push(&collapse(&t), current(&emphasis).with(Emphasis::CODE), link)
            }
            Event::InlineMath(t) => rich.push(&format!("${t}$"), current(&emphasis), link),
            Event::DisplayMath(t) => rich.push(&format!("$${t}$$"), current(&emphasis), link),
            Event::Html(t) | Event::InlineHtml(t) => {
                for piece in html_text(&t) {
                    rich.push(piece, current(&emphasis), link);
                }
            }
            Event::SoftBreak => rich.push(" ", current(&emphasis), link),
            Event::HardBreak => rich.push("\n", Emphasis::NONE, None),
            // Block ends inside one paragraph (an HTML block, say) read as a space.
            Event::End(TagEnd::Paragraph | TagEnd::HtmlBlock | TagEnd::CodeBlock) => {
                rich.push(" ", Emphasis::NONE, None);
            }
            _ => {}
        }
    }
    normalize(&mut rich);
    rich
}

/// Paragraphs: runs of lines between blank lines.
fn split_paragraphs(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            if rest.is_empty() {
                return None;
            }
            let (chunk, tail) = next_paragraph(rest);
            rest = tail;
            if !chunk.trim().is_empty() {
                return Some(chunk);
            }
        }
    })
}

fn next_paragraph(text: &str) -> (&str, &str) {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() && at > 0 {
            return (&text[..at], &text[at + line.len()..]);
        }
        at += line.len();
    }
    (text, "")
}

/// Whether Markdown could read anything in `text` as markup.
fn may_have_markup(text: &str) -> bool {
    text.bytes()
        .any(|b| matches!(b, b'*' | b'_' | b'`' | b'[' | b'<' | b'\\' | b'&' | b'$'))
        // Two spaces at the end of a line: a hard break.
        || text.contains("  \n")
}

/// Each line with its leading spaces dropped and a backslash before a marker
/// that would start a block, so only inline syntax is read.
fn literal_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        let line = line.trim_start_matches([' ', '\t']);
        if starts_block(line) {
            out.push('\\');
        } else if let Some(n) = ordered_marker(line) {
            // `1. ` and `1) `: the backslash goes before the `.` or `)`.
            out.push_str(&line[..n]);
            out.push('\\');
            out.push_str(&line[n..]);
            continue;
        }
        out.push_str(line);
    }
    out
}

fn starts_block(line: &str) -> bool {
    let body = line.trim_end();
    let first = body.chars().next();
    let second = body[first.map_or(0, char::len_utf8)..].chars().next();
    match first {
        Some('#' | '>' | '|') => true,
        // A bullet or a rule (`- x`, `* * *`, `+`).
        Some('-' | '*' | '+') if second.is_none_or(|c| c == ' ' || c == '\t') => true,
        // A rule or a setext underline: the line is one repeated marker.
        Some(c @ ('-' | '*' | '_' | '=')) => body.chars().all(|d| d == c || d == ' '),
        // A code fence.
        Some('`') => body.starts_with("```"),
        Some('~') => body.starts_with("~~~"),
        // A link reference definition (`[x]: url`) would vanish.
        Some('[') => body.find("]:").is_some(),
        _ => false,
    }
}

/// The length of an ordered-list number (`12` in `12. `), if the line starts with one.
fn ordered_marker(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = line.as_bytes().get(digits..)?;
    let marker = matches!(rest.first(), Some(b'.' | b')'));
    let then = rest.get(1).is_none_or(|b| b.is_ascii_whitespace());
    (1..=9)
        .contains(&digits)
        .then_some(digits)
        .filter(|_| marker && then)
}

/// Raw HTML as text: tags and comments dropped, `<br>` a line break.
fn html_text(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
        } else if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = rest[1..end].trim_start_matches('/').trim_start();
            let is_br = tag.get(..2).is_some_and(|t| t.eq_ignore_ascii_case("br"))
                && !tag[2..].starts_with(|c: char| c.is_ascii_alphanumeric());
            if is_br {
                out.push("\n");
            }
            rest = &rest[end..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if !text.trim().is_empty() {
                out.push(text);
            }
            rest = &rest[end..];
        }
    }
    out
}

/// Runs of whitespace as one space.
fn collapse(text: &str) -> String {
    // Most text has single spaces only: nothing to do. (Whitespace other
    // than ASCII starts with one of four lead bytes: only then are the
    // characters decoded.)
    let other_space = |b: u8| b != b' ' && b.is_ascii_whitespace();
    let lead = |b: u8| matches!(b, 0xc2 | 0xe1 | 0xe2 | 0xe3);
    let unusual_space =
        || text.bytes().any(lead) && text.chars().any(|c| c.is_whitespace() && c != ' ');
    let collapsed = !(text.contains("  ") || text.bytes().any(other_space) || unusual_space());
    if collapsed {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Sanitizes the pieces (an entity can make a control character), merges
/// the spaces where pieces meet, and trims the ends and around line breaks.
fn normalize(rich: &mut Rich) {
    let pieces = std::mem::take(&mut rich.pieces);
    for piece in pieces {
        let text = if piece.text == "\n" {
            piece.text
        } else {
            let mut text = piece.text;
            sanitize::line_in_place(&mut text);
            collapse(&text)
        };
        let after_space = rich
            .pieces
            .last()
            .is_none_or(|p| p.text.ends_with(' ') || p.text == "\n");
        let text = if after_space {
            text.trim_start_matches(' ')
        } else {
            &text
        };
        if text == "\n"
            && let Some(last) = rich.pieces.last_mut()
        {
            let kept = last.text.trim_end_matches(' ').len();
            last.text.truncate(kept);
        }
        rich.push(text, piece.emphasis, piece.link);
    }
    rich.pieces.retain(|p| !p.text.is_empty());
    trim(rich);
}

/// No space or line break at either end.
fn trim(rich: &mut Rich) {
    while rich.pieces.first().is_some_and(|p| p.text == "\n") {
        rich.pieces.remove(0);
    }
    while rich.pieces.last().is_some_and(|p| p.text == "\n") {
        rich.pieces.pop();
    }
    if let Some(first) = rich.pieces.first_mut() {
        let start = first.text.len() - first.text.trim_start().len();
        first.text.drain(..start);
    }
    if let Some(last) = rich.pieces.last_mut() {
        let kept = last.text.trim_end().len();
        last.text.truncate(kept);
    }
    rich.pieces.retain(|p| !p.text.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(rich: &Rich) -> String {
        let mut out = String::new();
        for p in &rich.pieces {
            let mut t = p.text.clone();
            if p.emphasis.contains(Emphasis::CODE) {
                t = format!("`{t}`");
            }
            if p.emphasis.contains(Emphasis::EMPH) {
                t = format!("_{t}_");
            }
            if p.emphasis.contains(Emphasis::STRONG) {
                t = format!("B({t})");
            }
            if let Some(l) = p.link {
                t = format!("L{l}({t})");
            }
            out.push_str(&t);
        }
        out
    }

    #[test]
    fn plain_text_is_unchanged() {
        let text = "Hi there 😃. I am (prounced as “Tong-tee-an Joo”), 2021-2022 (top 10%)!";
        assert_eq!(show(&inline(text)), text);
        assert_eq!(inline(" a  b\n c ").plain(), "a b c");
    }

    #[test]
    fn links_and_emphasis() {
        let r = inline("by [**Mingli Song**](https://x.org/m) and *Chun* `Chen`");
        assert_eq!(show(&r), "by L0(B(Mingli Song)) and _Chun_ `Chen`");
        assert_eq!(r.links, ["https://x.org/m"]);
        assert_eq!(r.link_text(0), "Mingli Song");
        let r = inline("<https://a.b/c> or <me@a.b>");
        assert_eq!(r.links, ["https://a.b/c", "mailto:me@a.b"]);
        assert_eq!(show(&r), "L0(https://a.b/c) or L1(me@a.b)");
    }

    #[test]
    fn block_syntax_stays_literal() {
        for text in [
            "1. first",
            "- item",
            "# not a heading",
            "> not a quote",
            "* star",
            "+ plus",
            "---",
            "===",
            "```",
            "    indented",
            "[x]: https://a.b",
            "12) twelve",
        ] {
            assert_eq!(inline(text).plain(), text.trim_start(), "{text}");
        }
        assert_eq!(inline("a\n- b\n# c").plain(), "a - b # c");
        assert_eq!(inline("text\n---").plain(), "text ---");
    }

    #[test]
    fn stray_markers_stay_as_written() {
        for text in [
            "2 * 3 = 6",
            "a [b c",
            "[x] y",
            "snake_case_name",
            "a ] b",
            "*",
        ] {
            assert_eq!(inline(text).plain(), text, "{text}");
        }
    }

    #[test]
    fn math_is_kept_as_written() {
        let r = inline("with $x_i+y_i$ and $a*b*c$ here");
        assert_eq!(r.plain(), "with $x_i+y_i$ and $a*b*c$ here");
        assert!(r.pieces.iter().all(|p| p.emphasis == Emphasis::NONE));
    }

    #[test]
    fn html_and_images_become_text() {
        let r =
            inline("<span style=\"x\">Zhejiang</span> <!-- hidden --> a<br>b ![alt text](x.png)");
        assert_eq!(r.plain(), "Zhejiang a\nb alt text");
        assert!(r.links.is_empty());
    }

    #[test]
    fn hard_breaks() {
        assert_eq!(inline("a\\\nb").plain(), "a\nb");
        assert_eq!(inline("a  \nb").plain(), "a\nb");
    }

    #[test]
    fn entities_cannot_make_control_characters() {
        let r = inline("&#27;[31mred &#x9b;2J [x](https://a/&#7;b)");
        let all = format!("{}{}", r.plain(), r.links.concat());
        assert!(!all.chars().any(sanitize::is_forbidden), "{all:?}");
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        let ps = paragraphs("one\ntwo\n\n \n**three**\n\n");
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].plain(), "one two");
        assert_eq!(show(&ps[1]), "B(three)");
    }

    #[test]
    fn nested_and_unbalanced_brackets() {
        for text in [
            "[[a](https://x)](https://y)",
            "[a [b] c](https://x)",
            "[a](https://x (title)",
            "**[*x*](https://x)**",
            "[**a**](<https://x y>)",
            "[](https://x)",
            "[a](https://x) [b](",
        ] {
            let r = inline(text);
            for (i, _) in r.links.iter().enumerate() {
                assert!(r.pieces.iter().any(|p| p.link == Some(i)) || r.link_text(i).is_empty());
            }
            assert!(!r.plain().contains('\u{1b}'), "{text}");
        }
        assert_eq!(inline("[a [b] c](https://x)").link_text(0), "a [b] c");
    }

    #[test]
    fn the_bundled_prose_read_at_build_time_is_what_reading_it_now_gives() {
        let p = crate::profile::parse(crate::profile::BUNDLED, &crate::profile::Source::Bundled)
            .unwrap();
        for (_, text) in p.prose() {
            let ahead = crate::profile::load::bundled_inline(text);
            assert_eq!(ahead, Some(read_inline(text)), "{text}");
            let ahead = crate::profile::load::bundled_paragraphs(text);
            assert_eq!(ahead, Some(read_paragraphs(text)), "{text}");
        }
        assert_eq!(
            crate::profile::load::bundled_inline("not in the profile"),
            None
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Any text, markup or not, hostile or not: no panic, nothing a
        /// terminal would act on, every link's pieces in range, and text
        /// with nothing Markdown acts on read as itself (spaces collapsed).
        #[test]
        fn any_text_reads_safely(text in "(\\PC|[*_`\\[\\]()<>!&#$\\\\\n \u{1b}\u{7}\u{9c}]){0,80}") {
            let rich = inline(&text);
            let all = format!("{}{}", rich.plain(), rich.links.concat());
            proptest::prop_assert!(!all.chars().any(|c| sanitize::is_forbidden(c) && c != '\n'), "{all:?}");
            for piece in &rich.pieces {
                proptest::prop_assert!(piece.link.is_none_or(|i| i < rich.links.len()));
                proptest::prop_assert!(!piece.text.is_empty());
            }
            if !may_have_markup(&text) {
                let clean = sanitize::line(&text);
                proptest::prop_assert_eq!(rich.plain(), clean.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            let _ = paragraphs(&text);
        }
    }
}
