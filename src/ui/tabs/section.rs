//! An extra section from the profile (`[[sections]]`): text and a bullet list.

use super::{bullet, paragraphs};
use crate::profile::Section;
use crate::ui::Theme;
use crate::ui::text::Para;

/// An extra section's paragraphs.
pub fn doc(section: &Section, theme: &Theme) -> Vec<Para> {
    let mut out = paragraphs(&section.text, theme);
    for item in &section.items {
        if !out.is_empty() {
            out.push(Para::blank());
        }
        out.push(bullet(item, theme));
    }
    out
}
