//! Filters: `/` on News and Publications, typed into, kept, cleared; what
//! they let through is worked out here, in the model.

use crossterm::event::KeyEvent;

use super::{Action, App, Focus, Tab};

/// A filter typed with `/` on News or Publications.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    pub query: String,
    /// Keys go into the query until Enter or Esc.
    pub editing: bool,
}

/// The longest query a filter takes, in characters.
const MAX_QUERY: usize = 200;

impl Filter {
    /// Adds a typed character to the query (up to [`MAX_QUERY`]).
    pub(crate) fn push(&mut self, c: char) {
        if self.query.chars().count() < MAX_QUERY {
            self.query.push(c);
        }
    }
}

/// The character a key types into a filter, if it is text (not an arrow,
/// a control key or an Alt chord).
pub(crate) fn typed(key: &KeyEvent) -> Option<char> {
    use crossterm::event::{KeyCode, KeyModifiers};
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if plain && !c.is_control() => Some(c),
        _ => None,
    }
}

/// Whether `haystack` contains `needle`, ignoring case.
pub(crate) fn matches(haystack: &str, needle: &str) -> bool {
    needle.is_empty() || haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// Whether a publication matches a query: title, authors, year and the
/// fields the field table marks as searched (venue, badges, abstract).
fn publication_matches(p: &crate::profile::Publication, query: &str) -> bool {
    let q = query.to_lowercase();
    let hit = |s: &str| s.to_lowercase().contains(&q);
    hit(&p.title)
        || p.authors.iter().any(|a| hit(a))
        || crate::profile::fields::FIELDS
            .iter()
            .filter(|f| f.searched)
            .filter_map(|f| (f.get)(p).as_deref())
            .any(hit)
        || hit(&p.year.to_string())
}

/// Where the selection goes once a filter lets `visible` through: to the
/// item that was selected (`previous`, an index of all items) if it still
/// shows, else the first row.
pub(crate) fn reselect(visible: Option<&[usize]>, previous: Option<usize>) -> usize {
    match (visible, previous) {
        (Some(v), Some(prev)) => v.iter().position(|&i| i == prev).unwrap_or(0),
        (None, Some(prev)) => prev,
        _ => 0,
    }
}

/// The indexes of the `items` that `filter` lets through (`hit` decides),
/// or `None` when there is no filter or it is empty: everything shows.
pub(crate) fn let_through<T>(
    filter: Option<&Filter>,
    items: &[T],
    hit: impl Fn(&T, &str) -> bool,
) -> Option<Vec<usize>> {
    let query = filter.map(|f| f.query.as_str()).filter(|q| !q.is_empty())?;
    Some(
        items
            .iter()
            .enumerate()
            .filter(|(_, item)| hit(item, query))
            .map(|(i, _)| i)
            .collect(),
    )
}

impl App {
    /// The filter of the current tab, if any.
    pub(crate) fn filter(&self) -> Option<&Filter> {
        match self.tab() {
            Tab::News => self.news_filter.as_ref(),
            Tab::Publications => self.pubs_filter.as_ref(),
            _ => None,
        }
    }

    /// Text typed into the filter; false for keys that are not text (arrows...).
    pub(super) fn type_into_filter(&mut self, key: &KeyEvent) -> bool {
        let Some(c) = typed(key) else {
            return false;
        };
        let Some(filter) = self.filter_mut() else {
            return false;
        };
        filter.push(c);
        self.apply_filter();
        true
    }

    /// The filter-editing actions: keep, clear, delete a character.
    pub(super) fn edit_filter(&mut self, action: Action) {
        let Some(filter) = self.filter_mut() else {
            return;
        };
        match action {
            Action::KeepFilter => filter.editing = false,
            Action::DeleteFilterChar => {
                filter.query.pop();
                self.apply_filter();
            }
            _ => {
                self.clear_filter();
            }
        }
    }

    pub(super) fn filter_mut(&mut self) -> Option<&mut Filter> {
        match self.tab() {
            Tab::News => self.news_filter.as_mut(),
            Tab::Publications => self.pubs_filter.as_mut(),
            _ => None,
        }
    }

    /// Esc on a filter: gone, with everything shown again.
    pub(super) fn clear_filter(&mut self) -> bool {
        match self.tab() {
            Tab::News => self.news_filter = None,
            Tab::Publications => self.pubs_filter = None,
            _ => return false,
        }
        self.apply_filter();
        true
    }

    /// Re-selects what the current filter lets through and lays it out again.
    pub(super) fn apply_filter(&mut self) {
        match self.tab() {
            Tab::Publications => {
                let previous = self.selected_index();
                self.visible = let_through(
                    self.pubs_filter.as_ref(),
                    &self.profile.publications,
                    publication_matches,
                );
                // Keep the same paper selected when it is still there.
                self.list.selected = reselect(self.visible.as_deref(), previous);
                self.list.offset = 0;
                self.keep_selection_visible();
                self.layout_detail();
            }
            Tab::News => {
                self.news_visible =
                    let_through(self.news_filter.as_ref(), &self.profile.news, |n, q| {
                        matches(&crate::doc::tabs::plain_text(&n.text), q)
                            || matches(&n.date.long(), q)
                    });
                self.news_selected = 0;
                if let Some(view) = self.texts.get_mut(self.tab) {
                    // The filter changes the document: built again.
                    view.doc = None;
                    view.width = None;
                    view.scroll = 0;
                }
                self.layout_text(self.tab);
            }
            _ => {}
        }
    }

    pub(super) fn start_filter(&mut self) {
        let filter = match self.tab() {
            Tab::News => &mut self.news_filter,
            Tab::Publications => &mut self.pubs_filter,
            _ => {
                self.status = Some("/ filters the News and Publications tabs".into());
                return;
            }
        };
        filter.get_or_insert_with(Filter::default).editing = true;
        self.focus = Focus::List;
    }
}
