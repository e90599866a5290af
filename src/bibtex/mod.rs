//! BibTeX in and out: `import-bib` reads what al-folio's `papers.bib` holds
//! into profile publications; `export-bib` writes publications back so that
//! importing them again gives the same publications, field for field.
//!
//! Import needs the `biblatex` crate and is behind the default feature
//! `bibtex-import`; export is plain text and always there.

#[cfg(feature = "bibtex-import")]
mod import;

use std::fmt::Write as _;

#[cfg(feature = "bibtex-import")]
pub use import::{Import, Problem, import};

use crate::profile::{Publication, fields};

/// Every publication as BibTeX, in profile order.
pub fn export(publications: &[Publication]) -> String {
    let mut out = String::new();
    let mut keys = std::collections::HashSet::new();
    for (i, p) in publications.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let base = citation_key(p);
        let mut key = base.clone();
        let mut n = 1;
        while !keys.insert(key.clone()) {
            n += 1;
            key = format!("{base}-{n}");
        }
        out.push_str(&entry_text(p, &key));
    }
    out
}

/// One publication as a BibTeX entry (its own key, or one made from it).
pub(crate) fn to_bibtex(p: &Publication) -> String {
    entry_text(p, &citation_key(p))
}

fn entry_text(p: &Publication, key: &str) -> String {
    let kind = p
        .entry_type
        .as_deref()
        .map(|t| {
            t.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            if p.booktitle.is_some() {
                "inproceedings".into()
            } else if p.journal.is_some() {
                "article".into()
            } else {
                "misc".into()
            }
        });
    let mut out = format!("@{kind}{{{key},\n");
    let field = |out: &mut String, name: &str, value: &str| {
        // BibTeX readers keep these verbatim: nothing to escape.
        let value = if fields::named(name).is_some_and(|f| f.verbatim) {
            // Unescaped, so a brace cannot be written: the URL's own escape.
            value.replace('{', "%7B").replace('}', "%7D")
        } else {
            escape(value)
        };
        let _ = writeln!(out, "  {name} = {{{value}}},");
    };
    field(&mut out, "title", &p.title);
    if !p.authors.is_empty() {
        // A name that holds " and " or a comma is one name: brace it whole.
        let names: Vec<String> = p
            .authors
            .iter()
            .map(|a| {
                let escaped = escape(a);
                if a.contains(',') || a.to_lowercase().contains(" and ") {
                    format!("{{{escaped}}}")
                } else {
                    escaped
                }
            })
            .collect();
        let _ = writeln!(out, "  author = {{{}}},", names.join(" and "));
    }
    field(&mut out, "year", &p.year.to_string());
    for f in fields::FIELDS {
        if let Some(v) = (f.get)(p) {
            field(&mut out, f.name, v);
        }
    }
    if p.selected {
        field(&mut out, "selected", "true");
    }
    if p.bibtex_show {
        field(&mut out, "bibtex_show", "true");
    }
    out.push_str("}\n");
    out
}

/// The entry's key: its own, or `lastnameYEARfirstword` made from it.
fn citation_key(p: &Publication) -> String {
    let own: String = p
        .key
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !"{}(),\"#%'=\\".contains(*c))
        .collect();
    if !own.is_empty() {
        return own;
    }
    let last = p
        .authors
        .first()
        .and_then(|a| a.split_whitespace().last())
        .unwrap_or("anon");
    let word = p
        .title
        .split_whitespace()
        .find(|w| w.chars().any(char::is_alphanumeric))
        .unwrap_or("");
    let key: String = format!("{last}{}{word}", p.year)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    if key.is_empty() { "entry".into() } else { key }
}

