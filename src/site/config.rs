//! `_config.yml`: the site's owner, address, news pages and bibliography.

use std::path::{Component, Path, PathBuf};

use super::Yaml;
use super::report::Report;

const FILE: &str = "_config.yml";

/// What the import needs of `_config.yml`.
pub(super) struct Config {
    /// The whole configuration, for Liquid's `site.` settings.
    pub data: Yaml,
    /// `first_name middle_name last_name`, or an older site's `name`.
    pub name: Option<String>,
    pub email: Option<String>,
    /// `url` with a scheme (`https://` when it has none), no `/` at the end;
    /// empty when the site has no `url`.
    pub url: String,
    /// `baseurl`, starting with `/` unless empty, no `/` at the end.
    pub baseurl: String,
    /// How a news item's page is addressed: `collections.news.permalink`,
    /// else al-folio's `/news/:path/`.
    pub news_permalink: String,
    /// Whether news items have pages of their own (`collections.news.output`).
    pub news_pages: bool,
    /// The bibliography, relative to the site (`scholar.source` and
    /// `scholar.bibliography`); `None` when it points outside the site.
    pub bibliography: Option<PathBuf>,
    /// Whether al-folio lists publications newest first (`scholar.order`
    /// or `scholar.group_order` is `descending`).
    pub newest_first: bool,
}

impl Config {
    /// Where the site is: `url` + `baseurl`.
    pub fn root(&self) -> String {
        format!("{}{}", self.url, self.baseurl)
    }

    /// The site's address, when it has one.
    pub fn website(&self) -> Option<String> {
        (!self.url.is_empty()).then(|| self.root())
    }
}

/// Reads the settings out of `data`, reporting what is missing.
pub(super) fn read(data: Yaml, report: &mut Report) -> Config {
    let name = name(&data, report);
    let url = data
        .text_at("url")
        .map(|u| u.trim_end_matches('/'))
        .filter(|u| !u.is_empty())
        .map_or_else(String::new, |u| {
            if u.contains("://") {
                u.to_string()
            } else {
                format!("https://{u}")
            }
        });
    let baseurl = data
        .text_at("baseurl")
        .map(|b| b.trim_matches('/'))
        .filter(|b| !b.is_empty())
        .map_or_else(String::new, |b| format!("/{b}"));
    let news = data.at(&["collections", "news"]);
    let news_permalink = news
        .and_then(|n| n.text_at("permalink"))
        .unwrap_or("/news/:path/")
        .to_string();
    let news_pages = news
        .and_then(|n| n.get("output"))
        .and_then(Yaml::flag)
        .unwrap_or(true);
    let scholar = data.get("scholar");
    let descending = |key: &str| {
        scholar
            .and_then(|s| s.text_at(key))
            .is_some_and(|v| v.eq_ignore_ascii_case("descending"))
    };
    let newest_first = descending("order") || descending("group_order");
    let bibliography = bibliography(scholar, report);
    Config {
        email: data.text_at("email").map(str::to_string),
        name,
        url,
        baseurl,
        news_permalink,
        news_pages,
        bibliography,
        newest_first,
        data,
    }
}

/// The owner's name: `first_name`, `middle_name` and `last_name`, or the
/// single `name` of older sites; else the site's `title` (when it is not
/// al-folio's `blank`), reported.
fn name(data: &Yaml, report: &mut Report) -> Option<String> {
    let parts: Vec<&str> = ["first_name", "middle_name", "last_name"]
        .iter()
        .filter_map(|k| data.text_at(k))
        .collect();
    if !parts.is_empty() {
        return Some(parts.join(" "));
    }
    if let Some(name) = data.text_at("name") {
        return Some(name.to_string());
    }
    match data.text_at("title").filter(|t| *t != "blank") {
        Some(title) => {
            report.warn(
                FILE,
                format!("no name (first_name/last_name/name); the site's title `{title}` is the profile's name"),
            );
            Some(title.to_string())
        }
        None => {
            report.warn(
                FILE,
                "no name (first_name/last_name/name); the profile's name is left empty",
            );
            None
        }
    }
}

/// jekyll-scholar's bibliography: `source` (default `/_bibliography/`,
/// the site's own folder) and `bibliography` (al-folio's `papers.bib`).
fn bibliography(scholar: Option<&Yaml>, report: &mut Report) -> Option<PathBuf> {
    let source = scholar
        .and_then(|s| s.text_at("source"))
        .unwrap_or("/_bibliography/");
    let file = scholar
        .and_then(|s| s.text_at("bibliography"))
        .unwrap_or("papers.bib");
    let path = Path::new(source.trim_start_matches('/')).join(file.trim_start_matches('/'));
    let inside = path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside {
        report.warn(
            FILE,
            format!(
                "scholar's bibliography `{}` is outside the site; it is not read",
                path.display()
            ),
        );
        return None;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::yaml::parse;

    fn config(yaml: &str) -> (Config, Vec<String>) {
        let mut report = Report::default();
        let c = read(parse(yaml).unwrap(), &mut report);
        (
            c,
            report
                .into_notes()
                .iter()
                .map(ToString::to_string)
                .collect(),
        )
    }

    #[test]
    fn the_seed_sites_settings() {
        let (c, notes) = config(
            "first_name: Tongtian\nmiddle_name:\nlast_name: Zhu\nemail: raiden@zju.edu.cn\nurl: Raiden-Zhu.github.io\nbaseurl:\ncollections:\n  news:\n    output: true\n    permalink: /news/:path/\nscholar:\n  source: /_bibliography/\n  bibliography: papers.bib\n",
        );
        assert_eq!(c.name.as_deref(), Some("Tongtian Zhu"));
        assert_eq!(c.email.as_deref(), Some("raiden@zju.edu.cn"));
        assert_eq!(c.website().as_deref(), Some("https://Raiden-Zhu.github.io"));
        assert_eq!(c.news_permalink, "/news/:path/");
        assert!(c.news_pages);
        assert_eq!(
            c.bibliography,
            Some(PathBuf::from("_bibliography/papers.bib"))
        );
        assert!(!c.newest_first);
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn names_urls_and_orders_as_sites_write_them() {
        let (c, _) = config(
            "name: Ada Lovelace\nurl: https://ada.org/\nbaseurl: /site/\nscholar:\n  group_order: descending\n",
        );
        assert_eq!(c.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(c.root(), "https://ada.org/site");
        assert!(c.newest_first);
        let (c, notes) = config("title: The Lab\nurl:\n");
        assert_eq!(c.name.as_deref(), Some("The Lab"));
        assert_eq!(c.website(), None);
        assert_eq!(
            notes,
            [
                "warning: _config.yml: no name (first_name/last_name/name); the site's title `The Lab` is the profile's name"
            ]
        );
        let (c, notes) =
            config("title: blank\nscholar:\n  source: ../../etc\n  bibliography: passwd\n");
        assert_eq!((c.name, c.bibliography), (None, None));
        assert_eq!(notes.len(), 2, "{notes:?}");
    }
}
