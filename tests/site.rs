//! `termfolio import-site DIR [-o FILE] [--force] [--quiet]` over the built
//! binary: an al-folio (Jekyll) site becomes a whole profile.toml that
//! `termfolio check` passes as it is.
//!
//! The sites:
//! - `tests/fixtures/seed-site/`: the site of the bundled profile, copied
//!   from `../shared/seed/site/` (the files import-site reads; the photo is
//!   the repository's scaled copy), compared with the hand-made
//!   `profile.toml` of the same page;
//! - `tests/fixtures/al-folio-template/`: al-folio's own example site, MIT,
//!   copied from `../shared/fixtures/` with its LICENSE;
//! - our own, one per rule, in `tests/fixtures/site-*/`: an older site's
//!   single `name` and socials in `_config.yml` (`site-old-name`),
//!   `_data/socials.yml` (`site-socials-yml`), dates in odd forms
//!   (`site-odd-dates`), commented-out and unpublished news
//!   (`site-commented-news`), jekyll-scholar's settings and a descending
//!   order (`site-descending`), a missing image (`site-missing-image`),
//!   hostile YAML (`site-hostile-yaml`), and an about page with every
//!   rule of the page (`site-page`).
//!
//! Huge and hostile inputs are generated into the sandbox at test time.
//! Every process runs in a sandbox under the watchdog of `tests/common`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{ROOT, Run, Sandbox, assert_inert};
use toml::{Table, Value};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// One of our fixture sites.
fn fixture(name: &str) -> String {
    format!("{ROOT}/tests/fixtures/{name}")
}

/// The two real sites, kept in tests/fixtures so that the tests need
/// nothing outside the repository: `seed-site` is the source of the bundled
/// profile's homepage (the files import-site reads; its photo is the
/// repository's scaled copy, assets/photo.jpg), `al-folio-template` is
/// al-folio's own example site (MIT, its LICENSE beside it).
#[track_caller]
fn shared(path: &str) -> String {
    let dir = match path {
        "seed/site" => "seed-site",
        "fixtures/al-folio-template" => "al-folio-template",
        other => panic!("no such fixture site: {other}"),
    };
    let p = format!("{ROOT}/tests/fixtures/{dir}");
    assert!(Path::new(&p).is_dir(), "{p} is missing");
    p
}

/// A TOML document as a table.
#[track_caller]
fn parse_toml(text: &str, ctx: &str) -> Table {
    toml::from_str(text).unwrap_or_else(|e| panic!("{ctx}: not TOML: {e}\n{text}"))
}

/// The profile `import-site` printed, after checking that stdout starts
/// with the header comment.
#[track_caller]
fn printed(run: &Run) -> Table {
    let out = run.out();
    assert!(
        out.starts_with("# profile.toml made by termfolio import-site from "),
        "{}: stdout must start with the header comment\n{}",
        run.what,
        run.dump()
    );
    parse_toml(&out, &run.what)
}

/// `import-site SITE` to stdout, with exit 0.
#[track_caller]
fn import(sandbox: &Sandbox, site: &str) -> (Table, Run) {
    let run = sandbox.run(&["import-site", site]);
    run.no_panic().expect_code(0);
    let table = printed(&run);
    (table, run)
}

/// `import-site SITE -o profile.toml` in the sandbox, then `check` of the
/// result, both exit 0; the profile, the import's run and check's.
#[track_caller]
fn import_and_check(sandbox: &Sandbox, site: &str) -> (Table, Run, Run) {
    let run = sandbox.run(&["import-site", site, "-o", "profile.toml"]);
    run.no_panic().expect_code(0);
    assert!(run.stdout.is_empty(), "-o prints nothing\n{}", run.dump());
    let text = std::fs::read_to_string(sandbox.path().join("profile.toml")).expect("written");
    let check = sandbox.run(&["--profile", "profile.toml", "check"]);
    check.no_panic().expect_code(0);
    assert!(check.out().contains(": ok ("), "{}", check.dump());
    (parse_toml(&text, "profile.toml"), run, check)
}

