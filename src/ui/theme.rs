//! Named styles. Colours come from the terminal's own 16-colour palette (which
//! follows its dark or light scheme) plus bold, dim and reverse, so the default
//! look reads on both; badges carry their own background for contrast.

use ratatui::style::{Color, Modifier, Style};

use crate::doc::Roles;

/// Every style the viewer uses, by what it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Theme {
    pub name: Style,
    pub pronunciation: Style,
    pub motto: Style,
    pub affiliation: Style,
    pub tab: Style,
    pub tab_selected: Style,
    pub border: Style,
    pub border_focused: Style,
    pub block_title: Style,
    pub heading: Style,
    pub text: Style,
    pub dim: Style,
    pub quote: Style,
    pub bullet: Style,
    pub date: Style,
    pub owner: Style,
    pub author: Style,
    pub venue: Style,
    pub abbr: Style,
    pub award: Style,
    pub note: Style,
    pub link: Style,
    pub selected: Style,
    pub title: Style,
    pub key: Style,
    pub scrollbar: Style,
    pub warning: Style,
    /// The live preview's error bar.
    pub problem: Style,
    /// Text that matches the filter.
    pub matched: Style,
    /// Emphasis the profile writes: `**strong**`, `*emphasis*`, `` `code` ``.
    pub strong: Style,
    pub emph: Style,
    pub code: Style,
}

impl Theme {
    /// The colour look.
    pub fn color() -> Self {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let dim = Style::new().add_modifier(Modifier::DIM);
        Theme {
            name: bold.fg(Color::Cyan),
            pronunciation: dim.add_modifier(Modifier::ITALIC),
            motto: Style::new()
                .fg(Color::Magenta)
                .add_modifier(Modifier::ITALIC),
            affiliation: Style::new(),
            tab: Style::new(),
            tab_selected: bold.fg(Color::Black).bg(Color::Cyan),
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            block_title: bold,
            heading: bold.fg(Color::Blue),
            text: Style::new(),
            dim,
            quote: Style::new()
                .fg(Color::Magenta)
                .add_modifier(Modifier::ITALIC),
            bullet: Style::new().fg(Color::Cyan),
            date: bold.fg(Color::Green),
            owner: bold.add_modifier(Modifier::UNDERLINED).fg(Color::Cyan),
            author: Style::new(),
            venue: Style::new().add_modifier(Modifier::ITALIC),
            abbr: bold.fg(Color::White).bg(Color::Blue),
            award: bold.fg(Color::Black).bg(Color::Yellow),
            note: bold.fg(Color::Black).bg(Color::Magenta),
            link: Style::new()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            title: bold,
            key: bold.fg(Color::Cyan),
            scrollbar: Style::new().fg(Color::DarkGray),
            warning: bold.fg(Color::Yellow),
            problem: bold.fg(Color::White).bg(Color::Red),
            matched: bold.fg(Color::Black).bg(Color::Yellow),
            strong: bold,
            emph: Style::new().add_modifier(Modifier::ITALIC),
            code: Style::new().fg(Color::Yellow),
        }
    }

    /// The monochrome look (`--color never`, `NO_COLOR`): bold, italic, underline and reverse only.
    pub(crate) fn mono() -> Self {
        let plain = Style::new();
        let bold = plain.add_modifier(Modifier::BOLD);
        let reversed = plain.add_modifier(Modifier::REVERSED);
        Theme {
            name: bold,
            pronunciation: plain.add_modifier(Modifier::ITALIC),
            motto: plain.add_modifier(Modifier::ITALIC),
            affiliation: plain,
            tab: plain,
            tab_selected: reversed.add_modifier(Modifier::BOLD),
            border: plain,
            border_focused: bold,
            block_title: bold,
            heading: bold,
            text: plain,
            dim: plain,
            quote: plain.add_modifier(Modifier::ITALIC),
            bullet: plain,
            date: bold,
            owner: bold.add_modifier(Modifier::UNDERLINED),
            author: plain,
            venue: plain.add_modifier(Modifier::ITALIC),
            abbr: bold,
            award: reversed,
            note: reversed,
            link: plain.add_modifier(Modifier::UNDERLINED),
            selected: reversed,
            title: bold,
            key: bold,
            scrollbar: plain,
            warning: bold,
            problem: bold.add_modifier(Modifier::REVERSED),
            matched: reversed.add_modifier(Modifier::BOLD),
            strong: bold,
            emph: plain.add_modifier(Modifier::ITALIC),
            code: plain,
        }
    }

    /// The colour look when `color` is true, else the monochrome one.
    pub(crate) fn for_color(color: bool) -> Self {
        if color { Self::color() } else { Self::mono() }
    }

    /// The style of one role.
    fn role(&self, role: Roles) -> Style {
        match role {
            Roles::DIM => self.dim,
            Roles::QUOTE => self.quote,
            Roles::BULLET => self.bullet,
            Roles::DATE => self.date,
            Roles::HEADING => self.heading,
            Roles::TITLE => self.title,
            Roles::AUTHOR => self.author,
            Roles::OWNER => self.owner,
            Roles::VENUE => self.venue,
            Roles::ABBR => self.abbr,
            Roles::AWARD => self.award,
            Roles::NOTE => self.note,
            Roles::LINK => self.link,
            Roles::KEY => self.key,
            Roles::SELECTED => self.selected,
            Roles::MATCHED => self.matched,
            Roles::STRONG => self.strong,
            Roles::EMPH => self.emph,
            Roles::CODE => self.code,
            _ => self.text,
        }
    }

    /// The style of text with `roles`: a filter match stands out whatever
    /// else the text is; other roles add up.
    pub(crate) fn style(&self, roles: Roles) -> Style {
        if roles.contains(Roles::MATCHED) {
            return self.matched;
        }
        roles
            .each()
            .fold(self.text, |style, role| style.patch(self.role(role)))
    }
}
