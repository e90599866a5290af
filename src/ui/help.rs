//! The `?` overlay: every key, generated from the same table that drives input.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::text::{self, Para};
use super::{Theme, block, clear, layout};
use crate::app::{App, keymap};

const KEY_COLUMN: usize = 18;

/// The help's lines, wrapped to `width`: one entry per binding, then the mouse.
pub fn lines(theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let key_column = if width >= 40 { KEY_COLUMN } else { 0 };
    let entry = |keys: &str, what: &str| {
        if key_column == 0 {
            // Too narrow for columns: the keys on one line, the description under them.
            return vec![
                Para::plain(keys.to_string(), theme.key),
                Para::hanging(
                    vec![Span::raw("  ")],
                    vec![Span::styled(what.to_string(), theme.text)],
                ),
            ];
        }
        let pad = key_column.saturating_sub(text::width(keys));
        vec![Para::hanging(
            vec![Span::styled(
                format!("{keys}{}", " ".repeat(pad)),
                theme.key,
            )],
            vec![Span::styled(what.to_string(), theme.text)],
        )]
    };
    let paras: Vec<Para> = keymap::BINDINGS
        .iter()
        .map(|b| (b.label, b.description))
        .chain(keymap::MOUSE_HELP.iter().copied())
        .flat_map(|(k, w)| entry(k, w))
        .collect();
    text::wrap(&paras, usize::from(width))
}

/// The overlay's box on a screen of `area`.
pub fn area(area: Rect) -> Rect {
    let inner_width = area.width.min(64).saturating_sub(4);
    let rows = u16::try_from(lines(&Theme::mono(), inner_width).len()).unwrap_or(u16::MAX);
    layout::help(area, rows)
}

/// How many lines the help has on a screen of `area`, and how many it shows.
pub fn line_count(area: Rect) -> (usize, usize) {
    let popup = self::area(area);
    let inner = layout::padded_inner(popup);
    (
        lines(&Theme::mono(), inner.width).len(),
        usize::from(inner.height),
    )
}

/// Draws the overlay, scrolled by `scroll` lines.
pub fn render(app: &App, scroll: usize, area: Rect, buf: &mut Buffer) {
    let theme = app.theme();
    let popup = self::area(area);
    if popup.width < 4 || popup.height < 3 {
        return;
    }
    clear(popup, buf);
    block("Keys  (Esc closes)", true, theme).render(popup, buf);
    let inner = layout::padded_inner(popup);
    for (i, line) in lines(theme, inner.width)
        .into_iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let y = inner.y + u16::try_from(i).unwrap_or(0);
        line.render(
            Rect {
                y,
                height: 1,
                ..inner
            },
            buf,
        );
    }
}
