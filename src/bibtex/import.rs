//! `import-bib`: BibTeX (al-folio's `papers.bib`, ADS and reference
//! manager exports) to profile publications, without loss: every field
//! comes in, the standard ones under keys of their own, any other under
//! `extra` as BibTeX has it, so that `export-bib` writes them all back.
//!
//! `read` gives each entry's values as BibTeX has them; here they become
//! what profile.toml holds, display text (`latex`): Unicode, Markdown
//! emphasis in the fields read as Markdown, math kept as `$…$` when it has
//! no Unicode form.

use std::collections::BTreeMap;

use super::html;
use super::latex::{self, Mode};
use super::read::{self, Entry, Trouble};
use crate::profile::{Publication, fields, fields::Field, sanitize};

/// The publications read from a bibliography, and what could not be read.
#[derive(Debug, Default)]
pub struct Import {
    pub publications: Vec<Publication>,
    pub problems: Vec<Problem>,
}

/// Something of a bibliography that did not come in as written. Keys and
/// reasons are made inert; `Display` gives the line for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An `@string`, `@comment` or `@preamble` that never closes.
    Unterminated { line: usize, kind: String },
    /// An `@string` that could not be read; entries using it are skipped.
    BadString { line: usize, why: String },
    /// An entry that could not be read at all.
    Skipped {
        key: String,
        line: usize,
        why: String,
    },
    /// A macro used but never defined (BibTeX reads it as nothing; its name
    /// was kept as the text), with the first entry and how many used it.
    Undefined {
        name: String,
        key: String,
        line: usize,
        entries: usize,
    },
    /// A field with no key of its own: kept under `extra` (not shown,
    /// written back by `export-bib`), in how many entries.
    Extra { field: String, entries: usize },
}

impl Problem {
    /// Whether it is an error (something not read), not a warning.
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            Problem::Unterminated { .. } | Problem::BadString { .. } | Problem::Skipped { .. }
        )
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Unterminated { line, kind } => write!(f, "line {line}: unterminated @{kind}"),
            Problem::BadString { line, why } => write!(f, "line {line}: {why}; skipped"),
            Problem::Skipped { key, line, why } => {
                write!(f, "entry `{key}` (line {line}): {why}; skipped")
            }
            Problem::Undefined {
                name,
                key,
                line,
                entries,
            } => {
                let others = match entries - 1 {
                    0 => String::new(),
                    1 => " and 1 other".to_string(),
                    n => format!(" and {n} others"),
                };
                write!(
                    f,
                    "the macro `{name}` is never defined (no @string): entry `{key}` (line {line}){others} keep its name as the text"
                )
            }
            Problem::Extra { field, entries } => {
                let entries = if *entries == 1 {
                    "1 entry".to_string()
                } else {
                    format!("{entries} entries")
                };
                write!(
                    f,
                    "field `{field}` ({entries}) has no key of its own: kept under `extra`, not shown, written back by export-bib"
                )
            }
        }
    }
}

/// Reads a BibTeX file. A broken entry is reported and skipped; the rest
/// are still imported.
pub fn import(text: &str) -> Import {
    let file = read::read(text);
    let mut out = Import::default();
    for t in file.troubles {
        out.problems.push(match t {
            Trouble::Unterminated { line, kind } => Problem::Unterminated {
                line,
                kind: sanitize::line(&kind),
            },
            Trouble::BadString { line, why } => Problem::BadString {
                line,
                why: sanitize::line(&why),
            },
            Trouble::BadEntry { key, line, why } => Problem::Skipped {
                key: sanitize::line(&key),
                line,
                why: sanitize::line(&why),
            },
        });
    }
    let mut extra: BTreeMap<String, usize> = BTreeMap::new();
    let mut undefined: Vec<(String, String, usize, usize)> = Vec::new();
    for entry in &file.entries {
        match publication(entry) {
            Ok(mut p) => {
                crate::profile::sanitize_publication(&mut p);
                for name in p.extra.keys() {
                    *extra.entry(name.clone()).or_default() += 1;
                }
                for name in &entry.undefined {
                    match undefined.iter_mut().find(|(n, ..)| n == name) {
                        Some(seen) => seen.3 += 1,
                        None => undefined.push((name.clone(), entry.key.clone(), entry.line, 1)),
                    }
                }
                out.publications.push(p);
            }
            Err(why) => out.problems.push(Problem::Skipped {
                key: sanitize::line(&entry.key),
                line: entry.line,
                why: sanitize::line(&why),
            }),
        }
    }
    out.problems
        .extend(
            undefined
                .into_iter()
                .map(|(name, key, line, entries)| Problem::Undefined {
                    name: sanitize::line(&name),
                    key: sanitize::line(&key),
                    line,
                    entries,
                }),
        );
    out.problems.extend(
        extra
            .into_iter()
            .map(|(field, entries)| Problem::Extra { field, entries }),
    );
    // Errors first, in file order; then the warnings, summarised.
    out.problems.sort_by_key(|p| !p.is_error());
    out
}

