//! The News tab as a list: which item is selected, its lines in the laid-out
//! text, and scrolling so that it stays in view.

use super::{App, Tab};

impl App {
    /// How many news items the News tab shows (all, or those the filter lets through).
    pub(super) fn news_len(&self) -> usize {
        self.news_visible
            .as_ref()
            .map_or(self.profile.news.len(), Vec::len)
    }

    /// The lines of news item `i` in the laid-out News tab.
    pub(super) fn news_lines(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let tab = self.tabs.iter().position(|t| *t == Tab::News)?;
        let view = &self.texts[tab];
        let start = *view.starts.get(i)?;
        let end = view.starts.get(i + 1).copied().unwrap_or(view.lines.len());
        Some(start..end)
    }

    /// The lines of the selected item of the current tab, to highlight.
    pub fn selected_lines(&self) -> Option<std::ops::Range<usize>> {
        if self.tab() != Tab::News || self.news_len() == 0 {
            return None;
        }
        self.news_lines(self.news_selected)
    }

    /// How many whole news items fit on the screen from the top line shown.
    pub(super) fn news_on_screen(&self) -> usize {
        let view = self.text();
        let bottom = view.scroll + usize::from(self.text_area().height);
        view.starts
            .iter()
            .take(self.news_len())
            .enumerate()
            .filter(|&(i, &s)| {
                s >= view.scroll && self.news_lines(i).is_some_and(|r| r.end <= bottom)
            })
            .count()
            .max(1)
    }

    /// Scrolls the News tab so that the selected item is in view.
    pub(super) fn keep_news_visible(&mut self) {
        let Some(lines) = self.news_lines(self.news_selected) else {
            return;
        };
        let rows = usize::from(self.text_area().height);
        let view = &mut self.texts[self.tab];
        if lines.start < view.scroll {
            view.scroll = lines.start;
        } else if lines.end > view.scroll + rows {
            view.scroll = lines.end.saturating_sub(rows).min(lines.start);
        }
    }
}