/// The value at a dotted path (`person.links`).
#[track_caller]
fn at<'a>(t: &'a Table, path: &str) -> &'a Value {
    let mut parts = path.split('.');
    let first = parts.next().expect("a key");
    let mut v = t
        .get(first)
        .unwrap_or_else(|| panic!("no `{first}` in {t:#?}"));
    for key in parts {
        v = v
            .get(key)
            .unwrap_or_else(|| panic!("no `{key}` of `{path}` in {t:#?}"));
    }
    v
}

#[track_caller]
fn text<'a>(t: &'a Table, path: &str) -> &'a str {
    at(t, path)
        .as_str()
        .unwrap_or_else(|| panic!("`{path}` is not text"))
}

fn has(t: &Table, path: &str) -> bool {
    let mut parts = path.split('.');
    let mut v = match parts.next().and_then(|k| t.get(k)) {
        Some(v) => v,
        None => return false,
    };
    for key in parts {
        match v.get(key) {
            Some(next) => v = next,
            None => return false,
        }
    }
    true
}

#[track_caller]
fn texts(t: &Table, path: &str) -> Vec<String> {
    at(t, path)
        .as_array()
        .unwrap_or_else(|| panic!("`{path}` is not an array"))
        .iter()
        .map(|v| v.as_str().expect("text").to_string())
        .collect()
}

/// `[person.links]` in order.
fn links(t: &Table) -> Vec<(String, String)> {
    if !has(t, "person.links") {
        return Vec::new();
    }
    at(t, "person.links")
        .as_table()
        .expect("a table")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("a URL").to_string()))
        .collect()
}

fn labels(t: &Table) -> Vec<String> {
    links(t).into_iter().map(|(l, _)| l).collect()
}

/// The `[[news]]` as (date, text), in order; the dates must be TOML dates.
#[track_caller]
fn news(t: &Table) -> Vec<(String, String)> {
    let Some(items) = t.get("news") else {
        return Vec::new();
    };
    items
        .as_array()
        .expect("an array of tables")
        .iter()
        .map(|n| {
            let date = match n.get("date") {
                Some(Value::Datetime(d)) => {
                    assert!(
                        d.time.is_none() && d.offset.is_none(),
                        "a day, no time: {d}"
                    );
                    d.to_string()
                }
                other => panic!("news date is not a TOML date: {other:?}"),
            };
            (
                date,
                n.get("text")
                    .and_then(Value::as_str)
                    .expect("text")
                    .to_string(),
            )
        })
        .collect()
}

fn tables<'a>(t: &'a Table, key: &str) -> Vec<&'a Table> {
    t.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_table).collect())
        .unwrap_or_default()
}

/// The link targets of inline Markdown, in order.
fn urls(md: &str) -> Vec<String> {
    md.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(str::to_string)
        .collect()
}