/// Makes text safe inside a braced BibTeX value: braces and backslashes are
/// escaped; LaTeX specials are written as commands that read back the same.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // `--` would read back as a dash: keep the hyphens apart.
            '-' if chars.peek() == Some(&'-') => out.push_str("-{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            // BibTeX counts even escaped braces: spell them as commands.
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '%' => out.push_str("\\%"),
            '&' => out.push_str("\\&"),
            '$' => out.push_str("\\$"),
            '#' => out.push_str("\\#"),
            '_' => out.push_str("\\_"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(all(test, feature = "bibtex-import"))]
mod tests {
    use super::*;
    use crate::profile::{BUNDLED, Source, parse};

    fn roundtrip(ps: &[Publication]) -> Vec<Publication> {
        let text = export(ps);
        let back = import(&text);
        assert!(back.problems.is_empty(), "{:?}\n{text}", back.problems);
        back.publications
    }

    #[test]
    fn bundled_publications_round_trip() {
        let p = parse(BUNDLED, &Source::Bundled).unwrap();
        assert_eq!(roundtrip(&p.publications), p.publications);
    }

    #[test]
    fn awkward_text_round_trips() {
        let p = Publication {
            key: Some("k1".into()),
            entry_type: Some("article".into()),
            title: "Braces {a} } { back\\slash 100% & $x_1$ #1 ~tilde^ -- --- \"quoted\" 漫画家 😃"
                .into(),
            authors: vec![
                "Jan van der Berg".into(),
                "José Peña".into(),
                "朱桐天".into(),
            ],
            journal: Some("J. of Things".into()),
            year: 2024,
            month: Some("17–23 Jul".into()),
            url: Some("https://example.org/a_b%20c?x=1&y=2#frag".into()),
            abstract_: Some("Two words.".into()),
            selected: true,
            ..Publication::default()
        };
        assert_eq!(roundtrip(std::slice::from_ref(&p)), vec![p]);
    }

    #[test]
    fn keys_are_made_when_missing_and_kept_unique() {
        let p = Publication {
            title: "On Things".into(),
            authors: vec!["Ada Lovelace".into()],
            year: 1843,
            ..Publication::default()
        };
        let text = export(&[p.clone(), p]);
        assert!(text.contains("@misc{lovelace1843on,"), "{text}");
        assert!(text.contains("@misc{lovelace1843on-2,"), "{text}");
    }

    #[test]
    fn al_folio_files_import_with_problems_reported() {
        let text = "---\nlayout: none\n---\n@string{v = {Venue}}\n% c@mment\n\
            @inproceedings{a, title={T{\\\"u}r}, author={Last, First and {van der Berg}, Jan}, booktitle=v # { 2020}, year={2020}, month=jul, award_name={Oral}, selected={true}}\n\
            @article{b, title={No year}, author={X}}\n\
            @article{c, title={Broken, author={Y}, year={2021},\n\
            @article{d, title={Fine}, author={Z}, year=2022, weird={1}}\n";
        let got = import(text);
        let keys: Vec<_> = got
            .publications
            .iter()
            .map(|p| p.key.clone().unwrap())
            .collect();
        assert_eq!(keys, ["a", "d"]);
        let a = &got.publications[0];
        assert_eq!(a.title, "Tür");
        assert_eq!(a.authors, ["First Last", "Jan van der Berg"]);
        assert_eq!(a.booktitle.as_deref(), Some("Venue 2020"));
        assert_eq!(a.date_line(), "Jul 2020");
        assert_eq!(a.award_badge(), Some("Oral"));
        assert!(a.selected);
        let problems: Vec<String> = got.problems.iter().map(ToString::to_string).collect();
        let problems = problems.join("\n");
        assert!(
            problems.contains("entry `b` (line 7): it has no year; skipped"),
            "{problems}"
        );
        assert!(problems.contains("entry `c` (line 8)"), "{problems}");
        assert!(
            problems.contains("entry `d` (line 9): field `weird`"),
            "{problems}"
        );
    }

    #[test]
    fn html_is_stripped_from_al_folio_fields() {
        assert_eq!(
            import::strip_html("<b>Oral</b> &amp; <a href=\"x\">more</a>"),
            "Oral & more"
        );
    }
}
