//! The about page (`_pages/about.md`): the motto, the photo and its
//! caption from its front matter; from its body the bio, the row of links,
//! the research interests, the contact line and the other sections.
//!
//! The body is split at its top-level headings (the shallowest level it
//! uses; deeper ones stay in their part as bold lines). What comes before
//! the first is the bio. A heading that speaks of research or interests
//! opens the research part: a short quoted first paragraph (or a block
//! quote) is its quote, its paragraphs its text, its list the focus, and
//! the paragraph right before that list, when it ends in `:`, the focus's
//! heading. A heading that says "contact", or a paragraph that invites
//! contact (with an e-mail link, or "feel free to contact"), gives the
//! contact line. Every other heading is a section. Anywhere, a paragraph
//! that is only a row of links (al-folio users put their social row in the
//! bio) gives `[person.links]`, labelled by the links' texts.

use crate::profile::{Research, Section, markup};

use super::blocks::{self, Block};
use super::report::Report;
use super::socials::label_of;
use super::{Yaml, tags};

/// What the about page gives the profile.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub motto: Option<String>,
    /// `profile.image`: a file in the site's `assets/img/`.
    pub image: Option<String>,
    pub caption: Option<String>,
    pub bio_heading: Option<String>,
    pub bio: Vec<String>,
    /// From rows of links, label → URL, in page order.
    pub links: Vec<(String, String)>,
    pub contact: Option<String>,
    pub research: Option<Research>,
    pub sections: Vec<Section>,
}

/// Reads the page's front matter `data` and its `body` (comments and
/// Liquid already out).
pub(super) fn read(data: &Yaml, body: &str, report: &mut Report, file: &str) -> Page {
    let mut page = Page {
        motto: data
            .text_at("subtitle")
            .and_then(|s| motto(s, report, file)),
        image: data
            .at(&["profile", "image"])
            .and_then(Yaml::text)
            .map(str::to_string),
        caption: caption(data, report, file),
        ..Page::default()
    };
    let (bio, parts) = split_at_headings(blocks::read(body, report, file));
    let mut parts = parts.into_iter().peekable();
    // A page that opens with a heading has it over the bio.
    let bio = match parts.peek() {
        Some((title, _)) if bio.is_empty() && part_kind(&plain(title)) == PartKind::Section => {
            let (title, blocks) = parts.next().expect("peeked");
            page.bio_heading = Some(plain(&title)).filter(|t| !t.is_empty());
            blocks
        }
        _ => bio,
    };
    page.bio = page.paragraphs(bio, report, file);
    for (title, blocks) in parts {
        page.part(&title, blocks, report, file);
    }
    page
}

/// The blocks before the first top-level heading (of the shallowest level
/// the page uses), and each top-level heading with the blocks under it.
fn split_at_headings(blocks: Vec<Block>) -> (Vec<Block>, Vec<(String, Vec<Block>)>) {
    let top = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min();
    let mut before = Vec::new();
    let mut parts: Vec<(String, Vec<Block>)> = Vec::new();
    for block in blocks {
        match (block, parts.last_mut()) {
            (Block::Heading { level, text }, _) if Some(level) == top => {
                parts.push((text, Vec::new()));
            }
            (other, Some((_, under))) => under.push(other),
            (other, None) => before.push(other),
        }
    }
    (before, parts)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    Research,
    Contact,
    Section,
}

/// What a heading's (plain) text says its part is.
fn part_kind(title: &str) -> PartKind {
    let lower = title.to_lowercase();
    if lower.contains("research") || lower.contains("interest") {
        PartKind::Research
    } else if lower.contains("contact") {
        PartKind::Contact
    } else {
        PartKind::Section
    }
}

impl Page {
    /// Places one part of the page, headed `title` (Markdown).
    fn part(&mut self, title: &str, blocks: Vec<Block>, report: &mut Report, file: &str) {
        let heading = plain(title);
        match part_kind(&heading) {
            PartKind::Research if self.research.is_none() => {
                self.research(heading, blocks, report, file)
            }
            PartKind::Contact if self.contact.is_none() => {
                let lines = self.paragraphs(blocks, report, file);
                if lines.is_empty() {
                    report.warn(
                        file,
                        format!("the heading `{heading}` has nothing under it; left out"),
                    );
                } else {
                    self.contact = Some(lines.join("\\\n"));
                }
            }
            _ => self.section(heading, blocks, report, file),
        }
    }

