//! Documents: what a tab, a publication's detail or the help says, as
//! paragraphs of text with style *roles*, and the same laid out into lines
//! by display width. Below both the model (which needs line counts at update
//! time) and the view (which turns roles into colours through its `Theme`);
//! imports neither.

pub(crate) mod directory;
pub(crate) mod help;
mod rich;
pub(crate) mod tabs;
pub(crate) mod text;

pub(crate) use rich::{Doc, Link};
pub(crate) use text::{highlight, highlight_spans, truncate, width, wrap, wrap_with_starts};

/// What a piece of text is, for the view to style. Roles combine: an
/// author's name that is the owner's and matches the filter is one span
/// with both roles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct Roles(u32);

impl Roles {
    /// Plain text: no role.
    pub(crate) const TEXT: Roles = Roles(0);
    pub(crate) const DIM: Roles = Roles(1);
    pub(crate) const QUOTE: Roles = Roles(1 << 1);
    pub(crate) const BULLET: Roles = Roles(1 << 2);
    pub(crate) const DATE: Roles = Roles(1 << 3);
    pub(crate) const HEADING: Roles = Roles(1 << 4);
    pub(crate) const TITLE: Roles = Roles(1 << 5);
    pub(crate) const AUTHOR: Roles = Roles(1 << 6);
    /// The profile owner's own name in an author list.
    pub(crate) const OWNER: Roles = Roles(1 << 7);
    pub(crate) const VENUE: Roles = Roles(1 << 8);
    /// Badges: the venue abbreviation, an award, a note.
    pub(crate) const ABBR: Roles = Roles(1 << 9);
    pub(crate) const AWARD: Roles = Roles(1 << 10);
    pub(crate) const NOTE: Roles = Roles(1 << 11);
    pub(crate) const LINK: Roles = Roles(1 << 12);
    /// A key in the help or the footer.
    pub(crate) const KEY: Roles = Roles(1 << 13);
    /// The selected row of a list.
    pub(crate) const SELECTED: Roles = Roles(1 << 14);
    /// Text that matches the filter.
    pub(crate) const MATCHED: Roles = Roles(1 << 15);
    /// Emphasis written in the profile: `**strong**`, `*emphasis*`, `` `code` ``.
    pub(crate) const STRONG: Roles = Roles(1 << 16);
    pub(crate) const EMPH: Roles = Roles(1 << 17);
    pub(crate) const CODE: Roles = Roles(1 << 18);

    /// Both sets of roles.
    #[must_use]
    pub(crate) const fn with(self, other: Roles) -> Roles {
        Roles(self.0 | other.0)
    }

    /// Whether every role of `other` is here.
    pub(crate) const fn contains(self, other: Roles) -> bool {
        self.0 & other.0 == other.0
    }

    /// The roles one by one, lowest first.
    pub(crate) fn each(self) -> impl Iterator<Item = Roles> {
        (0..u32::BITS)
            .map(|bit| Roles(1 << bit))
            .filter(move |r| self.contains(*r))
    }
}

/// A link's number within its document ([`Doc::links`]), for a per-cell
/// link layer beside the screen buffer (ratatui's cells carry no hyperlink).
pub(crate) type LinkId = u32;

/// A run of text with one set of roles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub text: String,
    pub roles: Roles,
    /// The link this text belongs to, if any.
    pub link: Option<LinkId>,
}

impl Span {
    pub fn new(text: impl Into<String>, roles: Roles) -> Span {
        Span {
            text: text.into(),
            roles,
            link: None,
        }
    }

    /// Text with no role.
    pub(crate) fn raw(text: impl Into<String>) -> Span {
        Span::new(text, Roles::TEXT)
    }
}

/// One laid-out line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    /// Its width in terminal cells.
    pub(crate) fn width(&self) -> usize {
        self.spans.iter().map(|s| width(&s.text)).sum()
    }
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.spans.iter().try_for_each(|s| f.write_str(&s.text))
    }
}

/// A paragraph to lay out: text with roles, a first-line prefix (a bullet,
/// a date) and the indent of the lines that follow it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Para {
    pub prefix: Vec<Span>,
    pub spans: Vec<Span>,
    pub indent: usize,
}

impl Para {
    /// A paragraph of one role.
    pub(crate) fn plain(text: impl Into<String>, roles: Roles) -> Self {
        Para {
            spans: vec![Span::new(text, roles)],
            ..Para::default()
        }
    }

    /// An empty line.
    pub(crate) fn blank() -> Self {
        Para::default()
    }

    /// Text after a prefix, with continuation lines indented by the prefix's width.
    pub(crate) fn hanging(prefix: Vec<Span>, spans: Vec<Span>) -> Self {
        let indent = prefix.iter().map(|s| width(&s.text)).sum();
        Para {
            prefix,
            spans,
            indent,
        }
    }
}

/// How documents are drawn where that changes their text: badges on a
/// coloured background (` ICML 2022 `) or, without colour, in brackets
/// (`[ICML 2022]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Look {
    pub badge_brackets: bool,
}

impl Look {
    /// The look that goes with colour on or off.
    pub(crate) fn for_color(color: bool) -> Look {
        Look {
            badge_brackets: !color,
        }
    }
}
