//! The model: what the visitor sees and where they are. Pure state and
//! `update`; knows nothing of terminals. Every front end (the local terminal,
//! `snapshot`, SSH sessions) drives the same `App` with [`Action`]s.

mod action;
mod directory;
mod filter;
pub mod keymap;
mod links;
mod news;

use std::sync::Arc;

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;

pub use action::{Action, Effect};
pub use directory::{Directory, Member, Model};
pub use keymap::Context;

pub use crate::doc::tabs::{Tab, tab_title, tabs_of};
use crate::doc::{self, Line, Look};
use crate::layout;
use crate::photo::Photo;
use crate::profile::Profile;
pub(crate) use filter::Filter;

/// How the Bio tab shows the photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoLook {
    /// Not at all (no colour, a dumb terminal, no photo): no room kept.
    Off,
    /// Its room kept and left blank (plain-text snapshots stay readable).
    Blank,
    /// Drawn as half blocks, in true colour or the 256-colour palette.
    Drawn { truecolor: bool },
    /// Drawn with the terminal's own graphics (its cells `font` pixels),
    /// by the front end that writes the bytes; the view leaves its room blank.
    Graphic {
        kind: crate::photo::Graphics,
        font: (u16, u16),
    },
}

/// Which pane of the publications tab has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Focus {
    List,
    Detail,
}

/// A text tab laid out for the current width: its document (built once,
/// its Markdown read once), the lines, where each paragraph starts, and how
/// far it is scrolled.
#[derive(Debug, Clone, Default)]
pub(crate) struct TextView {
    pub doc: Option<doc::Doc>,
    pub lines: Vec<Line>,
    pub starts: Vec<usize>,
    pub scroll: usize,
    /// The width the lines were laid out for; `None` until first laid out.
    pub width: Option<u16>,
}

impl TextView {
    /// The document's links.
    pub(crate) fn links(&self) -> &[doc::Link] {
        self.doc.as_ref().map_or(&[], |d| d.links.as_slice())
    }

    /// The link a span of a line points to.
    pub(crate) fn link(&self, id: doc::LinkId) -> Option<&doc::Link> {
        self.links().get(id as usize)
    }

    /// The links of lines `lines`, in order, each once.
    pub(crate) fn links_of_lines(&self, lines: std::ops::Range<usize>) -> Vec<doc::Link> {
        let mut ids: Vec<doc::LinkId> = Vec::new();
        for line in self.lines.get(lines).unwrap_or_default() {
            for id in line.spans.iter().filter_map(|s| s.link) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids.iter()
            .filter_map(|&id| self.link(id).cloned())
            .collect()
    }
}

/// The publication list's cursor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
    /// The first visible publication.
    pub offset: usize,
}

/// Finds a tab by name (case-insensitive; `research` also matches a longer
/// title's start) or by 1-based number; returns its index.
pub fn find_tab(profile: &Profile, name: &str) -> Option<usize> {
    let tabs = tabs_of(profile);
    let wanted = name.trim().to_lowercase();
    if let Ok(n) = wanted.parse::<usize>() {
        return (1..=tabs.len()).contains(&n).then(|| n - 1);
    }
    let titles: Vec<String> = tabs
        .iter()
        .map(|t| tab_title(profile, *t).to_lowercase())
        .collect();
    titles.iter().position(|t| *t == wanted).or_else(|| {
        titles
            .iter()
            .position(|t| !wanted.is_empty() && t.starts_with(&wanted))
    })
}