/// The `**bold**` runs of inline Markdown.
fn bold(md: &str) -> Vec<String> {
    md.split("**")
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The lines of stderr that are warnings.
fn warnings(run: &Run) -> Vec<String> {
    run.err()
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------------------
// The seed site and the bundled profile
// ---------------------------------------------------------------------------

#[test]
fn seed_site_imports_into_a_profile_that_passes_check() {
    let sandbox = Sandbox::new();
    let (p, run, _) = import_and_check(&sandbox, &shared("seed/site"));
    assert_eq!(text(&p, "person.name"), "Tongtian Zhu");
    assert_eq!(
        text(&p, "person.motto"),
        "Convince future generations, not just peers."
    );
    // The bio, with every link of the page's first paragraph.
    let bio = text(&p, "bio.text");
    for url in [
        "https://www.zju.edu.cn/english/",
        "https://person.zju.edu.cn/en/msong",
        "https://person.zju.edu.cn/en/0082004",
        "https://corporate.jd.com/",
        "https://fengxianghe.github.io/",
        "https://www.sydney.edu.au/engineering/about/our-people/academic-staff/dacheng-tao.html",
    ] {
        assert!(
            urls(bio).contains(&url.to_string()),
            "{url} in the bio:\n{bio}"
        );
    }
    assert!(
        !bio.contains("Peking University"),
        "the commented-out sentence stays out"
    );
    assert!(
        !bio.contains("Semantic Scholar"),
        "the row of links is not bio text"
    );
    // The research interests as the page has them.
    assert_eq!(text(&p, "research.heading"), "🦄 Research Interest");
    assert_eq!(text(&p, "research.quote"), "Seek truth and beauty.");
    assert!(text(&p, "research.text").starts_with("In the science aspect"));
    assert!(text(&p, "research.text").contains("In the technology aspect"));
    assert_eq!(
        text(&p, "research.focus_heading"),
        "My current research focus includes:"
    );
    assert_eq!(
        texts(&p, "research.focus"),
        [
            "Generalization Theory of Decentralized Learning;",
            "Developing Fast & Generalizable Decentralized Algorithms."
        ]
    );
    // All seven news items, newest first, with their links.
    let items = news(&p);
    let dates: Vec<&str> = items.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(
        dates,
        [
            "2023-07-12",
            "2023-07-11",
            "2023-07-08",
            "2023-04-25",
            "2023-02-11",
            "2022-12-06",
            "2022-05-17"
        ]
    );
    assert_eq!(
        urls(&items[0].1),
        [
            "https://event.baai.ac.cn/activities/692",
            "https://github.com/Raiden-Zhu/ICML-2023-DSGD-and-SAM/blob/main/Slides_ICML_2023_Decentralized_SGD_and_Average_direction_SAM_are_Asymptotically_Equivalent%20.pdf",
            "https://hub.baai.ac.cn/",
        ]
    );
    assert!(items[3].1.contains("**ICML 2023**"), "{}", items[3].1);
    // The publications of papers.bib.
    let titles: Vec<&str> = tables(&p, "publications")
        .iter()
        .map(|t| t.get("title").and_then(Value::as_str).unwrap_or(""))
        .collect();
    assert_eq!(titles.len(), 5, "{titles:?}");
    assert!(titles.contains(&"Topology-aware Generalization of Decentralized SGD"));
    // The six links of the page's row, in order, then the site's own.
    assert_eq!(
        labels(&p),
        [
            "semantic_scholar",
            "scholar",
            "email",
            "wechat",
            "github",
            "zhihu",
            "website"
        ]
    );
    assert_eq!(text(&p, "person.links.email"), "raiden@zju.edu.cn");
    assert_eq!(
        text(&p, "person.links.website"),
        "https://Raiden-Zhu.github.io"
    );
    // What could not be placed is said, once per kind and file.
    let w = warnings(&run);
    assert!(
        w.contains(
            &"warning: _news/announcement_4.md: 1 HTML <div> block reduced to its text".to_string()
        ),
        "{w:#?}"
    );
}

#[test]
fn seed_site_carries_the_facts_links_and_emphasis_of_the_bundled_profile() {
    let sandbox = Sandbox::new();
    let (got, _) = import(&sandbox, &shared("seed/site"));
    let bundled = parse_toml(
        &std::fs::read_to_string(format!("{ROOT}/profile.toml")).expect("the bundled profile"),
        "profile.toml",
    );
    for key in [
        "person.name",
        "person.motto",
        "person.photo_caption",
        "research.heading",
        "research.quote",
    ] {
        assert_eq!(text(&got, key), text(&bundled, key), "{key}");
    }
    let want = links(&bundled);
    assert_eq!(
        links(&got)[..want.len()],
        want[..],
        "the bundled links, in order"
    );
    let (got_bio, want_bio) = (text(&got, "bio.text"), text(&bundled, "bio.text"));
    assert_eq!(urls(got_bio), urls(want_bio), "the bio's links");
    assert_eq!(bold(got_bio), bold(want_bio), "the bio's emphasis");
    assert_eq!(
        urls(text(&got, "person.contact")),
        urls(text(&bundled, "person.contact"))
    );
    let (got_news, want_news) = (news(&got), news(&bundled));
    assert_eq!(got_news.len(), want_news.len());
    for ((gd, gt), (wd, wt)) in got_news.iter().zip(&want_news) {
        assert_eq!(gd, wd);
        assert_eq!(urls(gt), urls(wt), "the links of the news of {gd}");
        assert_eq!(bold(gt), bold(wt), "the emphasis of the news of {gd}");
    }
    let got_titles: Vec<&str> = tables(&got, "publications")
        .iter()
        .filter_map(|t| t.get("title").and_then(Value::as_str))
        .collect();
    for t in tables(&bundled, "publications") {
        let title = t.get("title").and_then(Value::as_str).expect("a title");
        assert!(got_titles.contains(&title), "{title} among {got_titles:?}");
    }
}

#[test]
fn seed_photo_is_copied_beside_the_output_and_named_by_its_file_name() {
    let sandbox = Sandbox::new();
    let (p, _, check) = import_and_check(&sandbox, &shared("seed/site"));
    assert_eq!(text(&p, "person.photo"), "photo_10.jpg");
    let copied = std::fs::read(sandbox.path().join("photo_10.jpg")).expect("the photo copied");
    let original =
        std::fs::read(format!("{}/assets/img/photo_10.jpg", shared("seed/site"))).unwrap();
    assert_eq!(copied, original);
    assert!(
        !check.err().contains("photo"),
        "check finds the photo:\n{}",
        check.dump()
    );
    // Without -o the photo is the site's own file, by its absolute path.
    let (p, _) = import(&sandbox, &shared("seed/site"));
    let photo = text(&p, "person.photo");
    assert!(
        Path::new(photo).is_absolute() && photo.ends_with("/assets/img/photo_10.jpg"),
        "{photo}"
    );
}

#[test]
fn snapshot_of_the_imported_profile_shows_the_news() {
    let sandbox = Sandbox::new();
    import_and_check(&sandbox, &shared("seed/site"));
    let run = sandbox.run(&[
        "--profile",
        "profile.toml",
        "snapshot",
        "--tab",
        "news",
        "--size",
        "120x30",
    ]);
    run.success();
    let screen = run.out();
    for line in [
        "Jul 12, 2023",
        "Beijing Academy of Artificial Intelligence",
        "May 17, 2022",
    ] {
        assert!(screen.contains(line), "{line} on the news tab:\n{screen}");
    }
}

// ---------------------------------------------------------------------------
// al-folio's own example site
// ---------------------------------------------------------------------------

#[test]
fn template_site_imports_and_passes_check_with_warnings_only() {
    let sandbox = Sandbox::new();
    let (p, run, check) = import_and_check(&sandbox, &shared("fixtures/al-folio-template"));
    assert_eq!(text(&p, "person.name"), "You R. Name");
    assert_eq!(
        text(&p, "person.links.scholar"),
        "https://scholar.google.com/citations?user=qc6CJjYAAAAJ"
    );
    assert_eq!(
        text(&p, "person.links.website"),
        "https://alshedivat.github.io/al-folio"
    );
    // Relative links come in as they are; check says they are inert.
    assert!(text(&p, "bio.text").contains("](/al-folio/publications/)"));
    assert!(
        check
            .err()
            .contains("relative link `/al-folio/publications/`"),
        "{}",
        check.dump()
    );
    assert!(!check.err().contains("error"), "{}", check.dump());
    // The subtitle's `href='#'` cannot be in the plain-text motto: said so.
    assert_eq!(
        text(&p, "person.motto"),
        "Affiliations. Address. Contacts. Moto. Etc."
    );
    assert!(
        run.err().contains("the subtitle's 1 link is left out"),
        "{}",
        run.dump()
    );
    assert!(
        run.err().contains("prof_pic.jpg"),
        "the missing photo is reported"
    );
    let items = news(&p);
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[1],
        (
            "2015-11-07".to_string(),
            "[A long announcement with details](https://alshedivat.github.io/al-folio/news/announcement_2/)".to_string()
        )
    );
    assert_eq!(text(&p, "display.publications"), "newest");
    assert!(tables(&p, "publications").len() >= 9);
}

// ---------------------------------------------------------------------------
// One fixture per rule
// ---------------------------------------------------------------------------

#[test]
fn an_older_sites_single_name_and_config_socials_become_the_profiles() {
    let sandbox = Sandbox::new();
    let (p, run, _) = import_and_check(&sandbox, &fixture("site-old-name"));
    assert_eq!(text(&p, "person.name"), "Ada Lovelace");
    assert!(run.stderr.is_empty(), "{}", run.dump());
    assert_eq!(
        links(&p),
        [
            ("email", "ada@example.org"),
            ("website", "https://ada.example.org"),
            ("orcid", "https://orcid.org/0000-0002-1825-0097"),
            (
                "scholar",
                "https://scholar.google.com/citations?user=AbC123dEF"
            ),
            (
                "semantic_scholar",
                "https://www.semanticscholar.org/author/1741101"
            ),
            (
                "researchgate",
                "https://www.researchgate.net/profile/Ada_Lovelace/"
            ),
            ("github", "https://github.com/ada-l"),
            ("linkedin", "https://www.linkedin.com/in/ada-lovelace"),
            ("twitter", "https://twitter.com/ada_lovelace"),
            ("mastodon", "https://mathstodon.xyz/@ada"),
            ("medium", "https://medium.com/@ada"),
            ("blogger", "https://ada.blogspot.com"),
            ("work", "https://ada.example.org/work"),
            ("wikidata", "https://www.wikidata.org/wiki/Q7259"),
            ("dblp", "https://dblp.org/pid/00/0001.html"),
            ("stackoverflow", "https://stackoverflow.com/users/1815"),
            ("kaggle", "https://www.kaggle.com/adal"),
            ("youtube", "https://youtube.com/@analyticalengine"),
        ]
        .map(|(l, u)| (l.to_string(), u.to_string()))
    );
}

#[test]
fn data_socials_follow_the_pages_row_of_links_without_repeats() {
    let sandbox = Sandbox::new();
    let (p, run, _) = import_and_check(&sandbox, &fixture("site-socials-yml"));
    assert_eq!(text(&p, "person.name"), "Grace Hopper");
    assert_eq!(
        labels(&p),
        [
            "github",
            "email",
            "scholar",
            "website",
            "x",
            "orcid",
            "cv",
            "academia",
            "cobol_lab",
            "rss"
        ]
    );
    assert_eq!(text(&p, "person.links.email"), "grace@example.org");
    assert_eq!(
        text(&p, "person.links.website"),
        "https://grace.example.io/site"
    );
    assert_eq!(
        text(&p, "person.links.cv"),
        "https://grace.example.io/site/assets/pdf/cv.pdf"
    );
    assert_eq!(
        text(&p, "person.links.cobol_lab"),
        "https://cobol.example.org"
    );
    assert_eq!(text(&p, "bio.text"), "I wrote the first compiler.\n");
    assert_eq!(
        warnings(&run),
        ["warning: _data/socials.yml: `pager_number` is not a social al-folio knows; left out"]
    );
}

#[test]
fn news_dates_in_odd_forms_become_toml_dates_newest_first() {
    let sandbox = Sandbox::new();
    let (p, run, _) = import_and_check(&sandbox, &fixture("site-odd-dates"));
    assert_eq!(
        news(&p),
        [
            ("2023-07-08", "A date with a one-digit month."),
            ("2022-12-31", "A quoted date."),
            ("2021-01-05", "A date with a time and a zone."),
            (
                "2019-03-04",
                "No date in the front matter: the file name has it."
            ),
            (
                "2015-11-07",
                "[A long &#42;announcement&#42;](https://emmy.example.org/news/2015/with_zone/)"
            ),
        ]
        .map(|(d, t)| (d.to_string(), t.to_string()))
    );
    let text = std::fs::read_to_string(sandbox.path().join("profile.toml")).unwrap();
    assert!(
        text.contains("\ndate = 2023-07-08\n"),
        "dates are TOML dates:\n{text}"
    );
    assert_eq!(
        warnings(&run),
        [
            "warning: _news: 1 item skipped: a date that is not a day (write it like 2023-07-12) (not_a_day.md)",
            "warning: _news: 1 item skipped: no date (undated.md)",
        ]
    );
}

#[test]
fn commented_out_and_unpublished_news_are_skipped_and_said_once() {
    let sandbox = Sandbox::new();
    let (p, run, _) = import_and_check(&sandbox, &fixture("site-commented-news"));
    assert_eq!(
        news(&p),
        [("2020-03-03".to_string(), "The machine works!".to_string())]
    );
    assert_eq!(
        warnings(&run),
        [
            "warning: _news: 2 items skipped: commented out whole (announcement_1.md, announcement_4.md)",
            "warning: _news: 1 item skipped: published: false (announcement_2.md)",
        ]
    );
}

#[test]
fn a_descending_scholar_order_shows_publications_newest_first() {
    let sandbox = Sandbox::new();
    let (p, run, check) = import_and_check(&sandbox, &fixture("site-descending"));
    assert_eq!(text(&p, "display.publications"), "newest");
    let keys: Vec<&str> = tables(&p, "publications")
        .iter()
        .filter_map(|t| t.get("key").and_then(Value::as_str))
        .collect();
    // As written; the viewer orders them. A repeated key (which check
    // refuses) is renamed, and said so.
    assert_eq!(keys, ["curie1898", "curie1903", "curie1903-2"]);
    assert!(
        run.err()
            .contains("_bib/refs.bib: two entries have the key `curie1903`"),
        "{}",
        run.dump()
    );
    assert!(check.stderr.is_empty(), "{}", check.dump());
    let shown = sandbox.run(&[
        "--profile",
        "profile.toml",
        "snapshot",
        "--tab",
        "publications",
        "--size",
        "100x20",
    ]);
    shown.success();
    let screen = shown.out();
    let first = screen.find("Researches").expect("the 1903 paper");
    let last = screen.find("On a new radioactive").expect("the 1898 paper");
    assert!(first < last, "newest first:\n{screen}");
}

#[test]
fn a_missing_image_is_a_warning_and_no_photo() {
    let sandbox = Sandbox::new();
    let (p, run, check) = import_and_check(&sandbox, &fixture("site-missing-image"));
    assert!(!has(&p, "person.photo"), "{p:#?}");
    assert_eq!(text(&p, "person.photo_caption"), "King's College London");
    assert_eq!(
        warnings(&run),
        [
            "warning: _pages/about.md: profile.image `nowhere.jpg`: there is no assets/img/nowhere.jpg; no photo"
        ]
    );
    assert!(check.stderr.is_empty(), "{}", check.dump());
}

#[test]
fn the_about_page_is_placed_part_by_part() {
    let sandbox = Sandbox::new();
    let (p, run, _) = import_and_check(&sandbox, &fixture("site-page"));
    assert_eq!(text(&p, "person.motto"), "Numbers are poetry.");
    assert_eq!(text(&p, "person.photo"), "me.png");
    assert_eq!(
        text(&p, "person.photo_caption"),
        "Room 42, [Babbage Building](https://example.org/building)\\\nLondon"
    );
    assert_eq!(
        text(&p, "bio.text"),
        "I am a mathematician at the [**Analytical Engine Society**](https://aes.example.org), working with *Charles Babbage*. My notes are [on the site](/home/notes/) and [in print](/print/).\n"
    );
    assert_eq!(
        labels(&p),
        ["github", "scholar", "email", "zhihu", "website"]
    );
    assert_eq!(text(&p, "research.heading"), "🔬 Research Interests");
    assert_eq!(
        text(&p, "research.quote"),
        "Imagination is the discovering faculty."
    );
    assert_eq!(
        text(&p, "research.text"),
        "I work on the engines' programs. The first is for Bernoulli numbers.\n"
    );
    assert_eq!(text(&p, "research.focus_heading"), "What I study:");
    assert_eq!(
        texts(&p, "research.focus"),
        ["Loops;", "Symbols, not only numbers.", "Even music."]
    );
    assert_eq!(
        text(&p, "person.contact"),
        "Please feel free to contact me at [ada@example.org](mailto:ada@example.org)."
    );
    let sections = tables(&p, "sections");
    let titles: Vec<&str> = sections
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Hobbies", "Teaching"]);
    assert_eq!(sections[0]["heading"].as_str(), Some("🎹 Hobbies"));
    assert_eq!(
        sections[0]["text"].as_str(),
        Some("I play the harp.\n\nHorses, too.\n")
    );
    assert_eq!(
        sections[1]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Calculus", "Analysis"]
    );
    assert_eq!(
        warnings(&run),
        [
            "warning: _pages/about.md: 2 Liquid tags left out (Jekyll fills them in when it builds the site)",
            "warning: _pages/about.md: 1 list inside other lists made part of the outer list",
            "warning: _pages/about.md: 1 HTML <div> block reduced to its text",
            "warning: _pages/about.md: 1 HTML <img> element left out",
            "warning: _pages/about.md: 1 code block left out",
            "warning: _pages/about.md: 1 table left out",
            "warning: _pages/about.md: 1 image left out",
            "warning: _pages/about.md: 1 HTML <script> element left out",
        ]
    );
    // --quiet keeps only errors, and there are none.
    let quiet = sandbox.run(&["import-site", &fixture("site-page"), "--quiet"]);
    quiet.no_panic().expect_code(0);
    assert!(quiet.stderr.is_empty(), "{}", quiet.dump());
}

// ---------------------------------------------------------------------------
// -o, --force and errors
// ---------------------------------------------------------------------------

#[test]
fn output_is_not_overwritten_without_force() {
    let sandbox = Sandbox::new();
    let site = fixture("site-page");
    sandbox.write("profile.toml", "# mine\n");
    let run = sandbox.run(&["import-site", &site, "-o", "profile.toml"]);
    run.failure(1);
    assert!(
        run.err().contains("profile.toml exists; give --force"),
        "{}",
        run.dump()
    );
    assert_eq!(
        std::fs::read_to_string(sandbox.path().join("profile.toml")).unwrap(),
        "# mine\n"
    );
    assert!(
        !sandbox.path().join("me.png").exists(),
        "nothing written when refused"
    );
    let run = sandbox.run(&["import-site", &site, "-o", "profile.toml", "--force"]);
    run.no_panic().expect_code(0);
    let written = std::fs::read_to_string(sandbox.path().join("profile.toml")).unwrap();
    assert!(written.starts_with("# profile.toml made by termfolio import-site"));
    // Again, with the same photo already there: no --force needed for it.
    std::fs::remove_file(sandbox.path().join("profile.toml")).unwrap();
    sandbox
        .run(&["import-site", &site, "-o", "profile.toml"])
        .no_panic()
        .expect_code(0);
}

#[test]
fn a_different_photo_beside_the_output_is_kept_without_force() {
    let sandbox = Sandbox::new();
    let site = fixture("site-page");
    sandbox.write("me.png", "not the site's photo");
    let run = sandbox.run(&["import-site", &site, "-o", "profile.toml"]);
    run.failure(1);
    assert!(
        run.err()
            .contains("me.png exists and is not the site's photo; give --force"),
        "{}",
        run.dump()
    );
    assert!(!sandbox.path().join("profile.toml").exists());
    sandbox
        .run(&["import-site", &site, "-o", "profile.toml", "--force"])
        .no_panic()
        .expect_code(0);
    assert_eq!(
        std::fs::read(sandbox.path().join("me.png")).unwrap(),
        std::fs::read(format!("{site}/assets/img/me.png")).unwrap()
    );
}

#[test]
fn an_output_that_cannot_be_written_is_an_error() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&[
        "import-site",
        &fixture("site-old-name"),
        "-o",
        "no/such/dir/profile.toml",
    ]);
    run.failure(1);
    assert!(
        run.err().contains("cannot write no/such/dir/profile.toml"),
        "{}",
        run.dump()
    );
}

