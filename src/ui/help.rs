//! The `?` overlay: every key, generated from the same table that drives input.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{Theme, block, clear, put_line};
use crate::app::{self, Action, keymap};
use crate::layout;

/// Draws the overlay, scrolled by `scroll` lines.
pub fn render(theme: &Theme, scroll: usize, area: Rect, buf: &mut Buffer) {
    let popup = app::help_box(area);
    if popup.width < 4 || popup.height < 3 {
        return;
    }
    clear(popup, buf);
    let title = format!("Keys  ({} closes)", keymap::key_for(Action::Back));
    block(&title, true, theme).render(popup, buf);
    let inner = layout::padded_inner(popup);
    for (i, line) in app::help_lines(inner.width)
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let y = inner.y + u16::try_from(i).unwrap_or(0);
        put_line(
            line,
            theme,
            Rect {
                y,
                height: 1,
                ..inner
            },
            buf,
        );
    }
}