/// The whole state of one viewer.
#[derive(Debug, Clone)]
pub struct App {
    profile: Arc<Profile>,
    /// Whether the view draws in colour (the documents' badges follow it).
    color: bool,
    tabs: Vec<Tab>,
    tab: usize,
    size: Rect,
    /// One per tab; empty for the publications tab.
    texts: Vec<TextView>,
    list: ListState,
    focus: Focus,
    detail: TextView,
    /// The help overlay, with its scroll offset, when shown.
    help: Option<usize>,
    /// The link picker (`o`), when open.
    picker: Option<links::Picker>,
    /// The photo, and how it is shown; its caption laid out for its place.
    photo: Option<Arc<Photo>>,
    photo_look: PhotoLook,
    /// How the front end asked for photos to be shown (kept for a reload,
    /// whose photo may come or go).
    wanted_look: PhotoLook,
    /// Why the profile on screen is not the file's latest save (the live
    /// preview's error bar), until a good save.
    problem: Option<String>,
    caption: TextView,
    /// Whether the Bio document was built with the caption among its facts.
    caption_in_bio: bool,
    quit: bool,
    /// Width of the list's venue column, measured once at start.
    abbr_width: usize,
    /// The filter of the News tab and of the Publications tab.
    news_filter: Option<Filter>,
    pubs_filter: Option<Filter>,
    /// The publications the filter lets through (indexes), when filtering.
    visible: Option<Vec<usize>>,
    /// The query that let `visible` through.
    pubs_applied: Option<String>,
    /// What the filter searches, built at its first keystroke.
    haystack: std::sync::OnceLock<Arc<filter::Haystack>>,
    /// The news items the filter lets through (indexes), when filtering.
    news_visible: Option<Vec<usize>>,
    /// The selected news item, among those shown.
    news_selected: usize,
    /// The detail shows BibTeX instead of the formatted page.
    show_bibtex: bool,
    /// A one-line message for the footer, until the next key.
    status: Option<String>,
    /// Whether `o` may ask the front end to open links (local viewer only).
    opens_links: bool,
    /// Where Esc goes once nothing is left to close (a lab's directory),
    /// for the footer's hint.
    way_back: Option<&'static str>,
    effects: Vec<Effect>,
}

impl App {
    /// A viewer on `profile` for a `columns` x `rows` screen, drawn in
    /// colour or not.
    pub fn new(profile: Arc<Profile>, color: bool, columns: u16, rows: u16) -> Self {
        Self::with_photo_at(profile, color, columns, rows, None, PhotoLook::Off)
    }

    /// A viewer with a photo in the Bio tab, shown as `look` says: laid out
    /// once, with the photo's room.
    pub fn with_photo_at(
        profile: Arc<Profile>,
        color: bool,
        columns: u16,
        rows: u16,
        photo: Option<Arc<Photo>>,
        look: PhotoLook,
    ) -> Self {
        let tabs = tabs_of(&profile);
        let abbr_width = profile
            .publications
            .iter()
            .map(|p| p.tag_width(doc::width))
            .max()
            .unwrap_or(0)
            .min(12);
        let mut app = App {
            texts: vec![TextView::default(); tabs.len()],
            profile,
            color,
            tabs,
            tab: 0,
            size: Rect::default(),
            list: ListState::default(),
            focus: Focus::List,
            detail: TextView::default(),
            help: None,
            picker: None,
            photo: None,
            photo_look: PhotoLook::Off,
            wanted_look: look,
            problem: None,
            caption: TextView::default(),
            caption_in_bio: true,
            quit: false,
            abbr_width,
            news_filter: None,
            pubs_filter: None,
            visible: None,
            pubs_applied: None,
            haystack: std::sync::OnceLock::new(),
            news_visible: None,
            news_selected: 0,
            show_bibtex: false,
            status: None,
            opens_links: false,
            way_back: None,
            effects: Vec::new(),
        };
        app.set_photo(photo, look);
        app.resize(columns, rows);
        app
    }

    /// To be drawn a photo must decode (now, as the first frame would); a
    /// photo that does not is simply not shown. A blank room never decodes it.
    fn set_photo(&mut self, photo: Option<Arc<Photo>>, look: PhotoLook) {
        let drawn = matches!(look, PhotoLook::Drawn { .. } | PhotoLook::Graphic { .. });
        self.photo = photo.filter(|p| !drawn || p.verify().is_ok());
        self.photo_look = if self.photo.is_some() {
            look
        } else {
            PhotoLook::Off
        };
    }

