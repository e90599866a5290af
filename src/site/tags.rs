//! The HTML in a page, made ready for `bibtex::html::to_markdown` (which
//! turns `<a>`, `<b>`, `<strong>`, `<em>`, `<i>` and `<br>` into Markdown
//! and keeps the text of every other tag): what that converter would get
//! wrong is settled here first.
//!
//! - Icons (`<i class="fa ...">`, `ai ai-...`, `bi bi-...`) go, and their
//!   `</i>` with them: they are not emphasis.
//! - A `<span>` styled bold or italic (`font-weight: bold`, `font-style:
//!   italic`) is `<b>` or `<i>`: that is how al-folio pages mark emphasis
//!   (`<span style="font-weight: bold; color: #B509AC;">`).
//! - Scripts, styles, frames, media and forms go with what they hold
//!   (their text is code or controls, not prose); images go. Each is
//!   counted for the report.
//! - In a block of HTML, paragraphs, list items and headings are split
//!   apart ([`segments`]), so that they stay paragraphs, items and headings;
//!   layout blocks (`<div>`, `<center>`, `<table>`, ...) are counted as
//!   reduced to their text.

use std::ops::Range;

use super::report::{Kind, Report};
use crate::bibtex::html::attribute;

/// An HTML tag in a text.
struct Tag<'a> {
    range: Range<usize>,
    /// In lower case.
    name: String,
    closing: bool,
    attributes: &'a str,
}

/// The tags of `s`, in order: `<` and a letter (or `/` and a letter), up to
/// the `>` outside quoted attribute values. Anything else is text.
fn tags(s: &str) -> impl Iterator<Item = Tag<'_>> {
    let bytes = s.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(open) = s[at..].find('<') {
            let start = at + open;
            at = start + 1;
            let closing = bytes.get(start + 1) == Some(&b'/');
            let name_start = start + 1 + usize::from(closing);
            if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                continue;
            }
            let name_len = s[name_start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(s.len() - name_start);
            let Some(end) = tag_end(s, name_start + name_len) else {
                continue;
            };
            at = end + 1;
            return Some(Tag {
                range: start..end + 1,
                name: s[name_start..name_start + name_len].to_ascii_lowercase(),
                closing,
                attributes: &s[name_start + name_len..end],
            });
        }
        None
    })
}

/// The `>` ending a tag whose attributes start at `from`: the first one
/// outside quotes (a quote that never closes is not one).
fn tag_end(s: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            (None, b'<') => return None,
            _ => {}
        }
    }
    if quote.is_some() {
        return s[from..].find('>').map(|n| from + n);
    }
    None
}

/// Elements left out with everything they hold.
const DROPPED_WHOLE: &[&str] = &[
    "script", "style", "iframe", "svg", "video", "audio", "object", "canvas", "noscript", "form",
    "select", "textarea", "button", "math",
];

/// Elements without content that are left out.
const DROPPED_EMPTY: &[&str] = &["img", "picture", "source", "embed", "input", "track"];

/// Layout elements whose text is kept and whose layout is not.
const LAYOUT: &[&str] = &[
    "div",
    "center",
    "section",
    "article",
    "figure",
    "figcaption",
    "table",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "details",
    "summary",
    "pre",
    "dl",
    "font",
];

/// Whether an `<i>` with these attributes is an icon (Font Awesome,
/// Academicons, Bootstrap Icons), not emphasis.
fn is_icon(attributes: &str) -> bool {
    attribute(attributes, "class").is_some_and(|class| {
        class.split_whitespace().any(|c| {
            matches!(
                c,
                "fa" | "fas" | "far" | "fab" | "fal" | "fad" | "ai" | "bi"
            ) || c.starts_with("fa-")
                || c.starts_with("ai-")
                || c.starts_with("bi-")
                || c.starts_with("icon")
        })
    })
}

