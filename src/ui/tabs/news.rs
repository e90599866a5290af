//! The News tab: a dated list, al-folio style ("Jul 12, 2023").

use ratatui::text::Span;

use crate::app::matches;
use crate::profile::Profile;
use crate::ui::Theme;
use crate::ui::text::{Para, highlight};

/// Width of the date column: "May 17, 2022" plus two spaces.
const DATE_COLUMN: usize = 14;

/// One paragraph per news item, in the order of the profile; with a filter,
/// only the items that match (by date or text), matches highlighted.
pub fn doc(profile: &Profile, theme: &Theme, filter: Option<&str>) -> Vec<Para> {
    let query = filter.unwrap_or("");
    let items: Vec<Para> = profile
        .news
        .iter()
        .filter(|item| matches(&item.text, query) || matches(&item.date.long(), query))
        .map(|item| {
            let date = format!("{:<width$}", item.date.long(), width = DATE_COLUMN);
            Para::hanging(
                vec![Span::styled(date, theme.date)],
                highlight(&item.text, query, theme.text, theme.matched),
            )
        })
        .collect();
    if items.is_empty() && !query.is_empty() {
        return vec![Para::plain(
            format!("No news matches “{query}”."),
            theme.dim,
        )];
    }
    items
}
