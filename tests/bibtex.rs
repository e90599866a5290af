//! BibTeX in and out over the built binary (issue 6): `termfolio import-bib
//! FILE` turns an al-folio `papers.bib` into `profile.toml` publication
//! tables, and `termfolio export-bib` writes a profile's publications back as
//! BibTeX that imports to the same publications, field for field.
//!
//! The bibliographies are our own, in `tests/fixtures/bib/`:
//! - `al_folio_papers.bib`: what an al-folio site holds (front matter, `@string`
//!   and `#`, `@comment`, `%` lines with `@` signs, braces and quotes, bare
//!   numbers, month macros and numbers, LaTeX accents, dashes, every kind of
//!   name, HTML in custom fields, and every al-folio key);
//! - `varied_styles.bib`: a reference manager's style (upper-case types and
//!   fields, `@preamble`, text outside entries, `date`, fields left out);
//! - `broken.bib`: one problem per entry between good ones;
//! - `unknown_fields.bib`: only fields left out (exit 0);
//! - `parentheses.bib`: `@string(...)` and `@article(...)`;
//! - `al_folio_markdown.bib`: the fields al-folio renders as Markdown
//!   (`award`, `additional_info`, `annotation`) with HTML of every shape
//!   (links, emphasis, breaks, comments, images, nesting, unclosed tags,
//!   hostile hrefs) and Markdown (links with `_ % # & ~`, math);
//! - `awkward_profile.toml`: a profile whose publications hold every
//!   character BibTeX treats specially, keyless and duplicate-key entries.
//!
//! Huge and binary inputs are generated into the sandbox at test time. Every
//! process runs in a sandbox under the watchdog of `tests/common`. A test
//! marked `#[ignore = "bug: ..."]` asserts the correct behaviour and fails
//! today; `cargo test --test bibtex -- --ignored` shows how.

mod common;

use std::process::Command;
use std::time::Instant;

use common::{ROOT, Run, Sandbox, assert_inert};
use toml::{Table, Value};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bib");

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap_or_else(|e| panic!("read fixture {name}: {e}"))
}

/// The 1-based number of the first line of `text` holding `needle`.
#[track_caller]
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is not in the fixture"))
        + 1
}

/// A TOML document as a table.
#[track_caller]
fn parse_toml(text: &str, ctx: &str) -> Table {
    toml::from_str(text).unwrap_or_else(|e| panic!("{ctx}: not TOML: {e}\n{text}"))
}

/// The `[[publications]]` tables of a TOML document (none when absent).
#[track_caller]
fn publication_tables(text: &str, ctx: &str) -> Vec<Table> {
    match parse_toml(text, ctx).remove("publications") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::Table(t) => t,
                other => panic!("{ctx}: a publication is not a table: {other:?}"),
            })
            .collect(),
        Some(other) => panic!("{ctx}: `publications` is not an array: {other:?}"),
    }
}

/// The publications `import-bib` printed, after checking that stdout is the
/// header comment followed by TOML.
#[track_caller]
fn imported(run: &Run) -> Vec<Table> {
    let out = run.out();
    assert!(
        out.starts_with("# ") && out.contains(" imported from "),
        "{}: stdout must start with the header comment\n{}",
        run.what,
        run.dump()
    );
    publication_tables(&out, &run.what)
}

fn keys(tables: &[Table]) -> Vec<&str> {
    tables
        .iter()
        .map(|t| t.get("key").and_then(Value::as_str).unwrap_or("<no key>"))
        .collect()
}

#[track_caller]
fn by_key<'a>(tables: &'a [Table], key: &str) -> &'a Table {
    tables
        .iter()
        .find(|t| t.get("key").and_then(Value::as_str) == Some(key))
        .unwrap_or_else(|| panic!("no publication `{key}` among {:?}", keys(tables)))
}

#[track_caller]
fn str_field<'a>(t: &'a Table, field: &str) -> &'a str {
    t.get(field)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no text field `{field}` in {t:#?}"))
}

#[track_caller]
fn authors(t: &Table) -> Vec<&str> {
    t.get("authors")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no `authors` array in {t:#?}"))
        .iter()
        .map(|a| a.as_str().expect("an author is text"))
        .collect()
}

/// Compares two publication tables field by field, naming every difference.
#[track_caller]
fn assert_same_table(got: &Table, want: &Table, ctx: &str) {
    let mut diffs = Vec::new();
    for (k, v) in want {
        match got.get(k) {
            Some(g) if g == v => {}
            Some(g) => diffs.push(format!("`{k}`: got {g}, want {v}")),
            None => diffs.push(format!("`{k}`: missing, want {v}")),
        }
    }
    for (k, g) in got {
        if !want.contains_key(k) {
            diffs.push(format!("`{k}`: unexpected {g}"));
        }
    }
    assert!(diffs.is_empty(), "{ctx}:\n  {}", diffs.join("\n  "));
}

/// The `warning:` lines of stderr.
fn warnings(run: &Run) -> Vec<String> {
    run.err()
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .map(str::to_string)
        .collect()
}

/// `termfolio import-bib PATH` in `sb`, with no panic.
fn import(sb: &Sandbox, path: &str) -> Run {
    let run = sb.run(&["import-bib", path]);
    run.no_panic();
    run
}

/// `termfolio --profile PATH export-bib` in `sb`, which must succeed.
fn export(sb: &Sandbox, profile: &str) -> String {
    let run = sb.run(&["--profile", profile, "export-bib"]);
    run.success();
    run.out()
}

/// Exports `profile`, imports that back (exit 0, no warnings but the fields
/// kept under `extra`) and returns the
/// BibTeX and the imported tables.
#[track_caller]
fn round_trip(sb: &Sandbox, profile: &str) -> (String, Vec<Table>) {
    let bib = export(sb, profile);
    let path = sb.write("exported.bib", &bib);
    let run = import(sb, path.to_str().expect("UTF-8 path"));
    run.no_panic().expect_code(0);
    // Fields kept under `extra` are said once each; nothing else may be.
    for line in run.err().lines() {
        assert!(line.contains("kept under `extra`"), "{}", run.dump());
    }
    (bib, imported(&run))
}

/// A profile made of a person and the tables `import-bib` printed.
fn pasted_profile(name: &str, import_stdout: &str) -> String {
    format!("[person]\nname = \"{name}\"\n\n{import_stdout}")
}

/// The entries of `bib` as (type, key), read the way BibTeX and bibtex-ruby
/// (al-folio's reader) read a file: only whitespace between entries; every
/// entry is `@type{key,` then `name = {value},` fields (or `month = jul,`)
/// then `}`; and inside a
/// value every brace counts (a backslash does not hide a brace from BibTeX),
/// so the value ends at the brace that brings the count back to zero and a
/// `,` must follow it.
#[track_caller]
fn bibtex_entries(bib: &str, ctx: &str) -> Vec<(String, String)> {
    let mut entries = Vec::new();
    let mut rest = bib;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return entries;
        }
        assert!(
            rest.starts_with('@'),
            "{ctx}: text outside an entry: {:?}\n{bib}",
            rest.chars().take(60).collect::<String>()
        );
        let open = rest
            .find('{')
            .unwrap_or_else(|| panic!("{ctx}: an entry without `{{`\n{bib}"));
        let kind = &rest[1..open];
        assert!(
            !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphanumeric()),
            "{ctx}: bad entry type {kind:?}\n{bib}"
        );
        let comma = rest[open..]
            .find(',')
            .unwrap_or_else(|| panic!("{ctx}: an entry without a key\n{bib}"))
            + open;
        let key = &rest[open + 1..comma];
        assert!(
            !key.is_empty()
                && !key
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || "{}(),\"#%'=\\@".contains(c)),
            "{ctx}: bad citation key {key:?}\n{bib}"
        );
        let mut at = comma + 1;
        loop {
            let tail = &rest[at..];
            let trimmed = tail.trim_start();
            at += tail.len() - trimmed.len();
            if trimmed.starts_with('}') {
                at += 1;
                break;
            }
            // A month is written as BibTeX's macro: `month = jul,`.
            if let Some(month) = trimmed.strip_prefix("month = ") {
                let name = month.split(',').next().unwrap_or("");
                if name.len() == 3 && name.chars().all(|c| c.is_ascii_lowercase()) {
                    at += "month = ".len() + name.len() + 1;
                    continue;
                }
            }
            let eq = trimmed.find(" = {").unwrap_or_else(|| {
                panic!(
                    "{ctx}: entry `{key}`: want `name = {{value}},` or the closing brace, found {:?}\n{bib}",
                    trimmed.chars().take(60).collect::<String>()
                )
            });
            let field = &trimmed[..eq];
            assert!(
                !field.is_empty() && field.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{ctx}: entry `{key}` has a field named {field:?}\n{bib}"
            );
            let value = at + eq + " = {".len();
            let mut depth = 1usize;
            let mut end = None;
            for (i, c) in rest[value..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(value + i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let end = end.unwrap_or_else(|| {
                panic!("{ctx}: entry `{key}`: the braces of field `{field}` never balance\n{bib}")
            });
            assert!(
                rest[end + 1..].starts_with(','),
                "{ctx}: entry `{key}`: BibTeX reads field `{field}` as {:?} and then finds {:?}\n{bib}",
                &rest[value..end],
                rest[end + 1..].chars().take(40).collect::<String>()
            );
            at = end + 2;
        }
        assert!(
            rest[at..].starts_with('\n') || rest[at..].is_empty(),
            "{ctx}: entry `{key}` does not end its line with its closing brace\n{bib}"
        );
        entries.push((kind.to_string(), key.to_string()));
        rest = &rest[at..];
    }
}