    /// Blocks as paragraphs of prose: a list's items one per line, deeper
    /// headings bold, rows of links taken out into `links`.
    fn paragraphs(&mut self, blocks: Vec<Block>, report: &mut Report, file: &str) -> Vec<String> {
        let mut out = Vec::new();
        for block in blocks {
            match block {
                Block::Paragraph(text) => {
                    if !self.link_row(&text, report, file) {
                        out.push(text);
                    }
                }
                Block::Heading { text, .. } => out.push(bold(&text)),
                Block::List(items) => out.push(
                    items
                        .iter()
                        .map(|i| format!("- {i}"))
                        .collect::<Vec<_>>()
                        .join("\\\n"),
                ),
                Block::Quote(paragraphs) => out.extend(paragraphs),
            }
        }
        out
    }

    fn research(&mut self, heading: String, blocks: Vec<Block>, report: &mut Report, file: &str) {
        let mut research = Research {
            heading: Some(heading).filter(|h| !h.is_empty()),
            ..Research::default()
        };
        let mut text: Vec<String> = Vec::new();
        let mut blocks = blocks.into_iter().peekable();
        match blocks.peek() {
            Some(Block::Quote(q)) => {
                research.quote = Some(unquote(&plain(&q.join(" "))).to_string());
                blocks.next();
            }
            Some(Block::Paragraph(p)) if is_quote(p) => {
                research.quote = Some(unquote(&plain(p)).to_string());
                blocks.next();
            }
            _ => {}
        }
        for block in blocks {
            match block {
                Block::List(items) if research.focus.is_empty() => {
                    if text.last().is_some_and(|t| plain(t).ends_with(':')) {
                        research.focus_heading = text.pop().map(|t| plain(&t));
                    }
                    research.focus = items;
                }
                Block::List(items) => research.focus.extend(items),
                Block::Paragraph(p) if self.contact.is_none() && invites_contact(&p) => {
                    self.contact = Some(p);
                }
                other => text.extend(self.paragraphs(vec![other], report, file)),
            }
        }
        research.text = joined(&text);
        self.research = Some(research);
    }

    fn section(&mut self, heading: String, blocks: Vec<Block>, report: &mut Report, file: &str) {
        let mut text = Vec::new();
        let mut items = Vec::new();
        for block in blocks {
            match block {
                Block::List(list) => items.extend(list),
                other => text.extend(self.paragraphs(vec![other], report, file)),
            }
        }
        if text.is_empty() && items.is_empty() {
            report.warn(
                file,
                format!("the heading `{heading}` has nothing under it; left out"),
            );
            return;
        }
        // The title is a tab's name: no emoji or symbols before it.
        let title = heading
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        let (title, heading) = if title.is_empty() || title == heading {
            (heading, None)
        } else {
            (title, Some(heading))
        };
        self.sections.push(Section {
            title,
            heading,
            text: joined(&text),
            items,
        });
    }

    /// Takes `text` into `links` if it is only a row of links.
    fn link_row(&mut self, text: &str, report: &mut Report, file: &str) -> bool {
        let rich = markup::read_inline(text);
        let separator = |t: &str| {
            t.chars()
                .all(|c| c.is_whitespace() || "|·•/,;:-–—".contains(c))
        };
        if rich.links.len() < 2
            || rich
                .pieces
                .iter()
                .any(|p| p.link.is_none() && !separator(&p.text))
        {
            return false;
        }
        for (i, url) in rich.links.iter().enumerate() {
            let label = match label_of(&rich.link_text(i)) {
                l if l.is_empty() => label_of_url(url),
                l => l,
            };
            add_link(&mut self.links, &label, url, report, file);
        }
        true
    }
}

