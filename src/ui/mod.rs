//! The view: draws an [`App`] into a ratatui frame. Pure: no I/O.

mod directory;
mod help;
mod links;
mod picker;
mod publications;
mod theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget, Wrap,
};

pub use directory::render_model;
pub use links::LinkLayer;
pub(crate) use theme::Theme;

use crate::app::{Action, App, Tab, TextView, keymap};
use crate::doc::{self, Roles, tabs::heading};
use crate::layout;

/// Draws the whole viewer into a terminal frame.
pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    render(app, area, frame.buffer_mut());
}

/// Draws the whole viewer into `area` of `buf` (a frame's, or a bare
/// buffer's); returns which cells are links.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) -> LinkLayer {
    let mut links = LinkLayer::new(area);
    let theme = &Theme::for_color(app.color());
    let Some(screen) = layout::screen(area) else {
        too_small(theme, area, buf);
        return links;
    };
    header(app, theme, screen.header, buf);
    tab_bar(app, theme, screen.tabs, buf);
    match app.tab() {
        Tab::Publications => publications::render(app, theme, screen.content, buf, &mut links),
        tab => text_tab(app, theme, tab, screen.content, buf, &mut links),
    }
    footer(app, theme, screen.footer, buf);
    problem_bar(app, theme, screen.footer, buf);
    picker::render(app, theme, area, buf, &mut links);
    if let Some(scroll) = app.help_scroll() {
        help::render(theme, scroll, area, buf, &mut links);
    }
    links
}

/// The live preview's error bar, on the row above the footer: why the
/// screen shows the last good save and not the file's latest.
fn problem_bar(app: &App, theme: &Theme, footer: Rect, buf: &mut Buffer) {
    let Some(problem) = app.problem() else {
        return;
    };
    let Some(y) = footer.y.checked_sub(1) else {
        return;
    };
    let row = Rect { y, ..footer };
    let text = format!(" ✗ {problem}; showing the last good save ");
    let text = doc::truncate(&text, usize::from(row.width));
    let pad = usize::from(row.width).saturating_sub(doc::width(&text));
    put_spans(
        &[Span::styled(
            format!("{text}{}", " ".repeat(pad)),
            theme.problem,
        )],
        row,
        buf,
    );
}

fn too_small(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let msg = format!(
        "Terminal too small ({}x{}). Need {}x{}.",
        area.width,
        area.height,
        layout::MIN_WIDTH,
        layout::MIN_HEIGHT
    );
    Paragraph::new(msg)
        .style(theme.warning)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

fn header(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let person = &app.profile().person;
    let mut first = vec![
        Span::raw(" "),
        Span::styled(person.name.clone(), theme.name),
    ];
    if let Some(p) = person.pronunciation.as_deref().filter(|p| !p.is_empty()) {
        first.push(Span::styled(format!("  ({p})"), theme.pronunciation));
    }
    let used: usize = first.iter().map(|s| doc::width(&s.content)).sum();
    let room = usize::from(area.width).saturating_sub(used + 3);
    if let Some(motto) = person.motto.as_deref().filter(|m| !m.is_empty())
        && room >= 12
    {
        let motto = doc::truncate(&format!("“{motto}”"), room);
        let row = Rect { height: 1, ..area };
        put_right(&[Span::styled(format!("{motto} "), theme.motto)], row, buf);
    }
    put_spans(&first, Rect { height: 1, ..area }, buf);
    if area.height > 1 {
        let affiliation = doc::truncate(&person.affiliation_line(), usize::from(area.width) - 2);
        put_spans(
            &[Span::raw(" "), Span::styled(affiliation, theme.affiliation)],
            Rect {
                y: area.y + 1,
                height: 1,
                ..area
            },
            buf,
        );
    }
}

fn tab_bar(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let titles = app.tabs().iter().map(|t| app.tab_title(*t));
    let (spans, shift) = layout::tab_positions(titles, app.tab_index(), area.width);
    for (i, (tab, (start, _))) in app.tabs().iter().zip(spans).enumerate() {
        let style = if i == app.tab_index() {
            theme.tab_selected
        } else {
            theme.tab
        };
        let label = format!(" {} ", app.tab_title(*tab));
        let Some(x) = start.checked_sub(shift) else {
            continue;
        };
        let Ok(x) = u16::try_from(x) else { break };
        if x >= area.width {
            break;
        }
        let max = usize::from(area.width - x);
        buf.set_stringn(area.x + x, area.y, label, max, style);
    }
}

fn footer(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let footer = Footer {
        context: app.context(),
        position: app.position(),
        status: app.status(),
        filter: app.filter().filter(|_| app.help_scroll().is_none()),
        way_back: app.way_back().filter(|_| app.help_scroll().is_none()),
    };
    footer.render(theme, area, buf);
}

/// What the footer says: a message, the filter being typed, or the keys
/// that work here (and the way back, when there is one), with the position
/// on the right.
pub(crate) struct Footer<'a> {
    pub context: keymap::Context,
    pub position: String,
    pub status: Option<&'a str>,
    pub filter: Option<&'a crate::app::Filter>,
    /// Where Esc goes when it leaves (a lab's directory).
    pub way_back: Option<&'static str>,
}

