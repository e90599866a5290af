//! A lab's directory (`serve --profiles DIR`): one row per person, filtered
//! with `/`; Enter opens that person's viewer, and Esc, once nothing is left
//! to close there, comes back. Pure state and update, like [`App`].

use std::sync::Arc;

use crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};

use super::filter::{self, Filter};
use super::keymap::{self, Context, Mode};
use super::{Action, App, ListState, PhotoLook, help_after};
use crate::doc::directory::{Columns, Row};
use crate::layout;
use crate::photo::Photo;
use crate::profile::Profile;

/// One person of the lab, as the server read them.
#[derive(Debug, Clone)]
pub struct Member {
    /// The name to `ssh` as: the profile is `DIR/<login>.toml`.
    pub login: String,
    /// `None` when the profile could not be read (the server's log says why;
    /// visitors are told nothing more than that it is unavailable).
    pub profile: Option<Arc<Profile>>,
    pub photo: Option<Arc<Photo>>,
}

/// What the Bio tab's way back is called in the opened viewer's footer.
const BACK_TO: &str = "directory";

/// The whole state of one visitor's directory.
#[derive(Debug, Clone)]
pub struct Directory {
    members: Arc<[Member]>,
    rows: Vec<Row>,
    /// The rows' columns for the list's width (measured over every row,
    /// once per width, not per frame), and that width.
    columns: (Columns, usize),
    filter: Option<Filter>,
    /// The rows the filter lets through (indexes), when filtering.
    visible: Option<Vec<usize>>,
    list: ListState,
    size: Rect,
    color: bool,
    look: PhotoLook,
    /// The help overlay, with its scroll offset, when shown.
    help: Option<usize>,
    /// The person being viewed, when one is.
    opened: Option<Box<App>>,
    quit: bool,
    /// A one-line message for the footer, until the next key.
    status: Option<String>,
}

impl Directory {
    /// The directory of `members` for a `columns` x `rows` screen; viewers
    /// opened from it draw in colour or not, their photos as `look` says.
    pub fn new(
        members: Arc<[Member]>,
        color: bool,
        columns: u16,
        rows: u16,
        look: PhotoLook,
    ) -> Directory {
        let rows_of = members
            .iter()
            .map(|m| Row::of(&m.login, m.profile.as_deref()))
            .collect();
        let mut directory = Directory {
            members,
            rows: rows_of,
            columns: (Columns::of(&[], 0), 0),
            filter: None,
            visible: None,
            list: ListState::default(),
            size: Rect::new(0, 0, columns, rows),
            color,
            look,
            help: None,
            opened: None,
            quit: false,
            status: None,
        };
        directory.measure_columns();
        directory
    }

    /// Lays the columns out for the list's width: one cell kept free before
    /// the right border.
    fn measure_columns(&mut self) {
        let width = usize::from(self.list_area().width).saturating_sub(1);
        self.columns = (Columns::of(&self.rows, width), width);
    }

    /// The rows' columns and the width they fill.
    pub(crate) fn columns(&self) -> (Columns, usize) {
        self.columns
    }

    /// Opens `login`'s viewer, selecting their row; false (and nothing
    /// opened) when there is no such person or their profile is unavailable.
    pub fn open(&mut self, login: &str) -> bool {
        let Some(i) = self.members.iter().position(|m| m.login == login) else {
            return false;
        };
        self.filter = None;
        self.visible = None;
        self.list.selected = i;
        self.keep_selection_visible();
        self.open_selected()
    }

    /// Handles a key press through the key table.
    pub fn on_key(&mut self, key: &KeyEvent) {
        if let Some(app) = self.opened.as_deref_mut() {
            if app.way_back().is_some() && keymap::action_for(key) == Some(Action::Back) {
                self.opened = None;
            } else {
                app.on_key(key);
                self.quit = app.should_quit();
            }
            return;
        }
        self.status = None;
        if self.help.is_none() && self.filter.as_ref().is_some_and(|f| f.editing) {
            if let Some(action) = keymap::action_in(Mode::Filter, key) {
                self.update(action);
                return;
            }
            if let (Some(c), Some(f)) = (filter::typed(key), self.filter.as_mut()) {
                f.push(c);
                self.apply_filter();
                return;
            }
        }
        if let Some(action) = keymap::action_for(key) {
            self.update(action);
        }
    }

