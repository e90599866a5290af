//! The content of each tab, as paragraphs to lay out (text tabs) or as a
//! widget drawn from the model (publications).

pub mod bio;
pub mod news;
pub mod publications;
pub mod research;
pub mod section;

use ratatui::text::Span;

use super::Theme;
use super::text::Para;

/// Splits text into paragraphs at blank lines; single newlines become spaces,
/// as in Markdown, so hand-wrapped TOML text reflows.
pub fn paragraphs(text: &str, theme: &Theme) -> Vec<Para> {
    let mut out = Vec::new();
    for chunk in text.split("\n\n") {
        let joined = chunk.split_whitespace().collect::<Vec<_>>().join(" ");
        if joined.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Para::blank());
        }
        out.push(Para::plain(joined, theme.text));
    }
    out
}

/// A bullet point with its continuation lines aligned under the text.
pub fn bullet(text: &str, theme: &Theme) -> Para {
    Para::hanging(
        vec![Span::styled("▸ ", theme.bullet)],
        vec![Span::styled(text.to_string(), theme.text)],
    )
}

/// A labelled line: `label` padded to `width`, then the value.
pub fn labelled(label: &str, width: usize, value: Vec<Span<'static>>, theme: &Theme) -> Para {
    let pad = width.saturating_sub(super::text::width(label));
    Para::hanging(
        vec![Span::styled(
            format!("{label}{}", " ".repeat(pad)),
            theme.dim,
        )],
        value,
    )
}