/// Adds `label = url` to `links`, keeping the first link of a label (and
/// reporting a second that goes elsewhere) and the first of a target. An
/// e-mail link is written as its address.
pub(super) fn add_link(
    links: &mut Vec<(String, String)>,
    label: &str,
    url: &str,
    report: &mut Report,
    file: &str,
) {
    let url = url.trim();
    let url = match url.strip_prefix("mailto:") {
        Some(address) if label == "email" => address,
        _ => url,
    };
    if url.is_empty() || label.is_empty() {
        return;
    }
    let same = |a: &str, b: &str| a.trim_end_matches('/') == b.trim_end_matches('/');
    if links.iter().any(|(_, u)| same(u, url)) {
        return;
    }
    if let Some((_, kept)) = links.iter().find(|(l, _)| l == label) {
        report.warn(
            file,
            format!("a second `{label}` link ({url}) left out; the first ({kept}) is kept"),
        );
        return;
    }
    links.push((label.to_string(), url.to_string()));
}

/// A label for a link without text, from where it goes.
fn label_of_url(url: &str) -> String {
    if url.starts_with("mailto:") {
        return "email".into();
    }
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    match host.split('.').next() {
        Some(name) if !name.is_empty() => label_of(name),
        _ => "link".into(),
    }
}

/// The subtitle as the motto: its text, without the quotes around it.
/// The motto is plain text: links in the subtitle are reported.
fn motto(subtitle: &str, report: &mut Report, file: &str) -> Option<String> {
    let md = blocks::prose(subtitle, report, file);
    let rich = markup::read_inline(&md);
    if !rich.links.is_empty() {
        report.warn(
            file,
            format!(
                "the subtitle's {} left out: the motto is plain text",
                crate::frontend::count(rich.links.len(), "link is", "links are")
            ),
        );
    }
    Some(unquote(rich.plain().trim()).to_string()).filter(|m| !m.is_empty())
}

/// The photo's caption: `profile.address` (older sites) and
/// `profile.more_info`, their paragraphs as lines.
fn caption(data: &Yaml, report: &mut Report, file: &str) -> Option<String> {
    let mut lines = Vec::new();
    for key in ["address", "more_info"] {
        let Some(html) = data.at(&["profile", key]).and_then(Yaml::text) else {
            continue;
        };
        let prepared = tags::prepare(html, report, file);
        for (_, piece) in tags::segments(&prepared) {
            let line = blocks::convert(piece);
            if !line.is_empty() {
                lines.push(line);
            }
        }
    }
    (!lines.is_empty()).then(|| lines.join("\\\n"))
}

/// Prose paragraphs as one text for a `"""` string.
fn joined(paragraphs: &[String]) -> String {
    if paragraphs.is_empty() {
        String::new()
    } else {
        format!("{}\n", paragraphs.join("\n\n"))
    }
}

/// Inline Markdown as the plain text it reads as.
fn plain(md: &str) -> String {
    markup::read_inline(md).plain().trim().to_string()
}

/// A heading inside a part, as a bold line.
fn bold(md: &str) -> String {
    let text = plain(md);
    if text.is_empty() {
        String::new()
    } else {
        format!("**{}**", text.replace('*', "\\*"))
    }
}

/// Quotes around a whole text.
const QUOTES: [(char, char); 7] = [
    ('"', '"'),
    ('“', '”'),
    ('\'', '\''),
    ('‘', '’'),
    ('«', '»'),
    ('「', '」'),
    ('„', '“'),
];

/// `text` without the quotes around it, if it is quoted.
fn unquote(text: &str) -> &str {
    let t = text.trim();
    for (open, close) in QUOTES {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close))
            && !inner.trim().is_empty()
        {
            return inner.trim();
        }
    }
    t
}

/// Whether a paragraph reads as a quote: short, and quoted whole.
fn is_quote(md: &str) -> bool {
    let text = plain(md);
    text.chars().count() <= 200 && unquote(&text) != text
}

