//! The key bindings: one table that drives input, the footer hints, the `?`
//! help overlay and the README's key list.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::Action;

/// Where a binding applies, for the footer's "keys that work here".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The help overlay.
    Help,
    /// The publication list.
    List,
    /// A publication's detail, once opened.
    Detail,
    /// A scrolling text tab.
    Text,
    /// The News tab: a list of items.
    News,
    /// Typing a filter.
    Filter,
    /// The link picker.
    Links,
    /// A lab's directory (`serve --profiles`).
    Directory,
}

/// Which keys a binding answers: while browsing, or while typing a filter
/// (when every other key is text for the query).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Browse,
    Filter,
}

/// A key the table can match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyPattern {
    /// A key with exactly these modifiers (Shift is ignored for characters).
    Key(KeyCode, KeyModifiers),
    /// The digits 1 to 9.
    Digit,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Binding {
    pub keys: &'static [KeyPattern],
    /// How the keys are written in the help and README.
    pub label: &'static str,
    pub description: &'static str,
    pub action: Action,
    /// The short form shown in the footer, and where it is shown.
    pub hint: Option<Hint>,
    pub mode: Mode,
}

/// A footer hint: the keys' short form, what they do, where the hint shows,
/// and whether it must show even when the footer is short of room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub keys: &'static str,
    pub what: &'static str,
    pub contexts: &'static [Context],
    pub essential: bool,
}

impl Hint {
    /// A footer hint for `contexts`, shown as room allows.
    const fn new(keys: &'static str, what: &'static str, contexts: &'static [Context]) -> Hint {
        Hint {
            keys,
            what,
            contexts,
            essential: false,
        }
    }

    /// The hint for leaving a viewer to `what` (the lab's directory):
    /// always shown, since it is the way out of this person.
    pub(crate) const fn way_back(keys: &'static str, what: &'static str) -> Hint {
        Hint {
            keys,
            what,
            contexts: &[],
            essential: true,
        }
    }