// ---------------------------------------------------------------------------
// 1. A realistic al-folio papers.bib
// ---------------------------------------------------------------------------

#[test]
fn al_folio_papers_bib_imports_exactly() {
    let sb = Sandbox::new();
    let run = import(&sb, &fixture("al_folio_papers.bib"));
    run.success();
    let out = run.out();
    assert!(
        out.starts_with("# 4 publications imported from ")
            && out
                .lines()
                .next()
                .unwrap()
                .ends_with("al_folio_papers.bib by termfolio import-bib"),
        "header:\n{out}"
    );
    let got = imported(&run);
    // The front matter, the `%` line and the `@comment` each hold something
    // that looks like an entry; none of them is one.
    assert_eq!(
        keys(&got),
        [
            "mueller2022gossip",
            "pena2021ninos",
            "lee2024survey",
            "zhao2023neurips"
        ],
        "{out}"
    );

    // `@string` + `#`, bare year, month macro, {\"u} \ss, `--` and `---`,
    // "Last, First", {van der Berg}, "de la Cruz, Juan", HTML in `award`.
    let mut mueller = by_key(&got, "mueller2022gossip").clone();
    let mueller_authors: Vec<String> = authors(&mueller).iter().map(|a| a.to_string()).collect();
    mueller.remove("authors");
    let want = parse_toml(
        r#"
        key = "mueller2022gossip"
        type = "inproceedings"
        title = "Gossip SGD Meets the Straße: Decentralized Training — Revisited"
        abbr = "ICML"
        booktitle = "Proceedings of the 39th International Conference on Machine Learning"
        publisher = "Proceedings of Machine Learning Research"
        pages = "1200–1215"
        year = 2022
        month = "July"
        award = "**Spotlight** presentation (top 3%)"
        award_name = "Spotlight"
        selected = true
        abstract = "We study gossip averaging in decentralized SGD and show that topology matters."
        pdf = "https://proceedings.example.org/v162/mueller22a/mueller22a.pdf"
        code = "https://github.com/example/gossip_sgd"
        slides = "mueller2022_slides.pdf"
        poster = "mueller2022_poster.pdf"
        html = "https://proceedings.example.org/v162/mueller22a.html"
        arxiv = "2206.01234"
        preview = "gossip.png"
        bibtex_show = true
        "#,
        "expected mueller2022gossip",
    );
    assert_same_table(&mueller, &want, "mueller2022gossip");
    // Garc{\'\i}a (the second author) has its own test below.
    assert_eq!(mueller_authors.len(), 4, "{mueller_authors:?}");
    assert_eq!(mueller_authors[0], "Maria Müller");
    assert_eq!(mueller_authors[2], "Jan van der Berg");
    assert_eq!(mueller_authors[3], "Juan de la Cruz");

    // Braces as delimiters, {\~n}, {\'e}, `\&`, "Last, Jr., First", a bare
    // "First Last", month `{7}`, HTML and entities in additional_info and
    // annotation.
    let want = parse_toml(
        r#"
        key = "pena2021ninos"
        type = "article"
        title = "Los Niños and the Hessian: Curvature & Generalization"
        authors = ["José Peña", "John Smith Jr.", "Anna Lee"]
        abbr = "JMLR"
        journal = "Journal of Machine Learning Research"
        volume = "22"
        number = "7"
        pages = "1–42"
        year = 2021
        month = "7"
        doi = "10.5555/jmlr.2021.007"
        website = "https://example.org/ninos"
        video = "https://video.example.org/watch?v=abc"
        blog = "https://blog.example.org/hessian"
        supp = "https://example.org/ninos_supp.zip"
        additional_info = ". *Extended version* of our [workshop paper](https://example.org/ws)"
        annotation = "* Equal contribution & shared first authorship"
        bibtex_show = true
        "#,
        "expected pena2021ninos",
    );
    assert_same_table(by_key(&got, "pena2021ninos"), &want, "pena2021ninos");

    // Quotes as delimiters, a quoted year, a trailing comma.
    let want = parse_toml(
        r#"
        key = "lee2024survey"
        type = "misc"
        title = "A Survey of GPU Kernels"
        authors = ["Anna Lee", "Ming Zhao"]
        year = 2024
        note = "Preprint"
        arxiv = "2401.00001"
        "#,
        "expected lee2024survey",
    );
    assert_same_table(by_key(&got, "lee2024survey"), &want, "lee2024survey");

    // A bare `@string` macro as the whole value, `month = dec`,
    // `selected = {false}` left out.
    let want = parse_toml(
        r#"
        key = "zhao2023neurips"
        type = "inproceedings"
        title = "Sharpness, Flatness and Everything in Between"
        authors = ["Ming Zhao", "Maria Müller"]
        booktitle = "Advances in Neural Information Processing Systems"
        year = 2023
        month = "December"
        "#,
        "expected zhao2023neurips",
    );
    assert_same_table(by_key(&got, "zhao2023neurips"), &want, "zhao2023neurips");
}

#[test]
fn dotless_i_with_an_accent_becomes_i_acute() {
    let sb = Sandbox::new();
    let run = import(&sb, &fixture("al_folio_papers.bib"));
    run.success();
    let got = imported(&run);
    assert_eq!(authors(by_key(&got, "mueller2022gossip"))[1], "Luis García");
    let path = sb.write(
        "i.bib",
        "@misc{i, title={Mart{\\'\\i}nez and Mart\\'{\\i}nez and Mart{\\'{\\i}}nez}, author={Garc{\\'\\i}a, Luis}, year=2020}\n",
    );
    let run = import(&sb, path.to_str().unwrap());
    run.success();
    let got = imported(&run);
    assert_eq!(
        str_field(&got[0], "title"),
        "Martínez and Martínez and Martínez"
    );
    assert_eq!(authors(&got[0]), ["Luis García"]);
}

