//! The documents of the viewer: each tab's paragraphs, a publication's
//! detail and BibTeX, built from the profile with roles, not styles.

use super::{Doc, Look, Para, Roles, Span, highlight_spans, width};
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

/// The document of a text tab (News with its filter, if any).
pub(crate) fn text_doc(profile: &Profile, tab: Tab, news: Option<NewsFilter>) -> Doc {
    match tab {
        Tab::Bio => bio(profile),
        Tab::Research => research(profile),
        Tab::News => self::news(profile, news),
        Tab::Section(i) => section(&profile.sections[i]),
        Tab::Publications => Doc::default(),
    }
}

/// A bullet point with its continuation lines aligned under the text.
pub(crate) fn bullet(spans: Vec<Span>) -> Para {
    Para::hanging(vec![Span::new("▸ ", Roles::BULLET)], spans)
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

/// Inline Markdown items joined by `separator`, as spans.
fn joined(doc: &mut Doc, items: &[String], separator: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(separator));
        }
        spans.extend(doc.inline(item, Roles::TEXT));
    }
    spans
}

/// The Bio tab: the bio text, then the facts about the person as labelled
/// lines (the photo's caption among them).
pub(crate) fn bio(profile: &Profile) -> Doc {
    bio_with(profile, true)
}

/// The photo's caption, for under the photo.
pub(crate) fn caption(profile: &Profile) -> Doc {
    let mut doc = Doc::default();
    if let Some(c) = profile.person.photo_caption.as_deref() {
        let spans = doc.inline(c, Roles::DIM);
        if !spans.is_empty() {
            doc.push(Para {
                spans,
                ..Para::default()
            });
        }
    }
    doc
}

/// The Bio tab, with the photo's caption among the facts or not (when the
/// photo shows it under itself).
pub(crate) fn bio_with(profile: &Profile, with_caption: bool) -> Doc {
    let person = &profile.person;
    let mut doc = Doc::default();
    doc.prose(&profile.bio.text, Roles::TEXT);
    let mut facts: Vec<(&str, Vec<Span>)> = Vec::new();
    let text = |s: String| vec![Span::raw(s)];
    facts.push(("Position", text(person.affiliation_line())));
    facts.push(("Supervisors", joined(&mut doc, &person.supervisors, ", ")));
    for e in &profile.experience {
        let mut line = format!("{}, {}", e.role, e.organization);
        if let Some(when) = &e.when {
            line.push_str(&format!(" ({when})"));
        }
        if let Some(topic) = &e.topic {
            line.push_str(&format!(": {topic}"));
        }
        let mut spans = text(line);
        if !e.mentors.is_empty() {
            spans.push(Span::raw("; mentored by "));
            spans.extend(joined(&mut doc, &e.mentors, " and "));
        }
        facts.push(("Experience", spans));
    }
    let mut inline = |field: &Option<String>| {
        let text = field.as_deref().unwrap_or_default();
        doc.inline(text, Roles::TEXT)
    };
    if with_caption {
        facts.push(("Photo", inline(&person.photo_caption)));
    }
    facts.push(("Links", links(&mut doc, &person.links)));
    let contact = doc.inline(person.contact.as_deref().unwrap_or_default(), Roles::TEXT);
    facts.push(("Contact", contact));
    let facts: Vec<Para> = facts
        .into_iter()
        .filter(|(_, spans)| spans.iter().any(|s| !s.text.trim().is_empty()))
        .map(|(label, spans)| labelled(label, LABEL_WIDTH, spans))
        .collect();
    if !facts.is_empty() {
        doc.gap();
        doc.paras.extend(facts);
    }
    doc
}

/// The person's links as one line of their labels, each a link: "GitHub ·
/// Google Scholar · E-mail".
fn links(doc: &mut Doc, links: &crate::profile::Links) -> Vec<Span> {
    let mut spans = Vec::new();
    for (label, url) in links.shown() {
        if !spans.is_empty() {
            spans.push(Span::raw(" · "));
        }
        spans.push(doc.named_link(&label, &url));
    }
    spans
}

/// The Research tab: the quote, the text, and the current focus as a list.
pub(crate) fn research(profile: &Profile) -> Doc {
    let r = &profile.research;
    let mut doc = Doc::default();
    if let Some(q) = r.quote.as_deref().filter(|q| !q.trim().is_empty()) {
        doc.push(Para::plain(format!("“{}”", q.trim()), Roles::QUOTE));
        doc.push(Para::blank());
    }
    doc.prose(&r.text, Roles::TEXT);
    if !r.focus.is_empty() {
        doc.gap();
        if let Some(h) = &r.focus_heading {
            doc.push(Para::plain(h.clone(), Roles::HEADING));
        }
        for f in &r.focus {
            let spans = doc.inline(f, Roles::TEXT);
            doc.push(bullet(spans));
        }
    }
    doc
}

/// Width of the News date column: "May 17, 2022" plus two spaces.
const DATE_COLUMN: usize = 14;

