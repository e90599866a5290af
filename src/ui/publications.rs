//! The Publications tab: a list (O(visible rows) per frame, whatever the
//! number of publications) and the selected publication's detail.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget};

use super::{LinkLayer, Theme, block, put_line, scrolled_lines};
use crate::app::{Action, App, Focus, Tab, keymap};
use crate::doc::{self, Line, Roles, Span, tabs::badge, tabs::heading};
use crate::layout;

/// Draws the list and the detail.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer, links: &mut LinkLayer) {
    let panes = app.panes(area);
    let title = heading(app.profile(), Tab::Publications);
    let title = doc::truncate(title, usize::from(panes.list.width.saturating_sub(4)));
    block(&title, app.focus() == Focus::List, theme, panes.list, buf);
    let inner = layout::inner(panes.list);
    if app.list_len() == 0 {
        let message = match app.filter().filter(|f| !f.query.is_empty()) {
            Some(f) => format!(" No publication matches “{}”.", f.query),
            None => " No publications yet.".to_string(),
        };
        Paragraph::new(message).style(theme.dim).render(inner, buf);
    } else {
        list_rows(app, theme, inner, buf);
    }
    let (back, page) = (
        keymap::key_for(Action::Back),
        keymap::key_for(Action::ToggleBibtex),
    );
    let detail_title = match (app.shows_bibtex(), app.focus() == Focus::Detail) {
        (false, false) => "Details".to_string(),
        (false, true) => format!("Details  ({back}: back)"),
        (true, false) => format!("BibTeX  ({page}: page)"),
        (true, true) => format!("BibTeX  ({back}: back, {page}: page)"),
    };
    let detail_title = doc::truncate(
        &detail_title,
        usize::from(panes.detail.width.saturating_sub(4)),
    );
    block(
        &detail_title,
        app.focus() == Focus::Detail,
        theme,
        panes.detail,
        buf,
    );
    scrolled_lines(
        app.detail(),
        None,
        layout::padded_inner(panes.detail),
        panes.detail,
        theme,
        buf,
        links,
    );
}

/// The visible rows of the list, and nothing else.
fn list_rows(app: &App, theme: &Theme, inner: Rect, buf: &mut Buffer) {
    let look = doc::Look::for_color(app.color());
    let state = app.list();
    let per = layout::ROWS_PER_PUBLICATION;
    let width = usize::from(inner.width);
    let abbr_width = app.abbr_width();
    let query = app.filter().map_or("", |f| f.query.as_str());
    for (slot, index) in (state.offset..app.list_len())
        .take(app.list_capacity())
        .enumerate()
    {
        let Some(p) = app.list_item(index) else { break };
        let y = inner.y + u16::try_from(slot).unwrap_or(0) * per;
        if y >= inner.bottom() {
            break;
        }
        let selected = index == state.selected;
        let marker = if selected { "▸ " } else { "  " };
        let abbr = doc::truncate(&p.tag(), abbr_width);
        let pad = abbr_width.saturating_sub(doc::width(&abbr));
        let used = 2 + abbr_width + usize::from(abbr_width > 0) * 2;
        let title = doc::truncate(&doc::tabs::plain_text(&p.title), width.saturating_sub(used));
        let title_roles = if selected {
            Roles::SELECTED.with(Roles::TITLE)
        } else {
            Roles::TEXT
        };
        let mut first = vec![
            Span::new(marker, Roles::BULLET),
            Span::new(format!("{abbr}{}", " ".repeat(pad)), Roles::DATE),
            Span::raw(if abbr_width > 0 { "  " } else { "" }),
        ];
        first.extend(doc::highlight(&title, query, title_roles));
        put_line(
            &Line { spans: first },
            Roles::TEXT,
            theme,
            Rect {
                y,
                height: 1,
                ..inner
            },
            buf,
        );
        if y + 1 < inner.bottom() && used < width {
            // The second row starts under the title; the cells before it are blank.
            let mut second = Vec::new();
            let mut room = width - used;
            for b in p.badges() {
                let label = doc::truncate(b, room.saturating_sub(3));
                let roles = if Some(b) == p.award_badge() {
                    Roles::AWARD
                } else {
                    Roles::NOTE
                };
                let span = badge(&label, roles, look);
                room = room.saturating_sub(doc::width(&span.text) + 1);
                second.push(span);
                second.push(Span::raw(" "));
            }
            // Only as many authors as can show.
            let mut authors = String::new();
            for a in &p.authors {
                if doc::width(&authors) > room {
                    break;
                }
                if !authors.is_empty() {
                    authors.push_str(", ");
                }
                authors.push_str(a);
            }
            second.push(Span::new(doc::truncate(&authors, room), Roles::DIM));
            put_line(
                &Line { spans: second },
                Roles::TEXT,
                theme,
                Rect {
                    x: inner.x + u16::try_from(used).unwrap_or(0),
                    y: y + 1,
                    width: inner.width - u16::try_from(used).unwrap_or(0),
                    height: 1,
                },
                buf,
            );
        }
    }
}
