//! Benchmarks (divan): one frame of the Publications tab, building an `App`,
//! and loading a profile.
//!
//! Run with `cargo bench --bench render` (filter: `cargo bench --bench render -- frame`).
//!
//! * `frame`: one `Terminal::draw` of `ui::draw` into a `TestBackend` kept
//!   across iterations (what the live viewer does per frame),
//! * `snapshot_draw`: `termfolio::snapshot::draw`, a fresh terminal and buffer
//!   per call (what `termfolio snapshot` does),
//! * `app_new`: `App::new` (once per viewer / SSH session),
//! * `filter_key`: one keystroke into the Publications filter,
//! * `parse`: `profile::parse` of generated TOML, and `parse_raw`, its
//!   baseline: `toml::from_str` into the same structs (issue 16: `parse`
//!   at most 1.2x `parse_raw`),
//! * `plain_output`: `plain::write` of a parsed profile into `io::sink`, what
//!   `termfolio > file` does after opening (issue 16: opening and this
//!   together at most 2x opening, so this at most `parse`),
//! * `bio_tab`: one `frame` of the Bio tab with the bundled profile as it
//!   is (`rich`: links and bold) and with every prose field made plain
//!   (`plain`); issue 12 wants `rich` within 1.2x of `plain`.
//!
//! Frame cases are `WxH/publications/selection`; the selection is the first
//! publication (`top`), the middle one (reached with PageDown, then Up), or the
//! last one (`Action::Bottom`). A frame must cost the same at 1,000 and 100,000
//! publications, wherever the selection is. (10 publications do not fill the
//! list at 200x60, which has room for 27, so that case draws fewer rows; the
//! 1,000 case is the control with a full list.)
//!
//! Profiles are generated deterministically; nothing is read from disk. With
//! `TERMFOLIO_BENCH_DUMP_DIR=dir`, `parse` writes its text to `dir/profile-N.toml`
//! (`bench/gen_profile.py N` writes the same bytes).

use std::collections::HashMap;
use std::fmt;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use termfolio::app::{Action, App, PhotoLook, Tab};
use termfolio::profile::{self, Profile, Publication, Source, markup};
use termfolio::ui;
use termfolio::{photo, snapshot};

fn main() {
    divan::main();
}

/// The Publications tab's index.
const PUBLICATIONS_TAB: usize = 3;

/// The Bio tab's index.
const BIO_TAB: usize = 0;

// ---------------------------------------------------------------------------
// Generated publications
// ---------------------------------------------------------------------------

/// A small deterministic PRNG (SplitMix64), seeded per publication.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// In `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }
}

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "Decentralized", "SGD", "Generalization", "of", "Sharpness-Aware", "Minimization",
    "Topology-aware", "Learning", "Federated", "Optimization", "Asymptotic", "Analysis",
    "Stochastic", "Gradient", "Descent", "on", "Graphs", "Convergence", "Bounds", "for",
    "Deep", "Neural", "Networks", "Communication-Efficient", "Gossip", "Algorithms", "and",
    "Their", "Stability", "Implicit", "Regularization", "in", "Non-Convex", "Landscapes",
    "Multi-Agent", "Value", "Decomposition", "Contrastive", "Identity-Aware", "Benign",
    "Overfitting", "Transformers", "Large", "Language", "Models", "Robustness", "Theory",
    "A", "Unified", "View", "Towards", "Understanding", "Flat", "Minima", "Heterogeneous",
    "Data", "Privacy-Preserving", "Consensus", "Momentum", "Adaptive", "Methods",
];

#[rustfmt::skip]
const FIRST: &[&str] = &[
    "Fengxiang", "Lan", "Zhengyang", "Mingli", "Dacheng", "Kaixuan", "Chun", "Wei", "Jing",
    "Yang", "Xin", "Hao", "Li", "Ming", "José", "Zoë", "Anna", "Pierre", "Sofía", "Lars",
];