    /// The same hint, always shown: how to get help and how to leave.
    const fn always(self) -> Hint {
        Hint {
            essential: true,
            ..self
        }
    }
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn key(code: KeyCode) -> KeyPattern {
    KeyPattern::Key(code, NONE)
}

const fn ch(c: char) -> KeyPattern {
    KeyPattern::Key(KeyCode::Char(c), NONE)
}

const fn ctrl(c: char) -> KeyPattern {
    KeyPattern::Key(KeyCode::Char(c), CTRL)
}

const EVERYWHERE: &[Context] = &[
    Context::Help,
    Context::List,
    Context::Detail,
    Context::Text,
    Context::News,
    Context::Links,
    Context::Directory,
];

/// Every key binding, in the order the help shows them.
pub(crate) const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[key(KeyCode::Right), ch('l'), key(KeyCode::Tab)],
        label: "→  l  Tab",
        description: "next tab",
        action: Action::NextTab,
        hint: Some(Hint::new(
            "←→",
            "tabs",
            &[Context::List, Context::Text, Context::News],
        )),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[
            key(KeyCode::Left),
            ch('h'),
            key(KeyCode::BackTab),
            KeyPattern::Key(KeyCode::BackTab, KeyModifiers::SHIFT),
        ],
        label: "←  h  Shift-Tab",
        description: "previous tab",
        action: Action::PrevTab,
        hint: None,
        mode: Mode::Browse,
    },
    Binding {
        keys: &[KeyPattern::Digit],
        label: "1 … 9",
        description: "go to that tab",
        action: Action::GoTab(0),
        hint: None,
        mode: Mode::Browse,
    },
    Binding {
        keys: &[key(KeyCode::Down), ch('j')],
        label: "↓  j",
        description: "next item / scroll down",
        action: Action::Down,
        hint: Some(Hint::new(
            "↑↓",
            "select",
            &[
                Context::List,
                Context::News,
                Context::Links,
                Context::Directory,
            ],
        )),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[key(KeyCode::Up), ch('k')],
        label: "↑  k",
        description: "previous item / scroll up",
        action: Action::Up,
        hint: Some(Hint::new(
            "↑↓",
            "scroll",
            &[Context::Text, Context::Detail, Context::Help],
        )),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[key(KeyCode::PageDown), ch(' ')],
        label: "PgDn  Space",
        description: "page down",
        action: Action::PageDown,
        hint: None,
        mode: Mode::Browse,
    },
    Binding {
        keys: &[key(KeyCode::PageUp)],
        label: "PgUp",
        description: "page up",
        action: Action::PageUp,
        hint: None,
        mode: Mode::Browse,
    },
    Binding {
        keys: &[ctrl('d')],
        label: "Ctrl-d",
        description: "half a page down",
        action: Action::HalfPageDown,
        hint: None,
        mode: Mode::Browse,
    },
    Binding {
        keys: &[ctrl('u')],
        label: "Ctrl-u",
        description: "half a page up",
        action: Action::HalfPageUp,
        hint: None,
        mode: Mode::Browse,
    },
    Binding {
        keys: &[key(KeyCode::Home), ch('g')],
        label: "Home  g",
        description: "first item / top",
        action: Action::Top,
        hint: None,
        mode: Mode::Browse,
    },
    Binding {
        keys: &[key(KeyCode::End), ch('G')],
        label: "End  G",
        description: "last item / bottom",
        action: Action::Bottom,
        hint: None,
        mode: Mode::Browse,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        description: "open a paper, a link (SSH: show), a person",
        action: Action::Open,
        hint: Some(Hint::new(
            "Enter",
            "open",
            &[Context::List, Context::Links, Context::Directory],
        )),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[key(KeyCode::Esc)],
        label: "Esc",
        description: "back: close the help, links, BibTeX, detail, filter, then a lab member's page",
        action: Action::Back,
        hint: Some(Hint::new(
            "Esc",
            "back",
            &[Context::Detail, Context::Help, Context::Links],
        )),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[ch('/')],
        label: "/",
        description: "filter news, papers or a lab as you type",
        action: Action::Search,
        hint: Some(Hint::new(
            "/",
            "filter",
            &[Context::List, Context::News, Context::Directory],
        )),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[ch('y')],
        label: "y",
        description: "copy the BibTeX, or the link (OSC 52)",
        action: Action::Copy,
        hint: Some(Hint::new(
            "y",
            "copy",
            &[Context::List, Context::Detail, Context::Links],
        )),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[ch('o')],
        label: "o",
        description: "list the links of this tab, news or paper",
        action: Action::OpenLink,
        hint: Some(Hint::new(
            "o",
            "links",
            &[Context::List, Context::Detail, Context::Text, Context::News],
        )),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[ch('b')],
        label: "b",
        description: "show the BibTeX, or the page again",
        action: Action::ToggleBibtex,
        hint: Some(Hint::new("b", "BibTeX", &[Context::List, Context::Detail])),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[ch('?')],
        label: "?",
        description: "show or hide this help",
        action: Action::ToggleHelp,
        hint: Some(
            Hint::new(
                "?",
                "help",
                &[
                    Context::List,
                    Context::Detail,
                    Context::Text,
                    Context::News,
                    Context::Directory,
                ],
            )
            .always(),
        ),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[ch('q'), ctrl('c')],
        label: "q  Ctrl-c",
        description: "quit",
        action: Action::Quit,
        hint: Some(Hint::new("q", "quit", EVERYWHERE).always()),
        mode: Mode::Browse,
    },
    Binding {
        keys: &[ctrl('z')],
        label: "Ctrl-z",
        description: "suspend (fg brings it back)",
        action: Action::Suspend,
        hint: None,
        mode: Mode::Browse,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        label: "Enter",
        description: "while filtering: keep the filter",
        action: Action::KeepFilter,
        hint: None,
        mode: Mode::Filter,
    },
    Binding {
        keys: &[key(KeyCode::Esc)],
        label: "Esc",
        description: "while filtering: clear it",
        action: Action::ClearFilter,
        hint: None,
        mode: Mode::Filter,
    },
    Binding {
        keys: &[key(KeyCode::Backspace)],
        label: "Backspace",
        description: "while filtering: delete a character",
        action: Action::DeleteFilterChar,
        hint: None,
        mode: Mode::Filter,
    },
];