    /// Applies one action: to the opened viewer when there is one (Esc at
    /// its top comes back here), else to the directory.
    pub fn update(&mut self, action: Action) {
        if let Action::Resize(columns, rows) = action {
            self.size = Rect::new(0, 0, columns, rows);
            self.measure_columns();
            self.keep_selection_visible();
            if let Some(app) = self.opened.as_deref_mut() {
                app.update(action);
            }
            return;
        }
        if let Some(app) = self.opened.as_deref_mut() {
            if action == Action::Back && app.way_back().is_some() {
                self.opened = None;
            } else {
                app.update(action);
                self.quit = app.should_quit();
            }
            return;
        }
        if let Some(scroll) = self.help {
            self.quit |= action == Action::Quit;
            self.help = help_after(scroll, action, self.size);
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::ToggleHelp => self.help = Some(0),
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
            Action::Open => {
                self.open_selected();
            }
            Action::Click { column, row } => self.click(column, row),
            Action::Search => self.filter.get_or_insert_with(Filter::default).editing = true,
            Action::KeepFilter => {
                if let Some(f) = self.filter.as_mut() {
                    f.editing = false;
                }
            }
            Action::DeleteFilterChar => {
                if let Some(f) = self.filter.as_mut() {
                    f.query.pop();
                    self.apply_filter();
                }
            }
            Action::Back | Action::ClearFilter => {
                self.filter = None;
                self.apply_filter();
            }
            // Tabs, links, copies and BibTeX belong to a person's viewer.
            Action::NextTab
            | Action::PrevTab
            | Action::GoTab(_)
            | Action::Copy
            | Action::OpenLink
            | Action::ToggleBibtex
            | Action::Suspend
            | Action::Resize(..) => {}
        }
    }

    /// Opens the selected person's viewer, or says why not.
    fn open_selected(&mut self) -> bool {
        let Some(index) = self.selected_index() else {
            return false;
        };
        let member = &self.members[index];
        let Some(profile) = member.profile.as_ref() else {
            self.status = Some(format!(
                "{}'s profile is unavailable right now.",
                member.login
            ));
            return false;
        };
        let app = App::with_photo_at(
            Arc::clone(profile),
            self.color,
            self.size.width,
            self.size.height,
            member.photo.clone(),
            self.look,
        )
        .with_way_back(BACK_TO);
        self.opened = Some(Box::new(app));
        true
    }

    fn click(&mut self, column: u16, row: u16) {
        let list = self.list_area();
        if !list.contains(Position::new(column, row)) {
            return;
        }
        let i = self.list.offset + usize::from(row - list.y);
        if i >= self.len() {
            return;
        }
        // A click chooses; a click on the chosen row opens it.
        if i == self.list.selected {
            self.open_selected();
        } else {
            self.list.selected = i;
        }
    }

    fn move_by(&mut self, delta: isize) {
        let n = self.len();
        if n > 0 {
            self.list.selected = self.list.selected.saturating_add_signed(delta).min(n - 1);
            self.keep_selection_visible();
        }
    }

    /// Rows a page moves.
    fn page(&self) -> isize {
        isize::try_from(self.capacity().saturating_sub(1).max(1)).unwrap_or(1)
    }

    fn keep_selection_visible(&mut self) {
        let cap = self.capacity();
        let n = self.len();
        let l = &mut self.list;
        l.selected = l.selected.min(n.saturating_sub(1));
        if l.selected < l.offset {
            l.offset = l.selected;
        } else if l.selected >= l.offset + cap {
            l.offset = l.selected + 1 - cap;
        }
        l.offset = l.offset.min(n.saturating_sub(cap));
    }

    /// Re-selects what the filter lets through, keeping the selected person
    /// when they still show.
    fn apply_filter(&mut self) {
        let previous = self.selected_index();
        self.visible =
            filter::let_through(self.filter.as_ref(), &self.rows, |r, q| r.matches(q.text()));
        self.list.selected = filter::reselect(self.visible.as_deref(), previous);
        self.list.offset = 0;
        self.keep_selection_visible();
    }

    /// The selected person's index among the members.
    fn selected_index(&self) -> Option<usize> {
        match &self.visible {
            Some(v) => v.get(self.list.selected).copied(),
            None => (self.list.selected < self.rows.len()).then_some(self.list.selected),
        }
    }

    /// Whether the visitor has asked to leave.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The person's viewer, while one is open.
    pub fn viewer(&self) -> Option<&App> {
        self.opened.as_deref()
    }

    pub fn viewer_mut(&mut self) -> Option<&mut App> {
        self.opened.as_deref_mut()
    }

    /// Viewers draw photos as `look` from now on (the visitor's terminal
    /// answered that it draws better than half blocks).
    #[cfg_attr(not(feature = "ssh"), allow(dead_code))]
    pub(crate) fn set_photo_look(&mut self, look: PhotoLook) {
        self.look = look;
        if let Some(app) = self.opened.as_deref_mut() {
            app.set_photo_look(look);
        }
    }

    pub fn size(&self) -> Rect {
        self.size
    }

    pub fn color(&self) -> bool {
        self.color
    }