/// The fields read into something other than a field of the table.
const SPECIAL: [&str; 7] = [
    "title",
    "author",
    "editor",
    "year",
    "selected",
    "bibtex_show",
    "journaltitle",
];

fn publication(entry: &Entry) -> Result<Publication, String> {
    let title = entry
        .get("title")
        .map(|raw| latex::to_text(raw, Mode::Markdown))
        .filter(|t| !t.trim().is_empty())
        .ok_or("it has no title")?;
    let year_text = entry
        .get("year")
        .map(|raw| latex::to_text(raw, Mode::Plain))
        .or_else(|| {
            entry
                .get("date")
                .map(|d| d.trim().chars().take(4).collect())
        })
        .ok_or("it has no year")?;
    let year: u16 = year_text
        .trim()
        .parse()
        .map_err(|_| format!("its year `{year_text}` is not a number"))?;
    let mut p = Publication {
        key: Some(entry.key.clone()),
        entry_type: Some(entry.kind.clone()),
        title,
        authors: entry.get("author").map(names).unwrap_or_default(),
        editors: entry.get("editor").map(names).unwrap_or_default(),
        year,
        ..Publication::default()
    };
    for f in fields::FIELDS {
        *(f.get_mut)(&mut p) = entry
            .get(f.name)
            .map(|raw| value(f, raw))
            .filter(|v| !v.is_empty());
    }
    // biblatex calls the journal `journaltitle`.
    let mut used_journaltitle = false;
    if p.journal.is_none() {
        p.journal = entry
            .get("journaltitle")
            .map(|raw| latex::to_text(raw, Mode::Plain))
            .filter(|v| !v.is_empty());
        used_journaltitle = p.journal.is_some();
    }
    // An arXiv e-print is an arXiv link; ADS's page is the paper's URL
    // when it has no other.
    let arxiv_eprint = p
        .archiveprefix
        .as_deref()
        .is_some_and(|a| a.eq_ignore_ascii_case("arxiv"));
    if p.arxiv.is_none() && arxiv_eprint {
        p.arxiv.clone_from(&p.eprint);
    }
    if p.url.is_none() {
        p.url = entry.get("adsurl").map(link).filter(|v| !v.is_empty());
    }
    p.selected = entry.get("selected").is_some_and(truthy);
    p.bibtex_show = entry.get("bibtex_show").is_some_and(truthy);
    for (name, raw) in &entry.fields {
        let known = fields::named(name).is_some()
            || (SPECIAL.contains(&name.as_str()) && (name != "journaltitle" || used_journaltitle));
        if !known {
            p.extra.insert(name.clone(), raw.clone());
        }
    }
    Ok(p)
}

/// A field's value as profile.toml keeps it.
pub(super) fn value(f: &Field, raw: &str) -> String {
    if f.link.is_some() || f.verbatim {
        return link(raw);
    }
    if f.markdown {
        // A hard break needs its newline, which only a multi-line field
        // keeps (sanitizing makes it a space in the others).
        let text = sanitize::text(&latex::to_text(raw, Mode::Source));
        return html::to_markdown(&text, f.multiline);
    }
    let mode = if f.prose { Mode::Markdown } else { Mode::Plain };
    if f.html {
        // (to_text collapses whitespace itself, keeping no-break and thin spaces.)
        return latex::to_text(&html::strip_tags(&sanitize::text(raw)), mode);
    }
    latex::to_text(raw, mode)
}

