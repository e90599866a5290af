//! The News tab: a dated list, al-folio style ("Jul 12, 2023").

use ratatui::text::Span;

use crate::profile::Profile;
use crate::ui::Theme;
use crate::ui::text::Para;

/// Width of the date column: "May 17, 2022" plus two spaces.
const DATE_COLUMN: usize = 14;

/// One paragraph per news item, in the order of the profile.
pub fn doc(profile: &Profile, theme: &Theme) -> Vec<Para> {
    profile
        .news
        .iter()
        .map(|item| {
            let date = format!("{:<width$}", item.date.long(), width = DATE_COLUMN);
            Para::hanging(
                vec![Span::styled(date, theme.date)],
                vec![Span::styled(item.text.clone(), theme.text)],
            )
        })
        .collect()
}
