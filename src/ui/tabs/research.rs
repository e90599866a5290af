//! The Research tab: the quote, the text, and the current focus as a list.

use ratatui::text::Span;

use super::{bullet, paragraphs};
use crate::profile::Profile;
use crate::ui::Theme;
use crate::ui::text::Para;

/// The Research tab's paragraphs.
pub fn doc(profile: &Profile, theme: &Theme) -> Vec<Para> {
    let r = &profile.research;
    let mut out = Vec::new();
    if let Some(q) = r.quote.as_deref().filter(|q| !q.trim().is_empty()) {
        out.push(Para::plain(format!("“{}”", q.trim()), theme.quote));
        out.push(Para::blank());
    }
    out.extend(paragraphs(&r.text, theme));
    if !r.focus.is_empty() {
        if !out.is_empty() {
            out.push(Para::blank());
        }
        if let Some(h) = &r.focus_heading {
            out.push(Para {
                spans: vec![Span::styled(h.clone(), theme.heading)],
                ..Para::default()
            });
        }
        out.extend(r.focus.iter().map(|f| bullet(f, theme)));
    }
    out
}
