//! The `?` overlay: every key, generated from the same table that drives input.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{LinkLayer, Theme, block, clear, scrolled_lines};
use crate::app::{self, Action, keymap};
use crate::layout;

/// Draws the overlay, scrolled by `scroll` lines.
pub fn render(theme: &Theme, scroll: usize, area: Rect, buf: &mut Buffer, links: &mut LinkLayer) {
    let popup = app::help_box(area);
    if popup.width < 4 || popup.height < 3 {
        return;
    }
    clear(popup, buf);
    links.clear(popup);
    let title = format!("Keys  ({} closes)", keymap::key_for(Action::Back));
    block(&title, true, theme, popup, buf);
    let inner = layout::padded_inner(popup);
    // The help scrolls when the screen is short: a scrollbar says so.
    let view = crate::app::TextView {
        lines: app::help_lines(inner.width),
        scroll,
        ..crate::app::TextView::default()
    };
    scrolled_lines(&view, None, inner, popup, theme, buf, links);
}