impl Footer<'_> {
    pub(crate) fn render(&self, theme: &Theme, area: Rect, buf: &mut Buffer) {
        let position = &self.position;
        let room = usize::from(area.width).saturating_sub(doc::width(position) + 2);
        let mut spans = vec![Span::raw(" ")];
        let mut used = 1;
        if let Some(status) = self.status {
            spans.push(Span::styled(
                doc::truncate(status, room.saturating_sub(1)),
                theme.warning,
            ));
        } else if let Some(f) = self.filter.filter(|f| f.editing) {
            let prompt = format!("/{}▏", f.query);
            let prompt = doc::truncate(&prompt, room.saturating_sub(1));
            used += doc::width(&prompt);
            spans.push(Span::styled(prompt, theme.key));
            let tail = format!(
                "  {} keep  {} clear",
                keymap::key_for(Action::KeepFilter),
                keymap::key_for(Action::ClearFilter)
            );
            if used + doc::width(&tail) <= room {
                spans.push(Span::styled(tail, theme.dim));
            }
        } else {
            if let Some(f) = self.filter.filter(|f| !f.query.is_empty()) {
                let label = doc::truncate(&format!("/{}  ", f.query), room / 2);
                used += doc::width(&label);
                spans.push(Span::styled(label, theme.key));
            }
            // Help and quit always show (they come last in the table, so their
            // room is set aside), and so does the way back; the other hints as
            // room allows, in order.
            let mut hints = keymap::hints(self.context);
            if let Some(what) = self.way_back {
                let back = keymap::key_for(Action::Back);
                hints.retain(|h| h.keys != back);
                hints.insert(0, keymap::Hint::way_back(back, what));
            }
            let width_of = |h: &keymap::Hint| doc::width(h.keys) + 1 + doc::width(h.what) + 2;
            let reserved: usize = hints.iter().filter(|h| h.essential).map(width_of).sum();
            for hint in &hints {
                let w = width_of(hint);
                let limit = if hint.essential {
                    room
                } else {
                    room.saturating_sub(reserved)
                };
                if used + w > limit {
                    continue;
                }
                spans.push(Span::styled(hint.keys, theme.key));
                spans.push(Span::styled(format!(" {}  ", hint.what), theme.dim));
                used += w;
            }
        }
        put_spans(&spans, area, buf);
        put_right(
            &[Span::styled(format!("{position} "), theme.dim)],
            area,
            buf,
        );
    }
}

/// Draws a bordered block in the theme's look (rounded corners, the title
/// in the top border): the cells ratatui's `Block` draws, without its pass
/// over every cell of the area to apply an empty style, which was an eighth
/// of a snapshot's instructions.
pub(crate) fn block(title: &str, focused: bool, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let style = if focused {
        theme.border_focused
    } else {
        theme.border
    };
    let (left, top) = (area.left(), area.top());
    let (right, bottom) = (area.right() - 1, area.bottom() - 1);
    let mut put = |x: u16, y: u16, symbol: &str| {
        buf[(x, y)].set_symbol(symbol).set_style(style);
    };
    // Sides first, then corners over them, in ratatui's order, so that even
    // one-cell-wide blocks come out the same.
    for y in top..=bottom {
        put(left, y, "│");
    }
    for x in left..=right {
        put(x, top, "─");
    }
    for y in top..=bottom {
        put(right, y, "│");
    }
    for x in left..=right {
        put(x, bottom, "─");
    }
    put(right, bottom, "╯");
    put(right, top, "╮");
    put(left, bottom, "╰");
    put(left, top, "╭");
    let room = area.width.saturating_sub(2);
    if room > 0 {
        let line = Line::from(Span::styled(format!(" {title} "), theme.block_title));
        let width = u16::try_from(line.width()).unwrap_or(u16::MAX).min(room);
        line.render(
            Rect {
                x: left + 1,
                y: top,
                width,
                height: 1,
            },
            buf,
        );
    }
}

fn text_tab(
    app: &App,
    theme: &Theme,
    tab: Tab,
    area: Rect,
    buf: &mut Buffer,
    links: &mut LinkLayer,
) {
    let title = doc::truncate(
        heading(app.profile(), tab),
        usize::from(area.width.saturating_sub(4)),
    );
    block(&title, false, theme, area, buf);
    scrolled_lines(
        app.text(),
        app.selected_lines(),
        app.text_area(),
        area,
        theme,
        buf,
        links,
    );
    if tab == Tab::Bio {
        photo(app, theme, buf, links);
    }
}

