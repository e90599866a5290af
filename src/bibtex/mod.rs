//! BibTeX in and out: `import-bib` reads what al-folio's `papers.bib` holds
//! into profile publications; `export-bib` writes publications back so that
//! importing them again gives the same publications, field for field.
//!
//! Import is behind the default feature `import`; export is always there.
//! The layers: `read` is BibTeX's syntax (blocks, macros, values whole,
//! within bounds), `latex` turns values into the display text profile.toml
//! holds and back, `import` maps entries onto the profile's fields, `html`
//! reads al-folio's HTML. (The `biblatex` crate was used before: it
//! overflowed its stack on cyclic `@string`s, expanded macros
//! exponentially, and resolved LaTeX lossily, so the reader is our own.)
//!
//! The fields al-folio renders as Markdown (`award`, `additional_info`,
//! `annotation`: flagged `markdown` in the fields table) come in as Markdown,
//! their HTML turned into the same Markdown, and go out as Markdown, as
//! written but for what BibTeX readers would read differently.

#[cfg(feature = "import")]
pub(crate) mod html;
#[cfg(feature = "import")]
mod import;
mod latex;
#[cfg(feature = "import")]
mod read;

use std::fmt::Write as _;

#[cfg(feature = "import")]
pub use import::{Import, Problem, import};

use crate::profile::{Publication, fields, fields::Field};
use latex::Mode;

/// BibTeX's month macros and the month each stands for.
const MONTHS: [(&str, &str); 12] = [
    ("jan", "January"),
    ("feb", "February"),
    ("mar", "March"),
    ("apr", "April"),
    ("may", "May"),
    ("jun", "June"),
    ("jul", "July"),
    ("aug", "August"),
    ("sep", "September"),
    ("oct", "October"),
    ("nov", "November"),
    ("dec", "December"),
];

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
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "  {name} = {{{value}}},");
    };
    field("title", &latex::to_latex(&p.title, Mode::Markdown, true));
    if !p.authors.is_empty() {
        field("author", &name_list(&p.authors));
    }
    if !p.editors.is_empty() {
        field("editor", &name_list(&p.editors));
    }
    field("year", &p.year.to_string());
    for f in fields::FIELDS {
        let Some(v) = (f.get)(p) else { continue };
        // A month in full is written as BibTeX's macro (`jul`), bare.
        let macro_ = MONTHS.iter().find(|(_, full)| full == v);
        if let Some((m, _)) = macro_.filter(|_| f.name == "month") {
            let _ = writeln!(out, "  month = {m},");
            continue;
        }
        let value = value_text(f, v);
        let _ = writeln!(out, "  {} = {{{value}}},", f.name);
    }
    if p.selected {
        let _ = writeln!(out, "  selected = {{true}},");
    }
    if p.bibtex_show {
        let _ = writeln!(out, "  bibtex_show = {{true}},");
    }
    // What came in under `extra` goes out as it came, BibTeX already; a
    // value whose braces do not pair (edited by hand) is escaped instead.
    for (name, v) in &p.extra {
        let name: String = name
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control() && !"=,{}\"#%()'".contains(*c))
            .collect();
        if name.is_empty() {
            continue;
        }
        let value = if braces_pair(v) {
            v.clone()
        } else {
            latex::to_latex(v, Mode::Plain, false)
        };
        let _ = writeln!(out, "  {name} = {{{value}}},");
    }
    out.push_str("}\n");
    out
}

/// Names joined with `and`; a name that holds ` and ` or a comma is one
/// name all the same: braced whole.
fn name_list(names: &[String]) -> String {
    names
        .iter()
        .map(|a| {
            let escaped = latex::to_latex(a, Mode::Plain, false);
            if a.contains(',') || a.to_lowercase().split_whitespace().any(|w| w == "and") {
                format!("{{{escaped}}}")
            } else {
                escaped
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Whether BibTeX reads the braces of `value` as paired (a `\{` is an
/// escaped character, as `import-bib` reads it).
fn braces_pair(value: &str) -> bool {
    let mut depth = 0usize;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' => depth += 1,
            '}' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
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
fn value_text(f: &Field, value: &str) -> String {
    if f.link.is_some() || f.verbatim {
        // BibTeX readers keep links verbatim: nothing to escape. A brace
        // cannot be written unescaped: the URL's own escape.
        return value.replace('{', "%7B").replace('}', "%7D");
    }
    let mode = if f.markdown {
        Mode::Source
    } else if f.prose {
        Mode::Markdown
    } else {
        Mode::Plain
    };
    let latex = latex::to_latex(value, mode, false);
    if f.html && !f.markdown {
        html_safe(&latex)
    } else {
        latex
    }
}

/// For the fields whose HTML import strips (`note`, `abstract`): a `<` that
/// would read as a tag and a `&` that would read as an entity are written
/// as LaTeX commands, which the stripping leaves alone and import reads as
/// the characters.
fn html_safe(latex: &str) -> String {
    const ENTITIES: [&str; 6] = ["lt;", "gt;", "quot;", "#39;", "nbsp;", "amp;"];
    let mut out = String::with_capacity(latex.len());
    // Kept math is written as it is: import keeps it as it is.
    let mut math = false;
    for (i, c) in latex.char_indices() {
        let rest = &latex[i + c.len_utf8()..];
        match c {
            '$' if !out.ends_with('\\') => {
                math = !math;
                out.push('$');
            }
            _ if math => out.push(c),
            '<' if rest.starts_with(|n: char| n.is_ascii_alphabetic() || "/!?".contains(n)) => {
                out.push_str("\\textless{}");
            }
            // `\&` (LaTeX's) then an entity's name: the `&` as its command.
            '&' if ENTITIES.iter().any(|e| rest.starts_with(e)) => {
                if out.ends_with('\\') {
                    out.pop();
                }
                out.push_str("\\&{}");
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(all(test, feature = "import"))]
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
        // Typed Markdown comes back as import reads it (the math as Unicode),
        // and from then on the same, field for field.
        let once = roundtrip(std::slice::from_ref(&p));
        assert_eq!(
            once[0].title,
            "Braces {a} } { back\\\\slash 100% & x₁ #1 ~tilde^ -- --- \"quoted\" 漫画家 😃"
        );
        assert_eq!(
            Publication {
                title: p.title.clone(),
                ..once[0].clone()
            },
            p
        );
        assert_eq!(roundtrip(&once), once);
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
            problems.contains("field `weird` (1 entry) has no key of its own: kept under `extra`"),
            "{problems}"
        );
        assert_eq!(
            got.publications[1].extra.get("weird").map(String::as_str),
            Some("1")
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
            // A value that cannot be read (a `}` closing nothing) is not the test.
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
            let read = |name: &str| some(import::value(fields::named(name).unwrap(), &raw));
            let mut p = Publication {
                key: Some("k".into()),
                entry_type: Some("misc".into()),
                title: "T".into(),
                year: 2000,
                award: read("award"),
                additional_info: read("additional_info"),
                annotation: read("annotation"),
                note: read("note"),
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