/// The News tab, al-folio style ("Jul 12, 2023"): one paragraph per item in
/// the order of the profile; with a filter, the items it lets through,
/// matches marked.
pub(crate) fn news(profile: &Profile, filter: Option<NewsFilter>) -> Doc {
    let query = filter.map_or("", |f| f.query);
    let mut doc = Doc::default();
    let para = |doc: &mut Doc, item: &crate::profile::NewsItem| {
        let date = format!("{:<width$}", item.date.long(), width = DATE_COLUMN);
        let spans = doc.inline(&item.text, Roles::TEXT);
        doc.push(Para::hanging(
            vec![Span::new(date, Roles::DATE)],
            highlight_spans(spans, query),
        ));
    };
    match filter {
        Some(f) => {
            for item in f.items.iter().filter_map(|&i| profile.news.get(i)) {
                para(&mut doc, item);
            }
        }
        None => profile.news.iter().for_each(|item| para(&mut doc, item)),
    }
    if doc.paras.is_empty() && !query.is_empty() {
        doc.push(Para::plain(
            format!("No news matches “{query}”."),
            Roles::DIM,
        ));
    }
    doc
}

/// An extra section from the profile (`[[sections]]`): text and a bullet list.
pub(crate) fn section(section: &Section) -> Doc {
    let mut doc = Doc::default();
    doc.prose(&section.text, Roles::TEXT);
    for item in &section.items {
        doc.gap();
        let spans = doc.inline(item, Roles::TEXT);
        doc.push(bullet(spans));
    }
    doc
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

/// Everything about one publication, as a document for the detail pane.
pub(crate) fn detail(p: &Publication, person: &Person, look: Look) -> Doc {
    let mut doc = Doc::default();
    let title = doc.inline(&p.title, Roles::TITLE);
    doc.push(Para {
        spans: title,
        ..Para::default()
    });
    doc.push(Para::blank());
    doc.push(Para {
        spans: author_spans(&p.authors, person),
        ..Para::default()
    });
    if !p.editors.is_empty() {
        let label = if p.editors.len() == 1 {
            "editor"
        } else {
            "editors"
        };
        doc.push(Para::plain(
            format!("{} ({label})", p.editors.join(", ")),
            Roles::AUTHOR,
        ));
    }
    let mut venue = Vec::new();
    // A thesis or report says what it is; others where they appeared.
    let in_venue = p.booktitle.is_some() || p.journal.is_some();
    match (in_venue, p.kind_line()) {
        (false, Some(kind)) => {
            venue.push(Span::new(kind, Roles::VENUE));
            venue.push(Span::new(", ", Roles::TEXT));
        }
        _ => {
            if let Some(v) = p.venue() {
                venue.push(Span::new("In ", Roles::TEXT));
                venue.push(Span::new(v, Roles::VENUE));
                venue.push(Span::new(", ", Roles::TEXT));
            }
        }
    }
    venue.push(Span::new(p.date_line(), Roles::TEXT));
    doc.push(Para {
        spans: venue,
        ..Para::default()
    });
    let mut badges = Vec::new();
    if let Some(abbr) = p.abbr.as_deref().filter(|a| !a.trim().is_empty()) {
        badges.push(badge(abbr, Roles::ABBR, look));
    }
    if let Some(award) = p.award_badge() {
        push_spaced(&mut badges, badge(&plain_text(award), Roles::AWARD, look));
    }
    if let Some(note) = p.note_badge().filter(|a| !a.trim().is_empty()) {
        push_spaced(&mut badges, badge(&plain_text(note), Roles::NOTE, look));
    }
    if !badges.is_empty() {
        doc.push(Para::blank());
        doc.push(Para {
            spans: badges,
            ..Para::default()
        });
    }
    let links = p.links();
    if !links.is_empty() {
        doc.push(Para::blank());
        let label_width = links.iter().map(|(l, _)| width(l)).max().unwrap_or(0) + 2;
        for (label, url) in links {
            let span = doc.url(label, &url);
            doc.push(labelled(label, label_width, vec![span]));
        }
    }
    for (heading, text) in [
        ("Award", p.award_description()),
        ("Note", p.long_note()),
        ("Abstract", p.abstract_.as_deref()),
        ("Notes", p.additional_info.as_deref()),
        ("Annotation", p.annotation.as_deref()),
    ] {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            doc.push(Para::blank());
            doc.push(Para::plain(heading, Roles::HEADING));
            doc.prose(text, Roles::TEXT);
        }
    }
    doc
}

/// Inline Markdown as the text it reads as (for badges, which are one style).
pub(crate) fn plain_text(text: &str) -> String {
    crate::profile::markup::inline(text).plain()
}

fn push_spaced(spans: &mut Vec<Span>, span: Span) {
    if !spans.is_empty() {
        spans.push(Span::raw(" "));
    }
    spans.push(span);
}

/// A publication as BibTeX, for the detail pane (`b`).
pub(crate) fn bibtex(p: &Publication) -> Doc {
    let paras = crate::bibtex::to_bibtex(p)
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
        .collect();
    Doc {
        paras,
        links: Vec::new(),
    }
}