/// Mouse actions, listed in the help after the keys.
pub(crate) const MOUSE_HELP: &[(&str, &str)] = &[
    (
        "click",
        "choose a tab, a publication, a news item or a person",
    ),
    ("wheel", "scroll"),
];

/// What the mouse does (as [`MOUSE_HELP`] says): a left click chooses what
/// is under it, the wheel scrolls. Both input decoders (crossterm's for the
/// local terminal, ours for SSH) come through here.
pub(crate) fn mouse_action(event: &MouseEvent) -> Option<Action> {
    match event.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
            column: event.column,
            row: event.row,
        }),
        MouseEventKind::ScrollUp => Some(Action::ScrollUp),
        MouseEventKind::ScrollDown => Some(Action::ScrollDown),
        _ => None,
    }
}

/// The help's entries: every binding, then the mouse.
pub(crate) fn help_entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    BINDINGS
        .iter()
        .map(|b| (b.label, b.description))
        .chain(MOUSE_HELP.iter().copied())
}

/// The key table as Markdown, for README.md (a test keeps the README in step).
#[cfg(test)]
pub(crate) fn markdown_table() -> String {
    let mut out = String::from("| keys | what they do |\n| --- | --- |\n");
    for b in BINDINGS {
        let keys: Vec<String> = b
            .label
            .split("  ")
            .map(|k| format!("`{}`", k.trim()))
            .collect();
        out.push_str(&format!("| {} | {} |\n", keys.join(" "), b.description));
    }
    for (k, what) in MOUSE_HELP {
        out.push_str(&format!("| mouse {k} | {what} |\n"));
    }
    out
}

/// The action bound to `event` while browsing, if any.
pub fn action_for(event: &KeyEvent) -> Option<Action> {
    action_in(Mode::Browse, event)
}

/// The action bound to `event` in `mode`, if any.
pub fn action_in(mode: Mode, event: &KeyEvent) -> Option<Action> {
    let mods = event.modifiers - KeyModifiers::SHIFT;
    for b in BINDINGS.iter().filter(|b| b.mode == mode) {
        for pattern in b.keys {
            match *pattern {
                KeyPattern::Digit => {
                    if let KeyCode::Char(c @ '1'..='9') = event.code
                        && mods.is_empty()
                    {
                        let n = c as usize - '1' as usize;
                        return Some(Action::GoTab(n));
                    }
                }
                KeyPattern::Key(code, m) => {
                    let code_matches = match (code, event.code) {
                        // BackTab arrives with or without Shift, depending on the terminal.
                        (KeyCode::BackTab, KeyCode::BackTab) => true,
                        (a, b) => a == b,
                    };
                    if code_matches && (m - KeyModifiers::SHIFT) == mods {
                        return Some(b.action);
                    }
                }
            }
        }
    }
    None
}

/// Footer hints for `context`, in table order, without repeats.
pub(crate) fn hints(context: Context) -> Vec<Hint> {
    let mut out: Vec<Hint> = Vec::new();
    for b in BINDINGS {
        if let Some(h) = b.hint
            && h.contexts.contains(&context)
            && !out.iter().any(|o| o.keys == h.keys)
        {
            out.push(h);
        }
    }
    out
}

/// How the keys bound to `action` are written in short (their footer form,
/// else the first of their labels), for titles and prompts.
pub(crate) fn key_for(action: Action) -> &'static str {
    BINDINGS
        .iter()
        .find(|b| b.action == action)
        .map_or("", |b| match b.hint {
            Some(h) => h.keys,
            None => b.label.split("  ").next().unwrap_or(b.label),
        })
}