    /// Shows the photo as `look` from now on (a visitor's terminal answered
    /// that it draws better than half blocks).
    #[cfg_attr(not(feature = "ssh"), allow(dead_code))]
    pub(crate) fn set_photo_look(&mut self, look: PhotoLook) {
        self.wanted_look = look;
        if self.photo.is_some() {
            self.photo_look = look;
            let (w, h) = (self.size.width, self.size.height);
            self.resize(w, h);
        }
    }

    /// The photo and how it is shown, with the Bio tab's geometry.
    pub(crate) fn photo(&self) -> Option<(&Photo, PhotoLook, layout::Bio)> {
        let photo = self.photo.as_deref()?;
        let bio = self.bio_layout();
        bio.photo?;
        Some((photo, self.photo_look, bio))
    }

    /// The photo's caption, laid out beside or under it.
    pub(crate) fn caption(&self) -> &TextView {
        &self.caption
    }

    /// Where the Bio tab puts its text, the photo and its caption.
    fn bio_layout(&self) -> layout::Bio {
        let inner = layout::screen(self.size)
            .map(|s| layout::padded_inner(s.content))
            .unwrap_or_default();
        let pixels = self
            .photo
            .as_ref()
            .filter(|_| self.photo_look != PhotoLook::Off)
            .map(|p| p.size());
        layout::bio(inner, pixels)
    }

    pub(crate) fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Lets `o` open links through the front end (the local viewer); elsewhere
    /// `o` shows the URL instead.
    pub(crate) fn with_link_opening(mut self, on: bool) -> Self {
        self.opens_links = on;
        self
    }

    /// The same viewer on a new version of its profile (a save the live
    /// preview read): the tab, the selected publication (by title, else
    /// by place), the focus, filters, the BibTeX view, the help and the
    /// scroll stay where they still make sense.
    pub fn reloaded(&self, profile: Arc<Profile>, photo: Option<Arc<Photo>>) -> App {
        let (w, h) = (self.size.width, self.size.height);
        let mut app = App::with_photo_at(profile, self.color, w, h, photo, self.wanted_look);
        app.opens_links = self.opens_links;
        app.way_back = self.way_back;
        app.help = self.help;
        app.news_filter = self.news_filter.clone();
        app.pubs_filter = self.pubs_filter.clone();
        let tab = app.tabs.iter().position(|t| *t == self.tab()).unwrap_or(0);
        // Each filter is applied on its own tab, then the old tab shown.
        for kept in [Tab::News, Tab::Publications] {
            if let Some(i) = app.tabs.iter().position(|t| *t == kept) {
                app.tab = i;
                app.apply_filter();
            }
        }
        app.select_tab(tab);
        if let Some(old) = self.selected_publication() {
            let by_title = (0..app.list_len())
                .find(|&i| app.list_item(i).is_some_and(|p| p.title == old.title));
            let n = app.list_len();
            app.list.selected = by_title.unwrap_or(self.list.selected.min(n.saturating_sub(1)));
            app.list.offset = self.list.offset;
            app.keep_selection_visible();
        }
        app.news_selected = self.news_selected.min(app.news_len().saturating_sub(1));
        app.show_bibtex = self.show_bibtex;
        app.layout_detail();
        if self.focus == Focus::Detail && app.list_len() > 0 {
            app.set_focus(Focus::Detail);
            app.detail.scroll = self.detail.scroll.min(app.detail_max_scroll());
        }
        if let Some(view) = self.texts.get(self.tab) {
            let max = app.text_max_scroll();
            if let Some(new) = app.texts.get_mut(app.tab) {
                new.scroll = view.scroll.min(max);
            }
        }
        app.keep_news_visible();
        app
    }

    /// Shows why the file's latest save is not on screen (`None`: it is).
    pub fn set_problem(&mut self, problem: Option<String>) {
        self.problem = problem.map(|p| crate::profile::sanitize::line(&p));
    }