#[test]
fn reference_manager_style_imports_every_field() {
    let sb = Sandbox::new();
    let run = import(&sb, &fixture("varied_styles.bib"));
    // Every field has a place now (school, institution): nothing to say.
    run.expect_code(0);
    assert_eq!(warnings(&run), Vec::<String>::new(), "{}", run.dump());

    let got = imported(&run);
    assert_eq!(keys(&got), ["Okafor2019", "brandt2020", "nakamura_tr_2018"]);
    // Upper-case fields, a quoted full month name, a URL with `_` and `%20`.
    let want = parse_toml(
        r#"
        key = "Okafor2019"
        type = "phdthesis"
        title = "Learning to Route: Graph Methods for Networks"
        authors = ["Chiamaka N. Okafor"]
        school = "University of Lagos"
        year = 2019
        month = "September"
        url = "https://repository.example.edu/okafor_2019%20final.pdf"
        "#,
        "expected Okafor2019",
    );
    assert_same_table(by_key(&got, "Okafor2019"), &want, "Okafor2019");
    // `date` instead of `year`, {\O} {\o} {\"o} {\ss}, a macro concatenated
    // with a quoted string.
    let want = parse_toml(
        r#"
        key = "brandt2020"
        type = "book"
        title = "Die Größe der Dinge"
        authors = ["Sören Brandt", "Nils Østergaard", "Karen Møller"]
        publisher = "ACM Press"
        pages = "xii+310"
        date = "2020-03-15"
        year = 2020
        "#,
        "expected brandt2020",
    );
    assert_same_table(by_key(&got, "brandt2020"), &want, "brandt2020");
    // A CJK single name, {\LaTeX}, \% \$ \#, `--` in a number, HTML in note.
    let want = parse_toml(
        r#"
        key = "nakamura_tr_2018"
        type = "techreport"
        title = 'Notes on LaTeX Escapes: 50% of \$5 and #tags'
        institution = "Example Labs"
        authors = ["中村", "Hiroshi Tanaka"]
        number = "TR–2018–07"
        year = 2018
        month = "February"
        note = "Internal report"
        "#,
        "expected nakamura_tr_2018",
    );
    assert_same_table(by_key(&got, "nakamura_tr_2018"), &want, "nakamura_tr_2018");
}

#[test]
fn latex_text_commands_become_their_text() {
    let sb = Sandbox::new();
    let path = sb.write(
        "emph.bib",
        "@article{emph2020,\n  title = {\\emph{Deep} and \\textbf{wide} \\textit{nets}},\n  author = {A. Author},\n  year = {2020}\n}\n",
    );
    let run = import(&sb, path.to_str().unwrap());
    run.success();
    // Emphasis in a title (read as Markdown) is Markdown emphasis, shown
    // as emphasis: the plain output has the words alone.
    assert_eq!(
        str_field(&imported(&run)[0], "title"),
        "*Deep* and **wide** *nets*"
    );
    let profile = sb.write("emph.toml", pasted_profile("A. Author", &run.out()));
    let shown = sb.run(&["--profile", profile.to_str().unwrap()]);
    shown.success();
    assert!(
        shown.out().contains("Deep and wide nets"),
        "{}",
        shown.out()
    );
}

// ---------------------------------------------------------------------------
// 2. Broken input
// ---------------------------------------------------------------------------

#[test]
fn broken_entries_are_reported_and_the_others_imported() {
    let sb = Sandbox::new();
    let text = fixture_text("broken.bib");
    let run = import(&sb, &fixture("broken.bib"));
    run.expect_code(1);
    let got = imported(&run);
    assert_eq!(
        keys(&got),
        ["good1", "good2", "noauthor2001", "extrafield", "good3"],
        "{}",
        run.dump()
    );
    assert_eq!(
        str_field(by_key(&got, "good2"), "title"),
        "The Second Good Paper"
    );
    assert_eq!(
        by_key(&got, "extrafield")
            .get("keywords")
            .and_then(Value::as_str),
        Some("abstraction, types"),
        "{}",
        run.out()
    );
    let warnings = warnings(&run);
    let want = [
        ("unclosed2019", "@inproceedings{unclosed2019,", "skipped"),
        ("noyear", "@misc{noyear,", "skipped"),
        ("romanyear", "@article{romanyear,", "skipped"),
    ];
    assert_eq!(warnings.len(), want.len(), "{}", run.dump());
    for ((key, opening, outcome), warning) in want.iter().zip(&warnings) {
        let at = format!("entry `{key}` (line {}):", line_of(&text, opening));
        assert!(
            warning.contains(&at) && warning.ends_with(outcome),
            "want a warning with `{at}` ending in `{outcome}`, got:\n{warning}\n{}",
            run.dump()
        );
    }
    assert!(warnings[0].contains("not closed"), "{}", warnings[0]);
    assert!(warnings[1].contains("no year"), "{}", warnings[1]);
    // An entry without authors is imported: a profile allows that too.
    assert!(
        by_key(&got, "noauthor2001")
            .get("authors")
            .and_then(|a| a.as_array())
            .is_some_and(|a| a.is_empty()),
        "{}",
        run.out()
    );
    assert!(
        warnings[2].contains("MCMXLVIII") && warnings[2].contains("not a number"),
        "{}",
        warnings[2]
    );
    let last = run.err().lines().last().unwrap_or("").to_string();
    assert!(
        last.starts_with("error:") && last.contains('3'),
        "the last line says how many entries were skipped: {last}"
    );
}

#[test]
fn an_unclosed_last_entry_is_reported() {
    let sb = Sandbox::new();
    let path = sb.write(
        "tail.bib",
        "@article{fine, title={Fine}, author={A B}, year={2000}}\n\n@article{cut,\n  title = {Cut Short},\n  author = {C D},\n  year = {2001},\n",
    );
    let run = import(&sb, path.to_str().unwrap());
    run.expect_code(1);
    assert_eq!(keys(&imported(&run)), ["fine"]);
    assert_eq!(
        warnings(&run),
        ["warning: entry `cut` (line 3): the entry is not closed (a brace is missing); skipped"],
        "{}",
        run.dump()
    );
}

#[test]
fn fields_without_a_key_are_kept_and_reported_once_each() {
    let sb = Sandbox::new();
    let run = import(&sb, &fixture("unknown_fields.bib"));
    run.expect_code(0);
    assert!(!run.err().contains("error:"), "{}", run.dump());
    let got = imported(&run);
    assert_eq!(keys(&got), ["okonkwo2023graphs", "lindqvist2020noise"]);
    let graphs = by_key(&got, "okonkwo2023graphs");
    assert_eq!(str_field(graphs, "address"), "Lagos, Nigeria");
    let extra = graphs
        .get("extra")
        .and_then(Value::as_table)
        .expect("an extra table");
    let extra: Vec<(&str, &str)> = extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        extra,
        [
            ("altmetric", "248277"),
            ("dimensions", "true"),
            ("google_scholar_id", "qyhmnyLat1gC")
        ]
    );
    let want: Vec<String> = ["altmetric", "dimensions", "google_scholar_id"]
        .iter()
        .map(|f| {
            format!(
                "warning: field `{f}` (1 entry) has no key of its own: kept under `extra`, not shown, written back by export-bib"
            )
        })
        .collect();
    assert_eq!(warnings(&run), want, "{}", run.dump());
    // --quiet keeps only what is an error.
    let quiet = sb.run(&["import-bib", &fixture("unknown_fields.bib"), "--quiet"]);
    quiet.expect_code(0);
    assert_eq!(quiet.err(), "", "{}", quiet.dump());
    // And export-bib writes them back.
    let profile = sb.write("extra.toml", pasted_profile("Extra", &run.out()));
    let bib = export(&sb, profile.to_str().unwrap());
    for line in [
        "  altmetric = {248277},",
        "  google_scholar_id = {qyhmnyLat1gC},",
        "  address = {Lagos, Nigeria},",
    ] {
        assert!(bib.contains(line), "{line}\n{bib}");
    }
}

