//! The profile as plain data, exactly as `profile.toml` spells it.
//!
//! Publication fields use the BibTeX / al-folio names so that a `papers.bib`
//! maps onto them one to one.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A whole profile: one person, their story, news, publications and extra sections.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub person: Person,
    #[serde(default)]
    pub experience: Vec<Experience>,
    #[serde(default)]
    pub bio: Bio,
    #[serde(default)]
    pub research: Research,
    #[serde(default)]
    pub headings: Headings,
    #[serde(default)]
    pub news: Vec<NewsItem>,
    #[serde(default)]
    pub publications: Vec<Publication>,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default, skip_serializing_if = "Display::is_default")]
    pub display: Display,
}

/// `[display]`: how lists are ordered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Display {
    /// `"newest"`: publications newest first (year, month, then file
    /// order); `"file"` (the default): as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publications: Option<Order>,
}

impl Display {
    fn is_default(&self) -> bool {
        *self == Display::default()
    }
}

/// An order for a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    File,
    Newest,
}

impl Profile {
    /// Puts the publications in the order `[display]` asks for: newest
    /// first by year, then month (an entry without one after those with
    /// one), then file order; or as written.
    pub fn order_publications(&mut self) {
        if self.display.publications == Some(Order::Newest) {
            self.publications.sort_by_key(|p| {
                let month = p.month.as_deref().and_then(month_number).unwrap_or(0);
                std::cmp::Reverse((p.year, month))
            });
        }
    }

    /// Every piece of prose (text read as inline Markdown: links and
    /// emphasis), with the key it is written under, in the order of the
    /// profile: the one list that `check`, the build's read-ahead and the
    /// tests go through.
    pub fn prose(&self) -> Vec<(&'static str, &str)> {
        let person = &self.person;
        let mut out: Vec<(&'static str, &str)> = vec![("bio", self.bio.text.as_str())];
        out.extend(person.contact.as_deref().map(|c| ("contact", c)));
        out.extend(
            person
                .photo_caption
                .as_deref()
                .map(|c| ("photo_caption", c)),
        );
        out.extend(
            person
                .supervisors
                .iter()
                .map(|s| ("supervisors", s.as_str())),
        );
        for e in &self.experience {
            out.extend(e.mentors.iter().map(|m| ("mentors", m.as_str())));
        }
        out.push(("research", self.research.text.as_str()));
        out.extend(self.research.focus.iter().map(|f| ("focus", f.as_str())));
        out.extend(self.news.iter().map(|n| ("news", n.text.as_str())));
        for s in &self.sections {
            out.push(("sections", s.text.as_str()));
            out.extend(s.items.iter().map(|i| ("sections", i.as_str())));
        }
        for p in &self.publications {
            out.push(("title", p.title.as_str()));
            for f in super::fields::FIELDS.iter().filter(|f| f.prose) {
                out.extend((f.get)(p).as_deref().map(|v| (f.name, v)));
            }
        }
        out
    }
}

/// Who the profile is about.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    /// Other spellings of the name in author lists ("T. Zhu").
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub pronunciation: Option<String>,
    #[serde(default)]
    pub motto: Option<String>,
    /// A portrait: a JPEG or PNG file, its path relative to the profile.
    #[serde(default)]
    pub photo: Option<String>,
    #[serde(default)]
    pub photo_caption: Option<String>,
    #[serde(default)]
    pub position: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub institution: Option<String>,
    #[serde(default)]
    pub supervisors: Vec<String>,
    #[serde(default)]
    pub contact: Option<String>,
    /// `[person.links]`: e-mail, website, scholar, github, ..., in the
    /// order written.
    #[serde(default, skip_serializing_if = "Links::is_empty")]
    pub links: Links,
}

/// The person's links, label → URL, in the order of the file (a TOML
/// table): the one place for e-mail, website and social profiles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links(pub Vec<(String, String)>);

impl Links {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each link as (label to show, target): known labels spelt as their
    /// sites spell themselves (`github` → GitHub), a bare e-mail address
    /// as a `mailto:` link. Empty values are left out.
    pub(crate) fn shown(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.0
            .iter()
            .map(|(label, url)| (label.trim(), url.trim()))
            .filter(|(_, url)| !url.is_empty())
            .map(|(label, url)| {
                let label = link_label(label);
                let target = link_target(&label, url);
                (label, target)
            })
    }
}

