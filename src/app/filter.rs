//! Filters: `/` on News and Publications, typed into, kept, cleared; what
//! they let through is worked out here, in the model.

use std::sync::Arc;

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

/// A filter's query, prepared once per keystroke for a search over every
/// item: no allocation per item. An ASCII query (nearly every one) is found
/// by its first byte in either case (memchr's SIMD search), each candidate
/// then compared ignoring ASCII case; a query with other letters is compared
/// with Unicode's lowercase of each haystack.
#[derive(Debug, Clone)]
pub(crate) struct Query {
    lower: String,
    ascii: bool,
}

impl Query {
    pub(crate) fn new(query: &str) -> Query {
        Query {
            lower: query.to_lowercase(),
            ascii: query.is_ascii(),
        }
    }

    /// Whether `haystack` contains the query, ignoring case.
    pub(crate) fn found_in(&self, haystack: &str) -> bool {
        let needle = self.lower.as_bytes();
        let Some(&first) = needle.first() else {
            return true;
        };
        if !self.ascii {
            return haystack.to_lowercase().contains(&self.lower);
        }
        let bytes = haystack.as_bytes();
        let rest = &needle[1..];
        let upper = first.to_ascii_uppercase();
        let mut from = 0;
        while let Some(at) = memchr::memchr2(first, upper, &bytes[from..]) {
            let start = from + at + 1;
            if bytes
                .get(start..start + rest.len())
                .is_some_and(|tail| tail.eq_ignore_ascii_case(rest))
            {
                return true;
            }
            from = start;
        }
        false
    }

    /// The query, lowercased.
    pub(crate) fn text(&self) -> &str {
        &self.lower
    }
}

/// What the Publications filter searches, for every publication at once:
/// the searched fields (title, authors, the field table's searched fields,
/// the year), lowercased, one publication after another in one buffer, so
/// that a keystroke is one SIMD substring search over it (memchr's memmem)
/// rather than an allocation per field per publication. Built at the first
/// filter keystroke, shared by clones of the viewer.
#[derive(Debug)]
pub(crate) struct Haystack {
    text: String,
    /// Where each publication's part of `text` starts.
    starts: Vec<usize>,
}

impl Haystack {
    pub(crate) fn of(publications: &[crate::profile::Publication]) -> Haystack {
        let mut text = String::with_capacity(publications.len() * 160);
        let mut starts = Vec::with_capacity(publications.len());
        let add = |text: &mut String, s: &str| {
            // Fields are kept apart so that a match never spans two.
            text.push('\0');
            if s.is_ascii() {
                let from = text.len();
                text.push_str(s);
                text[from..].make_ascii_lowercase();
            } else {
                text.push_str(&s.to_lowercase());
            }
        };
        for p in publications {
            starts.push(text.len());
            add(&mut text, &p.title);
            for a in &p.authors {
                add(&mut text, a);
            }
            for f in crate::profile::fields::FIELDS.iter().filter(|f| f.searched) {
                if let Some(v) = (f.get)(p).as_deref() {
                    add(&mut text, v);
                }
            }
            use std::fmt::Write as _;
            let _ = write!(text, "\0{}", p.year);
        }
        Haystack { text, starts }
    }

    /// Publication `i`'s part of the buffer.
    fn part(&self, i: usize) -> &[u8] {
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        self.text
            .as_bytes()
            .get(self.starts[i]..end)
            .unwrap_or_default()
    }

    /// The publications whose fields contain `query` (lowercased), in
    /// order; only among `within` when given.
    fn find(&self, query: &Query, within: Option<&[usize]>) -> Vec<usize> {
        let finder = memchr::memmem::Finder::new(query.text().as_bytes());
        if let Some(indexes) = within {
            return indexes
                .iter()
                .copied()
                .filter(|&i| i < self.starts.len() && finder.find(self.part(i)).is_some())
                .collect();
        }
        let bytes = self.text.as_bytes();
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(at) = finder.find(&bytes[from..]) {
            let i = self.starts.partition_point(|&s| s <= from + at) - 1;
            found.push(i);
            // On to the next publication: one match is enough.
            match self.starts.get(i + 1) {
                Some(&next) => from = next,
                None => break,
            }
        }
        found
    }
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
    hit: impl Fn(&T, &Query) -> bool,
) -> Option<Vec<usize>> {
    let query = filter.map(|f| f.query.as_str()).filter(|q| !q.is_empty())?;
    let query = Query::new(query);
    Some(
        items
            .iter()
            .enumerate()
            .filter(|(_, item)| hit(item, &query))
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
                // Typing on narrows what the last keystroke let through.
                let query = self.pubs_filter.as_ref().map(|f| f.query.clone());
                let within = match (&self.visible, &self.pubs_applied, &query) {
                    (Some(v), Some(before), Some(now)) if now.starts_with(before.as_str()) => {
                        Some(v.as_slice())
                    }
                    _ => None,
                };
                let haystack = Arc::clone(
                    self.haystack
                        .get_or_init(|| Arc::new(Haystack::of(&self.profile.publications))),
                );
                self.visible = self
                    .pubs_filter
                    .as_ref()
                    .map(|f| f.query.as_str())
                    .filter(|q| !q.is_empty())
                    .map(|q| haystack.find(&Query::new(q), within));
                self.pubs_applied = query.filter(|_| self.visible.is_some());
                // Keep the same paper selected when it is still there.
                self.list.selected = reselect(self.visible.as_deref(), previous);
                self.list.offset = 0;
                self.keep_selection_visible();
                self.layout_detail();
            }
            Tab::News => {
                self.news_visible =
                    let_through(self.news_filter.as_ref(), &self.profile.news, |n, q| {
                        q.found_in(&crate::doc::tabs::plain_text(&n.text))
                            || q.found_in(&n.date.long())
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
        if self.tab() == Tab::Publications {
            // What the filter searches is built now, once per viewer (some
            // 40 ms at 100,000 papers), so that no typed key waits for it.
            self.haystack
                .get_or_init(|| Arc::new(Haystack::of(&self.profile.publications)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Query;

    #[test]
    fn queries_are_found_ignoring_case_wherever_they_are() {
        let found = |hay: &str, q: &str| Query::new(q).found_in(hay);
        assert!(found("Decentralized SGD", "sgd"));
        assert!(found("Decentralized SGD", "DECENT"));
        assert!(
            found("aab", "ab"),
            "a candidate that fails, then one that holds"
        );
        assert!(found("anything", ""));
        assert!(!found("SG", "sgd"), "the end of the haystack");
        assert!(!found("", "a"));
        assert!(
            found("Zhū Tóngtiān and Ada", "ada"),
            "ASCII after other letters"
        );
        assert!(found("Zhū Tóngtiān", "TÓNG"), "a query with other letters");
        assert!(found("朱彤 Tong Zhu", "朱彤"));
        assert!(!found("Tongtian", "tóng"));
    }
}