#[test]
fn unreadable_files_fail_naming_the_file() {
    let sb = Sandbox::new();
    sb.write(
        "latin1.bib",
        b"@article{cafe, title={Caf\xe9 au lait}, author={A B}, year={2000}}\n".as_slice(),
    );
    sb.write(
        "utf16.bib",
        b"\xff\xfe@\x00a\x00r\x00t\x00i\x00c\x00l\x00e\x00".as_slice(),
    );
    std::fs::create_dir_all(sb.path().join("folder.bib")).unwrap();
    for name in ["latin1.bib", "utf16.bib", "folder.bib", "missing.bib"] {
        let run = import(&sb, name);
        run.failure(1);
        assert!(
            run.err().contains(name),
            "{name}: stderr must name the file:\n{}",
            run.err()
        );
    }
    // The bad byte's place, as for a profile.
    let run = import(&sb, "latin1.bib");
    assert!(run.err().contains("latin1.bib:1:26"), "{}", run.err());
    // And with a path through a directory, the whole path is named.
    let run = import(&sb, "no/such/dir/papers.bib");
    run.failure(1);
    assert!(
        run.err().contains("no/such/dir/papers.bib"),
        "{}",
        run.err()
    );
}

#[test]
fn empty_and_entry_free_files_give_zero_publications() {
    let sb = Sandbox::new();
    for (name, text) in [
        ("empty.bib", ""),
        ("blank.bib", "\n\n   \n\t\n"),
        ("front_matter_only.bib", "---\nlayout: none\n---\n"),
        (
            "comments_only.bib",
            "% nothing here but @comments\n@comment{ @article{x, title={No}, author={N}, year=1} }\nfree text with an email me@example.org\n",
        ),
        (
            "strings_only.bib",
            "@string{a = {A}}\n@preamble{\"\\relax\"}\n",
        ),
    ] {
        let path = sb.write(name, text);
        let run = import(&sb, path.to_str().unwrap());
        run.success();
        assert!(
            run.out().starts_with("# 0 publications imported from "),
            "{name}: {}",
            run.out()
        );
        assert!(imported(&run).is_empty(), "{name}: {}", run.out());
    }
}

#[test]
fn five_thousand_entries_import_within_the_watchdog() {
    let sb = Sandbox::new();
    let mut bib = String::from("---\n---\n@string{conf = {Conference on Things}}\n\n");
    for i in 0..5000 {
        bib.push_str(&format!(
            "% entry {i} @ line {}\n@inproceedings{{key{i},\n  title = {{Paper {{N}}umber {i} on M{{\\\"u}}nchen --- a study}},\n  author = {{Last{i}, First and {{van der Berg}}, Jan and Other Person}},\n  booktitle = \"Proceedings of the \" # conf,\n  year = {},\n  month = jul,\n  abstract = {{{}}},\n  pdf = {{https://example.org/{i}_paper.pdf}},\n  selected = {{{}}}\n}}\n\n",
            i * 12 + 5,
            2000 + i % 25,
            "word ".repeat(40).trim_end(),
            i % 2 == 0,
        ));
    }
    let path = sb.write("huge.bib", &bib);
    let start = Instant::now();
    let run = import(&sb, path.to_str().unwrap());
    let took = start.elapsed();
    eprintln!(
        "import-bib of 5,000 entries ({} bytes): {took:?}",
        bib.len()
    );
    run.success();
    let got = imported(&run);
    assert_eq!(got.len(), 5000);
    assert!(run.out().starts_with("# 5000 publications imported from "));
    let t = &got[4321];
    assert_eq!(str_field(t, "key"), "key4321");
    assert_eq!(
        str_field(t, "title"),
        "Paper Number 4321 on München — a study"
    );
    assert_eq!(
        authors(t),
        ["First Last4321", "Jan van der Berg", "Other Person"]
    );
    assert_eq!(
        str_field(t, "booktitle"),
        "Proceedings of the Conference on Things"
    );
    assert_eq!(t.get("year").and_then(Value::as_integer), Some(2021));
    assert_eq!(str_field(t, "month"), "July");
    assert_eq!(t.get("selected"), None, "4321 is odd: not selected");
    assert_eq!(got[4320].get("selected"), Some(&Value::Boolean(true)));
}

#[test]
fn import_reads_the_bibliography_not_the_profile() {
    let sb = Sandbox::new();
    // A broken ./profile.toml and a TERMFOLIO_PROFILE pointing nowhere must
    // not matter: import-bib reads only FILE.
    sb.write("profile.toml", "this is = = not toml");
    let mut cmd = sb.command(&["import-bib", &fixture("unknown_fields.bib")]);
    cmd.env("TERMFOLIO_PROFILE", sb.path().join("nowhere.toml"));
    let run = common::run(cmd);
    run.expect_code(0);
    assert_eq!(imported(&run).len(), 2, "{}", run.dump());
}

#[test]
fn warnings_about_hostile_keys_are_inert() {
    let sb = Sandbox::new();
    let path = sb.write(
        "hostile.bib",
        "@article{k\u{1b}]52;c;UFdORUQ=\u{7}ey\u{1b}[2J\u{202e},\n  title = {No Year},\n  author = {A B}\n}\n",
    );
    let run = import(&sb, path.to_str().unwrap());
    run.expect_code(1);
    let err = assert_inert(&run.stderr, "stderr of import-bib");
    assert!(!err.contains("UFdORUQ"), "{err}");
    assert!(err.starts_with("warning: entry `k"), "{err}");
}

#[test]
fn import_output_is_inert() {
    let sb = Sandbox::new();
    let path = sb.write(
        "controls.bib",
        "@article{controls,\n  title = {Red \u{1b}[31mtext\u{7} \u{202e}reversed\u{202c} \u{9b}2J c1},\n  author = {Eve Hacker},\n  note = {\u{1b}]52;c;UFdORUQ=\u{7}},\n  year = {2020},\n  abstract = {x\u{1b}]8;;https://evil.example\u{7}y}\n}\n",
    );
    let run = import(&sb, path.to_str().unwrap());
    run.success();
    let out = assert_inert(&run.stdout, "stdout of import-bib");
    let got = imported(&run);
    let title = str_field(&got[0], "title");
    assert!(
        !title.chars().any(|c| c.is_control() || c == '\u{202e}'),
        "the imported title keeps controls: {title:?}\n{out}"
    );
}

