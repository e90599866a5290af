//! BibTeX in and out: `import-bib` reads what al-folio's `papers.bib` holds
//! into profile publications; `export-bib` writes publications back so that
//! importing them again gives the same publications, field for field.
//!
//! Import needs the `biblatex` crate and is behind the default feature
//! `bibtex-import`; export is plain text and always there.
//!
//! The fields al-folio renders as Markdown (`award`, `additional_info`,
//! `annotation`: flagged `markdown` in the fields table) come in as Markdown,
//! their HTML turned into the same Markdown, and go out as Markdown, as
//! written but for what BibTeX readers would read differently.

#[cfg(feature = "bibtex-import")]
mod html;
#[cfg(feature = "bibtex-import")]
mod import;

use std::fmt::Write as _;

#[cfg(feature = "bibtex-import")]
pub use import::{Import, Problem, import};

use crate::profile::{Publication, fields, fields::Field};

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
        let value = value_text(fields::named(name), value);
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

/// A field's value as the text between its braces.
fn value_text(field: Option<&Field>, value: &str) -> String {
    match field {
        // BibTeX readers keep these verbatim: nothing to escape. Unescaped,
        // so a brace cannot be written: the URL's own escape.
        Some(f) if f.verbatim => value.replace('{', "%7B").replace('}', "%7D"),
        Some(f) if f.markdown => markdown(value),
        _ => escape(value),
    }
}

/// A Markdown value as written, for al-folio's `markdownify`, but for what
/// BibTeX readers would not give back as it is: a brace (they drop it) or a
/// backslash (they read a command) is written as a command, `--` (a dash to
/// them) is kept apart, a `$` opening no math they would keep is escaped,
/// and a hard line break, whose newline they read as a space, is written as
/// `<br>`, which al-folio renders as a break and import-bib reads as one.
/// Braces are written bare only in math, and only when they pair there, so
/// the value's braces always balance.
fn markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    // Whether a Markdown backslash escapes the character at the front.
    let mut escaped = false;
    while let Some(c) = rest.chars().next() {
        let here = rest;
        let after = &here[c.len_utf8()..];
        let free = !escaped;
        escaped = false;
        rest = after;
        match c {
            '\\' if free && after.starts_with('\n') => {
                out.push_str("<br>");
                rest = &after[1..];
            }
            '\\' => {
                out.push_str("\\textbackslash{}");
                escaped = free && after.starts_with(|c: char| c.is_ascii_punctuation());
            }
            ' ' => match two_space_break(here) {
                Some(len) => {
                    out.push_str("<br>");
                    rest = &here[len..];
                }
                None => out.push(' '),
            },
            '$' => match kept_math(after).filter(|_| free) {
                Some(len) => {
                    out.push('$');
                    out.push_str(&after[..=len]);
                    rest = &after[len + 1..];
                }
                None => out.push_str("\\$"),
            },
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '-' if after.starts_with('-') => out.push_str("-{}"),
            c => out.push(c),
        }
    }
    out
}

/// The length of the Markdown hard break (two or more spaces, a newline)
/// that `s` starts with.
fn two_space_break(s: &str) -> Option<usize> {
    let spaces = s.len() - s.trim_start_matches(' ').len();
    (spaces >= 2 && s[spaces..].starts_with('\n')).then_some(spaces + 1)
}

