//! What `check` warns about: what the profile says that is shown degraded
//! (see the severity rule in PRODUCT.md). Here: links the link table
//! refuses, in the prose's Markdown and in the publications' link fields,
//! which are shown as inert text; each named with the line that holds it.

use std::fmt;

use super::links::{self, Refused};
use super::load::Diagnostic;
use super::{Profile, markup};

/// One warning, rendered like an error (file, line, the line, a caret).
#[derive(Debug, Clone)]
pub struct Warning {
    source_name: String,
    diagnostic: Diagnostic,
    /// Where in the text it points, for file order.
    at: Option<usize>,
}

impl Warning {
    /// The same, reported as an error (`check --strict`).
    #[must_use]
    pub fn into_error(mut self) -> Warning {
        self.diagnostic = self.diagnostic.into_error();
        self
    }
}

impl Warning {
    /// The warning, in cargo's colours when `color`; `{}` gives it plain.
    pub fn render(&self, color: bool) -> String {
        self.diagnostic.render(&self.source_name, color)
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// A warning about what `needle` (a value written in the profile) is, on the
/// line that holds it: for problems found outside this module (a photo).
pub fn warning_at(
    text: &str,
    source_name: &str,
    needle: &str,
    message: String,
    help: Option<String>,
) -> Warning {
    let span = (!needle.is_empty())
        .then(|| text.find(needle).map(|at| at..at + needle.len()))
        .flatten();
    Warning {
        source_name: source_name.to_string(),
        at: span.as_ref().map(|s| s.start),
        diagnostic: Diagnostic::warning(message, text, span, help),
    }
}

/// What `check` reports as errors though the profile loads: what makes it
/// ambiguous. Here: two publications with the same BibTeX key (which one
/// does a citation mean?), pointed at where the second is written.
pub fn errors(profile: &Profile, text: &str, source_name: &str) -> Vec<Warning> {
    let keys: Vec<&str> = profile
        .publications
        .iter()
        .filter_map(|p| p.key.as_deref())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .collect();
    // Only keys written twice or more are looked for in the text: finding
    // each key's place would scan the file once per publication.
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for key in &keys {
        *count.entry(key).or_default() += 1;
    }
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut found = Found {
        text,
        source_name,
        used: Vec::new(),
        out: Vec::new(),
    };
    for key in keys.into_iter().filter(|k| count[k] > 1) {
        // Where this key is written, in order: the first place for the
        // first publication that has it, the next for the next.
        let written = format!("{key:?}");
        let span = found.place(&written);
        if !seen.insert(key) {
            out.push(Warning {
                source_name: source_name.to_string(),
                at: span.as_ref().map(|s| s.start),
                diagnostic: Diagnostic::warning(
                    format!("two publications have the key `{key}`"),
                    text,
                    span,
                    Some("give each publication its own key (export-bib would rename one)".into()),
                )
                .into_error(),
            });
        }
    }
    out
}

/// Every warning about `profile`, whose text is `text`, named `source_name`.
pub fn warnings(profile: &Profile, text: &str, source_name: &str) -> Vec<Warning> {
    let mut found = Found {
        text,
        source_name,
        used: Vec::new(),
        out: Vec::new(),
    };
    for (field, url) in link_targets(profile) {
        if let Err(why) = links::check(&url) {
            found.refused(field, &url, &why);
        }
    }
    // In the order of the file, as a reader goes through it.
    found.out.sort_by_key(|w| w.at.unwrap_or(usize::MAX));
    found.out
}

/// Every link target of the profile, with the field it is in.
fn link_targets(profile: &Profile) -> Vec<(&'static str, String)> {
    let person = &profile.person;
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for (field, text) in profile.prose() {
        for rich in markup::paragraphs(text) {
            out.extend(rich.links.into_iter().map(|url| (field, url)));
        }
    }
    out.extend(person.links.shown().map(|(_, url)| ("links", url)));
    for p in &profile.publications {
        out.extend(p.links());
    }
    out
}

struct Found<'a> {
    text: &'a str,
    source_name: &'a str,
    /// Where earlier warnings pointed, so that a repeated target points at its own line.
    used: Vec<usize>,
    out: Vec<Warning>,
}

impl Found<'_> {
    fn refused(&mut self, field: &str, url: &str, why: &Refused) {
        let shown: String = url.chars().take(60).collect();
        let shown = if shown.len() < url.len() {
            format!("{shown}…")
        } else {
            shown
        };
        let (message, help) = match why {
            Refused::Scheme if !url.contains(':') => (
                format!("relative link `{shown}` in {field} is shown as inert text"),
                "a terminal has no page to resolve it against: write the whole URL (https://…)"
                    .to_string(),
            ),
            Refused::Scheme => (
                format!("link `{shown}` in {field} is shown as inert text"),
                format!(
                    "only {} links are drawn, opened or copied",
                    links::schemes()
                ),
            ),
            Refused::Parameter(key) => (
                format!("mail link `{shown}` in {field} is shown as inert text"),
                format!(
                    "a mailto link may not carry `{key}=`: some mail programs attach a local file"
                ),
            ),
        };
        let span = self.place(url);
        self.out.push(Warning {
            source_name: self.source_name.to_string(),
            at: span.as_ref().map(|s| s.start),
            diagnostic: Diagnostic::warning(message, self.text, span, Some(help)),
        });
    }

