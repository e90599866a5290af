//! A client's screen over SSH: the viewer drawn into a buffer, and only the
//! cells that changed since the last frame written out as escape sequences.
//! Colour is decided per session; nothing here reads the server's environment.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

use crate::ansi::sgr;
use crate::app::App;
use crate::ui;

/// What the client's terminal shows now, as far as we know.
#[derive(Debug, Default)]
pub(crate) struct ClientScreen {
    shown: Option<Buffer>,
}

impl ClientScreen {
    /// The bytes that bring the client's screen to `app`'s current view.
    pub(crate) fn frame(&mut self, app: &App) -> Vec<u8> {
        let area = app.size();
        let mut next = Buffer::empty(area);
        ui::render(app, area, &mut next);
        let mut out = String::new();
        let previous = match self.shown.take() {
            Some(b) if b.area == area => b,
            _ => {
                // Unknown or resized: clear, then everything that is not blank.
                out.push_str("\x1b[0m\x1b[H\x1b[2J");
                Buffer::empty(area)
            }
        };
        let mut style = Style::reset();
        let mut cursor: Option<(u16, u16)> = None;
        out.push_str("\x1b[0m");
        for (x, y, cell) in previous.diff(&next) {
            if cursor != Some((x, y)) {
                let _ = write!(out, "\x1b[{};{}H", y + 1, x + 1);
            }
            let cell_style = cell.style();
            if cell_style != style {
                out.push_str(&sgr(cell_style));
                style = cell_style;
            }
            let symbol = cell.symbol();
            out.push_str(symbol);
            let width = u16::try_from(symbol.width().max(1)).unwrap_or(1);
            cursor = Some((x.saturating_add(width), y));
        }
        out.push_str("\x1b[0m");
        self.shown = Some(next);
        out.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::app::Action;
    use crate::profile::{self, Source};

    fn app() -> App {
        let p = profile::parse(profile::BUNDLED, &Source::Bundled).unwrap();
        App::new(Arc::new(p), true, 80, 24)
    }

    #[test]
    fn first_frame_is_whole_then_only_changes() {
        let mut screen = ClientScreen::default();
        let mut a = app();
        let first = screen.frame(&a);
        assert!(first.starts_with(b"\x1b[0m\x1b[H\x1b[2J"));
        assert!(String::from_utf8_lossy(&first).contains("Tongtian Zhu"));
        let again = screen.frame(&a);
        assert!(again.len() < 20, "nothing changed: {again:?}");
        a.update(Action::NextTab);
        let next = screen.frame(&a);
        assert!(next.len() < first.len());
        a.update(Action::Resize(100, 30));
        let resized = screen.frame(&a);
        assert!(resized.starts_with(b"\x1b[0m\x1b[H\x1b[2J"));
    }
}
