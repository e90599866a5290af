//! `termfolio snapshot`: one screen of the viewer, after some keys, as text or
//! ANSI. It drives the very same `App` and `ui` as the live viewer.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use unicode_width::UnicodeWidthStr;

use crate::app::{Action, App, PhotoLook, keymap};
use crate::photo::Photo;
use crate::profile::Profile;
use crate::ui::{self, LinkLayer};

/// Parses `WxH` (`120x40`); both at least 1 and at most 1000.
pub(crate) fn parse_size(s: &str) -> Result<(u16, u16), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{s}` is not a size like 80x24"))?;
    let parse = |v: &str| -> Result<u16, String> {
        match v.trim().parse::<u16>() {
            Ok(n) if (1..=1000).contains(&n) => Ok(n),
            _ => Err(format!(
                "`{s}` is not a size like 80x24 (each side 1 to 1000)"
            )),
        }
    };
    Ok((parse(w)?, parse(h)?))
}

/// Runs the viewer headless: opens `tab` (an index), presses `keys`, and
/// returns the screen.
pub fn render(
    profile: Arc<Profile>,
    color: bool,
    size: (u16, u16),
    tab: Option<usize>,
    keys: &str,
) -> Result<Buffer, String> {
    Ok(render_with_links(profile, color, size, tab, keys)?.0)
}

/// [`render`], and which cells of the screen are links.
pub fn render_with_links(
    profile: Arc<Profile>,
    color: bool,
    size: (u16, u16),
    tab: Option<usize>,
    keys: &str,
) -> Result<(Buffer, LinkLayer), String> {
    render_screen(profile, color, None, size, tab, keys)
}

/// [`render_with_links`], with the Bio tab's photo shown as `look` says.
pub fn render_screen(
    profile: Arc<Profile>,
    color: bool,
    photo: Option<(Arc<Photo>, PhotoLook)>,
    size: (u16, u16),
    tab: Option<usize>,
    keys: &str,
) -> Result<(Buffer, LinkLayer), String> {
    let keys = keymap::parse_keys(keys)?;
    let (photo, look) = photo.map_or((None, PhotoLook::Off), |(p, l)| (Some(p), l));
    let mut app = App::with_photo_at(profile, color, size.0, size.1, photo, look);
    if let Some(t) = tab {
        app.update(Action::GoTab(t));
    }
    for key in &keys {
        app.on_key(key);
        if app.should_quit() {
            break;
        }
    }
    Ok(draw_with_links(&app))
}

/// Draws `app` into a fresh buffer of its size: what a terminal of that size
/// would show after a full redraw.
pub fn draw(app: &App) -> Buffer {
    draw_with_links(app).0
}

/// [`draw`], and which cells are links.
pub fn draw_with_links(app: &App) -> (Buffer, LinkLayer) {
    let mut buf = Buffer::empty(app.size());
    let links = ui::render(app, app.size(), &mut buf);
    (buf, links)
}

fn symbol_width(symbol: &str) -> usize {
    if symbol.len() == 1 { 1 } else { symbol.width() }
}

/// The buffer as plain text: one line per row, trailing spaces trimmed.
pub fn to_text(buf: &Buffer) -> String {
    let width = usize::from(buf.area.width);
    if width == 0 {
        return "\n".repeat(usize::from(buf.area.height));
    }
    let mut out = String::with_capacity((width + 1) * usize::from(buf.area.height));
    // Borders repeat one symbol many times: its width is measured once.
    let mut last: (&str, usize) = ("", 0);
    for row in buf.content.chunks(width) {
        let start = out.len();
        let mut skip = 0;
        for cell in row {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = cell.symbol();
            let w = if symbol.len() == 1 {
                1
            } else if symbol == last.0 {
                last.1
            } else {
                last = (symbol, symbol_width(symbol));
                last.1
            };
            skip = w.saturating_sub(1);
            out.push_str(symbol);
        }
        let trimmed = out[start..].trim_end_matches(' ').len();
        out.truncate(start + trimmed);
        out.push('\n');
    }
    out
}

/// The buffer with SGR colours and attributes; each row ends with a reset.
pub fn to_ansi(buf: &Buffer) -> String {
    to_ansi_with_links(buf, None)
}

/// [`to_ansi`], and with `links`, every link's cells in an OSC 8 hyperlink
/// (closed at the end of each row; the pieces of a link wrapped over rows
/// share its id, so they are one link).
pub fn to_ansi_with_links(buf: &Buffer, links: Option<&LinkLayer>) -> String {
    let mut out = String::new();
    let links = links.filter(|l| !l.is_empty());
    for y in 0..buf.area.height {
        let mut open = crate::ansi::LinkState::default();
        let mut current = Look::default();
        let mut skip = 0;
        let mut pending_spaces = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buf[(buf.area.x + x, buf.area.y + y)];
            let symbol = cell.symbol();
            skip = symbol_width(symbol).saturating_sub(1);
            let style = cell.style();
            let (cx, cy) = (buf.area.x + x, buf.area.y + y);
            let link = links.and_then(|l| l.at(cx, cy));
            let plain = !Look::of(style).shows_on_blank();
            // Blank default cells at the end of a row are not written.
            if symbol == " " && plain && link.is_none() {
                pending_spaces += 1;
                continue;
            }
            if pending_spaces > 0 {
                open.switch(&mut out, None);
                // A blank looks the same in any colour or weight; only a
                // background, underline or reverse would show on it.
                if current.shows_on_blank() {
                    out.push_str("\x1b[0m");
                    current = Look::default();
                }
                out.extend(std::iter::repeat_n(' ', pending_spaces));
                pending_spaces = 0;
            }
            open.switch(&mut out, link);
            let look = Look::of(style);
            if look != current {
                out.push_str(&crate::ansi::sgr(style));
                current = look;
            }
            out.push_str(symbol);
        }
        open.switch(&mut out, None);
        if current != Look::default() {
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
    out
}

/// What a cell looks like, with "no colour" and "reset colour" made the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Look {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Default for Look {
    fn default() -> Self {
        Look {
            fg: Color::Reset,
            bg: Color::Reset,
            modifier: Modifier::empty(),
        }
    }
}

impl Look {
    /// Whether a blank cell in this look differs from a plain blank.
    fn shows_on_blank(self) -> bool {
        self.bg != Color::Reset
            || self
                .modifier
                .intersects(Modifier::REVERSED | Modifier::UNDERLINED | Modifier::CROSSED_OUT)
    }

    fn of(style: Style) -> Self {
        Look {
            fg: style.fg.unwrap_or(Color::Reset),
            bg: style.bg.unwrap_or(Color::Reset),
            modifier: style.add_modifier,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("120x40"), Ok((120, 40)));
        assert_eq!(parse_size("1X1"), Ok((1, 1)));
        assert!(parse_size("0x10").is_err());
        assert!(parse_size("80").is_err());
        assert!(parse_size("80x99999").is_err());
    }

    #[test]
    fn ansi_output_resets_every_row() {
        let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 4, 1));
        buf.set_string(
            0,
            0,
            "ab",
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        );
        assert_eq!(to_ansi(&buf), "\x1b[0;1;31mab\x1b[0m\n");
    }
}