#[test]
fn comparison_signs_in_abstracts_survive() {
    let sb = Sandbox::new();
    let path = sb.write(
        "lt.bib",
        "@article{lt,\n  title = {Bounds},\n  author = {A B},\n  year = {2000},\n  abstract = {We prove n < 10 for all m > 3.},\n  note = {a <-> b},\n  additional_info = {<b>Oral</b> &amp; more}\n}\n",
    );
    let run = import(&sb, path.to_str().unwrap());
    run.success();
    let t = &imported(&run)[0];
    // Real tags still go (into Markdown, in a field al-folio renders so).
    assert_eq!(str_field(t, "additional_info"), "**Oral** & more");
    // The abstract is Markdown: a `<` is escaped there, and shown as `<`.
    assert_eq!(str_field(t, "abstract"), "We prove n \\< 10 for all m > 3.");
    assert_eq!(str_field(t, "note"), "a \\<-> b");
    let profile = sb.write("lt.toml", pasted_profile("A B", &run.out()));
    let shown = sb.run(&["--profile", profile.to_str().unwrap()]);
    shown.success();
    assert!(
        shown.out().contains("We prove n < 10 for all m > 3."),
        "{}",
        shown.out()
    );
    assert!(shown.out().contains("a <-> b"), "{}", shown.out());
}

#[test]
fn al_folio_markdown_fields_import_as_markdown() {
    let sb = Sandbox::new();
    let run = import(&sb, &fixture("al_folio_markdown.bib"));
    run.success();
    let got = imported(&run);
    assert_eq!(keys(&got), ["ng2024markdown", "ng2023html"]);

    // <a href>, <b>, <em> become Markdown; `award` is one line, so its
    // <br> is a space; additional_info keeps it as a hard break (`\`,
    // newline); Markdown already there stays; `note` is not Markdown to
    // al-folio, so its tags are only stripped.
    let want = parse_toml(
        r#"
        key = "ng2024markdown"
        type = "inproceedings"
        title = "Markdown in the Fields al-folio Renders"
        authors = ["Zoë Ng", "Anna Lee"]
        booktitle = "Proceedings of Things"
        year = 2024
        award_name = "Best Paper"
        award = "[Best Paper](https://x.org/a_b) at **ICML** and *more*"
        additional_info = ". *More* info [here](https://example.com/?a=1&b=2)\\\nSecond line with a **strong** word"
        annotation = "Equal **contribution**"
        note = "Oral & poster"
        "#,
        "expected ng2024markdown",
    );
    assert_same_table(by_key(&got, "ng2024markdown"), &want, "ng2024markdown");

    // An <img> and <a> without href go, text kept; nesting and an unclosed
    // <b> still make Markdown; closing tags that open nothing go; a
    // `javascript:` link stays a link (the viewer's allow-list makes it
    // inert), with its `(` `)` percent-encoded, and so are the space, `)`
    // and `]` of the other href; `[` `]` in link text become references.
    // Math stays as written; an entity that would make a tag stays one;
    // biblatex reads `--` as an en dash.
    let want = parse_toml(
        r#"
        key = "ng2023html"
        type = "article"
        title = "HTML of Every Shape"
        authors = ["Zoë Ng"]
        journal = "Journal of Markup"
        year = 2023
        award = "***Nested* and bold** no href **unclosed**"
        additional_info = "Closed twice [click (me)](javascript:alert%281%29) and [odd &#91;target&#93;](https://a.b/x%20y%29z%5Dw)"
        annotation = "[text](https://a.b/c_d%20e#f&g~h) and $x_i<y$; &lt;b> shown, not bold; a–b"
        "#,
        "expected ng2023html",
    );
    assert_same_table(by_key(&got, "ng2023html"), &want, "ng2023html");

    // export-bib writes them back as the Markdown they are, the hard break
    // as the <br> al-folio renders.
    let profile = sb.write("markdown.toml", pasted_profile("Zoë Ng", &run.out()));
    let bib = export(&sb, profile.to_str().unwrap());
    for line in [
        "  award = {[Best Paper](https://x.org/a_b) at **ICML** and *more*},",
        "  additional_info = {. *More* info [here](https://example.com/?a=1&b=2)<br>Second line with a **strong** word},",
        "  annotation = {[text](https://a.b/c_d%20e#f&g~h) and $x_i<y$; &lt;b> shown, not bold; a–b},",
        "  additional_info = {Closed twice [click (me)](javascript:alert%281%29) and [odd &#91;target&#93;](https://a.b/x%20y%29z%5Dw)},",
    ] {
        assert!(bib.contains(line), "want the line\n{line}\nin\n{bib}");
    }
}

/// What BibTeX readers would change in a Markdown value (braces, `\`,
/// `--`, `$`, a newline) is written so that they read it back; what they
/// keep (`_ % # & ~ ^` in links) is written as it is.
#[test]
fn markdown_keeps_every_byte_through_bibtex() {
    let sb = Sandbox::new();
    let profile = sb.write(
        "bytes.toml",
        r#"[person]
name = "X"

[[publications]]
key = "bytes"
type = "misc"
title = "Bytes"
authors = ["A B"]
year = 2000
award = "[text](https://a.b/c_d%20e?x=1&y=~2^3#f) and `code_{x}`"
additional_info = '''\*not emphasis\* {braces} a--b $x_{1}$ costs 5\$ and $\alpha$\
next line  
third'''
annotation = '100% ~ # & _ ^ \ back\slash'
"#,
    );
    let (bib, got) = round_trip(&sb, profile.to_str().unwrap());
    assert!(
        bib.contains("  award = {[text](https://a.b/c_d%20e?x=1&y=~2^3#f) and `code_\\textbraceleft{}x\\textbraceright{}`},\n"),
        "{bib}"
    );
    assert!(
        bib.contains("$x_{1}$"),
        "math BibTeX keeps is written raw:\n{bib}"
    );
    let t = &got[0];
    assert_eq!(
        str_field(t, "award"),
        "[text](https://a.b/c_d%20e?x=1&y=~2^3#f) and `code_{x}`"
    );
    // The two-space hard break comes back as the backslash one.
    assert_eq!(
        str_field(t, "additional_info"),
        "\\*not emphasis\\* {braces} a--b $x_{1}$ costs 5\\$ and $\\alpha$\\\nnext line\\\nthird"
    );
    assert_eq!(str_field(t, "annotation"), "100% ~ # & _ ^ \\ back\\slash");
}

#[test]
fn parenthesised_entries_and_strings_import() {
    let sb = Sandbox::new();
    let run = import(&sb, &fixture("parentheses.bib"));
    run.success();
    let got = imported(&run);
    assert_eq!(keys(&got), ["wadler1992monads", "hughes1989matters"]);
    for t in &got {
        assert_eq!(str_field(t, "journal"), "Journal of Functional Programming");
    }
    assert_eq!(authors(&got[0]), ["Philip Wadler"]);
}

#[test]
fn front_matter_after_a_byte_order_mark_is_skipped() {
    let sb = Sandbox::new();
    let path = sb.write(
        "bom.bib",
        "\u{feff}---\nlayout: none\ncontact: me@home{x}\n---\n@article{after, title={After the BOM}, author={A B}, year={2000}}\n",
    );
    let run = import(&sb, path.to_str().unwrap());
    run.success();
    assert_eq!(keys(&imported(&run)), ["after"]);
}

// ---------------------------------------------------------------------------
// 3. Round trips
// ---------------------------------------------------------------------------