#[test]
fn a_folder_that_is_not_a_site_is_an_error() {
    let sandbox = Sandbox::new();
    sandbox.write("empty/README.md", "not a site\n");
    sandbox.write("file.txt", "x");
    for dir in ["empty", "missing", "file.txt"] {
        let run = sandbox.run(&["import-site", dir]);
        run.failure(1);
        assert!(
            run.err().contains(&format!(
                "{dir} is not a Jekyll site: it has no _config.yml"
            )),
            "{}",
            run.dump()
        );
    }
    let usage = sandbox.run(&["import-site"]);
    usage.no_panic().expect_code(2);
}

// ---------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------

/// Runs `import-site site` and asserts it fails with `error:` within a second.
#[track_caller]
fn fails_fast(sandbox: &Sandbox, site: &str) -> String {
    let start = Instant::now();
    let run = sandbox.run(&["import-site", site]);
    let took = start.elapsed();
    run.no_panic().failure(1);
    assert!(
        took < Duration::from_secs(1),
        "took {took:?}\n{}",
        run.dump()
    );
    assert_inert(&run.stderr, &run.what);
    run.err()
}

#[test]
fn a_billion_laughs_config_fails_fast_with_a_clear_error() {
    let sandbox = Sandbox::new();
    let err = fails_fast(&sandbox, &fixture("site-hostile-yaml"));
    assert!(
        err.starts_with("error: _config.yml: YAML past import-site's limits"),
        "{err}"
    );
}