    /// Why the latest save is not shown, while it is not.
    pub(crate) fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Says that Esc, once nothing is left to close, goes back to `what`
    /// (the footer shows it); the owner of the viewer does the going.
    pub(crate) fn with_way_back(mut self, what: &'static str) -> Self {
        self.way_back = Some(what);
        self
    }

    /// Where Esc goes now, when it leaves this viewer: nothing is open
    /// that it would close first.
    pub(crate) fn way_back(&self) -> Option<&'static str> {
        self.way_back.filter(|_| !self.has_something_to_close())
    }

    /// Whether Esc would close something in this viewer (the help, the
    /// links, a filter, the BibTeX view, the detail), as [`App::update`]
    /// does with [`Action::Back`].
    pub(crate) fn has_something_to_close(&self) -> bool {
        self.help.is_some()
            || self.picker.is_some()
            || self.filter().is_some()
            || (self.tab() == Tab::Publications
                && (self.show_bibtex || self.focus == Focus::Detail))
    }

    /// What the front end must do now; each effect is handed out once.
    pub(crate) fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// A message for the footer (the front end reports what it did).
    pub(crate) fn set_status(&mut self, message: impl Into<String>) {
        self.status = Some(crate::profile::sanitize::line(&message.into()));
    }

    pub(crate) fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// Whether the detail shows BibTeX.
    pub(crate) fn shows_bibtex(&self) -> bool {
        self.show_bibtex
    }

    /// How many publications the list shows (all, or those the filter lets through).
    pub(crate) fn list_len(&self) -> usize {
        self.visible
            .as_ref()
            .map_or(self.profile.publications.len(), Vec::len)
    }

    /// The publication in row `i` of the list.
    pub(crate) fn list_item(&self, i: usize) -> Option<&crate::profile::Publication> {
        let index = match &self.visible {
            Some(v) => *v.get(i)?,
            None => i,
        };
        self.profile.publications.get(index)
    }

    /// The selected publication, if any.
    pub(crate) fn selected_publication(&self) -> Option<&crate::profile::Publication> {
        self.list_item(self.list.selected)
    }
    /// Whether the view draws in colour.
    pub fn color(&self) -> bool {
        self.color
    }
    fn look(&self) -> Look {
        Look::for_color(self.color)
    }
    pub(crate) fn tabs(&self) -> &[Tab] {
        &self.tabs
    }
    pub(crate) fn tab_index(&self) -> usize {
        self.tab
    }
    pub fn tab(&self) -> Tab {
        self.tabs[self.tab]
    }
    pub fn size(&self) -> Rect {
        self.size
    }
    pub fn list(&self) -> ListState {
        self.list
    }
    pub(crate) fn focus(&self) -> Focus {
        self.focus
    }
    pub(crate) fn detail(&self) -> &TextView {
        &self.detail
    }
    pub(crate) fn help_scroll(&self) -> Option<usize> {
        self.help
    }
    pub(crate) fn should_quit(&self) -> bool {
        self.quit
    }
    pub(crate) fn abbr_width(&self) -> usize {
        self.abbr_width
    }
    /// The laid-out text of the current tab (empty for publications).
    pub(crate) fn text(&self) -> &TextView {
        &self.texts[self.tab]
    }

    /// The tab's name as the tab bar shows it.
    pub fn tab_title(&self, tab: Tab) -> &str {
        tab_title(&self.profile, tab)
    }

    /// [`find_tab`] in this viewer's profile.
    pub fn find_tab(&self, name: &str) -> Option<usize> {
        find_tab(&self.profile, name)
    }

    /// Where the keys go now.
    pub(crate) fn context(&self) -> Context {
        if self.help.is_some() {
            return Context::Help;
        }
        if self.picker.is_some() {
            return Context::Links;
        }
        if self.filter().is_some_and(|f| f.editing) {
            return Context::Filter;
        }
        match self.tab() {
            Tab::Publications if self.focus == Focus::Detail => Context::Detail,
            Tab::Publications => Context::List,
            Tab::News => Context::News,
            _ => Context::Text,
        }
    }

    /// Handles a key press through the key table.
    pub fn on_key(&mut self, key: &KeyEvent) {
        self.status = None;
        if self.help.is_none() && self.filter().is_some_and(|f| f.editing) {
            if let Some(action) = keymap::action_in(keymap::Mode::Filter, key) {
                self.update(action);
                return;
            }
            if self.type_into_filter(key) {
                return;
            }
        }
        if let Some(action) = keymap::action_for(key) {
            self.update(action);
        }
    }

    /// The selected publication's index in the profile.
    fn selected_index(&self) -> Option<usize> {
        match &self.visible {
            Some(v) => v.get(self.list.selected).copied(),
            None => {
                (self.list.selected < self.profile.publications.len()).then_some(self.list.selected)
            }
        }
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        if let Action::Resize(w, h) = action {
            self.resize(w, h);
            return;
        }
        if self.help.is_some() {
            self.update_help(action);
            return;
        }
        if self.picker.is_some() {
            self.update_picker(action);
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::NextTab => self.select_tab((self.tab + 1) % self.tabs.len()),
            Action::PrevTab => self.select_tab((self.tab + self.tabs.len() - 1) % self.tabs.len()),
            Action::GoTab(i) if i < self.tabs.len() => self.select_tab(i),
            Action::GoTab(_) => {}
            Action::ToggleHelp => self.help = Some(0),
            Action::Open => {
                if self.tab() == Tab::Publications && self.list_len() > 0 {
                    self.set_focus(Focus::Detail);
                }
            }
            Action::Back => self.back(),
            Action::Click { column, row } => self.click(column, row),
            Action::Up
            | Action::Down
            | Action::ScrollUp
            | Action::ScrollDown
            | Action::PageUp
            | Action::PageDown
            | Action::HalfPageUp
            | Action::HalfPageDown
            | Action::Top
            | Action::Bottom => {
                if let Some(delta) = action.movement(self.page()) {
                    self.move_by(delta);
                }
            }
            Action::Search => self.start_filter(),
            Action::Copy => self.copy(),
            Action::OpenLink => self.open_picker(),
            Action::ToggleBibtex => {
                if self.tab() == Tab::Publications {
                    self.show_bibtex = !self.show_bibtex;
                    self.layout_detail();
                }
            }
            Action::KeepFilter | Action::ClearFilter | Action::DeleteFilterChar => {
                self.edit_filter(action);
            }
            // Only the local terminal can stop; it acts on the key itself.
            Action::Suspend | Action::Resize(..) => {}
        }
    }

    /// Esc: closes the innermost thing open (the help and filter editing
    /// are handled before): the BibTeX view, then the detail's focus, then a
    /// kept filter.
    fn back(&mut self) {
        if self.tab() == Tab::Publications && self.show_bibtex {
            self.show_bibtex = false;
            self.layout_detail();
        } else if self.tab() == Tab::Publications && self.focus == Focus::Detail {
            self.set_focus(Focus::List);
        } else if self.filter().is_some() {
            self.clear_filter();
        }
    }

    fn copy(&mut self) {
        if self.tab() != Tab::Publications {
            return;
        }
        let Some(p) = self.selected_publication() else {
            return;
        };
        // A key held down (or a flood of `y` over SSH) makes one copy per
        // batch of input, not one BibTeX per key.
        let what = format!("the BibTeX of “{}”", doc::tabs::plain_text(&p.title));
        let pending = self
            .effects
            .last()
            .is_some_and(|e| matches!(e, Effect::Copy { what: w, .. } if *w == what));
        if pending {
            return;
        }
        let effect = Effect::Copy {
            text: crate::bibtex::to_bibtex(p),
            what,
        };
        self.effects.push(effect);
    }

    fn update_help(&mut self, action: Action) {
        self.quit |= action == Action::Quit;
        self.help = help_after(self.help.unwrap_or(0), action, self.size);
    }

    fn select_tab(&mut self, i: usize) {
        self.tab = i;
        self.layout_text(i);
        self.focus = Focus::List;
        self.keep_selection_visible();
        self.layout_detail();
    }

    /// Moves the keys between list and detail; the panes may change size with it.
    fn set_focus(&mut self, focus: Focus) {
        if self.focus != focus {
            self.focus = focus;
            self.keep_selection_visible();
            let scroll = self.detail.scroll;
            self.layout_detail();
            self.detail.scroll = scroll.min(self.detail_max_scroll());
        }
    }

    /// Rows a page moves: the visible rows of what has the keys.
    fn page(&self) -> isize {
        let rows = match (self.tab(), self.focus) {
            (Tab::News, _) => self.news_on_screen() + 1,
            (Tab::Publications, Focus::List) => self.list_capacity(),
            (Tab::Publications, Focus::Detail) => usize::from(self.detail_area().height),
            _ => usize::from(self.text_area().height),
        };
        isize::try_from(rows.saturating_sub(1).max(1)).unwrap_or(1)
    }

    fn move_by(&mut self, delta: isize) {
        match (self.tab(), self.focus) {
            (Tab::News, _) => {
                let n = self.news_len();
                if n > 0 {
                    self.news_selected = self.news_selected.saturating_add_signed(delta).min(n - 1);
                    self.keep_news_visible();
                }
            }
            (Tab::Publications, Focus::List) => {
                let n = self.list_len();
                if n == 0 {
                    return;
                }
                self.list.selected = self.list.selected.saturating_add_signed(delta).min(n - 1);
                self.keep_selection_visible();
                self.layout_detail();
            }
            (Tab::Publications, Focus::Detail) => {
                let max = self.detail_max_scroll();
                self.detail.scroll = self.detail.scroll.saturating_add_signed(delta).min(max);
            }
            _ => {
                let max = self.text_max_scroll();
                let view = &mut self.texts[self.tab];
                view.scroll = view.scroll.saturating_add_signed(delta).min(max);
            }
        }
    }

    fn click(&mut self, column: u16, row: u16) {
        let Some(screen) = layout::screen(self.size) else {
            return;
        };
        let pos = ratatui::layout::Position::new(column, row);
        if screen.tabs.contains(pos) {
            let titles = self.tabs.iter().map(|t| tab_title(&self.profile, *t));
            if let Some(i) = layout::tab_at(titles, self.tab, screen.tabs, column) {
                self.select_tab(i);
            }
            return;
        }
        if self.tab() == Tab::News {
            let area = self.text_area();
            if area.contains(pos) {
                let view = self.text();
                let line = view.scroll + usize::from(row - area.y);
                if line < view.lines.len()
                    && let Some(i) = view.starts.iter().rposition(|&s| s <= line)
                    && i < self.news_len()
                {
                    self.news_selected = i;
                }
            }
            return;
        }
        if self.tab() != Tab::Publications {
            return;
        }
        let panes = self.panes(screen.content);
        let list = layout::inner(panes.list);
        if list.contains(pos) {
            let rows = usize::from(layout::ROWS_PER_PUBLICATION);
            let i = self.list.offset + usize::from(row - list.y) / rows;
            if i < self.list_len() {
                self.list.selected = i;
                self.set_focus(Focus::List);
                self.keep_selection_visible();
                self.layout_detail();
            }
        } else if panes.detail.contains(pos) && self.list_len() > 0 {
            self.set_focus(Focus::Detail);
        }
    }

    /// The publication panes inside `content`, for the current focus.
    pub(crate) fn panes(&self, content: Rect) -> layout::Publications {
        layout::publications(content, self.focus == Focus::Detail)
    }

    /// How many publications the list shows at once.
    pub(crate) fn list_capacity(&self) -> usize {
        let h = layout::screen(self.size)
            .map(|s| layout::inner(self.panes(s.content).list).height)
            .unwrap_or(0);
        usize::from(h / layout::ROWS_PER_PUBLICATION).max(1)
    }

    fn keep_selection_visible(&mut self) {
        let cap = self.list_capacity();
        let n = self.list_len();
        let l = &mut self.list;
        if l.selected < l.offset {
            l.offset = l.selected;
        } else if l.selected >= l.offset + cap {
            l.offset = l.selected + 1 - cap;
        }
        // Never leave empty rows at the bottom when there is more above.
        l.offset = l.offset.min(n.saturating_sub(cap));
    }

    /// The area the current text tab's lines are drawn in.
    pub(crate) fn text_area(&self) -> Rect {
        if self.tab() == Tab::Bio {
            return self.bio_layout().text;
        }
        layout::screen(self.size)
            .map(|s| layout::padded_inner(s.content))
            .unwrap_or_default()
    }

    /// The area a publication's detail is drawn in.
    pub(crate) fn detail_area(&self) -> Rect {
        layout::screen(self.size)
            .map(|s| layout::padded_inner(self.panes(s.content).detail))
            .unwrap_or_default()
    }

    fn text_max_scroll(&self) -> usize {
        let view = &self.texts[self.tab];
        view.lines
            .len()
            .saturating_sub(usize::from(self.text_area().height))
    }

    fn detail_max_scroll(&self) -> usize {
        self.detail
            .lines
            .len()
            .saturating_sub(usize::from(self.detail_area().height))
    }

    /// Re-lays out everything for a new size; text is wrapped once per width.
    fn resize(&mut self, columns: u16, rows: u16) {
        self.size = Rect::new(0, 0, columns, rows);
        // Only the tab on screen is laid out now; the others when they are shown.
        self.layout_text(self.tab);
        self.keep_selection_visible();
        self.layout_detail();
        if let Some(picker) = self.picker.as_mut() {
            picker.layout(self.size);
        }
    }

    /// Wraps text tab `i` for the current width, unless it already is.
    fn layout_text(&mut self, i: usize) {
        let tab = self.tabs[i];
        if tab == Tab::Publications {
            return;
        }
        let area = self.text_area();
        if tab == Tab::Bio {
            self.layout_caption();
        }
        let view = &mut self.texts[i];
        if view.width != Some(area.width) {
            let news = match (&self.news_visible, &self.news_filter) {
                (Some(items), Some(f)) => Some(doc::tabs::NewsFilter {
                    items,
                    query: &f.query,
                }),
                _ => None,
            };
            let document = view.doc.take().unwrap_or_else(|| match tab {
                Tab::Bio => doc::tabs::bio_with(&self.profile, self.caption_in_bio),
                _ => doc::tabs::text_doc(&self.profile, tab, news),
            });
            let (lines, starts) = doc::wrap_with_starts(&document.paras, usize::from(area.width));
            let top_para = view
                .starts
                .iter()
                .rposition(|&s| s <= view.scroll)
                .unwrap_or(0);
            // Keep the paragraph at the top in view across a re-wrap.
            let scroll = starts.get(top_para).copied().unwrap_or(0);
            *view = TextView {
                doc: Some(document),
                lines,
                starts,
                scroll,
                width: Some(area.width),
            };
        }
        let max = view.lines.len().saturating_sub(usize::from(area.height));
        view.scroll = view.scroll.min(max);
        if tab == Tab::News {
            self.news_selected = self.news_selected.min(self.news_len().saturating_sub(1));
            self.keep_news_visible();
        }
    }

    /// Lays out the photo's caption for its place; the Bio document carries
    /// the caption itself when no photo shows.
    fn layout_caption(&mut self) {
        let bio = self.bio_layout();
        let in_bio = bio.photo.is_none();
        if in_bio != self.caption_in_bio {
            self.caption_in_bio = in_bio;
            if let Some(i) = self.tabs.iter().position(|t| *t == Tab::Bio) {
                self.texts[i].doc = None;
                self.texts[i].width = None;
            }
        }
        let Some(area) = bio.caption.filter(|_| !in_bio) else {
            self.caption = TextView::default();
            return;
        };
        if self.caption.width != Some(area.width) {
            let document = doc::tabs::caption(&self.profile);
            let (lines, starts) = doc::wrap_with_starts(&document.paras, usize::from(area.width));
            self.caption = TextView {
                doc: Some(document),
                lines,
                starts,
                scroll: 0,
                width: Some(area.width),
            };
        }
    }

    /// Lays out the selected publication's detail for the detail pane's width.
    fn layout_detail(&mut self) {
        // Only the tab on screen is laid out; the detail when its tab is shown.
        if self.tab() != Tab::Publications {
            self.detail = TextView::default();
            return;
        }
        let width = self.detail_area().width;
        let Some(publication) = self.selected_publication() else {
            self.detail = TextView::default();
            return;
        };
        let document = if self.show_bibtex {
            doc::tabs::bibtex(publication)
        } else {
            doc::tabs::detail(publication, &self.profile.person, self.look())
        };
        let (lines, starts) = doc::wrap_with_starts(&document.paras, usize::from(width));
        self.detail = TextView {
            doc: Some(document),
            lines,
            starts,
            scroll: 0,
            width: Some(width),
        };
    }

    /// "2/7" and the like: where the visitor is in the current tab.
    pub(crate) fn position(&self) -> String {
        if let Some(p) = &self.picker {
            return format!("{}/{}", p.selected + 1, p.links.len());
        }
        match self.tab() {
            Tab::Publications => {
                let n = self.list_len();
                if n == 0 {
                    "0/0".into()
                } else {
                    format!("{}/{}", self.list.selected + 1, n)
                }
            }
            Tab::News => {
                let n = self.news_len();
                if n == 0 {
                    "0/0".into()
                } else {
                    format!("{}/{n}", self.news_selected + 1)
                }
            }
            _ => {
                let view = self.text();
                let rows = usize::from(self.text_area().height);
                let max = view.lines.len().saturating_sub(rows);
                if max == 0 {
                    "All".into()
                } else if view.scroll == 0 {
                    "Top".into()
                } else if view.scroll >= max {
                    "Bot".into()
                } else {
                    format!("{}%", view.scroll * 100 / max)
                }
            }
        }
    }
}

