//! The documents of the viewer: each tab's paragraphs, a publication's
//! detail and BibTeX, built from the profile with roles, not styles.

use super::{Look, Para, Roles, Span, highlight, width};
use crate::profile::{Person, Profile, Publication, Section};

/// A tab of the viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Bio,
    Research,
    News,
    Publications,
    /// An extra section, by index into `profile.sections`.
    Section(usize),
}

/// The tabs a profile has: the four built in, then its extra sections.
pub fn tabs_of(profile: &Profile) -> Vec<Tab> {
    let mut tabs = vec![Tab::Bio, Tab::Research, Tab::News, Tab::Publications];
    tabs.extend((0..profile.sections.len()).map(Tab::Section));
    tabs
}

/// A tab's name as the tab bar shows it.
pub fn tab_title(profile: &Profile, tab: Tab) -> &str {
    match tab {
        Tab::Bio => "Bio",
        Tab::Research => "Research",
        Tab::News => "News",
        Tab::Publications => "Publications",
        Tab::Section(i) => profile.sections[i].title.as_str(),
    }
}

/// The heading of a tab's content block.
pub(crate) fn heading(profile: &Profile, tab: Tab) -> &str {
    fn or<'a>(h: &'a Option<String>, default: &'static str) -> &'a str {
        h.as_deref()
            .filter(|h| !h.trim().is_empty())
            .unwrap_or(default)
    }
    match tab {
        Tab::Bio => or(&profile.bio.heading, "Bio"),
        Tab::Research => or(&profile.research.heading, "Research"),
        Tab::News => or(&profile.headings.news, "News"),
        Tab::Publications => or(&profile.headings.publications, "Publications"),
        Tab::Section(i) => {
            let s = &profile.sections[i];
            s.heading
                .as_deref()
                .filter(|h| !h.trim().is_empty())
                .unwrap_or(&s.title)
        }
    }
}

/// The News items a filter lets through (indexes into `profile.news`) and
/// the query to mark in them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewsFilter<'a> {
    pub items: &'a [usize],
    pub query: &'a str,
}

/// The paragraphs of a text tab (News with its filter, if any).
pub(crate) fn text_doc(profile: &Profile, tab: Tab, news: Option<NewsFilter>) -> Vec<Para> {
    match tab {
        Tab::Bio => bio(profile),
        Tab::Research => research(profile),
        Tab::News => self::news(profile, news),
        Tab::Section(i) => section(&profile.sections[i]),
        Tab::Publications => Vec::new(),
    }
}

/// Splits text into paragraphs at blank lines; single newlines become spaces,
/// as in Markdown, so hand-wrapped TOML text reflows.
pub(crate) fn paragraphs(text: &str) -> Vec<Para> {
    let mut out = Vec::new();
    for chunk in text.split("\n\n") {
        let joined = chunk.split_whitespace().collect::<Vec<_>>().join(" ");
        if joined.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Para::blank());
        }
        out.push(Para::plain(joined, Roles::TEXT));
    }
    out
}

/// A bullet point with its continuation lines aligned under the text.
pub(crate) fn bullet(text: &str) -> Para {
    Para::hanging(
        vec![Span::new("▸ ", Roles::BULLET)],
        vec![Span::new(text, Roles::TEXT)],
    )
}

/// A labelled line: `label` padded to `width`, then the value.
pub(crate) fn labelled(label: &str, width: usize, value: Vec<Span>) -> Para {
    let pad = width.saturating_sub(super::width(label));
    Para::hanging(
        vec![Span::new(format!("{label}{}", " ".repeat(pad)), Roles::DIM)],
        value,
    )
}

const LABEL_WIDTH: usize = 13;

/// The Bio tab: the bio text, then the facts about the person as labelled lines.
pub(crate) fn bio(profile: &Profile) -> Vec<Para> {
    let person = &profile.person;
    let mut out = paragraphs(&profile.bio.text);
    let mut facts = Vec::new();
    let mut fact = |label: &str, value: String| {
        if !value.trim().is_empty() {
            facts.push(labelled(
                label,
                LABEL_WIDTH,
                vec![Span::new(value, Roles::TEXT)],
            ));
        }
    };
    fact("Position", person.affiliation_line());
    fact("Supervisors", person.supervisors.join(", "));
    for e in &profile.experience {
        let mut line = format!("{}, {}", e.role, e.organization);
        if let Some(when) = &e.when {
            line.push_str(&format!(" ({when})"));
        }
        if let Some(topic) = &e.topic {
            line.push_str(&format!(": {topic}"));
        }
        if !e.mentors.is_empty() {
            line.push_str(&format!("; mentored by {}", e.mentors.join(" and ")));
        }
        fact("Experience", line);
    }
    fact("Photo", person.photo_caption.clone().unwrap_or_default());
    fact("E-mail", person.email.clone().unwrap_or_default());
    fact("Website", person.website.clone().unwrap_or_default());
    fact("Contact", person.contact.clone().unwrap_or_default());
    if !facts.is_empty() {
        if !out.is_empty() {
            out.push(Para::blank());
        }
        out.extend(facts);
    }
    out
}

/// The Research tab: the quote, the text, and the current focus as a list.
pub(crate) fn research(profile: &Profile) -> Vec<Para> {
    let r = &profile.research;
    let mut out = Vec::new();
    if let Some(q) = r.quote.as_deref().filter(|q| !q.trim().is_empty()) {
        out.push(Para::plain(format!("“{}”", q.trim()), Roles::QUOTE));
        out.push(Para::blank());
    }
    out.extend(paragraphs(&r.text));
    if !r.focus.is_empty() {
        if !out.is_empty() {
            out.push(Para::blank());
        }
        if let Some(h) = &r.focus_heading {
            out.push(Para::plain(h.clone(), Roles::HEADING));
        }
        out.extend(r.focus.iter().map(|f| bullet(f)));
    }
    out
}