#[test]
fn bundled_profile_round_trips_field_for_field() {
    let sb = Sandbox::new();
    let profile = format!("{ROOT}/profile.toml");
    // With no profile anywhere, export-bib uses the built-in copy: the same.
    let bundled = sb.run(&["export-bib"]);
    bundled.success();
    let (bib, got) = round_trip(&sb, &profile);
    assert_eq!(
        bundled.out(),
        bib,
        "the built-in profile is the repository's"
    );
    bibtex_entries(&bib, "export-bib of profile.toml");
    let want = publication_tables(
        &std::fs::read_to_string(&profile).expect("read profile.toml"),
        "profile.toml",
    );
    assert_eq!(got.len(), want.len(), "{bib}");
    assert!(!want.is_empty());
    for (g, w) in got.iter().zip(&want) {
        assert_same_table(g, w, &format!("publication `{}`", str_field(w, "key")));
    }
}

#[test]
fn awkward_profile_round_trips_field_for_field() {
    let sb = Sandbox::new();
    let profile = fixture("awkward_profile.toml");
    // Its two `dup2020` entries are ambiguous: `check` says so (an error),
    // and export-bib still writes both, one renamed.
    let check = sb.run(&["--profile", &profile, "check"]);
    check.no_panic().expect_code(1);
    assert!(
        check
            .err()
            .contains("error: two publications have the key `dup2020`"),
        "{}",
        check.dump()
    );
    let (bib, got) = round_trip(&sb, &profile);
    let want = publication_tables(
        &fixture_text("awkward_profile.toml"),
        "awkward_profile.toml",
    );
    assert_eq!(got.len(), want.len(), "{bib}");

    // Keys: kept when given and unique, made when missing, and never the
    // same twice in the export.
    // (The lone braces of the first title keep this BibTeX from BibTeX
    // itself: see export_bib_is_well_formed_for_hostile_keys_types_braces_and_urls.)
    let exported_keys: Vec<String> = bib
        .lines()
        .filter_map(|l| l.strip_prefix('@'))
        .map(|l| l[l.find('{').unwrap() + 1..l.len() - 1].to_string())
        .collect();
    let mut unique = exported_keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        exported_keys.len(),
        "duplicate keys: {exported_keys:?}\n{bib}"
    );
    assert_eq!(
        keys(&got),
        exported_keys.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(exported_keys[0], "angstrom2024braces");
    assert_eq!(exported_keys[4], "dup2020");
    assert_ne!(exported_keys[5], "dup2020");

    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        let mut g = g.clone();
        let mut w = w.clone();
        // Known limit, not a bug: BibTeX values are read with whitespace
        // collapsed, so the abstract's two paragraphs come back as one.
        if let Some(Value::String(a)) = w.get_mut("abstract") {
            *a = a.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        // What a person typed comes back as import writes it: Markdown
        // escapes where the text means the character itself (`\\`), simple
        // math as Unicode, a code span as its text, a URL's braces as braces
        // (the same URL). It reads the same; and from there on it stays
        // (see the second round trip below).
        if i == 0 {
            for (field, typed) in [
                (
                    "title",
                    "Braces {a} } { and {escaped} back\\\\slash, 100% & x₁² #1 ~tilde^hat -- en --- em \"double\" 'single' tick 漫画家 😃 C:\\\\",
                ),
                (
                    "abstract",
                    "First paragraph: 100% of {braces} & math stay, so do \\\\LaTeX and C:\\\\temp. Second paragraph — after a blank line.",
                ),
                ("slides", "https://example.org/slides_{draft}.pdf"),
            ] {
                w.insert(field.into(), Value::String(typed.into()));
            }
        }
        match w.get("key") {
            // A key made by export-bib: some non-empty key.
            None => {
                let made = g.remove("key").expect("a made key");
                assert!(!made.as_str().unwrap().is_empty(), "{bib}");
            }
            // The second `dup2020` comes back renamed.
            Some(Value::String(k)) if k == "dup2020" && i == 5 => {
                g.remove("key");
                w.remove("key");
            }
            _ => {}
        }
        // A type guessed by export-bib from where the paper appeared.
        if !w.contains_key("type") {
            let guessed = if w.contains_key("booktitle") {
                "inproceedings"
            } else if w.contains_key("journal") {
                "article"
            } else {
                "misc"
            };
            assert_eq!(
                g.remove("type")
                    .and_then(|t| t.as_str().map(str::to_string))
                    .as_deref(),
                Some(guessed),
                "publication {i}"
            );
        }
        assert_same_table(&g, &w, &format!("publication {i}"));
    }
    // Once through, the profile stays the same through any number more.
    let mut again_profile = String::from("[person]\nname = \"Again\"\n\n");
    again_profile.push_str(
        &toml::to_string(&toml::Table::from_iter([(
            "publications".to_string(),
            Value::Array(got.iter().cloned().map(Value::Table).collect()),
        )]))
        .unwrap(),
    );
    let again_path = sb.write("again.toml", &again_profile);
    let (_, twice) = round_trip(&sb, again_path.to_str().unwrap());
    assert_eq!(twice, got, "a second round trip changed something");
}

/// Every `.bib` in tests/fixtures/bib, in name order.
fn fixture_bibliographies() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(FIXTURES)
        .expect("read the fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".bib"))
        .collect();
    names.sort();
    names
}

#[test]
fn imported_bibliographies_survive_export_and_import_again() {
    let sb = Sandbox::new();
    let names = fixture_bibliographies();
    assert!(names.len() >= 6, "{names:?}");
    for name in names {
        // broken.bib imports too, with its broken entries left out.
        let first = import(&sb, &fixture(&name));
        let tables = imported(&first);
        if tables.is_empty() {
            continue;
        }
        let profile = sb.write("pasted.toml", pasted_profile("Maria Müller", &first.out()));
        let (bib, again) = round_trip(&sb, profile.to_str().unwrap());
        bibtex_entries(&bib, &format!("export-bib of {name} imported"));
        assert_eq!(again.len(), tables.len(), "{name}");
        for (g, w) in again.iter().zip(&tables) {
            assert_same_table(g, w, &format!("{name}: `{}`", str_field(w, "key")));
        }
    }
}

#[test]
fn renamed_duplicate_keys_stay_unique() {
    let sb = Sandbox::new();
    let profile = sb.write(
        "dups.toml",
        "[person]\nname = \"X\"\n\n[[publications]]\nkey = \"a\"\ntitle = \"One\"\nauthors = [\"A B\"]\nyear = 2000\n\n[[publications]]\nkey = \"a-3\"\ntitle = \"Two\"\nauthors = [\"A B\"]\nyear = 2000\n\n[[publications]]\nkey = \"a\"\ntitle = \"Three\"\nauthors = [\"A B\"]\nyear = 2000\n",
    );
    let bib = export(&sb, profile.to_str().unwrap());
    let mut keys: Vec<String> = bibtex_entries(&bib, "export-bib")
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    assert_eq!(keys.len(), 3);
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 3, "duplicate keys in:\n{bib}");
}

#[test]
fn months_round_trip_as_written() {
    let sb = Sandbox::new();
    let profile = sb.write(
        "months.toml",
        "[person]\nname = \"X\"\n\n[[publications]]\nkey = \"m1\"\ntitle = \"One\"\nauthors = [\"A B\"]\nyear = 2000\nmonth = \"jul\"\n\n[[publications]]\nkey = \"m2\"\ntitle = \"Two\"\nauthors = [\"A B\"]\nyear = 2000\nmonth = \"7\"\n",
    );
    let (bib, got) = round_trip(&sb, profile.to_str().unwrap());
    assert_eq!(str_field(&got[0], "month"), "jul", "{bib}");
    assert_eq!(str_field(&got[1], "month"), "7", "{bib}");
}

