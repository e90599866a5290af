//! The link picker (`o`): every link of the current tab, news item or
//! publication, each URL shown whole, so that any link is reachable without
//! a mouse. Enter opens the selected one (locally) or shows it (over SSH);
//! `y` copies it.

use ratatui::layout::Rect;

use super::{Action, App, Effect, Tab, TextView};
use crate::doc::{self, Doc, Link, Para, Roles, Span};
use crate::layout;

/// The open picker: its links, laid out, and which is selected.
#[derive(Debug, Clone, Default)]
pub(crate) struct Picker {
    pub links: Vec<Link>,
    pub view: TextView,
    pub selected: usize,
}

impl Picker {
    fn new(links: Vec<Link>, screen: Rect) -> Picker {
        let mut picker = Picker {
            links,
            ..Picker::default()
        };
        picker.layout(screen);
        picker
    }

    /// Each link as two paragraphs: its number and text, then its URL (one
    /// link, however it wraps).
    fn doc(&self) -> Doc {
        let mut doc = Doc::default();
        let number_width = self.links.len().to_string().len() + 2;
        for (i, link) in self.links.iter().enumerate() {
            let number = format!("{:<number_width$}", format!("{}.", i + 1));
            let text = if link.text.trim().is_empty() {
                link.url.clone()
            } else {
                link.text.clone()
            };
            doc.push(Para::hanging(
                vec![Span::new(number, Roles::DIM)],
                vec![Span::new(text, Roles::TITLE)],
            ));
            let url = doc.url(&link.text, &link.url);
            doc.push(Para {
                prefix: vec![Span::raw(" ".repeat(number_width))],
                spans: vec![url],
                indent: number_width,
            });
        }
        doc
    }

    /// Lays the picker out for a screen of `screen`.
    pub(super) fn layout(&mut self, screen: Rect) {
        let document = self.doc();
        let width = usize::from(layout::picker_text_width(screen));
        let (lines, starts) = doc::wrap_with_starts(&document.paras, width);
        self.view = TextView {
            doc: Some(document),
            lines,
            starts,
            scroll: 0,
            width: Some(layout::picker_text_width(screen)),
        };
        self.keep_visible(screen);
    }

    /// The lines of entry `i`.
    pub(crate) fn lines_of(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.view.starts.get(2 * i).copied().unwrap_or(0);
        let end = self
            .view
            .starts
            .get(2 * i + 2)
            .copied()
            .unwrap_or(self.view.lines.len());
        start..end
    }

    /// The picker's box on a screen of `screen`.
    pub(crate) fn area(&self, screen: Rect) -> Rect {
        layout::picker_box(screen, self.view.lines.len())
    }

    fn rows(&self, screen: Rect) -> usize {
        usize::from(layout::padded_inner(self.area(screen)).height)
    }

    fn keep_visible(&mut self, screen: Rect) {
        let lines = self.lines_of(self.selected);
        let rows = self.rows(screen).max(1);
        let view = &mut self.view;
        if lines.start < view.scroll {
            view.scroll = lines.start;
        } else if lines.end > view.scroll + rows {
            view.scroll = lines.end.saturating_sub(rows).min(lines.start);
        }
    }

    fn select(&mut self, i: usize, screen: Rect) {
        self.selected = i.min(self.links.len().saturating_sub(1));
        self.keep_visible(screen);
    }
}

impl App {
    /// The link picker, when open.
    pub(crate) fn picker(&self) -> Option<&Picker> {
        self.picker.as_ref()
    }

    /// `o`: opens the picker on the links of what is shown, or says there are none.
    pub(super) fn open_picker(&mut self) {
        let (links, none) = match self.tab() {
            Tab::Publications => {
                let Some(p) = self.selected_publication() else {
                    return;
                };
                let links = crate::doc::tabs::detail(p, &self.profile.person, self.look()).links;
                (links, "This publication has no link.")
            }
            Tab::News => {
                let links = self
                    .news_lines(self.news_selected)
                    .map(|lines| self.text().links_of_lines(lines))
                    .unwrap_or_default();
                (links, "This news item has no link.")
            }
            _ => (self.text().links().to_vec(), "This tab has no link."),
        };
        let mut unique: Vec<Link> = Vec::with_capacity(links.len());
        for link in links {
            if !unique.iter().any(|u| u.url == link.url) {
                unique.push(link);
            }
        }
        if unique.is_empty() {
            self.status = Some(none.into());
            return;
        }
        self.picker = Some(Picker::new(unique, self.size));
    }

    /// An action while the picker is open.
    pub(super) fn update_picker(&mut self, action: Action) {
        let screen = self.size;
        let Some(picker) = self.picker.as_mut() else {
            return;
        };
        let last = picker.links.len().saturating_sub(1);
        let page = picker.rows(screen).div_ceil(2).max(1);
        let step = |delta: isize| picker.selected.saturating_add_signed(delta).min(last);
        match action {
            Action::Quit => {
                self.picker = None;
                self.quit = true;
            }
            Action::Back | Action::OpenLink | Action::ToggleHelp => self.picker = None,
            Action::Down | Action::ScrollDown => picker.select(step(1), screen),
            Action::Up | Action::ScrollUp => picker.select(step(-1), screen),
            Action::PageDown | Action::HalfPageDown => {
                picker.select(step(page.cast_signed()), screen);
            }
            Action::PageUp | Action::HalfPageUp => {
                picker.select(step(-page.cast_signed()), screen);
            }
            Action::Top => picker.select(0, screen),
            Action::Bottom => picker.select(last, screen),
            Action::Open => self.open_picked(),
            Action::Copy => {
                if let Some(link) = picker.links.get(picker.selected) {
                    self.effects.push(Effect::Copy {
                        text: link.url.clone(),
                        what: format!("the link {}", link.url),
                    });
                }
            }
            Action::Click { column, row } => {
                let area = picker.area(screen);
                let inner = layout::padded_inner(area);
                let pos = ratatui::layout::Position::new(column, row);
                if !area.contains(pos) {
                    self.picker = None;
                } else if inner.contains(pos) {
                    let line = picker.view.scroll + usize::from(row - inner.y);
                    if let Some(i) =
                        (0..picker.links.len()).find(|&i| picker.lines_of(i).contains(&line))
                    {
                        picker.select(i, screen);
                    }
                }
            }
            _ => {}
        }
    }

    /// Enter in the picker: the link opens on this machine, or over SSH
    /// (where nothing opens on the server) it is shown in the footer.
    fn open_picked(&mut self) {
        let Some(link) = self
            .picker
            .as_ref()
            .and_then(|p| p.links.get(p.selected).cloned())
        else {
            return;
        };
        if !super::openable(&link.url) {
            return;
        }
        if self.opens_links {
            self.effects.push(Effect::Open(link.url));
            self.picker = None;
        } else {
            self.status = Some(format!("Link: {}  (y copies it)", link.url));
        }
    }
}