/// Width of the News date column: "May 17, 2022" plus two spaces.
const DATE_COLUMN: usize = 14;

/// The News tab, al-folio style ("Jul 12, 2023"): one paragraph per item in
/// the order of the profile; with a filter, the items it lets through,
/// matches marked.
pub(crate) fn news(profile: &Profile, filter: Option<NewsFilter>) -> Vec<Para> {
    let query = filter.map_or("", |f| f.query);
    let para = |item: &crate::profile::NewsItem| {
        let date = format!("{:<width$}", item.date.long(), width = DATE_COLUMN);
        Para::hanging(
            vec![Span::new(date, Roles::DATE)],
            highlight(&item.text, query, Roles::TEXT),
        )
    };
    let items: Vec<Para> = match filter {
        Some(f) => f
            .items
            .iter()
            .filter_map(|&i| profile.news.get(i))
            .map(para)
            .collect(),
        None => profile.news.iter().map(para).collect(),
    };
    if items.is_empty() && !query.is_empty() {
        return vec![Para::plain(
            format!("No news matches “{query}”."),
            Roles::DIM,
        )];
    }
    items
}

/// An extra section from the profile (`[[sections]]`): text and a bullet list.
pub(crate) fn section(section: &Section) -> Vec<Para> {
    let mut out = paragraphs(&section.text);
    for item in &section.items {
        if !out.is_empty() {
            out.push(Para::blank());
        }
        out.push(bullet(item));
    }
    out
}

/// A badge: on a coloured background, or `[text]` without colour.
pub(crate) fn badge(label: &str, roles: Roles, look: Look) -> Span {
    if look.badge_brackets {
        Span::new(format!("[{label}]"), roles)
    } else {
        Span::new(format!(" {label} "), roles)
    }
}

/// Authors as spans, the owner's name marked.
pub(crate) fn author_spans(authors: &[String], person: &Person) -> Vec<Span> {
    let mut spans = Vec::new();
    for (i, author) in authors.iter().enumerate() {
        if i > 0 {
            spans.push(Span::new(", ", Roles::AUTHOR));
        }
        let roles = if person.is_owner(author) {
            Roles::OWNER
        } else {
            Roles::AUTHOR
        };
        spans.push(Span::new(author.clone(), roles));
    }
    spans
}

/// Everything about one publication, as paragraphs for the detail pane.
pub(crate) fn detail(p: &Publication, person: &Person, look: Look) -> Vec<Para> {
    let mut out = vec![Para::plain(p.title.clone(), Roles::TITLE), Para::blank()];
    out.push(Para {
        spans: author_spans(&p.authors, person),
        ..Para::default()
    });
    let mut venue = Vec::new();
    if let Some(v) = p.venue() {
        venue.push(Span::new("In ", Roles::TEXT));
        venue.push(Span::new(v, Roles::VENUE));
        venue.push(Span::new(", ", Roles::TEXT));
    }
    venue.push(Span::new(p.date_line(), Roles::TEXT));
    out.push(Para {
        spans: venue,
        ..Para::default()
    });
    let mut badges = Vec::new();
    if let Some(abbr) = p.abbr.as_deref().filter(|a| !a.trim().is_empty()) {
        badges.push(badge(abbr, Roles::ABBR, look));
    }
    if let Some(award) = p.award_badge() {
        push_spaced(&mut badges, badge(award, Roles::AWARD, look));
    }
    if let Some(note) = p.note.as_deref().filter(|a| !a.trim().is_empty()) {
        push_spaced(&mut badges, badge(note, Roles::NOTE, look));
    }
    if !badges.is_empty() {
        out.push(Para::blank());
        out.push(Para {
            spans: badges,
            ..Para::default()
        });
    }
    let links = p.links();
    if !links.is_empty() {
        out.push(Para::blank());
        let label_width = links.iter().map(|(l, _)| width(l)).max().unwrap_or(0) + 2;
        for (label, url) in links {
            out.push(labelled(
                label,
                label_width,
                vec![Span::new(url, Roles::LINK)],
            ));
        }
    }
    for (heading, text) in [
        ("Award", p.award_description()),
        ("Abstract", p.abstract_.as_deref()),
        ("Notes", p.additional_info.as_deref()),
        ("Annotation", p.annotation.as_deref()),
    ] {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            out.push(Para::blank());
            out.push(Para::plain(heading, Roles::HEADING));
            out.extend(paragraphs(text));
        }
    }
    out
}

fn push_spaced(spans: &mut Vec<Span>, span: Span) {
    if !spans.is_empty() {
        spans.push(Span::raw(" "));
    }
    spans.push(span);
}

/// A publication as BibTeX, for the detail pane (`b`).
pub(crate) fn bibtex(p: &Publication) -> Vec<Para> {
    crate::bibtex::to_bibtex(p)
        .lines()
        .map(|line| {
            let indent = line.len() - line.trim_start().len();
            Para {
                prefix: vec![Span::raw(" ".repeat(indent))],
                spans: vec![Span::new(line.trim_start(), Roles::TEXT)],
                // Continuation lines sit under the value, not the field name.
                indent: indent + 4,
            }
        })
        .collect()
}