    /// How many people the list shows (all, or those the filter lets through).
    pub(crate) fn len(&self) -> usize {
        self.visible.as_ref().map_or(self.rows.len(), Vec::len)
    }

    /// Every person's row, filtered or not (the columns are sized on all,
    /// so that they do not jump as the filter changes).
    pub(crate) fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The row shown `i`-th.
    pub(crate) fn row(&self, i: usize) -> Option<&Row> {
        let index = match &self.visible {
            Some(v) => *v.get(i)?,
            None => i,
        };
        self.rows.get(index)
    }

    pub(crate) fn list(&self) -> ListState {
        self.list
    }

    pub(crate) fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    pub(crate) fn help_scroll(&self) -> Option<usize> {
        self.help
    }

    pub(crate) fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// Where the keys go now, for the footer.
    pub(crate) fn context(&self) -> Context {
        if self.help.is_some() {
            Context::Help
        } else if self.filter.as_ref().is_some_and(|f| f.editing) {
            Context::Filter
        } else {
            Context::Directory
        }
    }

    /// "2/7": where the visitor is in the list.
    pub(crate) fn position(&self) -> String {
        match self.len() {
            0 => "0/0".into(),
            n => format!("{}/{n}", self.list.selected + 1),
        }
    }

    /// The cells the rows are drawn in.
    pub(crate) fn list_area(&self) -> Rect {
        layout::screen(self.size)
            .map(|s| layout::inner(s.content))
            .unwrap_or_default()
    }

    /// How many rows show at once.
    pub(crate) fn capacity(&self) -> usize {
        usize::from(self.list_area().height).max(1)
    }
}

/// What a front end drives: one profile's viewer, or a lab's directory.
#[derive(Debug, Clone)]
pub enum Model {
    Viewer(Box<App>),
    Directory(Box<Directory>),
}

impl Model {
    /// Handles a key press.
    pub fn on_key(&mut self, key: &KeyEvent) {
        match self {
            Model::Viewer(app) => app.on_key(key),
            Model::Directory(d) => d.on_key(key),
        }
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        match self {
            Model::Viewer(app) => app.update(action),
            Model::Directory(d) => d.update(action),
        }
    }

    pub fn should_quit(&self) -> bool {
        match self {
            Model::Viewer(app) => app.should_quit(),
            Model::Directory(d) => d.should_quit(),
        }
    }

    /// The viewer on screen, if one is (the directory has none of its own).
    pub fn viewer(&self) -> Option<&App> {
        match self {
            Model::Viewer(app) => Some(app),
            Model::Directory(d) => d.viewer(),
        }
    }

    pub fn viewer_mut(&mut self) -> Option<&mut App> {
        match self {
            Model::Viewer(app) => Some(app),
            Model::Directory(d) => d.viewer_mut(),
        }
    }

    pub fn size(&self) -> Rect {
        match self {
            Model::Viewer(app) => app.size(),
            Model::Directory(d) => d.size(),
        }
    }

