//! The imported profile as TOML, laid out as the bundled `profile.toml`
//! is: `[person]`, `[person.links]`, `[bio]`, `[research]`, `[[news]]`,
//! `[[publications]]`, `[[sections]]`, `[display]`; only what has content;
//! texts of paragraphs as `"""` strings, dates as TOML dates.
//!
//! The tables are built here rather than serialized from `Profile`, whose
//! `Date` serializes as a struct (for build.rs) and whose empty fields
//! would be written out; publications are written as `import-bib` writes
//! them.

use toml::value::{Datetime, Table, Value};

use crate::profile::{Order, Profile, Publication, sanitize};

/// `profile` as a profile.toml, under a header naming where it came from.
pub(super) fn render(profile: &Profile, from: &str) -> Result<String, toml::ser::Error> {
    let mut out = format!(
        "# profile.toml made by termfolio import-site from {}\n",
        sanitize::line(from)
    );
    push(&mut out, "person", Some(person(profile)))?;
    push(&mut out, "bio", bio(profile))?;
    push(&mut out, "research", research(profile))?;
    push(&mut out, "news", news(profile))?;
    if !profile.publications.is_empty() {
        out.push('\n');
        out.push_str(&publications(&profile.publications)?);
    }
    push(&mut out, "sections", sections(profile))?;
    push(&mut out, "display", display(profile))?;
    Ok(out)
}

/// Writes `value`, if any, as the top-level `key` after a blank line.
fn push(out: &mut String, key: &str, value: Option<Value>) -> Result<(), toml::ser::Error> {
    if let Some(value) = value {
        let mut table = Table::new();
        table.insert(key.to_string(), value);
        out.push('\n');
        out.push_str(&toml::to_string_pretty(&table)?);
    }
    Ok(())
}

/// Puts `key = value` in `table` when the value has text.
fn text(table: &mut Table, key: &str, value: Option<&str>) {
    let clean = value.map(|v| sanitize::line(v).trim().to_string());
    if let Some(v) = clean.filter(|v| !v.is_empty()) {
        table.insert(key.into(), Value::String(v));
    }
}

/// Puts a text of paragraphs under `key`, ending in a newline so that it
/// is written as a `"""` string.
fn paragraphs(table: &mut Table, key: &str, value: &str) {
    let v = sanitize::text(value);
    let v = v.trim();
    if !v.is_empty() {
        table.insert(key.into(), Value::String(format!("{v}\n")));
    }
}

/// Puts a list of texts under `key` when it has any.
fn list(table: &mut Table, key: &str, values: &[String]) {
    let values: Vec<Value> = values
        .iter()
        .map(|v| sanitize::text(v).trim().to_string())
        .filter(|v| !v.is_empty())
        .map(Value::String)
        .collect();
    if !values.is_empty() {
        table.insert(key.into(), Value::Array(values));
    }
}

fn person(profile: &Profile) -> Value {
    let p = &profile.person;
    let mut t = Table::new();
    t.insert(
        "name".into(),
        Value::String(sanitize::line(&p.name).trim().to_string()),
    );
    text(&mut t, "motto", p.motto.as_deref());
    text(&mut t, "photo", p.photo.as_deref());
    prose(&mut t, "photo_caption", p.photo_caption.as_deref());
    prose(&mut t, "contact", p.contact.as_deref());
    if !p.links.is_empty() {
        let mut links = Table::new();
        for (label, url) in &p.links.0 {
            links.insert(sanitize::line(label), Value::String(sanitize::line(url)));
        }
        t.insert("links".into(), Value::Table(links));
    }
    Value::Table(t)
}

/// One line of prose (a hard break keeps its newline).
fn prose(table: &mut Table, key: &str, value: Option<&str>) {
    let clean = value.map(|v| sanitize::text(v).trim().to_string());
    if let Some(v) = clean.filter(|v| !v.is_empty()) {
        table.insert(key.into(), Value::String(v));
    }
}

fn bio(profile: &Profile) -> Option<Value> {
    let mut t = Table::new();
    text(&mut t, "heading", profile.bio.heading.as_deref());
    paragraphs(&mut t, "text", &profile.bio.text);
    (!t.is_empty()).then_some(Value::Table(t))
}

fn research(profile: &Profile) -> Option<Value> {
    let r = &profile.research;
    let mut t = Table::new();
    text(&mut t, "heading", r.heading.as_deref());
    text(&mut t, "quote", r.quote.as_deref());
    paragraphs(&mut t, "text", &r.text);
    text(&mut t, "focus_heading", r.focus_heading.as_deref());
    list(&mut t, "focus", &r.focus);
    (!t.is_empty()).then_some(Value::Table(t))
}

fn news(profile: &Profile) -> Option<Value> {
    let items: Vec<Value> = profile
        .news
        .iter()
        .map(|n| {
            let mut t = Table::new();
            let date = toml::value::Date {
                year: n.date.year,
                month: n.date.month,
                day: n.date.day,
            };
            t.insert(
                "date".into(),
                Value::Datetime(Datetime {
                    date: Some(date),
                    time: None,
                    offset: None,
                }),
            );
            prose(&mut t, "text", Some(&n.text));
            Value::Table(t)
        })
        .collect();
    (!items.is_empty()).then_some(Value::Array(items))
}

/// `[[publications]]` tables, as `import-bib` prints them.
fn publications(publications: &[Publication]) -> Result<String, toml::ser::Error> {
    #[derive(serde::Serialize)]
    struct Tables<'a> {
        publications: &'a [Publication],
    }
    toml::to_string(&Tables { publications })
}

fn sections(profile: &Profile) -> Option<Value> {
    let sections: Vec<Value> = profile
        .sections
        .iter()
        .map(|s| {
            let mut t = Table::new();
            t.insert(
                "title".into(),
                Value::String(sanitize::line(&s.title).trim().to_string()),
            );
            text(&mut t, "heading", s.heading.as_deref());
            paragraphs(&mut t, "text", &s.text);
            list(&mut t, "items", &s.items);
            Value::Table(t)
        })
        .collect();
    (!sections.is_empty()).then_some(Value::Array(sections))
}

fn display(profile: &Profile) -> Option<Value> {
    (profile.display.publications == Some(Order::Newest)).then(|| {
        let mut t = Table::new();
        t.insert("publications".into(), Value::String("newest".into()));
        Value::Table(t)
    })
}