#[rustfmt::skip]
const LAST: &[&str] = &[
    "He", "Zhang", "Niu", "Song", "Tao", "Chen", "Wang", "Li", "Liu", "Zhao", "Huang",
    "García", "Müller", "Dubois", "Nakamura", "Kowalski", "O'Brien", "Rossi", "Sørensen",
];

/// (abbr, booktitle) pairs, `{y}` for the year, `{n}` for the edition.
const VENUES: &[(&str, &str)] = &[
    (
        "ICML",
        "Proceedings of the {n}th International Conference on Machine Learning",
    ),
    (
        "NeurIPS",
        "Advances in Neural Information Processing Systems {y}",
    ),
    (
        "ICLR",
        "The {n}th International Conference on Learning Representations",
    ),
    (
        "AAAI",
        "Proceedings of the AAAI Conference on Artificial Intelligence",
    ),
    (
        "IJCAI",
        "Proceedings of the {n}th International Joint Conference on Artificial Intelligence",
    ),
    (
        "CVPR",
        "IEEE/CVF Conference on Computer Vision and Pattern Recognition",
    ),
    (
        "COLT",
        "Proceedings of the {n}th Conference on Learning Theory",
    ),
    (
        "AISTATS",
        "The {n}th International Conference on Artificial Intelligence and Statistics",
    ),
];

#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "17–23 Jul", "23–29 Jul", "aug", "sep", "oct",
    "nov", "dec",
];

const AWARDS: &[&str] = &["Oral", "Spotlight", "Best Paper Award", "Outstanding Paper"];

/// The profile owner, as the bundled profile names them.
const OWNER: &str = "Tongtian Zhu";

/// Publication `i` of a generated list: title, 3–6 authors (the owner in most),
/// abbr, booktitle, year, month, an award on about one in eight, url, code.
fn publication(i: usize) -> Publication {
    let mut r = Rng::new(i as u64);
    let words = r.range(5, 14);
    let title = (0..words)
        .map(|_| r.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ");
    let n_authors = r.range(3, 6);
    let owner_at = if r.range(0, 9) < 8 {
        Some(r.range(0, n_authors - 1))
    } else {
        None
    };
    let authors = (0..n_authors)
        .map(|k| {
            if Some(k) == owner_at {
                OWNER.to_string()
            } else {
                format!("{} {}", r.pick(FIRST), r.pick(LAST))
            }
        })
        .collect();
    let year = 2000 + r.range(0, 25) as u16;
    let (abbr, book) = VENUES[r.range(0, VENUES.len() - 1)];
    let booktitle = book
        .replace("{y}", &year.to_string())
        .replace("{n}", &(year - 1983).to_string());
    let award = (r.range(0, 7) == 0).then(|| r.pick(AWARDS).to_string());
    let slug = format!("{}{}{}", abbr.to_lowercase(), year, i);
    Publication {
        key: Some(format!("p{i}")),
        entry_type: Some("inproceedings".into()),
        title,
        authors,
        abbr: Some(format!("{abbr} {year}")),
        booktitle: Some(booktitle),
        year,
        month: Some(r.pick(MONTHS).to_string()),
        award,
        url: Some(format!(
            "https://proceedings.example.org/{year}/{slug}.html"
        )),
        code: Some(format!("https://github.com/example/{slug}")),
        ..Publication::default()
    }
}

/// The bundled profile with `n` generated publications, shared between cases.
fn profile_with(n: usize) -> Arc<Profile> {
    static CACHE: OnceLock<Mutex<HashMap<usize, Arc<Profile>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap();
    Arc::clone(cache.entry(n).or_insert_with(|| {
        let mut p = profile::parse(profile::BUNDLED, &Source::Bundled).expect("bundled profile");
        p.publications = (0..n).map(publication).collect();
        Arc::new(p)
    }))
}

/// A TOML basic string.
fn toml_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `key = "value"` when the value is there.
fn field(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        out.push_str(key);
        out.push_str(" = ");
        toml_str(out, v);
        out.push('\n');
    }
}

