//! A lab's directory (`serve --profiles DIR`) as plain data: one row per
//! person, what the directory view draws and filters, and the same rows as
//! plain text for a visitor without a terminal.

use super::{truncate, width};
use crate::profile::{Date, Profile};

/// What the directory says of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    /// The name to `ssh` as (`DIR/<login>.toml`).
    pub login: String,
    /// The person's name, or the login when the profile is unavailable.
    pub name: String,
    /// Position, department and institution, as the viewer's header has them.
    pub position: String,
    /// The date of the newest news item.
    pub latest: Option<Date>,
    /// False when the profile could not be read (why is in the log only).
    pub available: bool,
}

/// How the directory says a profile cannot be shown: nothing more.
pub(crate) const UNAVAILABLE: &str = "unavailable";

/// How many cells the widest name and login columns take at most.
const NAME_COLUMN: usize = 28;
const LOGIN_COLUMN: usize = 16;
/// "Jul 12, 2023".
const DATE_COLUMN: usize = 12;

impl Row {
    /// The row of `login`, whose profile is `profile` (`None`: unavailable).
    pub(crate) fn of(login: &str, profile: Option<&Profile>) -> Row {
        let Some(profile) = profile else {
            return Row {
                login: login.to_string(),
                name: login.to_string(),
                position: String::new(),
                latest: None,
                available: false,
            };
        };
        Row {
            login: login.to_string(),
            name: profile.person.name.clone(),
            position: profile.person.affiliation_line(),
            latest: profile.news.iter().map(|n| n.date).max(),
            available: true,
        }
    }

    /// The latest news date as the directory shows it ("" without news).
    pub(crate) fn latest_text(&self) -> String {
        self.latest.map(|d| d.long()).unwrap_or_default()
    }

    /// What the position column says: the position, or that there is none to show.
    pub(crate) fn position_text(&self) -> &str {
        if self.available {
            &self.position
        } else {
            UNAVAILABLE
        }
    }

    /// Whether a filter's `query` finds this row (login, name, position or
    /// date, ignoring case).
    pub(crate) fn matches(&self, query: &str) -> bool {
        let q = query.to_lowercase();
        [
            self.login.as_str(),
            self.name.as_str(),
            self.position.as_str(),
            &self.latest_text(),
        ]
        .iter()
        .any(|field| field.to_lowercase().contains(&q))
    }
}

/// The columns of rows laid out in `width` cells: how wide the login, name
/// and date columns are (0 when left out); the position takes the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Columns {
    pub login: usize,
    pub name: usize,
    pub date: usize,
}

impl Columns {
    /// The columns for `rows` in `width` cells (after a 2-cell marker):
    /// name always; the date from 44 cells; the login from 72.
    pub(crate) fn of(rows: &[Row], width: usize) -> Columns {
        let widest = |f: fn(&Row) -> &str, cap: usize| {
            rows.iter()
                .map(|r| self::width(f(r)))
                .max()
                .unwrap_or(0)
                .min(cap)
        };
        let date = if width >= 44 { DATE_COLUMN } else { 0 };
        let login = if width >= 72 {
            widest(|r| &r.login, LOGIN_COLUMN)
        } else {
            0
        };
        let name = widest(|r| &r.name, NAME_COLUMN).min(width / 2).max(1);
        Columns { login, name, date }
    }

    /// What is left for the position in `width` cells (gaps of 2 between columns).
    pub(crate) fn position(&self, width: usize) -> usize {
        let gaps = 2 * (usize::from(self.login > 0) + usize::from(self.date > 0) + 1);
        width.saturating_sub(2 + self.login + self.name + self.date + gaps)
    }
}