    /// Where in the text the target is written (the first place not pointed at yet).
    fn place(&mut self, url: &str) -> Option<std::ops::Range<usize>> {
        if url.is_empty() {
            return None;
        }
        let start = self
            .text
            .match_indices(url)
            .map(|(i, _)| i)
            .find(|i| !self.used.contains(i))
            .or_else(|| self.text.find(url))?;
        self.used.push(start);
        Some(start..start + url.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Source, parse};

    #[test]
    fn refused_links_are_warned_about_with_their_line() {
        let text = r#"
[person]
name = "A"
contact = "mail [me](mailto:a@b.c?attach=/etc/passwd) or [x](javascript:alert(1))"

[bio]
text = "see [the page](about.html) and [ok](https://ok.org)"

[[publications]]
title = "T"
authors = []
year = 2020
url = "file:///etc/passwd"
"#;
        let profile = parse(text, &Source::Bundled).unwrap();
        let warnings: Vec<String> = warnings(&profile, text, "p.toml")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(warnings.len(), 4, "{warnings:#?}");
        assert!(
            warnings[0].contains("warning: mail link") && warnings[0].contains("p.toml:4:"),
            "{}",
            warnings[0]
        );
        assert!(
            warnings[1].contains("javascript:alert(1)")
                && warnings[1].contains("http, https and mailto")
        );
        assert!(
            warnings[2].contains("relative link `about.html` in bio")
                && warnings[2].contains(":7:")
        );
        assert!(warnings[3].contains("file:///etc/passwd") && warnings[3].contains(":13:"));
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second() {
        let text = "[person]\nname = \"A\"\n\n[[publications]]\nkey = \"k\"\ntitle = \"T\"\nauthors = []\nyear = 2020\n\n[[publications]]\nkey = \"k\"\ntitle = \"U\"\nauthors = []\nyear = 2021\n";
        let profile = parse(text, &Source::Bundled).unwrap();
        let errors: Vec<String> = errors(&profile, text, "p.toml")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("error: two publications have the key `k`"),
            "{}",
            errors[0]
        );
        assert!(errors[0].contains("p.toml:11:"), "{}", errors[0]);
        let bundled = parse(super::super::BUNDLED, &Source::Bundled).unwrap();
        assert!(super::errors(&bundled, super::super::BUNDLED, "p").is_empty());
    }

    #[test]
    fn the_bundled_profile_has_no_warning() {
        let profile = parse(super::super::BUNDLED, &Source::Bundled).unwrap();
        let w = warnings(&profile, super::super::BUNDLED, "profile.toml");
        assert!(w.is_empty(), "{w:?}");
    }
}
