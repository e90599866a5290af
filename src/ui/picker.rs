//! The link picker (`o`): the links of what is shown, each URL whole, the
//! selected one highlighted; every URL is a hyperlink too.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{LinkLayer, Theme, block, clear, scrolled_lines};
use crate::app::{Action, App, keymap};
use crate::doc;
use crate::layout;

/// Draws the picker over whatever is under it.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer, links: &mut LinkLayer) {
    let Some(picker) = app.picker() else { return };
    let popup = picker.area(area);
    if popup.width < 4 || popup.height < 3 {
        return;
    }
    clear(popup, buf);
    links.clear(popup);
    let title = format!(
        "Links  ({} open · {} copy · {} close)",
        keymap::key_for(Action::Open),
        keymap::key_for(Action::Copy),
        keymap::key_for(Action::Back)
    );
    let title = doc::truncate(&title, usize::from(popup.width.saturating_sub(4)));
    block(&title, true, theme, popup, buf);
    scrolled_lines(
        &picker.view,
        Some(picker.lines_of(picker.selected)),
        layout::padded_inner(popup),
        popup,
        theme,
        buf,
        links,
    );
}