/// Parses key notation: printable characters stand for themselves; named keys
/// in angle brackets (`<Enter>`, `<C-x>`, `<lt>` for `<`).
pub fn parse_keys(notation: &str) -> Result<Vec<KeyEvent>, String> {
    let mut keys = Vec::new();
    let mut rest = notation;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            let name = &rest[1..end];
            keys.push(named_key(name).ok_or_else(|| format!("unknown key `<{name}>`"))?);
            rest = &rest[end + 1..];
            continue;
        }
        keys.push(KeyEvent::new(KeyCode::Char(c), NONE));
        rest = &rest[c.len_utf8()..];
    }
    Ok(keys)
}

fn named_key(name: &str) -> Option<KeyEvent> {
    let code = match name.to_ascii_lowercase().as_str() {
        "enter" | "cr" | "return" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" | "s-tab" => KeyCode::BackTab,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        "backspace" | "bs" => KeyCode::Backspace,
        "lt" => KeyCode::Char('<'),
        other => {
            let c = other.strip_prefix("c-")?;
            let mut chars = c.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return None;
            };
            return Some(KeyEvent::new(KeyCode::Char(c), CTRL));
        }
    };
    Some(KeyEvent::new(code, NONE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_and_vim_keys_map_to_the_same_actions() {
        let a = |code| action_for(&KeyEvent::new(code, NONE));
        assert_eq!(a(KeyCode::Down), Some(Action::Down));
        assert_eq!(a(KeyCode::Char('j')), Some(Action::Down));
        assert_eq!(a(KeyCode::Char('l')), Some(Action::NextTab));
        assert_eq!(a(KeyCode::Char('3')), Some(Action::GoTab(2)));
        assert_eq!(a(KeyCode::Char('0')), None);
        assert_eq!(
            action_for(&KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevTab)
        );
        assert_eq!(
            action_for(&KeyEvent::new(KeyCode::Char('c'), CTRL)),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(&KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
    }

    #[test]
    fn key_notation_parses() {
        let keys = parse_keys("j<Down><Enter><lt><C-d><Space>").unwrap();
        let codes: Vec<_> = keys.iter().map(|k| k.code).collect();
        assert_eq!(
            codes,
            [
                KeyCode::Char('j'),
                KeyCode::Down,
                KeyCode::Enter,
                KeyCode::Char('<'),
                KeyCode::Char('d'),
                KeyCode::Char(' ')
            ]
        );
        assert_eq!(keys[4].modifiers, CTRL);
        assert!(parse_keys("<Nope>").is_err());
        assert_eq!(parse_keys("<").unwrap()[0].code, KeyCode::Char('<'));
    }

    #[test]
    fn readme_lists_every_key_from_the_table() {
        let readme = include_str!("../../README.md");
        let table = markdown_table();
        assert!(
            readme.contains(&table),
            "README.md's key table is stale; it should read:\n{table}"
        );
    }

    #[test]
    fn footer_hints_depend_on_context() {
        let list: Vec<_> = hints(Context::List).iter().map(|h| h.what).collect();
        assert_eq!(
            list,
            [
                "tabs", "select", "open", "filter", "copy", "links", "BibTeX", "help", "quit"
            ]
        );
        let detail: Vec<_> = hints(Context::Detail).iter().map(|h| h.what).collect();
        assert_eq!(
            detail,
            ["scroll", "back", "copy", "links", "BibTeX", "help", "quit"]
        );
        let essential: Vec<_> = hints(Context::List)
            .iter()
            .filter(|h| h.essential)
            .map(|h| h.keys)
            .collect();
        assert_eq!(essential, ["?", "q"]);
    }

    #[test]
    fn titles_name_the_keys_of_the_table() {
        assert_eq!(key_for(Action::Back), "Esc");
        assert_eq!(key_for(Action::ToggleBibtex), "b");
        assert_eq!(key_for(Action::PageUp), "PgUp");
    }
}
