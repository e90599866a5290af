//! A lab's directory (`serve --profiles DIR`): a header, one row per person
//! (name, position, latest news, the name to `ssh` as), the footer; the
//! person's own viewer when one is open.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span as Styled;
use ratatui::widgets::{Paragraph, Widget};

use super::{Footer, LinkLayer, Theme, block, put_line, put_spans, too_small};
use crate::app::{Directory, Model};
use crate::doc::directory::cell;
use crate::doc::{self, Line, Roles, Span};
use crate::layout;

/// Draws what `model` shows into `area` of `buf`; returns which cells are links.
pub fn render_model(model: &Model, area: Rect, buf: &mut Buffer) -> LinkLayer {
    match model {
        Model::Viewer(app) => super::render(app, area, buf),
        Model::Directory(d) => match d.viewer() {
            Some(app) => super::render(app, area, buf),
            None => render(d, area, buf),
        },
    }
}

/// Draws the directory itself (it has no links).
pub fn render(d: &Directory, area: Rect, buf: &mut Buffer) -> LinkLayer {
    let links = LinkLayer::new(area);
    let theme = &Theme::for_color(d.color());
    let Some(screen) = layout::screen(area) else {
        too_small(theme, area, buf);
        return links;
    };
    header(d, theme, screen.header, buf);
    put_spans(
        &[Styled::styled(" Directory ", theme.tab_selected)],
        screen.tabs,
        buf,
    );
    let title = match d.filter().filter(|f| !f.query.is_empty()) {
        Some(_) => format!("People ({} of {})", d.len(), d.rows().len()),
        None => "People".to_string(),
    };
    let title = doc::truncate(&title, usize::from(screen.content.width.saturating_sub(4)));
    block(&title, true, theme, screen.content, buf);
    let inner = d.list_area();
    if d.len() == 0 {
        let message = match d.filter().filter(|f| !f.query.is_empty()) {
            Some(f) => format!(" Nobody matches “{}”.", f.query),
            None => " No profiles here yet.".to_string(),
        };
        Paragraph::new(message).style(theme.dim).render(inner, buf);
    } else {
        rows(d, theme, inner, buf);
    }
    Footer {
        context: d.context(),
        position: d.position(),
        status: d.status(),
        filter: d.filter().filter(|_| d.help_scroll().is_none()),
        way_back: None,
    }
    .render(theme, screen.footer, buf);
    let mut links = links;
    if let Some(scroll) = d.help_scroll() {
        super::help::render(theme, scroll, area, buf, &mut links);
    }
    links
}

fn header(d: &Directory, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let row = Rect { height: 1, ..area };
    put_spans(
        &[
            Styled::raw(" "),
            Styled::styled("Lab directory", theme.name),
        ],
        row,
        buf,
    );
    if area.height > 1 {
        let people = crate::doc::text::count(d.rows().len(), "person", "people");
        let line = doc::truncate(
            &format!("{people} · ssh NAME@host opens one directly"),
            usize::from(area.width).saturating_sub(2),
        );
        put_spans(
            &[Styled::raw(" "), Styled::styled(line, theme.affiliation)],
            Rect {
                y: area.y + 1,
                ..row
            },
            buf,
        );
    }
}

/// The visible rows, and nothing else: O(visible rows) per frame.
fn rows(d: &Directory, theme: &Theme, inner: Rect, buf: &mut Buffer) {
    let (columns, width) = d.columns();
    let position = columns.position(width);
    let query = d.filter().map_or("", |f| f.query.as_str());
    let state = d.list();
    for (slot, index) in (state.offset..d.len()).take(d.capacity()).enumerate() {
        let Some(row) = d.row(index) else { break };
        let y = inner.y + u16::try_from(slot).unwrap_or(u16::MAX);
        if y >= inner.bottom() {
            break;
        }
        let selected = index == state.selected;
        let base = |roles: Roles| {
            if selected {
                roles.with(Roles::SELECTED)
            } else {
                roles
            }
        };
        let mut spans = vec![Span::new(if selected { "▸ " } else { "  " }, Roles::BULLET)];
        let name_roles = if row.available {
            Roles::TITLE
        } else {
            Roles::DIM
        };
        spans.extend(doc::highlight(
            &cell(&row.name, columns.name),
            query,
            base(name_roles),
        ));
        if position > 0 {
            spans.push(Span::raw("  "));
            let roles = if row.available {
                Roles::TEXT
            } else {
                Roles::DIM
            };
            spans.extend(doc::highlight(
                &cell(row.position_text(), position),
                query,
                base(roles),
            ));
        }
        if columns.date > 0 {
            spans.push(Span::raw("  "));
            spans.extend(doc::highlight(
                &cell(&row.latest_text(), columns.date),
                query,
                base(Roles::DATE),
            ));
        }
        if columns.login > 0 {
            spans.push(Span::raw("  "));
            spans.extend(doc::highlight(
                &cell(&row.login, columns.login),
                query,
                base(Roles::DIM),
            ));
        }
        put_line(
            &Line { spans },
            Roles::TEXT,
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