/// How a `<span>`'s style emphasises its text: (bold, italic).
fn span_emphasis(attributes: &str) -> (bool, bool) {
    let style = attribute(attributes, "style")
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace(char::is_whitespace, "");
    let bold = style.split(';').any(|d| {
        d.strip_prefix("font-weight:")
            .is_some_and(|w| matches!(w, "bold" | "bolder" | "600" | "700" | "800" | "900"))
    });
    let italic = style
        .split(';')
        .any(|d| matches!(d, "font-style:italic" | "font-style:oblique"));
    (bold, italic)
}

/// What an opened `<span>` or `<i>` became, for its closing tag.
enum Opened {
    Span(&'static str),
    Icon,
    Emphasis,
}

/// `html` with icons, styled spans and dropped elements settled (see the
/// module doc); what went is counted in `report` under `file`.
pub(super) fn prepare(html: &str, report: &mut Report, file: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    let mut spans: Vec<Opened> = Vec::new();
    let mut italics: Vec<Opened> = Vec::new();
    let mut skip_until: Option<(String, usize)> = None;
    // Whether the `<a>` open now has shown any text.
    let mut link_text: Option<bool> = None;
    for tag in tags(html) {
        if let Some((name, depth)) = &mut skip_until {
            if tag.name == *name {
                if tag.closing {
                    *depth -= 1;
                } else {
                    *depth += 1;
                }
            }
            if *depth == 0 {
                skip_until = None;
                at = tag.range.end;
            }
            continue;
        }
        let text = &html[at..tag.range.start];
        if let Some(shown) = &mut link_text {
            *shown |= !text.trim().is_empty();
        }
        out.push_str(text);
        at = tag.range.end;
        let replacement = match (tag.name.as_str(), tag.closing) {
            ("a", false) => {
                link_text = attribute(tag.attributes, "href").map(|_| false);
                &html[tag.range.clone()]
            }
            ("a", true) => {
                if link_text.take() == Some(false) {
                    report.add(file, Kind::EmptyLink);
                }
                &html[tag.range.clone()]
            }
            (name, false) if DROPPED_WHOLE.contains(&name) => {
                report.add(file, Kind::Dropped(tag.name.clone()));
                if !tag.attributes.trim_end().ends_with('/') {
                    skip_until = Some((tag.name.clone(), 1));
                }
                ""
            }
            (name, _) if DROPPED_WHOLE.contains(&name) => "",
            (name, false) if DROPPED_EMPTY.contains(&name) => {
                report.add(file, Kind::Dropped(tag.name.clone()));
                ""
            }
            (name, true) if DROPPED_EMPTY.contains(&name) => "",
            ("span", false) => {
                let open = match span_emphasis(tag.attributes) {
                    (true, true) => "<b><i>",
                    (true, false) => "<b>",
                    (false, true) => "<i>",
                    (false, false) => "",
                };
                spans.push(Opened::Span(open));
                open
            }
            ("span", true) => match spans.pop() {
                Some(Opened::Span("<b><i>")) => "</i></b>",
                Some(Opened::Span("<b>")) => "</b>",
                Some(Opened::Span("<i>")) => "</i>",
                _ => "",
            },
            ("i", false) if is_icon(tag.attributes) => {
                italics.push(Opened::Icon);
                ""
            }
            ("i", false) => {
                italics.push(Opened::Emphasis);
                &html[tag.range.clone()]
            }
            ("i", true) => match italics.pop() {
                Some(Opened::Icon) => "",
                _ => &html[tag.range.clone()],
            },
            (name, false) if LAYOUT.contains(&name) => {
                report.add(file, Kind::Reduced(tag.name.clone()));
                &html[tag.range.clone()]
            }
            _ => &html[tag.range.clone()],
        };
        out.push_str(replacement);
    }
    if skip_until.is_none() {
        out.push_str(&html[at..]);
    }
    out
}

/// What a piece of a block of HTML is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Segment {
    Paragraph,
    Item,
    Heading(u8),
}