/// How a link's label is shown: the site's own spelling for the known
/// ones, else the key with `_` as spaces and its first letter capital.
fn link_label(key: &str) -> String {
    let squashed: String = key
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let known = KNOWN_LINKS
        .iter()
        .find(|(keys, _)| keys.split('|').any(|k| k == squashed));
    if let Some((_, label)) = known {
        return (*label).to_string();
    }
    let spaced = key.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Labels by site, as the keys people write (squashed: lowercase, letters
/// and digits only) and as each site writes its own name.
const KNOWN_LINKS: &[(&str, &str)] = &[
    ("email|mail", "Email"),
    ("website|homepage|web|url", "Website"),
    ("scholar|googlescholar", "Google Scholar"),
    ("semanticscholar", "Semantic Scholar"),
    ("orcid", "ORCID"),
    ("github", "GitHub"),
    ("gitlab", "GitLab"),
    ("twitter", "Twitter"),
    ("x", "X"),
    ("linkedin", "LinkedIn"),
    ("wechat|weixin", "WeChat"),
    ("zhihu", "Zhihu"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("dblp", "DBLP"),
    ("researchgate", "ResearchGate"),
    ("youtube", "YouTube"),
    ("arxiv", "arXiv"),
    ("inspire|inspirehep", "INSPIRE"),
    ("ads", "ADS"),
    ("openreview", "OpenReview"),
    ("stackoverflow", "Stack Overflow"),
    ("kaggle", "Kaggle"),
    ("medium", "Medium"),
    ("rss", "RSS"),
    ("cv", "CV"),
];

/// A bare address under the e-mail label (as shown) is a `mailto:` link.
fn link_target(label: &str, url: &str) -> String {
    if label == "Email" && !url.contains(':') && url.contains('@') {
        format!("mailto:{url}")
    } else {
        url.to_string()
    }
}

impl Serialize for Links {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Table<'a>(&'a [(String, String)]);
        impl Serialize for Table<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        serializer.serialize_newtype_struct("Links", &Table(&self.0))
    }
}

impl<'de> Deserialize<'de> for Links {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Links;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of links, label = \"https://...\"")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Links, A::Error> {
                let mut out: Vec<(String, String)> = Vec::new();
                while let Some((label, url)) = map.next_entry::<String, String>()? {
                    if out.iter().any(|(l, _)| *l == label) {
                        return Err(serde::de::Error::custom(format!(
                            "the link `{label}` is given twice"
                        )));
                    }
                    out.push((label, url));
                }
                Ok(Links(out))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

impl Person {
    /// "Second-year PhD student · Computer Science Department · Zhejiang University".
    pub(crate) fn affiliation_line(&self) -> String {
        [&self.position, &self.department, &self.institution]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Whether `author` names this person (the name or an alias, ignoring case and spacing).
    pub(crate) fn is_owner(&self, author: &str) -> bool {
        !blank_name(author)
            && std::iter::once(&self.name)
                .chain(&self.aliases)
                .any(|n| same_name(author, n))
    }
}

/// A name's words, as [`normalize_name`] reads them (before lowercasing).
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split_whitespace().map(|w| w.trim_matches('*'))
}

/// Whether `name` normalizes to nothing (no words, or one of only `*`s).
fn blank_name(name: &str) -> bool {
    let mut words = name_words(name);
    match (words.next(), words.next()) {
        (None, _) => true,
        (Some(word), None) => word.is_empty(),
        _ => false,
    }
}

/// `normalize_name(a) == normalize_name(b)`, without building either when
/// both are ASCII (every author of every paper is compared, in every frame
/// that shows a paper and for each paper of plain output).
fn same_name(a: &str, b: &str) -> bool {
    if !(a.is_ascii() && b.is_ascii()) {
        return normalize_name(a) == normalize_name(b);
    }
    let (mut a, mut b) = (name_words(a), name_words(b));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

fn normalize_name(name: &str) -> String {
    name.split_whitespace()
        .map(|w| w.trim_matches('*').to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A past or present position: an internship, a visit, a job.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Experience {
    pub role: String,
    pub organization: String,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub mentors: Vec<String>,
    #[serde(default)]
    pub when: Option<String>,
}

/// The Bio tab.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bio {
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub text: String,
}

/// The Research tab.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Research {
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub focus_heading: Option<String>,
    #[serde(default)]
    pub focus: Vec<String>,
}

/// Headings shown above the News and Publications tabs.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Headings {
    #[serde(default)]
    pub news: Option<String>,
    #[serde(default)]
    pub publications: Option<String>,
}

/// One dated news item.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewsItem {
    pub date: Date,
    pub text: String,
}

/// A publication, with BibTeX / al-folio field names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// BibTeX citation key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// BibTeX entry type: inproceedings, article, misc, ...
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub entry_type: Option<String>,
    pub title: String,
    pub authors: Vec<String>,
    /// The editors of the book or proceedings, as the authors are written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editors: Vec<String>,
    /// Short venue tag: "ICML 2022".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abbr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booktitle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter: Option<String>,
    /// The university of a thesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    /// The institution of a report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// How a `misc` entry was published ("Online", a URL, a talk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub howpublished: Option<String>,
    /// The publisher's city, or the conference's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Where the conference was (biblatex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numpages: Option<String>,
    /// An article's number where it has no pages (ADS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isbn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issn: Option<String>,
    pub year: u16,
    /// Month or dates as BibTeX has them: "jul", "17–23 Jul".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub award: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub selected: bool,
    #[serde(default, rename = "abstract", skip_serializing_if = "Option::is_none")]
    pub abstract_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arxiv: Option<String>,
    /// An e-print's identifier; with `archiveprefix = "arXiv"` it also fills `arxiv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archiveprefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primaryclass: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slides: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poster: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blog: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supp: Option<String>,
    /// al-folio's badge text when `award` holds the long description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub award_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    /// al-folio's preview image (a file name on the web site).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub bibtex_show: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// When the URL was last visited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urldate: Option<String>,
    /// biblatex's full date (`2022-07-17`), beside or instead of `year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Every other BibTeX field, as BibTeX has it (LaTeX and all), so that
    /// `export-bib` writes it back: `adsurl`, `adsnote`, `crossref`, ...
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub extra: std::collections::BTreeMap<String, String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Publication {
    /// The venue: booktitle, else journal, else publisher.
    pub(crate) fn venue(&self) -> Option<&str> {
        [&self.booktitle, &self.journal, &self.publisher]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .find(|s| !s.trim().is_empty())
    }

    /// "17–23 Jul 2022" or "2022"; BibTeX months (`jul`, `July`, `7`) as `Jul`.
    pub(crate) fn date_line(&self) -> String {
        match self.month.as_deref().filter(|m| !m.trim().is_empty()) {
            Some(month) => format!("{} {}", month_name(month), self.year),
            None => self.year.to_string(),
        }
    }

    /// Badges in display order: award, then note when it is a few words
    /// (a long note is shown in the detail instead).
    pub(crate) fn badges(&self) -> impl Iterator<Item = &str> {
        [self.award_badge(), self.note_badge()]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
    }

    /// The note as a badge: only when short ("My Favorite", "Oral").
    pub(crate) fn note_badge(&self) -> Option<&str> {
        self.note.as_deref().filter(|n| {
            n.split_whitespace().count() <= BADGE_WORDS && n.chars().count() <= BADGE_CHARS
        })
    }

    /// The award's badge when it is longer than a badge should be (a
    /// sentence where al-folio puts a short name in `award_name`): it is
    /// shown whole, wider than the list's other badges.
    pub(crate) fn long_badge(&self) -> Option<&str> {
        self.award_badge().filter(|b| {
            b.split_whitespace().count() > BADGE_WORDS || b.chars().count() > BADGE_CHARS
        })
    }

    /// The note when it is too long for a badge: a paragraph of the detail.
    pub(crate) fn long_note(&self) -> Option<&str> {
        self.note
            .as_deref()
            .filter(|n| !n.trim().is_empty() && self.note_badge().is_none())
    }

    /// The row's tag in the list: the venue tag when it carries a year
    /// ("ICML 2022"), the year added when it does not ("ICML 2022" from
    /// `abbr = "ICML"`), or the year alone, as al-folio's list is grouped
    /// by year.
    pub(crate) fn tag(&self) -> String {
        match self.abbr.as_deref().filter(|a| !a.trim().is_empty()) {
            Some(abbr) if has_year(abbr) => abbr.to_string(),
            Some(abbr) => format!("{} {}", abbr.trim(), self.year),
            None => self.year.to_string(),
        }
    }

    /// The display width of [`Self::tag`], without making it: opening a
    /// viewer measures every row's, and a tag with its year in it is
    /// measured without reading anything else of the publication.
    pub(crate) fn tag_width(&self, width: impl Fn(&str) -> usize) -> usize {
        let digits = |y: u16| {
            if y >= 10_000 {
                5
            } else if y >= 1000 {
                4
            } else if y >= 100 {
                3
            } else if y >= 10 {
                2
            } else {
                1
            }
        };
        match self.abbr.as_deref().filter(|a| !a.trim().is_empty()) {
            Some(abbr) if has_year(abbr) => width(abbr),
            Some(abbr) => width(abbr.trim()) + 1 + digits(self.year),
            None => digits(self.year),
        }
    }

    /// What the entry is, for one without a venue: "PhD thesis, Zhejiang
    /// University", "Technical report, NII", "Book, ACM Press".
    pub(crate) fn kind_line(&self) -> Option<String> {
        let kind = self.entry_type.as_deref()?.to_ascii_lowercase();
        let (what, by) = match kind.as_str() {
            "phdthesis" => ("PhD thesis", &self.school),
            "mastersthesis" => ("Master's thesis", &self.school),
            "thesis" => ("Thesis", &self.school),
            "techreport" | "report" => ("Technical report", &self.institution),
            "book" => ("Book", &self.publisher),
            "booklet" => ("Booklet", &self.howpublished),
            "manual" => ("Manual", &self.organization),
            "unpublished" => ("Unpublished", &None),
            "misc" | "online" => return self.howpublished.clone().filter(|h| !h.trim().is_empty()),
            _ => return None,
        };
        Some(
            match by.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
                Some(by) => format!("{what}, {by}"),
                None => what.to_string(),
            },
        )
    }

    /// The award's badge: al-folio's `award_name`, else `award`.
    pub(crate) fn award_badge(&self) -> Option<&str> {
        self.award_name
            .as_deref()
            .or(self.award.as_deref())
            .filter(|s| !s.trim().is_empty())
    }

    /// The award's long description, when `award_name` carries the badge.
    pub(crate) fn award_description(&self) -> Option<&str> {
        self.award_name
            .as_ref()
            .and(self.award.as_deref())
            .filter(|s| !s.trim().is_empty())
    }

    /// Every link with its label, in display order; arXiv ids and DOIs become URLs.
    pub(crate) fn links(&self) -> Vec<(&'static str, String)> {
        let mut links: Vec<(u8, &'static str, String)> = super::fields::FIELDS
            .iter()
            .filter_map(|f| {
                let link = f.link?;
                let value = (f.get)(self).as_deref().map(str::trim)?;
                if value.is_empty() {
                    return None;
                }
                let url = match link.kind {
                    super::fields::LinkKind::Url => value.to_string(),
                    super::fields::LinkKind::Arxiv => arxiv_url(value),
                    super::fields::LinkKind::Doi => doi_url(value),
                };
                Some((link.rank, link.label, url))
            })
            .collect();
        links.sort_by_key(|(rank, ..)| *rank);
        links
            .into_iter()
            .map(|(_, label, url)| (label, url))
            .collect()
    }
}

/// The month (1–12) that a BibTeX month names (`jul`, `July`, `7`), or that
/// a date range ends in (`17–23 Jul`).
fn month_number(m: &str) -> Option<u8> {
    let short = month_name(m);
    let last = short.rsplit([' ', '–', '-']).next().unwrap_or(&short);
    MONTHS
        .iter()
        .position(|name| name.eq_ignore_ascii_case(last))
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// Whether a venue tag carries a year: a run of four digits in it
/// ("ICML 2022", "NeurIPS'2021" but not "ICML 22" or "ISBN 12345").
fn has_year(tag: &str) -> bool {
    tag.as_bytes()
        .split(|b| !b.is_ascii_digit())
        .any(|run| run.len() == 4)
}

/// A note of at most this many words and characters is a badge.
const BADGE_WORDS: usize = 4;
const BADGE_CHARS: usize = 32;

/// Month macros, names and numbers as the short English name
/// (`jul`, `July`, `7` → `Jul`); anything else (`17--23 Jul`) as is.
fn month_name(m: &str) -> String {
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = m.trim().to_ascii_lowercase();
    let index = lower
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=12).contains(n))
        .map(|n| n - 1)
        .or_else(|| {
            FULL.iter()
                .position(|f| *f == lower || (lower.len() == 3 && f.starts_with(&lower)))
        });
    match index {
        Some(i) => {
            let mut short: String = FULL[i][..3].to_string();
            short[..1].make_ascii_uppercase();
            short
        }
        None => m.trim().to_string(),
    }
}