fn toml_pub(out: &mut String, p: &Publication) {
    out.push_str("\n[[publications]]\n");
    field(out, "key", p.key.as_deref());
    field(out, "type", p.entry_type.as_deref());
    field(out, "title", Some(&p.title));
    out.push_str("authors = [");
    for (k, a) in p.authors.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        toml_str(out, a);
    }
    out.push_str("]\n");
    field(out, "abbr", p.abbr.as_deref());
    field(out, "booktitle", p.booktitle.as_deref());
    field(out, "month", p.month.as_deref());
    let _ = writeln!(out, "year = {}", p.year);
    field(out, "award", p.award.as_deref());
    field(out, "url", p.url.as_deref());
    field(out, "code", p.code.as_deref());
}

/// `profile.toml` text: the bundled profile's person, bio, news and sections,
/// with its publications replaced by `n` generated ones.
fn profile_toml(n: usize) -> String {
    let bundled = profile::BUNDLED;
    let first_pub = bundled
        .find("\n[[publications]]")
        .expect("bundled has publications");
    let sections = bundled[first_pub..]
        .find("\n[[sections]]")
        .map_or(bundled.len(), |i| first_pub + i);
    let mut out = String::with_capacity(n * 600 + bundled.len());
    out.push_str(&bundled[..first_pub]);
    out.push('\n');
    for i in 0..n {
        toml_pub(&mut out, &publication(i));
    }
    out.push_str(&bundled[sections..]);
    out
}

// ---------------------------------------------------------------------------
// Frame cases
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Selection {
    Top,
    Middle,
    Bottom,
}

#[derive(Debug, Clone, Copy)]
struct Case {
    w: u16,
    h: u16,
    n: usize,
    sel: Selection,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sel = match self.sel {
            Selection::Top => "top",
            Selection::Middle => "middle",
            Selection::Bottom => "bottom",
        };
        write!(f, "{}x{}/{}/{}", self.w, self.h, self.n, sel)
    }
}

const fn case(w: u16, h: u16, n: usize, sel: Selection) -> Case {
    Case { w, h, n, sel }
}

use Selection::{Bottom, Middle, Top};

const FRAME_CASES: [Case; 14] = [
    case(80, 24, 10, Top),
    case(80, 24, 10, Middle),
    case(80, 24, 10, Bottom),
    case(80, 24, 1_000, Middle),
    case(80, 24, 100_000, Top),
    case(80, 24, 100_000, Middle),
    case(80, 24, 100_000, Bottom),
    case(200, 60, 10, Top),
    case(200, 60, 10, Middle),
    case(200, 60, 10, Bottom),
    case(200, 60, 1_000, Middle),
    case(200, 60, 100_000, Top),
    case(200, 60, 100_000, Middle),
    case(200, 60, 100_000, Bottom),
];

const SNAPSHOT_CASES: [Case; 4] = [
    case(80, 24, 10, Middle),
    case(80, 24, 100_000, Middle),
    case(200, 60, 10, Middle),
    case(200, 60, 100_000, Middle),
];

impl Case {
    /// An `App` on the Publications tab with the selection placed, checked by
    /// drawing it once.
    fn app(self) -> App {
        let mut app = App::new(profile_with(self.n), true, self.w, self.h);
        app.update(Action::GoTab(PUBLICATIONS_TAB));
        assert_eq!(app.tab(), Tab::Publications);
        let target = match self.sel {
            Top => 0,
            Middle => self.n / 2,
            Bottom => self.n - 1,
        };
        match self.sel {
            Top => {}
            Middle => {
                while app.list().selected < target {
                    app.update(Action::PageDown);
                }
                while app.list().selected > target {
                    app.update(Action::Up);
                }
            }
            Bottom => app.update(Action::Bottom),
        }
        assert_eq!(app.list().selected, target, "{self}");
        // The screen shows the Publications tab at that publication.
        let text = snapshot::to_text(&snapshot::draw(&app));
        let position = format!("{}/{}", target + 1, self.n);
        assert!(
            text.contains(&position),
            "{self}: no `{position}` in\n{text}"
        );
        assert!(text.contains('▸'), "{self}: no selection marker in\n{text}");
        app
    }
}

