//! What an import could not place, said once per kind and file.
//!
//! A page with five `<div>` blocks gets one line, "5 HTML `<div>` blocks
//! reduced to their text", not five; news items skipped for one reason get
//! one line that names them all.

use std::fmt;

use crate::frontend::count;
use crate::profile::sanitize;

/// How bad a note is: an error is something not imported at all (an
/// entry of the bibliography, a news file that cannot be read); `--quiet`
/// keeps only those.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Warning,
    Error,
}

/// One line for stderr: `warning: _pages/about.md: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub level: Level,
    /// The file (relative to the site), or a folder for notes about several files.
    pub file: String,
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Warning => "warning",
            Level::Error => "error",
        };
        write!(f, "{level}: {}: {}", self.file, self.message)
    }
}

/// What kind of thing was left out or reduced, for counting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    /// HTML elements (by tag name) whose markup went and whose text stayed.
    Reduced(String),
    /// HTML elements (by tag name) left out with what they hold.
    Dropped(String),
    /// Markdown images (`![alt](src)`).
    Image,
    /// Liquid tags (`{% ... %}`, `{{ ... }}`) that have no meaning outside Jekyll.
    Liquid,
    /// Code blocks, tables or other blocks the profile's prose cannot hold
    /// (what one is called, and many).
    Block(&'static str, &'static str),
    /// Lists inside lists, made one list.
    NestedList,
    /// Links whose text is empty (an icon only).
    EmptyLink,
    /// Items (news files) skipped for a reason; `names` lists them.
    Skipped(&'static str),
    /// A message said once as it stands.
    Once(String),
}

impl Kind {
    fn describe(&self, n: usize, names: &[String]) -> String {
        match self {
            Kind::Reduced(tag) => format!(
                "{} reduced to {} text",
                count(
                    n,
                    &format!("HTML <{tag}> block"),
                    &format!("HTML <{tag}> blocks")
                ),
                if n == 1 { "its" } else { "their" }
            ),
            Kind::Dropped(tag) => format!(
                "{} left out",
                count(
                    n,
                    &format!("HTML <{tag}> element"),
                    &format!("HTML <{tag}> elements")
                )
            ),
            Kind::Image => format!("{} left out", count(n, "image", "images")),
            Kind::Liquid => format!(
                "{} left out (Jekyll fills them in when it builds the site)",
                count(n, "Liquid tag", "Liquid tags")
            ),
            Kind::Block(one, many) => format!("{} left out", count(n, one, many)),
            Kind::NestedList => format!(
                "{} inside other lists made part of the outer list",
                count(n, "list", "lists")
            ),
            Kind::EmptyLink => format!(
                "{} without text (an icon only) left out",
                count(n, "link", "links")
            ),
            Kind::Skipped(why) => {
                let shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
                let more = if names.len() > shown.len() {
                    ", ..."
                } else {
                    ""
                };
                format!(
                    "{} skipped: {why} ({}{more})",
                    count(n, "item", "items"),
                    shown.join(", ")
                )
            }
            Kind::Once(message) => message.clone(),
        }
    }
}

struct Tally {
    level: Level,
    file: String,
    kind: Kind,
    count: usize,
    names: Vec<String>,
}

/// Notes as they are found, counted by kind and file, in the order first seen.
#[derive(Default)]
pub(super) struct Report {
    tallies: Vec<Tally>,
}

impl Report {
    /// One more of `kind` in `file`.
    pub(super) fn add(&mut self, file: &str, kind: Kind) {
        self.add_n(Level::Warning, file, kind, 1, None);
    }

    /// `n` more of `kind` in `file` (nothing when `n` is 0).
    pub(super) fn add_many(&mut self, file: &str, kind: Kind, n: usize) {
        self.add_n(Level::Warning, file, kind, n, None);
    }

    /// An item `name` in `folder` skipped for `why`.
    pub(super) fn skipped(&mut self, folder: &str, why: &'static str, name: &str) {
        self.add_n(Level::Warning, folder, Kind::Skipped(why), 1, Some(name));
    }

    /// A warning said as it stands.
    pub(super) fn warn(&mut self, file: &str, message: impl Into<String>) {
        self.add(file, Kind::Once(message.into()));
    }

    /// An error said as it stands: something not imported at all.
    pub(super) fn error(&mut self, file: &str, message: impl Into<String>) {
        self.add_n(Level::Error, file, Kind::Once(message.into()), 1, None);
    }

    fn add_n(&mut self, level: Level, file: &str, kind: Kind, n: usize, name: Option<&str>) {
        if n == 0 {
            return;
        }
        let same = |t: &&mut Tally| t.level == level && t.file == file && t.kind == kind;
        if let Some(t) = self.tallies.iter_mut().find(same) {
            t.count += n;
            t.names.extend(name.map(str::to_string));
            return;
        }
        self.tallies.push(Tally {
            level,
            file: file.to_string(),
            kind,
            count: n,
            names: name.map(str::to_string).into_iter().collect(),
        });
    }

    /// The notes, one per kind and file, made inert.
    pub(super) fn into_notes(self) -> Vec<Note> {
        self.tallies
            .into_iter()
            .map(|t| Note {
                level: t.level,
                file: sanitize::line(&t.file),
                message: sanitize::line(&t.kind.describe(t.count, &t.names)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_counted_once_per_kind_and_file() {
        let mut r = Report::default();
        r.add("_pages/about.md", Kind::Reduced("div".into()));
        r.add("_pages/about.md", Kind::Reduced("div".into()));
        r.add("_news/a.md", Kind::Reduced("div".into()));
        r.skipped("_news", "published: false", "b.md");
        r.skipped("_news", "published: false", "c.md");
        r.warn("_config.yml", "no name");
        r.warn("_config.yml", "no name");
        r.error("_news/d.md", "cannot be read");
        let lines: Vec<String> = r.into_notes().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "warning: _pages/about.md: 2 HTML <div> blocks reduced to their text",
                "warning: _news/a.md: 1 HTML <div> block reduced to its text",
                "warning: _news: 2 items skipped: published: false (b.md, c.md)",
                "warning: _config.yml: no name",
                "error: _news/d.md: cannot be read",
            ]
        );
    }
}