#[test]
fn authors_with_and_or_a_comma_round_trip() {
    let sb = Sandbox::new();
    let profile = sb.write(
        "names.toml",
        "[person]\nname = \"X\"\n\n[[publications]]\nkey = \"n\"\ntitle = \"Names\"\nauthors = [\"Barnes and Noble\", \"Doe, Jane\", \"Ann Smith\"]\nyear = 2000\n",
    );
    let (bib, got) = round_trip(&sb, profile.to_str().unwrap());
    assert_eq!(
        authors(&got[0]),
        ["Barnes and Noble", "Doe, Jane", "Ann Smith"],
        "{bib}"
    );
}

#[test]
fn a_publication_without_authors_round_trips() {
    let sb = Sandbox::new();
    let profile = sb.write(
        "noauthors.toml",
        "[person]\nname = \"X\"\n\n[[publications]]\nkey = \"anon\"\ntype = \"misc\"\ntitle = \"Anonymous\"\nauthors = []\nyear = 2000\n",
    );
    sb.run(&["--profile", profile.to_str().unwrap(), "check"])
        .success();
    let (bib, got) = round_trip(&sb, profile.to_str().unwrap());
    assert_eq!(keys(&got), ["anon"], "{bib}");
    assert!(authors(&got[0]).is_empty());
}

// ---------------------------------------------------------------------------
// 4. Imported tables make a valid profile
// ---------------------------------------------------------------------------

#[test]
fn imported_tables_pasted_into_a_profile_pass_check() {
    let sb = Sandbox::new();
    for (name, count) in [
        ("al_folio_papers.bib", 4),
        ("varied_styles.bib", 3),
        ("broken.bib", 5),
        ("unknown_fields.bib", 2),
    ] {
        let run = import(&sb, &fixture(name));
        let profile = sb.write(
            &format!("{name}.toml"),
            pasted_profile("Maria Müller", &run.out()),
        );
        let check = sb.run(&["--profile", profile.to_str().unwrap(), "check"]);
        passes_check(&check);
        assert!(
            check.out().contains(&format!("{count} publications")),
            "{name}: {}",
            check.out()
        );
    }
    // The round trip of the awkward profile too.
    let bib = export(&sb, &fixture("awkward_profile.toml"));
    let path = sb.write("awkward.bib", &bib);
    let run = import(&sb, path.to_str().unwrap());
    run.success();
    let profile = sb.write("awkward_again.toml", pasted_profile("Zoë", &run.out()));
    let check = sb.run(&["--profile", profile.to_str().unwrap(), "check"]);
    passes_check(&check);
    assert!(check.out().contains("6 publications"), "{}", check.out());
}

// ---------------------------------------------------------------------------
// 5. export-bib output is well-formed BibTeX and inert
// ---------------------------------------------------------------------------

/// Publications whose fields carry escape sequences, control characters and
/// bidi overrides (as TOML escapes, which the loader turns into the
/// characters and then removes).
const HOSTILE_PROFILE: &str = r#"[person]
name = "Eve"