/// One frame into a terminal kept across frames, as the live viewer draws.
#[divan::bench(args = FRAME_CASES)]
fn frame(bencher: Bencher, case: Case) {
    bench_frame(bencher, &case.app(), case.w, case.h);
}

/// One frame into a terminal kept across frames.
fn bench_frame(bencher: Bencher, app: &App, w: u16, h: u16) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    bencher.bench_local(|| {
        let frame = terminal
            .draw(|f| ui::draw(divan::black_box(app), f))
            .expect("draw");
        divan::black_box(frame.area);
    });
}

/// `snapshot::draw`: a new terminal per call and a copy of the buffer.
#[divan::bench(args = SNAPSHOT_CASES)]
fn snapshot_draw(bencher: Bencher, case: Case) {
    let app = case.app();
    bencher.bench_local(|| snapshot::draw(divan::black_box(&app)));
}

// ---------------------------------------------------------------------------
// Bio tab: rich against plain prose
// ---------------------------------------------------------------------------

/// Prose of several paragraphs without markup, paragraphs kept apart.
fn plain_paragraphs(text: &str) -> String {
    markup::paragraphs(text)
        .iter()
        .map(markup::Rich::plain)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// One paragraph of prose without markup.
fn plain_line(text: &str) -> String {
    markup::inline(text).plain()
}

fn plain_lines(items: &mut [String]) {
    for item in items {
        *item = plain_line(item);
    }
}

/// `p` with every prose field replaced by its text without markup.
fn made_plain(mut p: Profile) -> Profile {
    p.bio.text = plain_paragraphs(&p.bio.text);
    let person = &mut p.person;
    for field in [&mut person.contact, &mut person.photo_caption] {
        *field = field.as_deref().map(plain_line);
    }
    plain_lines(&mut person.supervisors);
    // The row of links as the same labels, drawn as text: a target the
    // link table refuses is shown as its label alone.
    for (_, url) in &mut person.links.0 {
        *url = "none:".to_string();
    }
    for e in &mut p.experience {
        plain_lines(&mut e.mentors);
    }
    p.research.text = plain_paragraphs(&p.research.text);
    plain_lines(&mut p.research.focus);
    for item in &mut p.news {
        item.text = plain_line(&item.text);
    }
    for section in &mut p.sections {
        section.text = plain_paragraphs(&section.text);
        plain_lines(&mut section.items);
    }
    p
}

/// The bundled profile as it is (rich) and made plain, parsed once.
fn bundled_profiles() -> &'static (Arc<Profile>, Arc<Profile>) {
    static PROFILES: OnceLock<(Arc<Profile>, Arc<Profile>)> = OnceLock::new();
    PROFILES.get_or_init(|| {
        let rich = profile::parse(profile::BUNDLED, &Source::Bundled).expect("bundled profile");
        let plain = made_plain(rich.clone());
        (Arc::new(rich), Arc::new(plain))
    })
}

#[derive(Debug, Clone, Copy)]
struct BioCase {
    w: u16,
    h: u16,
    rich: bool,
}

impl fmt::Display for BioCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prose = if self.rich { "rich" } else { "plain" };
        write!(f, "{}x{}/{prose}", self.w, self.h)
    }
}

const fn bio_case(w: u16, h: u16, rich: bool) -> BioCase {
    BioCase { w, h, rich }
}

const BIO_CASES: [BioCase; 4] = [
    bio_case(80, 24, true),
    bio_case(80, 24, false),
    bio_case(200, 60, true),
    bio_case(200, 60, false),
];

/// A viewer on the Bio tab of `profile` at `w`x`h`, its screen as text, and
/// whether any cell of it is a link.
fn bio_app(profile: &Arc<Profile>, w: u16, h: u16) -> (App, String, bool) {
    let mut app = App::new(Arc::clone(profile), true, w, h);
    app.update(Action::GoTab(BIO_TAB));
    assert_eq!(app.tab(), Tab::Bio);
    let (buf, links) = snapshot::draw_with_links(&app);
    (app, snapshot::to_text(&buf), !links.is_empty())
}