/// A link as written: BibTeX readers keep URLs verbatim; the escapes
/// people write in them anyway (`\_`, `\%`) are their characters, and
/// export-bib writes a brace as `%7B` / `%7D`, the same link.
fn link(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&next)) if "_%&#$~".contains(next) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    collapse(&out.replace("%7B", "{").replace("%7D", "}"))
}

fn truthy(v: &str) -> bool {
    matches!(
        v.trim()
            .trim_matches(['{', '}'])
            .to_ascii_lowercase()
            .as_str(),
        "true" | "yes" | "1"
    )
}

/// Whitespace runs as one space, none at the ends (BibTeX's reading).
pub(super) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name list split at `and` as BibTeX splits it: at the top of the value
/// (a braced `{Barnes and Noble}` is one name), in any case (`AND`), with
/// space on both sides; each name as "First von Last Jr".
fn names(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_ascii_whitespace() => {
                let word = bytes.get(i + 1..i + 4);
                let after = bytes.get(i + 4);
                if word.is_some_and(|w| w.eq_ignore_ascii_case(b"and"))
                    && after.is_some_and(u8::is_ascii_whitespace)
                {
                    out.push(&raw[start..i]);
                    start = i + 4;
                    i += 4;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&raw[start.min(raw.len())..]);
    out.into_iter()
        .map(name)
        .filter(|n| !n.is_empty())
        .collect()
}

/// One name, in any of BibTeX's three forms ("First von Last", "von Last,
/// First", "von Last, Jr, First"), as "First von Last Jr" in display text.
fn name(raw: &str) -> String {
    let parts: Vec<Vec<&str>> = split_top(raw, |b| b == b',')
        .into_iter()
        .map(|part| {
            split_top(part, |b| b.is_ascii_whitespace() || b == b'~')
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect()
        })
        .collect();
    let (first, von, last, jr): (&[&str], &[&str], &[&str], &[&str]) = match parts.as_slice() {
        [] => (&[], &[], &[], &[]),
        [whole] => {
            // von: from the first lowercase word (not the last word) to the
            // last lowercase one before the last name.
            let n = whole.len();
            let body = &whole[..n.saturating_sub(1)];
            match body.iter().position(|w| starts_lowercase(w)) {
                Some(from) => {
                    let to = body
                        .iter()
                        .rposition(|w| starts_lowercase(w))
                        .unwrap_or(from);
                    (&whole[..from], &whole[from..=to], &whole[to + 1..], &[])
                }
                None => (body, &[], &whole[n.saturating_sub(1)..], &[]),
            }
        }
        [von_last, rest @ ..] => {
            let n = von_last.len();
            let body = &von_last[..n.saturating_sub(1)];
            let von_end = body
                .iter()
                .rposition(|w| starts_lowercase(w))
                .map_or(0, |i| i + 1);
            let (jr, first): (&[&str], &[&str]) = match rest {
                [first] => (&[], first),
                [jr, first, ..] => (jr, first),
                [] => (&[], &[]),
            };
            (first, &von_last[..von_end], &von_last[von_end..], jr)
        }
    };
    let words: Vec<&str> = [first, von, last, jr].concat();
    latex::to_text(&words.join(" "), Mode::Plain)
}

/// `s` split at the bytes `at` says, outside braces.
fn split_top(s: &str, at: impl Fn(u8) -> bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b if depth == 0 && at(b) => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(s[start.min(s.len())..].trim());
    out
}

/// Whether a name word starts in lowercase, as BibTeX decides it: by its
/// first letter outside braces; a word opening with a brace is protected
/// (not lowercase) unless the brace holds an accent command (`{\"u}ber`).
fn starts_lowercase(word: &str) -> bool {
    let mut rest = word;
    if let Some(inner) = rest.strip_prefix("{\\") {
        // A special character: its letter decides (`{\'e}`, `{\ae}`).
        rest = inner.trim_start_matches(|c: char| !c.is_alphabetic());
        return rest.chars().next().is_some_and(char::is_lowercase);
    }
    if rest.starts_with('{') {
        return false;
    }
    rest = rest.trim_start_matches(|c: char| !c.is_alphabetic() && c != '{');
    rest.chars().next().is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_and_in_any_case_but_not_inside_braces() {
        assert_eq!(
            names("Galke, Lukas AND Saleh, Ahmed And Scherp, Ansgar and {Barnes AND Noble}"),
            [
                "Lukas Galke",
                "Ahmed Saleh",
                "Ansgar Scherp",
                "Barnes AND Noble"
            ]
        );
        assert_eq!(names("Bob Sandy\nand\tAlice"), ["Bob Sandy", "Alice"]);
        assert_eq!(
            names("Anderson, Andy and Andrews"),
            ["Andy Anderson", "Andrews"]
        );
    }

    #[test]
    fn names_in_each_of_bibtex_forms() {
        for (raw, want) in [
            ("Jan van der Berg", "Jan van der Berg"),
            ("van der Berg, Jan", "Jan van der Berg"),
            ("{van der Berg}, Jan", "Jan van der Berg"),
            ("King, Jr., Martin Luther", "Martin Luther King Jr."),
            ("Lovelace", "Lovelace"),
            ("G.~C. Smith", "G. C. Smith"),
            ("M{\\\"u}ller, J{\\\"o}rg", "Jörg Müller"),
            ("Ludwig van Beethoven", "Ludwig van Beethoven"),
            (
                "Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",
                "Charles Louis Xavier Joseph de la Vallée Poussin",
            ),
            ("朱桐天", "朱桐天"),
            ("", ""),
            (",", ""),
            (", , ,", ""),
        ] {
            assert_eq!(name(raw), want, "{raw}");
        }
    }

    #[test]
    fn lossless_fields_and_their_fallbacks() {
        let got = import(
            "@article{k, title={T}, year=2021, eprint={2101.00001}, archivePrefix={arXiv}, primaryClass={cs.LG},\n\
             adsurl={https://ui.adsabs.harvard.edu/abs/2021x}, adsnote={Provided by the SAO/NASA ADS}, school={ZJU},\n\
             editor={Doe, Jane and Roe, R.}, keywords={a, b}, weird={{\\x}}}\n\
             @article{j, title={U}, year=2020, adsurl={https://ads/j}, url={https://own}}",
        );
        assert_eq!(got.publications.len(), 2);
        let p = &got.publications[0];
        assert_eq!(p.arxiv.as_deref(), Some("2101.00001"));
        assert_eq!(p.eprint.as_deref(), Some("2101.00001"));
        assert_eq!(p.primaryclass.as_deref(), Some("cs.LG"));
        assert_eq!(
            p.url.as_deref(),
            Some("https://ui.adsabs.harvard.edu/abs/2021x")
        );
        assert_eq!(p.school.as_deref(), Some("ZJU"));
        assert_eq!(p.editors, ["Jane Doe", "R. Roe"]);
        assert_eq!(p.keywords.as_deref(), Some("a, b"));
        let extra: Vec<(&str, &str)> = p
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            extra,
            [
                ("adsnote", "Provided by the SAO/NASA ADS"),
                ("adsurl", "https://ui.adsabs.harvard.edu/abs/2021x"),
                ("weird", "{\\x}")
            ]
        );
        assert_eq!(got.publications[1].url.as_deref(), Some("https://own"));
        let problems: Vec<String> = got.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "field `adsnote` (1 entry) has no key of its own: kept under `extra`, not shown, written back by export-bib",
                "field `adsurl` (2 entries) has no key of its own: kept under `extra`, not shown, written back by export-bib",
                "field `weird` (1 entry) has no key of its own: kept under `extra`, not shown, written back by export-bib",
            ]
        );
    }
}