[[publications]]
key = "evil2024"
type = "article"
title = "Red \u001b[31mtitle\u001b[0m and \u001b]52;c;UFdORUQ=\u0007 clipboard \u009b2J c1 \u202eevil\u202c bidi"
authors = ["Mallory \u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\", "Trudy\u0000 Null"]
journal = "Journal\u001bc of Resets"
year = 2024
month = "Jul\u0008"
abstract = "Line one\r\nLine two\u001b[2J\u007f and \u001bP1;2|payload\u001b\\ done"
url = "https://example.org/\u001b[31mred"
pdf = "https://example.org/a\u0007b.pdf"
doi = "10.1000/\u009d0;x\u009c1"
note = "\u001b_apc\u001b\\ note"
award = "Best \u0098sos\u009c Paper"
selected = true

[[publications]]
title = "No key \u001b[1mand\u001b[0m no type"
authors = ["\u001b[8mHidden\u001b[28m Author"]
booktitle = "Proceedings of \u001b]0;window title\u0007Things"
year = 2023
"#;

#[test]
fn export_bib_is_well_formed_and_inert() {
    let sb = Sandbox::new();
    let profile = sb.write("hostile.toml", HOSTILE_PROFILE);
    let run = sb.run(&["--profile", profile.to_str().unwrap(), "export-bib"]);
    run.success();
    assert!(!run.stdout.contains(&0x1b), "ESC in export-bib output");
    let bib = assert_inert(&run.stdout, "export-bib of the hostile profile");
    for payload in ["UFdORUQ", "evil.example", "window title", "payload"] {
        assert!(!bib.contains(payload), "`{payload}` leaked:\n{bib}");
    }
    let entries = bibtex_entries(&bib, "export-bib of the hostile profile");
    assert_eq!(entries.len(), 2, "{bib}");
    assert_eq!(entries[0], ("article".to_string(), "evil2024".to_string()));
    assert_eq!(entries[1].0, "inproceedings");
    // What is left is the text around the sequences, and it reads back.
    let path = sb.write("hostile.bib", &bib);
    let back = import(&sb, path.to_str().unwrap());
    back.success();
    let got = imported(&back);
    assert_eq!(
        str_field(&got[0], "title"),
        "Red title and clipboard c1 evil bidi"
    );
    assert_eq!(authors(&got[1]), ["Hidden Author"]);
}

#[test]
fn export_bib_of_the_bundled_and_awkward_profiles_is_well_formed() {
    let sb = Sandbox::new();
    let bundled = sb.run(&["export-bib"]);
    bundled.success();
    let text = assert_inert(&bundled.stdout, "export-bib of the bundled profile");
    let entries = bibtex_entries(&text, "export-bib of the bundled profile");
    assert_eq!(
        entries,
        [
            ("inproceedings".to_string(), "zhu2022topology".to_string()),
            (
                "inproceedings".to_string(),
                "zhu2023decentralized".to_string()
            ),
        ]
    );
    assert!(
        text.contains("  arxiv = {2206.12680},\n") && text.contains("  selected = {true},\n"),
        "{text}"
    );
    // The awkward profile has `{` and `}` in every shape, but pairs them.
    let mut awkward = fixture_text("awkward_profile.toml");
    awkward = awkward.replace(" } { and", " and");
    let profile = sb.write("paired.toml", &awkward);
    let bib = export(&sb, profile.to_str().unwrap());
    assert_inert(bib.as_bytes(), "export-bib of the awkward profile");
    assert_eq!(
        bibtex_entries(&bib, "export-bib of the awkward profile").len(),
        6
    );
}

#[test]
fn export_bib_is_well_formed_for_hostile_keys_types_braces_and_urls() {
    let sb = Sandbox::new();
    let profile = sb.write(
        "odd.toml",
        r#"[person]
name = "X"

[[publications]]
key = "lone"
title = "A lone } and a lone { brace"
authors = ["A B"]
year = 2000

[[publications]]
key = "url"
title = "Braces in a url"
authors = ["A B"]
year = 2000
url = "https://example.org/{a"
pdf = "https://example.org/b}"

[[publications]]
key = "k"
type = "in proceedings"
title = "A type with a space"
authors = ["A B"]
year = 2000

[[publications]]
key = "{}"
title = "A key of braces"
authors = ["A B"]
year = 2000
"#,
    );
    let bib = export(&sb, profile.to_str().unwrap());
    let entries = bibtex_entries(&bib, "export-bib of odd keys, types and urls");
    assert_eq!(entries.len(), 4, "{bib}");
    let path = sb.write("odd.bib", &bib);
    let run = import(&sb, path.to_str().unwrap());
    run.success();
    let got = imported(&run);
    assert_eq!(got.len(), 4, "{bib}");
    assert_eq!(str_field(&got[0], "title"), "A lone } and a lone { brace");
    assert_eq!(str_field(&got[1], "url"), "https://example.org/{a");
    assert_eq!(str_field(&got[1], "pdf"), "https://example.org/b}");
}

#[test]
fn export_bib_without_publications_prints_nothing() {
    let sb = Sandbox::new();
    let profile = sb.write("nopubs.toml", "[person]\nname = \"Nobody\"\n");
    sb.run(&["--profile", profile.to_str().unwrap(), "export-bib"])
        .silent();
}

#[test]
fn export_bib_of_a_bad_profile_fails_naming_it() {
    let sb = Sandbox::new();
    let profile = sb.write("bad.toml", "[person]\nnmae = \"Typo\"\n");
    let run = sb.run(&["--profile", profile.to_str().unwrap(), "export-bib"]);
    run.failure(1);
    assert!(run.err().contains("bad.toml"), "{}", run.err());
    let run = sb.run(&["--profile", "missing.toml", "export-bib"]);
    run.failure(1);
    assert!(run.err().contains("missing.toml"), "{}", run.err());
}

/// `check` passed: exit 0, and nothing on stderr but warnings (al-folio's
/// relative file names, `pdf = {paper.pdf}`, are shown as inert text).
#[track_caller]
fn passes_check(run: &common::Run) {
    run.no_panic().expect_code(0);
    let err = run.err();
    assert!(
        err.is_empty() || err.starts_with("warning: ") && !err.contains("error"),
        "{}",
        run.dump()
    );
}

#[test]
fn quiet_keeps_only_the_errors() {
    let sb = Sandbox::new();
    // Only fields left out: silent, and the same tables.
    let loud = import(&sb, &fixture("unknown_fields.bib"));
    let quiet = sb.run(&["import-bib", &fixture("unknown_fields.bib"), "--quiet"]);
    quiet.no_panic().expect_code(0);
    assert!(
        !loud.err().is_empty() && quiet.err().is_empty(),
        "{}",
        quiet.dump()
    );
    assert_eq!(loud.out(), quiet.out());
    // Entries that could not be read are still said, and still fail.
    let broken = sb.run(&["import-bib", &fixture("broken.bib"), "--quiet"]);
    broken.no_panic().expect_code(1);
    let err = broken.err();
    assert!(err.contains("skipped") && err.contains("error: "), "{err}");
    assert!(!err.contains("left out"), "{err}");
}

/// What crashed or hung `import-bib` before (a stack overflow on cyclic
/// `@string`s, exponential expansion, quadratic nesting): each ends with a
/// message naming the entry or @string and its line, within the sandbox's
/// watchdog (a few seconds) and a small memory limit, while the good
/// entries beside it still come in.
#[test]
fn hostile_bibliographies_end_quickly_with_the_good_entries_in() {
    let sb = Sandbox::with_timeout(std::time::Duration::from_secs(5));
    let good = "@article{good, title = {Good}, author = {A B}, year = 2000}\n";
    let mut exponential = String::from("@string{s0 = {abcdefghij}}\n");
    for i in 1..=12 {
        let p = i - 1;
        exponential.push_str(&format!("@string{{s{i} = s{p} # s{p} # s{p} # s{p}}}\n"));
    }
    exponential.push_str("@article{boom, title = s12, year = 2000}\n");
    let deep = format!(
        "@article{{deep, title = {{{}x{}}}, year = 2000}}\n",
        "{".repeat(100_000),
        "}".repeat(100_000)
    );
    let cases: [(&str, String, &[&str]); 4] = [
        (
            "cycle.bib",
            format!(
                "@string{{a = b}}\n@string{{b = a}}\n@article{{loop, title = a, year = 2000}}\n{good}"
            ),
            &[
                "line 1: @string `a` uses `b`, which is not defined before it",
                "entry `loop` (line 3): it uses the @string `a` (line 1), which could not be read; skipped",
            ],
        ),
        (
            "self.bib",
            format!("@string{{a = a # a}}\n@article{{loop, title = a, year = 2000}}\n{good}"),
            &["line 1: @string `a` uses `a`, which is not defined before it"],
        ),
        (
            "exponential.bib",
            format!("{exponential}{good}"),
            &[
                "line 8: @string `s7`: a value longer than 64 KiB once its macros are expanded; skipped",
                "line 9: @string `s8`: it uses the @string `s7` (line 8), which could not be read; skipped",
                "entry `boom` (line 14): it uses the @string `s12` (line 13), which could not be read; skipped",
            ],
        ),
        (
            "deep.bib",
            format!("{deep}{good}"),
            &["entry `deep` (line 1): braces nested more than 64 deep; skipped"],
        ),
    ];
    for (name, text, says) in cases {
        let path = sb.write(name, &text);
        let run = import(&sb, path.to_str().unwrap());
        run.expect_code(1);
        assert_eq!(keys(&imported(&run)), ["good"], "{name}: {}", run.dump());
        let err = run.err();
        for s in says {
            assert!(err.contains(s), "{name}: `{s}` missing:\n{err}");
        }
        assert!(
            err.lines().count() < 20,
            "{name}: one line per problem:\n{err}"
        );
    }
}

/// BibTeX itself reads what `export-bib` writes without an error: the
/// bundled profile, the awkward one, and every fixture bibliography after
/// import → profile → export. The style (`check.bst`) reads every entry,
/// splits every author and editor name and purifies every title; `.ci/run`
/// installs BibTeX (Debian's `texlive-binaries`).
#[test]
fn bibtex_reads_every_export_without_an_error() {
    if Command::new("bibtex").arg("--version").output().is_err() {
        eprintln!(
            "SKIPPED: no `bibtex` on PATH (apt-get install texlive-binaries); .ci/run installs it"
        );
        return;
    }
    let sb = Sandbox::new();
    std::fs::copy(format!("{FIXTURES}/check.bst"), sb.path().join("check.bst")).unwrap();
    let mut exports: Vec<(String, String)> = vec![
        ("bundled".into(), {
            let run = sb.run(&["export-bib"]);
            run.success();
            run.out()
        }),
        (
            "awkward".into(),
            export(&sb, &fixture("awkward_profile.toml")),
        ),
    ];
    for name in [
        "al_folio_papers.bib",
        "al_folio_markdown.bib",
        "varied_styles.bib",
        "unknown_fields.bib",
        "parentheses.bib",
        "latex_and_ads.bib",
    ] {
        let run = import(&sb, &fixture(name));
        let profile = sb.write(&format!("{name}.toml"), pasted_profile("X", &run.out()));
        exports.push((name.into(), export(&sb, profile.to_str().unwrap())));
    }
    for (name, bib) in exports {
        let stem = name.replace('.', "_");
        sb.write(&format!("{stem}.bib"), &bib);
        let mut aux = String::new();
        for (_, key) in bibtex_entries(&bib, &name) {
            aux.push_str(&format!("\\citation{{{key}}}\n"));
        }
        aux.push_str(&format!("\\bibstyle{{check}}\n\\bibdata{{{stem}}}\n"));
        sb.write(&format!("{stem}.aux"), &aux);
        let mut cmd = sb.program("bibtex", &[&stem]);
        // Without TeX Live's configuration, kpathsea looks only where told.
        cmd.env("BIBINPUTS", ".").env("BSTINPUTS", ".");
        let run = common::run(cmd);
        let log = run.out();
        assert!(
            run.code.is_some_and(|c| c < 2) && !log.contains("error message"),
            "bibtex found errors in the export of {name}:\n{log}\n{bib}"
        );
    }
}