impl BioCase {
    /// An `App` on the Bio tab, checked against the other profile: the plain
    /// profile must read exactly as the rich one on screen, or the two
    /// frames would not draw the same text.
    fn app(self) -> App {
        let (rich, plain) = bundled_profiles();
        let (rich_app, rich_text, rich_links) = bio_app(rich, self.w, self.h);
        let (plain_app, plain_text, plain_links) = bio_app(plain, self.w, self.h);
        assert!(
            rich_text.contains("Hi there"),
            "{self}: not the Bio tab\n{rich_text}"
        );
        // What the two cases claim: links on the rich screen, none on the plain.
        assert!(rich_links, "{self}: no link on the rich Bio screen");
        assert!(!plain_links, "{self}: a link on the plain Bio screen");
        assert_eq!(
            rich_text, plain_text,
            "{self}: the plain profile's Bio screen differs from the rich one's"
        );
        if self.rich { rich_app } else { plain_app }
    }
}

/// One frame of the Bio tab, as `frame` draws it.
#[divan::bench(args = BIO_CASES)]
fn bio_tab(bencher: Bencher, case: BioCase) {
    bench_frame(bencher, &case.app(), case.w, case.h);
}

// ---------------------------------------------------------------------------
// App construction and profile load
// ---------------------------------------------------------------------------

/// `App::new` at 200x60: done once per viewer (and per SSH session).
#[divan::bench(args = [10, 100_000])]
fn app_new(bencher: Bencher, n: usize) {
    let profile = profile_with(n);
    bencher.bench_local(|| App::new(Arc::clone(divan::black_box(&profile)), true, 200, 60));
}

/// One keystroke typed into the Publications filter (`/d`, then `e`) with
/// `n` publications: the filter runs over all of them and the list is laid
/// out again. The viewer is cloned outside the timed section.
#[divan::bench(args = [100_000], sample_count = 20, sample_size = 1)]
fn filter_key(bencher: Bencher, n: usize) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    let mut app = App::new(profile_with(n), true, 200, 60);
    app.update(Action::GoTab(3));
    app.on_key(&key('/'));
    app.on_key(&key('d'));
    bencher
        .with_inputs(|| app.clone())
        .bench_local_values(|mut a| {
            a.on_key(&key('e'));
            a
        });
}

/// The first character typed into a Publications filter (`d` after `/`)
/// with `n` publications: the search over all of them (later keys narrow
/// what the earlier ones let through; `filter_key` times one of those).
#[divan::bench(args = [100_000], sample_count = 20, sample_size = 1)]
fn filter_first_key(bencher: Bencher, n: usize) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    let mut app = App::new(profile_with(n), true, 200, 60);
    app.update(Action::GoTab(3));
    app.on_key(&key('/'));
    bencher
        .with_inputs(|| app.clone())
        .bench_local_values(|mut a| {
            a.on_key(&key('d'));
            a
        });
}

/// The baseline of `parse`: `toml::from_str` of the same text into the same
/// serde structs, without our sanitizing and ordering (issue 16: opening
/// should cost at most 1.2x this).
#[divan::bench(args = [10_000, 100_000], sample_count = 10, sample_size = 1)]
fn parse_raw(bencher: Bencher, n: usize) {
    let text = profile_toml(n);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench_local(|| toml::from_str::<Profile>(divan::black_box(&text)).expect("parses"));
}

/// Opening the Publications filter (`/`) with `n` publications: what the
/// filter searches is built then, once per viewer.
#[divan::bench(args = [100_000], sample_count = 20, sample_size = 1)]
fn filter_open(bencher: Bencher, n: usize) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut app = App::new(profile_with(n), true, 200, 60);
    app.update(Action::GoTab(3));
    bencher
        .with_inputs(|| app.clone())
        .bench_local_values(|mut a| {
            a.on_key(&KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
            a
        });
}

