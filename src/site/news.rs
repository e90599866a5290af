//! `_news/*.md`: one news item a file, newest first.
//!
//! An item's date is its front matter's `date`, in any form al-folio
//! accepts (`2023-7-08`, `2015-11-07 16:11:00-0400`), else the date its file
//! name starts with. An `inline: true` item is its body; any other is its
//! `title`, linked to the item's own page as Jekyll addresses it (the
//! `permalink` of `collections.news`, al-folio's `/news/:path/` by default).
//! Items with `published: false`, and items whose body is all commented
//! out, are skipped, and reported together.

use std::path::Path;

use crate::profile::{Date, NewsItem};

use super::blocks::{self, Block};
use super::clean;
use super::config::Config;
use super::report::Report;
use super::{html, text_file};

/// The folder, as notes name it.
const FOLDER: &str = "_news";

/// More files than this in `_news` are not read (and reported).
const MAX_ITEMS: usize = 10_000;

/// Every news item of the site at `dir`, newest first.
pub(super) fn read(dir: &Path, config: &Config, report: &mut Report) -> Vec<NewsItem> {
    let mut names = match std::fs::read_dir(dir.join(FOLDER)) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| is_document(n))
            .collect::<Vec<_>>(),
        Err(_) => return Vec::new(),
    };
    names.sort();
    if names.len() > MAX_ITEMS {
        report.warn(
            FOLDER,
            format!("{} files; the first {MAX_ITEMS} are read", names.len()),
        );
        names.truncate(MAX_ITEMS);
    }
    let mut items: Vec<(Date, String, String)> = Vec::new();
    for name in names {
        if let Some((date, text)) = item(dir, config, &name, report) {
            items.push((date, name, text));
        }
    }
    // Newest first; on the same day, in file order.
    items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    items
        .into_iter()
        .map(|(date, _, text)| NewsItem { date, text })
        .collect()
}

/// Whether Jekyll reads `name` as a document of the collection.
fn is_document(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !name.starts_with(['.', '_', '#', '~'])
        && [".md", ".markdown", ".html"]
            .iter()
            .any(|e| lower.ends_with(e))
}

/// The file's name without its extension.
fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// One item: its date and its text, or `None` (reported) when it is skipped.
fn item(dir: &Path, config: &Config, name: &str, report: &mut Report) -> Option<(Date, String)> {
    let file = format!("{FOLDER}/{name}");
    let text = match text_file(dir, &file, "news item") {
        Ok(text) => text,
        Err(e) => {
            report.error(&file, format!("{}; skipped", e.reason()));
            return None;
        }
    };
    let fm = match super::read_front_matter(&text) {
        Ok(fm) => fm,
        Err(e) => {
            report.error(&file, format!("front matter: {e}; skipped"));
            return None;
        }
    };
    if fm.data.get("published").and_then(super::Yaml::flag) == Some(false) {
        report.skipped(FOLDER, "published: false", name);
        return None;
    }
    let body = clean::strip_comments(fm.body, report, &file);
    if body.trim().is_empty() && fm.body.contains("<!--") {
        report.skipped(FOLDER, "commented out whole", name);
        return None;
    }
    let date = date(&fm.data, name)
        .map_err(|why| report.skipped(FOLDER, why, name))
        .ok()?;
    let inline = fm.data.get("inline").and_then(super::Yaml::flag) == Some(true);
    let title = fm.data.text_at("title").filter(|_| !inline);
    let text = match title {
        Some(title) if config.news_pages => {
            let slug = fm.data.text_at("slug").unwrap_or(stem(name));
            let path = permalink(&config.news_permalink, stem(name), slug, date);
            link(title, &format!("{}{path}", config.root()))
        }
        Some(title) => html::to_markdown(&escape_text(title), false),
        None => body_text(&body, config, report, &file),
    };
    if text.is_empty() {
        report.skipped(FOLDER, "nothing to show", name);
        return None;
    }
    Some((date, text))
}

/// An item's date: its front matter's `date`, else the date its file name
/// starts with; or why it has none.
fn date(data: &super::Yaml, name: &str) -> Result<Date, &'static str> {
    match data.text_at("date") {
        Some(written) => {
            Date::parse(written).ok_or("a date that is not a day (write it like 2023-07-12)")
        }
        None => Date::parse(name.get(..10).unwrap_or("")).ok_or("no date"),
    }
}

