//! The Publications tab: a list (O(visible rows) per frame, whatever the
//! number of publications) and the selected publication's detail.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::app::{App, Focus};
use crate::profile::{Person, Publication};
use crate::ui::text::{self, Para};
use crate::ui::{Theme, block, heading, layout, put_line, scrolled_lines};

/// A badge: coloured background, or `[text]` in monochrome.
pub fn badge(label: &str, style: ratatui::style::Style, theme: &Theme) -> Span<'static> {
    if theme.badge_brackets {
        Span::styled(format!("[{label}]"), style)
    } else {
        Span::styled(format!(" {label} "), style)
    }
}

/// Authors as spans, the owner's name highlighted.
pub fn author_spans(authors: &[String], person: &Person, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (i, author) in authors.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(", ", theme.author));
        }
        let style = if person.is_owner(author) {
            theme.owner
        } else {
            theme.author
        };
        spans.push(Span::styled(author.clone(), style));
    }
    spans
}

/// Everything about one publication, as paragraphs for the detail pane.
pub fn detail_doc(p: &Publication, person: &Person, theme: &Theme) -> Vec<Para> {
    let mut out = vec![Para::plain(p.title.clone(), theme.title), Para::blank()];
    out.push(Para {
        spans: author_spans(&p.authors, person, theme),
        ..Para::default()
    });
    let mut venue = Vec::new();
    if let Some(v) = p.venue() {
        venue.push(Span::styled("In ", theme.text));
        venue.push(Span::styled(v.to_string(), theme.venue));
        venue.push(Span::styled(", ", theme.text));
    }
    venue.push(Span::styled(p.date_line(), theme.text));
    out.push(Para {
        spans: venue,
        ..Para::default()
    });
    let mut badges = Vec::new();
    if let Some(abbr) = p.abbr.as_deref().filter(|a| !a.trim().is_empty()) {
        badges.push(badge(abbr, theme.abbr, theme));
    }
    if let Some(award) = p.award_badge() {
        push_spaced(&mut badges, badge(award, theme.award, theme));
    }
    if let Some(note) = p.note.as_deref().filter(|a| !a.trim().is_empty()) {
        push_spaced(&mut badges, badge(note, theme.note, theme));
    }
    if !badges.is_empty() {
        out.push(Para::blank());
        out.push(Para {
            spans: badges,
            ..Para::default()
        });
    }
    let links = p.links();
    if !links.is_empty() {
        out.push(Para::blank());
        let label_width = links.iter().map(|(l, _)| text::width(l)).max().unwrap_or(0) + 2;
        for (label, url) in links {
            out.push(crate::ui::tabs::labelled(
                label,
                label_width,
                vec![Span::styled(url, theme.link)],
                theme,
            ));
        }
    }
    for (heading, text) in [
        ("Award", p.award_description()),
        ("Abstract", p.abstract_.as_deref()),
        ("Notes", p.additional_info.as_deref()),
        ("Annotation", p.annotation.as_deref()),
    ] {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            out.push(Para::blank());
            out.push(Para::plain(heading, theme.heading));
            out.extend(crate::ui::tabs::paragraphs(text, theme));
        }
    }
    out
}

fn push_spaced(spans: &mut Vec<Span<'static>>, span: Span<'static>) {
    if !spans.is_empty() {
        spans.push(Span::raw(" "));
    }
    spans.push(span);
}

/// A publication as BibTeX, for the detail pane (`b`).
pub fn bibtex_doc(p: &Publication, theme: &Theme) -> Vec<Para> {
    crate::bibtex::to_bibtex(p)
        .lines()
        .map(|line| {
            let indent = line.len() - line.trim_start().len();
            Para {
                prefix: vec![Span::raw(" ".repeat(indent))],
                spans: vec![Span::styled(line.trim_start().to_string(), theme.text)],
                // Continuation lines sit under the value, not the field name.
                indent: indent + 4,
            }
        })
        .collect()
}

/// Draws the list and the detail.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme();
    let panes = app.panes(area);
    let title = heading(app.profile(), crate::app::Tab::Publications);
    let title = text::truncate(title, usize::from(panes.list.width.saturating_sub(4)));
    block(&title, app.focus() == Focus::List, theme).render(panes.list, buf);
    let inner = layout::inner(panes.list);
    if app.list_len() == 0 {
        let message = match app.filter().filter(|f| !f.query.is_empty()) {
            Some(f) => format!(" No publication matches “{}”.", f.query),
            None => " No publications yet.".to_string(),
        };
        Paragraph::new(message).style(theme.dim).render(inner, buf);
    } else {
        list_rows(app, inner, buf);
    }
    let detail_title = match (app.shows_bibtex(), app.focus() == Focus::Detail) {
        (false, false) => "Details",
        (false, true) => "Details  (Esc: back)",
        (true, false) => "BibTeX  (b: page)",
        (true, true) => "BibTeX  (Esc: back, b: page)",
    };
    let detail_title = text::truncate(
        detail_title,
        usize::from(panes.detail.width.saturating_sub(4)),
    );
    block(&detail_title, app.focus() == Focus::Detail, theme).render(panes.detail, buf);
    scrolled_lines(
        app.detail(),
        layout::padded_inner(panes.detail),
        panes.detail,
        theme,
        buf,
    );
}

/// The visible rows of the list, and nothing else.
fn list_rows(app: &App, inner: Rect, buf: &mut Buffer) {
    let theme = app.theme();
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
        let abbr = p.abbr.as_deref().unwrap_or("");
        let abbr = text::truncate(abbr, abbr_width);
        let pad = abbr_width.saturating_sub(text::width(&abbr));
        let used = 2 + abbr_width + usize::from(abbr_width > 0) * 2;
        let title = text::truncate(&p.title, width.saturating_sub(used));
        let title_style = if selected {
            theme.selected.patch(theme.title)
        } else {
            theme.text
        };
        let mut first = vec![
            Span::styled(marker, theme.bullet),
            Span::styled(format!("{abbr}{}", " ".repeat(pad)), theme.date),
            Span::raw(if abbr_width > 0 { "  " } else { "" }),
        ];
        first.extend(text::highlight(&title, query, title_style, theme.matched));
        let first = Line::from(first);
        put_line(
            &first,
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
                let label = text::truncate(b, room.saturating_sub(3));
                let style = if Some(b) == p.award_badge() {
                    theme.award
                } else {
                    theme.note
                };
                let span = badge(&label, style, theme);
                room = room.saturating_sub(text::width(&span.content) + 1);
                second.push(span);
                second.push(Span::raw(" "));
            }
            // Only as many authors as can show.
            let mut authors = String::new();
            for a in &p.authors {
                if text::width(&authors) > room {
                    break;
                }
                if !authors.is_empty() {
                    authors.push_str(", ");
                }
                authors.push_str(a);
            }
            second.push(Span::styled(text::truncate(&authors, room), theme.dim));
            put_line(
                &Line::from(second),
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