/// `profile::parse` (TOML + schema + sanitize) of generated text. The parsed
/// profile is dropped outside the timed section.
#[divan::bench(args = [10_000, 100_000], sample_count = 10, sample_size = 1)]
fn parse(bencher: Bencher, n: usize) {
    let text = profile_toml(n);
    // The text is what the benchmark claims: it parses to the generated list.
    let parsed = profile::parse(&text, &Source::Bundled).expect("generated profile parses");
    assert_eq!(parsed.publications.len(), n);
    for i in [0, n / 2, n - 1] {
        let (got, want) = (&parsed.publications[i], publication(i));
        assert_eq!(got.title, want.title);
        assert_eq!(got.authors, want.authors);
        assert_eq!(got.award, want.award);
        assert_eq!(got.month, want.month);
    }
    drop(parsed);
    // Opt-in: write the text out, e.g. to compare with bench/gen_profile.py.
    if let Some(dir) = std::env::var_os("TERMFOLIO_BENCH_DUMP_DIR") {
        let path = std::path::Path::new(&dir).join(format!("profile-{n}.toml"));
        std::fs::write(&path, &text).expect("write the generated profile");
    }
    bencher
        .counter(BytesCount::of_str(&text))
        .counter(ItemsCount::new(n))
        .bench_local(|| profile::parse(divan::black_box(&text), &Source::Bundled).expect("parses"));
}

/// `plain::write` of the whole profile (every section, every publication
/// laid out at 80 columns) into a sink, as `termfolio > file` writes it.
#[divan::bench(args = [10_000, 100_000], sample_count = 10, sample_size = 1)]
fn plain_output(bencher: Bencher, n: usize) {
    let profile = profile_with(n);
    let mut bytes = CountingSink::default();
    termfolio::plain::write(&profile, termfolio::plain::WIDTH, &mut bytes).expect("writes");
    // It is the whole profile: more than 100 bytes a paper.
    assert!(bytes.0 > n * 100, "{} bytes for {n} papers", bytes.0);
    bencher.counter(BytesCount::new(bytes.0)).bench_local(|| {
        termfolio::plain::write(&profile, termfolio::plain::WIDTH, &mut std::io::sink())
            .expect("writes")
    });
}

/// A writer that only counts what it is given.
#[derive(Default)]
struct CountingSink(usize);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// The photo
// ---------------------------------------------------------------------------

/// A viewer on the Bio tab at `w`x`h`, with the bundled photo drawn in half
/// blocks or not at all.
fn photo_app(w: u16, h: u16, photo: bool) -> App {
    let profile = Arc::clone(&bundled_profiles().0);
    let look = if photo {
        PhotoLook::Drawn { truecolor: true }
    } else {
        PhotoLook::Off
    };
    let found = photo::locate(&profile, &Source::Bundled)
        .and_then(Result::ok)
        .map(Arc::new);
    assert!(found.is_some(), "the bundled profile has a photo");
    App::with_photo_at(profile, true, w, h, found, look)
}

/// One Bio frame at 200x60 with the photo (after the first, which scales
/// it) and without; issue 13 wants at most 1.5x.
#[divan::bench(args = ["with", "without"])]
fn bio_photo(bencher: Bencher, which: &str) {
    let app = photo_app(200, 60, which == "with");
    assert_eq!(app.tab(), Tab::Bio);
    bench_frame(bencher, &app, 200, 60);
}

/// The first frame after a resize: the layout and the photo scaled for a
/// size not drawn before (the cache keeps a few sizes: 16 widths, each a
/// photo of its own width, go round).
#[divan::bench]
fn photo_resize(bencher: Bencher) {
    let mut app = photo_app(200, 60, true);
    let mut i = 0u16;
    bencher.bench_local(|| {
        i = (i + 1) % 16;
        app.update(Action::Resize(60 + i * 3, 30));
        divan::black_box(snapshot::draw(&app));
    });
}