/// Whether a paragraph invites the reader to get in touch.
fn invites_contact(md: &str) -> bool {
    let rich = markup::read_inline(md);
    let text = rich.plain().to_lowercase();
    text.contains("contact")
        && (rich.links.iter().any(|l| l.starts_with("mailto:"))
            || text.contains("feel free")
            || text.contains("contact me"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(front: &str, body: &str) -> (Page, Vec<String>) {
        let data = super::super::yaml::parse(front).unwrap();
        let mut report = Report::default();
        let page = read(&data, body, &mut report, "about.md");
        (
            page,
            report
                .into_notes()
                .iter()
                .map(|n| n.message.clone())
                .collect(),
        )
    }

    #[test]
    fn a_page_in_the_seed_sites_shape() {
        let (p, notes) = page(
            "subtitle: <small><em>\"Convince future generations.\"</em></small>\nprofile:\n  image: me.jpg\n  address: >\n    <p><span>At <a href='https://w'>Westlake</a></span></p>\n",
            "Hi [**ZJU**](https://z).\n\n<i class=\"fa fa-book\"></i> [**Semantic Scholar**](https://s) &nbsp;&nbsp; <i class=\"fa fa-envelope\"></i> [**Email**](mailto:a@b.c) &nbsp; [**GitHub**](https://g)\n\n### 🦄 Research Interest\n\n<small><em>\"Seek truth.\"</em></small>\n\nIn the science aspect.\n\nMy focus includes:\n- One;\n- Two.\n\nPlease feel free to contact (via [**email**](mailto:a@b.c)) me.\n\n### 🤗 Miscellaneous\n\n- ACG fan.\n- Artist.\n\n### Empty\n",
        );
        assert_eq!(p.motto.as_deref(), Some("Convince future generations."));
        assert_eq!(p.image.as_deref(), Some("me.jpg"));
        assert_eq!(p.caption.as_deref(), Some("At [Westlake](https://w)"));
        assert_eq!(p.bio, ["Hi [**ZJU**](https://z)."]);
        assert_eq!(
            p.links,
            [
                ("semantic_scholar".to_string(), "https://s".to_string()),
                ("email".into(), "a@b.c".into()),
                ("github".into(), "https://g".into()),
            ]
        );
        let r = p.research.expect("research");
        assert_eq!(r.heading.as_deref(), Some("🦄 Research Interest"));
        assert_eq!(r.quote.as_deref(), Some("Seek truth."));
        assert_eq!(r.text, "In the science aspect.\n");
        assert_eq!(r.focus_heading.as_deref(), Some("My focus includes:"));
        assert_eq!(r.focus, ["One;", "Two."]);
        assert_eq!(
            p.contact.as_deref(),
            Some("Please feel free to contact (via [**email**](mailto:a@b.c)) me.")
        );
        assert_eq!(p.sections.len(), 1);
        let s = &p.sections[0];
        assert_eq!(
            (s.title.as_str(), s.heading.as_deref()),
            ("Miscellaneous", Some("🤗 Miscellaneous"))
        );
        assert_eq!(s.items, ["ACG fan.", "Artist."]);
        assert_eq!(
            notes,
            ["the heading `Empty` has nothing under it; left out"]
        );
    }

    #[test]
    fn a_page_that_starts_with_a_heading_has_it_over_the_bio() {
        let (p, _) = page(
            "",
            "## About me\n\nI study.\n\n### Sub\n\nMore.\n\n## Contact\n\nOffice 1\n\n[mail](mailto:x@y.z)\n",
        );
        assert_eq!(p.bio_heading.as_deref(), Some("About me"));
        assert_eq!(p.bio, ["I study.", "**Sub**", "More."]);
        assert_eq!(
            p.contact.as_deref(),
            Some("Office 1\\\n[mail](mailto:x@y.z)")
        );
    }

    #[test]
    fn the_subtitles_links_are_reported() {
        let (p, notes) = page("subtitle: <a href='#'>Affiliations</a>. Address.\n", "");
        assert_eq!(p.motto.as_deref(), Some("Affiliations. Address."));
        assert_eq!(
            notes,
            ["the subtitle's 1 link is left out: the motto is plain text"]
        );
    }
}