/// `text` cut to `cells` and padded to exactly that width.
pub(crate) fn cell(text: &str, cells: usize) -> String {
    let cut = truncate(text, cells);
    let pad = cells.saturating_sub(width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

/// The directory as plain text, `width` cells wide at most, for a visitor
/// without a terminal (`ssh host` with no PTY, or a command): a line saying
/// how to visit one person, then a row each.
pub(crate) fn plain(rows: &[Row], width: usize) -> String {
    let mut out = match rows.len() {
        0 => "No profiles here yet.\n".to_string(),
        n => format!(
            "{} here; `ssh NAME@host` shows one:\n\n",
            crate::doc::text::count(n, "profile", "profiles")
        ),
    };
    // The login leads: it is what a visitor types next.
    let login = rows
        .iter()
        .map(|r| self::width(&r.login))
        .max()
        .unwrap_or(0)
        .min(LOGIN_COLUMN);
    let rest = width.saturating_sub(2 + login + 2);
    let columns = Columns::of(rows, rest + 2);
    for row in rows {
        let mut line = format!(
            "  {}  {}",
            cell(&row.login, login),
            cell(&row.name, columns.name)
        );
        let position = columns.position(rest + 2);
        if position > 0 {
            line.push_str("  ");
            line.push_str(&cell(row.position_text(), position));
        }
        if columns.date > 0 {
            line.push_str("  ");
            line.push_str(&cell(&row.latest_text(), columns.date));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str, position: &str, news: &[&str]) -> Profile {
        let news: String = news
            .iter()
            .map(|d| format!("[[news]]\ndate = \"{d}\"\ntext = \"x\"\n"))
            .collect();
        let text = format!(
            "[person]\nname = \"{name}\"\nposition = \"{position}\"\n[bio]\ntext = \"b\"\n{news}"
        );
        crate::profile::parse(&text, &crate::profile::Source::Bundled).expect("a valid profile")
    }

    #[test]
    fn a_row_has_the_newest_news_date_whatever_the_order() {
        let p = profile(
            "Ada Lovelace",
            "Professor",
            &["2021-03-01", "2023-07-12", "2022-01-01"],
        );
        let row = Row::of("ada", Some(&p));
        assert_eq!(row.name, "Ada Lovelace");
        assert_eq!(row.position_text(), "Professor");
        assert_eq!(row.latest_text(), "Jul 12, 2023");
        assert!(row.available);
        let none = Row::of("ada", Some(&profile("Ada", "", &[])));
        assert_eq!(none.latest_text(), "");
    }

    #[test]
    fn an_unavailable_row_says_nothing_but_that() {
        let row = Row::of("bob", None);
        assert_eq!(
            (row.name.as_str(), row.position_text()),
            ("bob", UNAVAILABLE)
        );
        assert!(!row.available);
        assert!(row.matches("BO"));
        assert!(!row.matches("unavailable"), "the word is not the person's");
    }

    #[test]
    fn rows_match_on_login_name_position_and_date() {
        let row = Row::of(
            "ada",
            Some(&profile("Ada Lovelace", "Analyst", &["2023-07-12"])),
        );
        for q in ["ada", "LOVELACE", "analyst", "jul 12", "2023"] {
            assert!(row.matches(q), "{q}");
        }
        assert!(!row.matches("babbage"));
    }

    #[test]
    fn plain_text_fits_the_width_and_names_every_login() {
        let rows = vec![
            Row::of(
                "ada",
                Some(&profile(
                    "Ada Lovelace",
                    "Professor of Analytical Engines",
                    &["2023-07-12"],
                )),
            ),
            Row::of(
                "zhu.tong",
                Some(&profile("朱彤 Tong Zhu", "PhD student", &[])),
            ),
            Row::of("bob", None),
        ];
        for width in [20, 40, 80, 120] {
            let text = plain(&rows, width);
            for line in text.lines().skip(2) {
                assert!(super::width(line) <= width, "{width}: {line:?}");
            }
            for login in ["ada", "zhu.tong", "bob"] {
                assert!(text.contains(login), "{width}: {text}");
            }
        }
        let wide = plain(&rows, 100);
        assert!(wide.starts_with("3 profiles here; `ssh NAME@host` shows one:"));
        assert!(wide.contains("Jul 12, 2023"), "{wide}");
        assert!(
            wide.contains("  bob       bob") && wide.contains(UNAVAILABLE),
            "{wide}"
        );
        assert_eq!(plain(&[], 80), "No profiles here yet.\n");
    }

    #[test]
    fn columns_drop_the_date_and_the_login_when_narrow() {
        let rows = vec![Row::of("ada", Some(&profile("Ada Lovelace", "P", &[])))];
        assert_eq!(
            Columns::of(&rows, 100),
            Columns {
                login: 3,
                name: 12,
                date: 12
            }
        );
        assert_eq!(Columns::of(&rows, 50).login, 0);
        assert_eq!(
            Columns::of(&rows, 30),
            Columns {
                login: 0,
                name: 12,
                date: 0
            }
        );
        assert_eq!(Columns::of(&rows, 30).position(30), 30 - 2 - 12 - 2);
    }
}
