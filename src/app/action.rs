//! What a visitor can ask for, whatever the front end: every key, click and
//! resize becomes an [`Action`] before it touches the [`App`](super::App).

/// One request to the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    NextTab,
    PrevTab,
    /// Jump to a tab by 0-based index.
    GoTab(usize),
    Up,
    Down,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    /// Open the selected item (focus a publication's detail).
    Open,
    /// Close the innermost thing open: the help, the BibTeX view, the
    /// detail, then a kept filter.
    Back,
    ToggleHelp,
    Quit,
    /// The screen is now this many columns and rows.
    Resize(u16, u16),
    /// A left click at a cell.
    Click {
        column: u16,
        row: u16,
    },
    ScrollUp,
    ScrollDown,
    /// Start typing a filter for News or Publications.
    Search,
    /// Copy the selected publication's BibTeX to the clipboard.
    Copy,
    /// Show the links of the tab, news item or publication (the picker).
    OpenLink,
    /// Show the selected publication as BibTeX, or as a page again.
    ToggleBibtex,
    /// Stop the viewer and give the terminal back until `fg` (local only).
    Suspend,
    /// While typing a filter: keep it and go back to browsing.
    KeepFilter,
    /// While typing a filter: drop it, showing everything again.
    ClearFilter,
    /// While typing a filter: delete its last character.
    DeleteFilterChar,
}

impl Action {
    /// How far a moving action moves, in rows, when a page is `page` rows:
    /// `None` for the others. Top and Bottom move "as far as there is".
    pub fn movement(self, page: isize) -> Option<isize> {
        let half = (page / 2).max(1);
        Some(match self {
            Action::Up => -1,
            Action::Down => 1,
            Action::ScrollUp => -3,
            Action::ScrollDown => 3,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::HalfPageUp => -half,
            Action::HalfPageDown => half,
            Action::Top => isize::MIN / 2,
            Action::Bottom => isize::MAX / 2,
            _ => return None,
        })
    }
}

/// Something only a front end can do, asked for by the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put this text on the clipboard (OSC 52).
    Copy { text: String, what: String },
    /// Open this http, https or mailto link with the system's opener.
    Open(String),
}