/// The Bio tab's photo (when it has room and is drawn) and its caption.
fn photo(app: &App, theme: &Theme, buf: &mut Buffer, links: &mut LinkLayer) {
    let Some((photo, look, bio)) = app.photo() else {
        return;
    };
    match (bio.photo, look) {
        (Some(at), crate::app::PhotoLook::Drawn { truecolor }) => {
            if let Some(cells) = photo.cells(at) {
                cells.render(at, truecolor, buf);
            }
        }
        // The front end writes the graphic; its cells stay blank here.
        (Some(at), crate::app::PhotoLook::Graphic { .. }) => links.show_graphic(at),
        _ => {}
    }
    if let Some(at) = bio.caption {
        // The caption does not scroll: as many lines as fit.
        scrolled_lines(app.caption(), None, at, Rect::default(), theme, buf, links);
    }
}

/// Draws the visible window of a laid-out text (the `selected` lines
/// highlighted; its links marked in `links`), and a scrollbar on the
/// block's right border when it overflows. Work is O(visible rows).
pub(crate) fn scrolled_lines(
    view: &TextView,
    selected: Option<std::ops::Range<usize>>,
    inner: Rect,
    block: Rect,
    theme: &Theme,
    buf: &mut Buffer,
    links: &mut LinkLayer,
) {
    let rows = usize::from(inner.height);
    for (i, line) in view.lines.iter().enumerate().skip(view.scroll).take(rows) {
        let row = Rect {
            y: inner.y + u16::try_from(i - view.scroll).unwrap_or(0),
            height: 1,
            ..inner
        };
        let extra = if selected.as_ref().is_some_and(|r| r.contains(&i)) {
            Roles::SELECTED
        } else {
            Roles::TEXT
        };
        put_line(line, extra, theme, row, buf);
        mark_links(line, view, row, links);
    }
    let total = view.lines.len();
    if total > rows && block.height > 2 {
        let mut state = ScrollbarState::new(total)
            .position(view.scroll)
            .viewport_content_length(rows);
        let track = Rect {
            y: block.y + 1,
            height: block.height - 2,
            ..block
        };
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some("│"))
            .thumb_symbol("┃")
            .style(theme.scrollbar)
            .render(track, buf, &mut state);
    }
}

/// Marks the cells of `line`'s links, as [`put_line`] draws it into `row`.
fn mark_links(line: &doc::Line, view: &TextView, row: Rect, links: &mut LinkLayer) {
    if view.links().is_empty() {
        return;
    }
    let mut x = usize::from(row.x);
    let right = usize::from(row.right());
    for span in &line.spans {
        let width = doc::width(&span.text);
        let visible = width.min(right.saturating_sub(x));
        if let Some(link) = span.link.and_then(|id| view.link(id))
            && visible > 0
        {
            let (Ok(x), Ok(w)) = (u16::try_from(x), u16::try_from(visible)) else {
                break;
            };
            links.mark(x, row.y, w, &link.url);
        }
        x += width;
        if x >= right {
            break;
        }
    }
}

/// Writes a left-aligned line of a document into the one-row `area`, clipped
/// to its width, its roles styled by `theme`. The same cells as
/// `Line::render`, with a fast path for ASCII spans, which are most of the
/// text on the per-frame path.
pub(crate) fn put_line(
    line: &doc::Line,
    extra: Roles,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let spans = line
        .spans
        .iter()
        .map(|s| (s.text.as_str(), theme.style(s.roles.with(extra))));
    put_styled(spans, area, buf);
}

/// Writes styled spans left-aligned into the one-row `area`, clipped: the
/// cells of `Line::render`, by the fast path of [`put_line`].
pub(crate) fn put_spans(spans: &[Span], area: Rect, buf: &mut Buffer) {
    put_styled(
        spans.iter().map(|s| (s.content.as_ref(), s.style)),
        area,
        buf,
    );
}

/// Writes styled spans right-aligned into the one-row `area`.
fn put_right(spans: &[Span], area: Rect, buf: &mut Buffer) {
    let width: usize = spans.iter().map(|s| doc::width(&s.content)).sum();
    match u16::try_from(width).ok().filter(|&w| w <= area.width) {
        Some(w) => put_spans(
            spans,
            Rect {
                x: area.x + area.width - w,
                width: w,
                ..area
            },
            buf,
        ),
        // Wider than the row: ratatui decides what shows.
        None => Line::from(spans.to_vec())
            .alignment(Alignment::Right)
            .render(area, buf),
    }
}

fn put_styled<'a>(spans: impl Iterator<Item = (&'a str, Style)>, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let mut x = area.x;
    for (text, style) in spans {
        let room = area.right().saturating_sub(x);
        if room == 0 {
            break;
        }
        if doc::text::is_printable_ascii(text) {
            // The cells of one row are contiguous: index once, then walk them.
            let n = text.len().min(usize::from(room));
            let start = buf.index_of(x, area.y);
            let bytes = text.as_bytes()[..n].iter();
            for (cell, &b) in buf.content[start..start + n].iter_mut().zip(bytes) {
                cell.set_char(char::from(b)).set_style(style);
            }
            x += u16::try_from(n).unwrap_or(room);
        } else {
            let (end, _) = buf.set_stringn(x, area.y, text, usize::from(room), style);
            x = end;
        }
    }
}

/// Clears `area` before an overlay is drawn on it.
pub(crate) fn clear(area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
}