/// The length of the math that `s` (what follows a `$`) holds up to its
/// closing `$`, when BibTeX readers keep it as written: they keep math raw,
/// and this has no backslash (import would read LaTeX commands in it) and
/// balanced braces.
fn kept_math(s: &str) -> Option<usize> {
    let len = s.find('$')?;
    let mut depth = 0usize;
    for c in s[..len].chars() {
        match c {
            '\\' => return None,
            '{' => depth += 1,
            '}' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    (depth == 0).then_some(len)
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
            html::strip_tags("<b>Oral</b> &amp; <a href=\"x\">more</a>"),
            "Oral & more"
        );
    }

    /// What al-folio files put in their fields, each piece BibTeX that
    /// reads (braces paired): HTML, entities, Markdown, LaTeX.
    const BIBTEX_PIECES: &[&str] = &[
        "<b>",
        "</b>",
        "<strong>",
        "</strong>",
        "<i>",
        "</i>",
        "<em>",
        "</em>",
        "<a href=\"https://x.org/a_b?c=1&amp;d=2#e\">",
        "<a href='javascript:alert(1)'>",
        "<a href=\"u v)w]x\">",
        "<a>",
        "</a>",
        "<br>",
        "<br/>",
        "<!-- c -->",
        "<!--",
        "-->",
        "<img src=\"x.png\">",
        "&amp;",
        "&lt;",
        "&gt;",
        "&amp;lt;",
        "&nbsp;",
        "&quot;",
        "&#39;",
        "[",
        "]",
        "(",
        ")",
        "*",
        "**",
        "_",
        "`",
        "!",
        "<",
        ">",
        "<https://a.b/c>",
        " ",
        "  ",
        "a",
        "Best",
        "é",
        "-",
        "--",
        "%",
        "#",
        "~",
        "^",
        "&",
        "\"",
        "'",
        "=",
        ",",
        "\\&",
        "\\%",
        "\\$",
        "\\_",
        "\\#",
        "{x}",
        "{\\\"u}",
        "\\textbackslash{}",
        "$x_1$",
        "$a<b$",
        "\\emph{e}",
        "[t](https://a.b/c_d%20e)",
        "\\\\",
        "\\*",
    ];

    /// Anything a profile can hold, as well.
    const ANY_PIECES: &[&str] = &[
        "{",
        "}",
        "\\",
        "$",
        "\n",
        "\t",
        "\r\n",
        "\u{1b}[31m",
        "\u{7}",
        "\\\n",
        "  \n",
        "\\[",
        "\\*",
        "`` ",
        "😃",
        "\u{a0}",
        "<b>",
        "</b>",
        "<a href=\"u\">",
        "</a>",
        "<br>",
        "&lt;",
        "&amp;",
        "[",
        "]",
        "(",
        ")",
        "!",
        "-",
        "a",
        " ",
        "*",
    ];

    fn pieces(from: &'static [&'static str]) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(proptest::sample::select(from), 0..16).prop_map(|v| v.concat())
    }

    /// Whether BibTeX itself reads `bib`'s braces as paired.
    fn braces_pair(bib: &str) -> bool {
        let mut depth = 0usize;
        bib.chars().all(|c| {
            match c {
                '{' => depth += 1,
                '}' => return depth.checked_sub(1).map(|d| depth = d).is_some(),
                _ => {}
            }
            true
        }) && depth == 0
    }

    #[test]
    fn imported_fields_round_trip_field_for_field() {
        use proptest::prelude::*;
        proptest!(|(value in pieces(BIBTEX_PIECES))| {
            let bib = format!(
                "@misc{{k, title={{T}}, year={{2000}}, award={{{value}}}, \
                 additional_info={{{value}}}, annotation={{{value}}}, note={{{value}}}, \
                 abstract={{{value}}}}}\n"
            );
            let first = import(&bib);
            // A value biblatex cannot read (`$` unpaired) is not the test.
            if let [p] = first.publications.as_slice() {
                let text = export(std::slice::from_ref(p));
                prop_assert!(braces_pair(&text), "{}", text);
                prop_assert_eq!(roundtrip(std::slice::from_ref(p)), vec![p.clone()], "{}", text);
            }
        });
    }

    #[test]
    fn converted_values_round_trip_whatever_the_source() {
        use proptest::prelude::*;
        proptest!(|(raw in pieces(ANY_PIECES))| {
            // As import reads a value: made inert, then converted.
            let raw = crate::profile::sanitize::text(&raw);
            let some = |s: String| Some(s).filter(|s| !s.is_empty());
            let mut p = Publication {
                key: Some("k".into()),
                entry_type: Some("misc".into()),
                title: "T".into(),
                year: 2000,
                award: some(html::to_markdown(&raw, false)),
                additional_info: some(html::to_markdown(&raw, true)),
                annotation: some(html::to_markdown(&raw, true)),
                note: some(import::collapse(&html::strip_tags(&raw))),
                ..Publication::default()
            };
            crate::profile::sanitize_publication(&mut p);
            for f in fields::FIELDS {
                let v = (f.get_mut)(&mut p);
                if v.as_deref() == Some("") {
                    *v = None;
                }
            }
            let text = export(std::slice::from_ref(&p));
            prop_assert!(braces_pair(&text), "{}", text);
            prop_assert_eq!(roundtrip(std::slice::from_ref(&p)), vec![p.clone()], "{}", text);
        });
    }

    #[test]
    fn markdown_goes_out_as_written() {
        let p = Publication {
            key: Some("k".into()),
            entry_type: Some("misc".into()),
            title: "T".into(),
            year: 2000,
            award: Some("[Best Paper](https://x.org/a_b) at **ICML**".into()),
            additional_info: Some(". *More* [here](https://a.b/c_d%20e#f&g=~h^i)".into()),
            annotation: Some("$x_i^{2}$ a--b \\[c\\] {d} 5\\$ line\\\nnext".into()),
            ..Publication::default()
        };
        let text = export(std::slice::from_ref(&p));
        for line in [
            "  award = {[Best Paper](https://x.org/a_b) at **ICML**},",
            "  additional_info = {. *More* [here](https://a.b/c_d%20e#f&g=~h^i)},",
            "  annotation = {$x_i^{2}$ a-{}-b \\textbackslash{}[c\\textbackslash{}] \
             \\textbraceleft{}d\\textbraceright{} 5\\textbackslash{}\\$ line<br>next},",
        ] {
            assert!(text.contains(line), "{line}\n{text}");
        }
        assert_eq!(roundtrip(std::slice::from_ref(&p)), vec![p]);
    }
}
