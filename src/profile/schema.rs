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
}

impl Profile {
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
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
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
        let wanted = normalize_name(author);
        !wanted.is_empty()
            && std::iter::once(&self.name)
                .chain(&self.aliases)
                .any(|n| normalize_name(n) == wanted)
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
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
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

    /// Badges in display order: award, then note.
    pub(crate) fn badges(&self) -> impl Iterator<Item = &str> {
        [self.award_badge(), self.note.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
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

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = toml::value::Datetime::deserialize(deserializer)?;
        match (value.date, value.time, value.offset) {
            (Some(d), None, None) => Ok(Date {
                year: d.year,
                month: d.month,
                day: d.day,
            }),
            _ => Err(D::Error::custom(format!(
                "expected a date like 2023-07-12, found `{value}`"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