/// An inline item's body as one line of prose.
fn body_text(body: &str, config: &Config, report: &mut Report, file: &str) -> String {
    let site = clean::Liquid {
        config: &config.data,
        url: &config.url,
        baseurl: &config.baseurl,
    };
    let body = clean::liquid(body, &site, report, file);
    let body = clean::strip_attribute_lists(&body);
    blocks::read(&body, report, file)
        .into_iter()
        .flat_map(|b| match b {
            Block::Paragraph(t) | Block::Heading { text: t, .. } => vec![t],
            Block::List(items) | Block::Quote(items) => items,
        })
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `[title](url)`, its text and target written so that Markdown reads them
/// as they are (through the same converter as the rest of the page).
fn link(title: &str, url: &str) -> String {
    let href = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    html::to_markdown(
        &format!("<a href=\"{href}\">{}</a>", escape_text(title)),
        false,
    )
}

/// Plain text as HTML whose Markdown characters are character references:
/// `to_markdown` keeps them so, and Markdown reads them as the characters.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '`' | '[' | ']' | '\\' | '$' | '~' | '!' | '#' => {
                out.push_str(&format!("&#{};", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// A news item's address as Jekyll makes it from a permalink pattern:
/// `:collection`, `:path` and `:name` (the file), `:title` and `:slug`
/// (its `slug`, else its file name, made a slug), the date's parts and
/// `:output_ext`; `:categories` is empty for news.
fn permalink(pattern: &str, stem: &str, slug: &str, date: Date) -> String {
    let mut out = String::with_capacity(pattern.len() + stem.len());
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let value = match &after[..len] {
            "collection" => Some("news".to_string()),
            "path" => Some(stem.to_string()),
            "name" => Some(slugify(stem, false)),
            "title" => Some(slugify(slug, true)),
            "slug" => Some(slugify(slug, false).to_lowercase()),
            "year" => Some(format!("{:04}", date.year)),
            "short_year" => Some(format!("{:02}", date.year % 100)),
            "month" => Some(format!("{:02}", date.month)),
            "i_month" => Some(date.month.to_string()),
            "day" => Some(format!("{:02}", date.day)),
            "i_day" => Some(date.day.to_string()),
            "output_ext" => Some(".html".to_string()),
            "categories" => Some(String::new()),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[at..at + 1 + len]),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    let mut path = String::from("/");
    for part in out.split('/').filter(|p| !p.is_empty()) {
        path.push_str(part);
        path.push('/');
    }
    if !out.ends_with('/') && path.len() > 1 {
        path.pop();
    }
    path
}

/// Jekyll's `slugify`: runs of characters other than letters and digits
/// become `-` (in its "pretty" mode `._~!$&'()+,;=@` stay too), no `-` at
/// the ends; lower case unless `pretty` (Jekyll's `:title` keeps case).
fn slugify(text: &str, pretty: bool) -> String {
    let keep = |c: char| c.is_alphanumeric() || (pretty && "._~!$&'()+,;=@".contains(c));
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if pretty {
        out.to_string()
    } else {
        out.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Date = Date {
        year: 2015,
        month: 11,
        day: 7,
    };

    #[test]
    fn permalinks_are_made_as_jekyll_makes_them() {
        for (pattern, want) in [
            ("/news/:path/", "/news/announcement_2/"),
            ("/:collection/:title/", "/news/announcement_2/"),
            ("/:collection/:name:output_ext", "/news/announcement-2.html"),
            ("/:year/:month/:i_day/:slug", "/2015/11/7/announcement-2"),
            ("/news/:categories/:path/", "/news/announcement_2/"),
            ("/x/:unknown/", "/x/:unknown/"),
        ] {
            assert_eq!(
                permalink(pattern, "announcement_2", "announcement_2", DAY),
                want,
                "{pattern}"
            );
        }
        assert_eq!(slugify("Mr. Robot's Day", true), "Mr.-Robot's-Day");
        assert_eq!(slugify("Mr. Robot's Day", false), "mr-robot-s-day");
    }

    #[test]
    fn titles_link_as_plain_text() {
        assert_eq!(
            link("A *long* [announcement]", "https://x.io/news/a b/"),
            "[A &#42;long&#42; &#91;announcement&#93;](https://x.io/news/a%20b/)"
        );
        assert_eq!(
            link("Tom & Jerry", "https://x.io/?a=1&b=2"),
            "[Tom & Jerry](https://x.io/?a=1&b=2)"
        );
    }
}