    /// Photos are drawn as `look` from now on.
    #[cfg_attr(not(feature = "ssh"), allow(dead_code))]
    pub(crate) fn set_photo_look(&mut self, look: PhotoLook) {
        match self {
            Model::Viewer(app) => app.set_photo_look(look),
            Model::Directory(d) => d.set_photo_look(look),
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyModifiers};

    use super::*;
    use crate::app::Tab;

    fn member(login: &str, name: &str) -> Member {
        let text = format!("[person]\nname = \"{name}\"\n[bio]\ntext = \"Bio of {name}.\"\n");
        let profile = crate::profile::parse(&text, &crate::profile::Source::Bundled).unwrap();
        Member {
            login: login.into(),
            profile: Some(Arc::new(profile)),
            photo: None,
        }
    }

    fn lab() -> Directory {
        let members: Vec<Member> = vec![
            member("ada", "Ada Lovelace"),
            Member {
                login: "bob".into(),
                profile: None,
                photo: None,
            },
            member("zhu", "朱彤 Tong Zhu"),
        ];
        Directory::new(Arc::from(members), false, 80, 24, PhotoLook::Off)
    }

    fn press(d: &mut Directory, code: KeyCode) {
        d.on_key(&KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn typed(d: &mut Directory, text: &str) {
        text.chars().for_each(|c| press(d, KeyCode::Char(c)));
    }

    #[test]
    fn enter_opens_the_person_and_esc_comes_back_to_the_same_row() {
        let mut d = lab();
        press(&mut d, KeyCode::Down);
        press(&mut d, KeyCode::Down);
        press(&mut d, KeyCode::Enter);
        let app = d.viewer().expect("zhu's viewer");
        assert_eq!(app.profile().person.name, "朱彤 Tong Zhu");
        assert_eq!(app.way_back(), Some("directory"));
        // Inside, keys are the viewer's: tabs move, Esc at the top leaves.
        press(&mut d, KeyCode::Right);
        assert_ne!(d.viewer().unwrap().tab(), Tab::Bio);
        press(&mut d, KeyCode::Esc);
        assert!(d.viewer().is_none());
        assert_eq!(d.list().selected, 2);
        assert!(!d.should_quit());
    }

    #[test]
    fn esc_closes_what_is_open_in_the_viewer_before_it_leaves() {
        let mut d = lab();
        assert!(d.open("ada"));
        d.update(Action::ToggleHelp);
        assert_eq!(d.viewer().unwrap().way_back(), None, "the help is open");
        d.update(Action::Back);
        assert!(d.viewer().is_some(), "Esc closed the help only");
        d.update(Action::Back);
        assert!(d.viewer().is_none());
    }

    #[test]
    fn q_in_a_viewer_quits_the_visit() {
        let mut d = lab();
        assert!(d.open("zhu"));
        press(&mut d, KeyCode::Char('q'));
        assert!(d.should_quit());
    }

    #[test]
    fn an_unavailable_profile_says_so_and_opens_nothing() {
        let mut d = lab();
        assert!(!d.open("bob"));
        assert_eq!(d.status(), Some("bob's profile is unavailable right now."));
        assert!(d.viewer().is_none());
        assert_eq!(d.list().selected, 1, "bob's row is the one chosen");
        press(&mut d, KeyCode::Down);
        assert_eq!(d.status(), None, "until the next key");
        assert!(!d.open("nobody"));
        assert!(!d.open("../ada"));
    }

    #[test]
    fn the_filter_narrows_the_rows_and_enter_keeps_it() {
        let mut d = lab();
        press(&mut d, KeyCode::Char('/'));
        assert_eq!(d.context(), Context::Filter);
        typed(&mut d, "ZHU");
        assert_eq!(d.len(), 1);
        assert_eq!(d.row(0).unwrap().login, "zhu");
        press(&mut d, KeyCode::Enter);
        assert_eq!(d.context(), Context::Directory);
        assert_eq!(d.position(), "1/1");
        press(&mut d, KeyCode::Enter);
        assert_eq!(d.viewer().unwrap().profile().person.name, "朱彤 Tong Zhu");
        press(&mut d, KeyCode::Esc);
        assert_eq!(d.len(), 1, "the filter is kept on the way back");
        press(&mut d, KeyCode::Esc);
        assert_eq!(d.len(), 3, "then Esc clears it");
        // Nothing matches: nothing to open.
        press(&mut d, KeyCode::Char('/'));
        typed(&mut d, "babbage");
        assert_eq!((d.len(), d.position()), (0, "0/0".to_string()));
        press(&mut d, KeyCode::Enter);
        press(&mut d, KeyCode::Enter);
        assert!(d.viewer().is_none());
    }

    #[test]
    fn clicks_choose_then_open_and_resizes_reach_the_viewer() {
        let mut d = lab();
        let list = d.list_area();
        d.update(Action::Click {
            column: list.x + 3,
            row: list.y + 2,
        });
        assert_eq!((d.list().selected, d.viewer().is_none()), (2, true));
        d.update(Action::Click {
            column: list.x + 3,
            row: list.y + 2,
        });
        assert!(d.viewer().is_some());
        d.update(Action::Resize(50, 16));
        assert_eq!(d.viewer().unwrap().size(), Rect::new(0, 0, 50, 16));
        d.update(Action::Back);
        assert_eq!(d.size(), Rect::new(0, 0, 50, 16));
    }

    #[test]
    fn the_selection_stays_in_view_on_a_short_screen() {
        let members: Vec<Member> = (0..40)
            .map(|i| member(&format!("p{i:02}"), &format!("Person {i}")))
            .collect();
        let mut d = Directory::new(Arc::from(members), false, 40, 10, PhotoLook::Off);
        d.update(Action::Bottom);
        let l = d.list();
        assert_eq!(l.selected, 39);
        assert!(l.offset + d.capacity() > 39 && l.offset <= 39);
        d.update(Action::PageUp);
        assert!(d.list().selected < 39 && d.list().selected >= d.list().offset);
        d.update(Action::Top);
        assert_eq!(d.list(), ListState::default());
    }

    #[test]
    fn the_help_opens_scrolls_and_closes_over_the_directory() {
        let mut d = lab();
        press(&mut d, KeyCode::Char('?'));
        assert_eq!(d.context(), Context::Help);
        press(&mut d, KeyCode::Down);
        press(&mut d, KeyCode::Esc);
        assert_eq!((d.context(), d.help_scroll()), (Context::Directory, None));
    }
}