#[test]
fn a_million_aliases_fail_within_a_second() {
    let sandbox = Sandbox::new();
    let mut yaml = String::from("first_name: A\nanchor: &a x\naliases: [");
    yaml.push_str(&"*a,".repeat(1_000_000));
    yaml.push_str("]\n");
    sandbox.write("site/_config.yml", yaml);
    let err = fails_fast(&sandbox, "site");
    assert!(err.contains("YAML past import-site's limits"), "{err}");
    assert!(err.contains("Aliases"), "{err}");
}

#[test]
fn a_ten_megabyte_about_page_fails_fast() {
    let sandbox = Sandbox::new();
    sandbox.write("site/_config.yml", "first_name: A\n");
    let mut page = String::from("---\nlayout: about\n---\n\n");
    page.push_str(&"All work and no play. ".repeat(500_000));
    sandbox.write("site/_pages/about.md", page);
    let err = fails_fast(&sandbox, "site");
    assert!(
        err.starts_with("error: _pages/about.md is 10.5 MiB; import-site reads at most 4 MiB"),
        "{err}"
    );
}

#[test]
fn a_news_file_that_cannot_be_read_is_an_error_but_the_rest_comes_in() {
    let sandbox = Sandbox::new();
    sandbox.write("site/_config.yml", "first_name: A\nlast_name: B\n");
    sandbox.write(
        "site/_news/good.md",
        "---\ndate: 2024-01-02\ninline: true\n---\nGood news.\n",
    );
    sandbox.write("site/_news/broken.md", "---\ndate: [2024\n---\nBroken.\n");
    sandbox.write(
        "site/_news/binary.md",
        b"---\ndate: 2024-01-03\n---\n\xff\xfe\n".as_slice(),
    );
    sandbox.write("site/_pages/about.md", "<img src=x.png> Bio.\n");
    let run = sandbox.run(&["import-site", "site", "--quiet"]);
    run.no_panic().expect_code(1);
    assert_eq!(
        news(&printed(&run)),
        [("2024-01-02".to_string(), "Good news.".to_string())]
    );
    let err = run.err();
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].starts_with("error: _news/binary.md: "), "{err}");
    assert!(
        lines[1].starts_with("error: _news/broken.md: front matter: "),
        "{err}"
    );
    assert_eq!(
        lines[2],
        "error: 2 parts of the site could not be imported (see above)"
    );
    assert!(
        !err.contains("warning:"),
        "--quiet keeps only errors:\n{err}"
    );
}

#[test]
fn control_characters_and_escapes_never_come_out_raw() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "site/_config.yml",
        "first_name: \"Eve\\e[31m\"\nlast_name: \"\\u202eMallory\"\nurl: \"https://e.example\\u0007\"\n",
    );
    sandbox.write(
        "site/_pages/about.md",
        "---\nsubtitle: \"\\e]52;c;aGk=\\a quote\"\n---\n\nBio \u{1b}[2J with <b>\u{1b}]8;;https://x\u{7}link</b>.\n\n## Notes\u{9b}\n\n- item \u{1b}P\n",
    );
    let run = sandbox.run(&["import-site", "site"]);
    run.no_panic().expect_code(0);
    assert_inert(&run.stdout, "stdout");
    assert_inert(&run.stderr, "stderr");
    printed(&run);
}