fn arxiv_url(id: &str) -> String {
    if id.contains("://") {
        id.to_string()
    } else {
        format!("https://arxiv.org/abs/{id}")
    }
}

fn doi_url(doi: &str) -> String {
    if doi.contains("://") {
        doi.to_string()
    } else {
        format!("https://doi.org/{doi}")
    }
}

/// An extra tab: a title, an optional heading, paragraphs and a bullet list.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub items: Vec<String>,
}

/// A calendar date, written in TOML as `2023-07-12` (no time). (Serialize
/// is for build.rs, which writes the bundled profile as code.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Date {
    /// al-folio style: "Jul 12, 2023".
    pub(crate) fn long(&self) -> String {
        format!("{} {}, {}", self.month_name(), self.day, self.year)
    }

    fn month_name(&self) -> &'static str {
        MONTHS
            .get(usize::from(self.month.saturating_sub(1)))
            .copied()
            .unwrap_or("???")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// A date as al-folio's front matter writes it, leniently as Jekyll
    /// reads it: `2023-07-12`, `2023-7-8`, with a time and a zone after
    /// it (`2015-11-07 16:11:00-0400`, `2015-11-07T16:11:00Z`); the day as
    /// written, whatever the zone.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim().trim_matches(['"', '\'']);
        let day_part = text.split([' ', 'T', 't']).next()?;
        let mut parts = day_part.split('-');
        let number = |s: Option<&str>, len: std::ops::RangeInclusive<usize>| {
            s.filter(|s| len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse::<u16>().ok())
        };
        let year = number(parts.next(), 4..=4)?;
        let month = u8::try_from(number(parts.next(), 1..=2)?).ok()?;
        let day = u8::try_from(number(parts.next(), 1..=2)?).ok()?;
        let date = Date { year, month, day };
        (parts.next().is_none() && date.is_real()).then_some(date)
    }

    /// Whether the day exists in the calendar.
    fn is_real(&self) -> bool {
        let y = self.year;
        let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (1..=days).contains(&self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        /// A TOML date or date-time, or text as al-folio writes dates.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let expected = |found: &dyn fmt::Display| {
            D::Error::custom(format!(
                "expected a date like 2023-07-12 (a time after it is allowed), found `{found}`"
            ))
        };
        match Written::deserialize(deserializer)? {
            Written::Toml(value) => match value.date {
                Some(d) => Ok(Date {
                    year: d.year,
                    month: d.month,
                    day: d.day,
                }),
                None => Err(expected(&value)),
            },
            Written::Text(text) => Date::parse(&text).ok_or_else(|| expected(&text)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_names_compare_as_their_normal_forms() {
        let names = [
            "Tongtian Zhu",
            "tongtian  zhu",
            "*Tongtian Zhu*",
            "Tongtian Zhu*",
            "Zhu Tongtian",
            "Tongtian",
            "",
            " ",
            "*",
            "* *",
            "a * b",
            "a  b",
            "a b",
            "A B",
            "Ünal Ölçer",
            "ünal ölçer",
            "朱 同天",
            "朱  同天",
            "Tongtian\u{a0}Zhu",
            "Tongtian Zhu Jr",
        ];
        for author in names {
            for own in names {
                let person = Person {
                    name: own.to_string(),
                    ..Person::default()
                };
                let want = !normalize_name(author).is_empty()
                    && normalize_name(own) == normalize_name(author);
                assert_eq!(person.is_owner(author), want, "{author:?} by {own:?}");
            }
        }
    }

    #[test]
    fn dates_read_as_al_folio_writes_them() {
        let d = |y, m, d| {
            Some(Date {
                year: y,
                month: m,
                day: d,
            })
        };
        for (text, want) in [
            ("2023-07-12", d(2023, 7, 12)),
            ("2023-7-08", d(2023, 7, 8)),
            ("2015-11-07 16:11:00-0400", d(2015, 11, 7)),
            ("2015-11-07T16:11:00Z", d(2015, 11, 7)),
            ("2024-02-29", d(2024, 2, 29)),
            ("2023-02-29", None),
            ("2023-13-01", None),
            ("2023-00-10", None),
            ("23-07-12", None),
            ("2023-07", None),
            ("2023-07-12-01", None),
            ("", None),
            ("July 12, 2023", None),
        ] {
            assert_eq!(Date::parse(text), want, "{text}");
        }
        #[derive(Deserialize)]
        struct T {
            date: Date,
        }
        for (toml_text, want) in [
            ("date = 2023-07-12", d(2023, 7, 12)),
            ("date = 2015-11-07T16:11:00-04:00", d(2015, 11, 7)),
            ("date = 2015-11-07 16:11:00", d(2015, 11, 7)),
            ("date = \"2015-11-07 16:11:00-0400\"", d(2015, 11, 7)),
            ("date = 16:11:00", None),
            ("date = \"soon\"", None),
        ] {
            let got = toml::from_str::<T>(toml_text).ok().map(|t| t.date);
            assert_eq!(got, want, "{toml_text}");
        }
    }

    #[test]
    fn newest_first_is_year_then_month_then_file_order() {
        let paper = |title: &str, year, month: Option<&str>| Publication {
            title: title.into(),
            year,
            month: month.map(Into::into),
            ..Publication::default()
        };
        let written = vec![
            paper("a", 2020, None),
            paper("b", 2022, Some("jan")),
            paper("c", 2022, Some("17–23 Jul")),
            paper("d", 2021, Some("12")),
            paper("e", 2022, None),
            paper("f", 2022, Some("July")),
        ];
        let titles = |p: &Profile| {
            p.publications
                .iter()
                .map(|p| p.title.clone())
                .collect::<String>()
        };
        let mut profile = Profile {
            publications: written,
            ..Profile::default()
        };
        profile.order_publications();
        assert_eq!(titles(&profile), "abcdef", "as written without [display]");
        profile.display.publications = Some(Order::Newest);
        profile.order_publications();
        assert_eq!(titles(&profile), "cfbeda");
    }

    #[test]
    fn links_keep_their_order_and_known_labels_their_spelling() {
        let person: Person = toml::from_str(
            "name = \"x\"\n[links]\nzhihu = \"https://z\"\nemail = \"a@b.c\"\nsemantic_scholar = \"https://s\"\nmy_blog = \"https://b\"\nempty = \" \"\n",
        )
        .unwrap();
        let shown: Vec<_> = person.links.shown().collect();
        assert_eq!(
            shown,
            [
                ("Zhihu".to_string(), "https://z".to_string()),
                ("Email".into(), "mailto:a@b.c".into()),
                ("Semantic Scholar".into(), "https://s".into()),
                ("My blog".into(), "https://b".into()),
            ]
        );
        let twice = toml::from_str::<Person>("name = \"x\"\nlinks = { a = \"1\", b = \"2\" }\n");
        assert!(twice.is_ok());
    }

    #[test]
    fn months_show_as_short_names() {
        for (m, want) in [
            ("jul", "Jul"),
            ("July", "Jul"),
            ("7", "Jul"),
            ("17–23 Jul", "17–23 Jul"),
        ] {
            assert_eq!(month_name(m), want);
        }
    }
}