/// A block of (prepared) HTML split where its paragraphs, list items and
/// headings begin and end, each piece with what it is; pieces with nothing
/// but blanks are left out. Two `<br>` in a row also end a paragraph.
pub(super) fn segments(html: &str) -> Vec<(Segment, &str)> {
    let mut out = Vec::new();
    let mut kind = Segment::Paragraph;
    let mut start = 0;
    let mut last_br_end = None;
    for tag in tags(html) {
        let heading = tag
            .name
            .strip_prefix('h')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=6).contains(n));
        let boundary = match tag.name.as_str() {
            "p" | "li" | "ul" | "ol" | "div" | "blockquote" | "table" | "tr" | "section"
            | "center" | "figure" | "dd" | "dt" => true,
            "br" => {
                let double = last_br_end
                    .is_some_and(|end: usize| html[end..tag.range.start].trim().is_empty());
                last_br_end = Some(tag.range.end);
                double
            }
            _ => heading.is_some(),
        };
        if !boundary {
            continue;
        }
        let piece = &html[start..tag.range.start];
        if !piece.trim().is_empty() {
            out.push((kind, piece));
        }
        start = tag.range.end;
        kind = match (heading, tag.name.as_str(), tag.closing) {
            (_, "li", false) => Segment::Item,
            (Some(level), _, false) => Segment::Heading(level),
            _ => Segment::Paragraph,
        };
    }
    let piece = &html[start..];
    if !piece.trim().is_empty() {
        out.push((kind, piece));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(html: &str) -> (String, Vec<String>) {
        let mut report = Report::default();
        let out = prepare(html, &mut report, "f");
        let notes = report
            .into_notes()
            .iter()
            .map(|n| n.message.clone())
            .collect();
        (out, notes)
    }

    #[test]
    fn icons_go_and_bold_spans_are_bold() {
        let (out, notes) = prep(
            "<i class=\"fas fa-book\"></i> [**S**](u) <i>x</i> [<span style=\"font-weight: bold; color: #B509AC;\">ZJU</span>](v) <span style='color:red'>plain</span>",
        );
        assert_eq!(out, " [**S**](u) <i>x</i> [<b>ZJU</b>](v) plain");
        assert!(notes.is_empty(), "{notes:?}");
        let (_, notes) = prep(
            "<a href=\"https://github.com/x\"><i class=\"fab fa-github\"></i></a> <a href=u>t</a>",
        );
        assert_eq!(notes, ["1 link without text (an icon only) left out"]);
    }

    #[test]
    fn scripts_and_images_go_and_are_counted() {
        let (out, notes) = prep(
            "a<script>var x = \"<b>\";</script>b<img src=\"p.png\"/><div style=\"text-align: center;\">c</div><style>p{}</style>",
        );
        assert_eq!(out, "ab<div style=\"text-align: center;\">c</div>");
        assert_eq!(
            notes,
            [
                "1 HTML <script> element left out",
                "1 HTML <img> element left out",
                "1 HTML <div> block reduced to its text",
                "1 HTML <style> element left out",
            ]
        );
    }

    #[test]
    fn tags_are_found_past_quoted_angles() {
        let names: Vec<String> = tags("<a title=\"x>y\" href='u'>t</a> 1 < 2 <3 </b")
            .map(|t| format!("{}{}", if t.closing { "/" } else { "" }, t.name))
            .collect();
        assert_eq!(names, ["a", "/a"]);
        assert_eq!(attribute(" title=\"x>y\" href='u'", "href"), Some("u"));
        assert_eq!(attribute(" class=fa", "CLASS"), Some("fa"));
    }

    #[test]
    fn blocks_of_html_split_into_paragraphs_items_and_headings() {
        let got = segments(
            "<p>one</p>\n<p>two<br>still</p><ul><li>a</li><li>b</li></ul><h3>T</h3>x<br> <br>y",
        );
        assert_eq!(
            got,
            [
                (Segment::Paragraph, "one"),
                (Segment::Paragraph, "two<br>still"),
                (Segment::Item, "a"),
                (Segment::Item, "b"),
                (Segment::Heading(3), "T"),
                (Segment::Paragraph, "x<br> "),
                (Segment::Paragraph, "y"),
            ]
        );
    }
}