/// The help overlay's lines, wrapped to `width`.
pub(crate) fn help_lines(width: u16) -> Vec<Line> {
    doc::help::lines(keymap::help_entries(), width)
}

/// The help overlay's box on a screen of `area`.
pub(crate) fn help_box(area: Rect) -> Rect {
    let rows = help_lines(layout::help_text_width(area)).len();
    layout::help_box(area, rows)
}

/// The help overlay's scroll after `action` on a screen of `area`, or
/// `None` when the action closes it (quitting too: the caller quits).
pub(crate) fn help_after(scroll: usize, action: Action, area: Rect) -> Option<usize> {
    let (lines, rows) = help_line_count(area);
    let max = lines.saturating_sub(rows);
    match action {
        Action::Quit | Action::ToggleHelp | Action::Back | Action::Click { .. } => None,
        Action::Down | Action::ScrollDown => Some((scroll + 1).min(max)),
        Action::Up | Action::ScrollUp => Some(scroll.saturating_sub(1)),
        Action::PageDown | Action::HalfPageDown | Action::Bottom => Some(max),
        Action::PageUp | Action::HalfPageUp | Action::Top => Some(0),
        _ => Some(scroll),
    }
}

/// How many lines the help has on a screen of `area`, and how many it shows.
fn help_line_count(area: Rect) -> (usize, usize) {
    let inner = layout::padded_inner(help_box(area));
    (help_lines(inner.width).len(), usize::from(inner.height))
}

/// Links that may be handed to the system's opener (the profile's table of
/// link schemes decides).
pub(crate) fn openable(url: &str) -> bool {
    crate::profile::links::allowed(url)
}

#[cfg(test)]
mod tests;
