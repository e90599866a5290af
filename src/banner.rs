//! `termfolio banner`: the login card. Plain and fast: no TUI machinery, one
//! write, honest widths, colour only where it is wanted, ASCII decorations
//! where the locale is not UTF-8, and ASCII punctuation too for a card
//! written in advance (`--ascii`, [`render_ascii`]).

mod ascii;

use std::borrow::Cow;

use crate::doc as text;
use crate::photo::Photo;
use crate::profile::{Profile, Publication};

/// The card never grows past this many lines.
pub(crate) const MAX_LINES: usize = 16;
/// Nor past this many columns.
pub(crate) const MAX_WIDTH: usize = 100;
/// Below this width the card is just the name and one line.
pub(crate) const MIN_FULL_WIDTH: usize = 40;

/// How to print the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub width: usize,
    pub news: usize,
    pub color: bool,
    pub unicode: bool,
    /// Where the card is shown, for its last line: how to browse more.
    pub hint: Hint,
    /// Links as OSC 8 hyperlinks (only under `--hyperlinks always`: a card
    /// is printed before anyone knows what shows it). Otherwise link text only.
    pub hyperlinks: bool,
}

/// How a reader of the card can see the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hint {
    /// On the machine itself: run `termfolio`.
    #[default]
    Local,
    /// Over `termfolio serve`: connect again with a terminal.
    Ssh,
}

/// The glyphs of the card's decorations.
struct Glyphs {
    rule: &'static str,
    dot: &'static str,
    ellipsis: &'static str,
    open_quote: &'static str,
    close_quote: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    rule: "─",
    dot: " · ",
    ellipsis: "…",
    open_quote: "“",
    close_quote: "”",
};

const ASCII: Glyphs = Glyphs {
    rule: "-",
    dot: " - ",
    ellipsis: "...",
    open_quote: "\"",
    close_quote: "\"",
};

/// SGR styles, or nothing when colour is off.
#[derive(Clone, Copy)]
enum Paint {
    Name,
    Dim,
    Italic,
    Label,
    Date,
    Abbr,
    Award,
}

impl Paint {
    fn code(self) -> &'static str {
        match self {
            Paint::Name => "1;36",
            Paint::Dim => "2",
            Paint::Italic => "3;35",
            Paint::Label => "1;34",
            Paint::Date => "32",
            Paint::Abbr => "1",
            Paint::Award => "33",
        }
    }
}

/// One line of the card under construction, measured as it grows.
struct Line<'a> {
    out: String,
    used: usize,
    width: usize,
    options: &'a Options,
    glyphs: &'a Glyphs,
}

impl<'a> Line<'a> {
    fn new(options: &'a Options, glyphs: &'a Glyphs) -> Self {
        Line {
            out: String::new(),
            used: 0,
            width: options.width,
            options,
            glyphs,
        }
    }

    /// Appends `s`, cut with an ellipsis at the line's width.
    fn push(&mut self, s: &str, paint: Option<Paint>) -> &mut Self {
        let room = self.width.saturating_sub(self.used);
        if room == 0 || s.is_empty() {
            return self;
        }
        let cut = truncate(s, room, self.glyphs.ellipsis);
        self.used += text::width(&cut);
        match paint.filter(|_| self.options.color) {
            Some(p) => {
                self.out.push_str("\x1b[");
                self.out.push_str(p.code());
                self.out.push('m');
                self.out.push_str(&cut);
                self.out.push_str("\x1b[0m");
            }
            None => self.out.push_str(&cut),
        }
        self
    }

    /// Appends `s`, a link to `url` when hyperlinks are on and the link
    /// table allows it.
    fn push_link(&mut self, s: &str, paint: Option<Paint>, url: Option<&str>) -> &mut Self {
        let used = self.used;
        let start = url
            .filter(|_| self.options.hyperlinks && self.used < self.width && !s.is_empty())
            .and_then(|u| crate::ansi::link_start(link_id(u), u));
        match start {
            Some(start) => {
                self.out.push_str(&start);
                self.push(s, paint);
                self.out.push_str(crate::ansi::LINK_END);
            }
            None => {
                self.push(s, paint);
            }
        }
        debug_assert!(self.used >= used);
        self
    }

    /// Appends `s` only if all of it fits (a badge is whole or absent).
    fn push_whole(&mut self, s: &str, paint: Option<Paint>) -> &mut Self {
        if self.used + text::width(s) <= self.width {
            self.push(s, paint);
        }
        self
    }

    /// Pads with spaces to column `col` (for aligned columns).
    fn pad_to(&mut self, col: usize) -> &mut Self {
        if self.used < col && col < self.width {
            self.out.push_str(&" ".repeat(col - self.used));
            self.used = col;
        }
        self
    }

    fn finish(&mut self) -> String {
        let mut s = std::mem::take(&mut self.out);
        let trimmed = s.trim_end_matches(' ').len();
        s.truncate(trimmed);
        s
    }
}

/// A piece of a card line: text, its paint, the column it starts at (after
/// the label), whether it must be shown whole or not at all, and the links
/// in it (byte ranges of `text` and their targets).
struct Cell {
    text: String,
    paint: Option<Paint>,
    col: usize,
    whole: bool,
    links: Vec<(std::ops::Range<usize>, String)>,
}

impl Cell {
    fn new(text: String, paint: Option<Paint>, col: usize) -> Self {
        Cell {
            text,
            paint,
            col,
            whole: false,
            links: Vec::new(),
        }
    }

    /// Profile prose (inline Markdown) as the text it reads as, its links
    /// kept; its punctuation as ASCII when `ascii` (piece by piece, so the
    /// links' ranges are those of the text shown).
    fn prose(markdown: &str, paint: Option<Paint>, col: usize, ascii: bool) -> Self {
        let rich = crate::profile::markup::inline(markdown);
        let mut cell = Cell::new(String::new(), paint, col);
        for piece in &rich.pieces {
            // A line break reads as a space on a one-line card.
            let piece_text = if piece.text == "\n" { " " } else { &piece.text };
            let piece_text = shown(piece_text, ascii);
            let start = cell.text.len();
            cell.text.push_str(&piece_text);
            if let Some(url) = piece.link.and_then(|i| rich.links.get(i)) {
                match cell.links.last_mut() {
                    Some((range, last)) if range.end == start && last == url => {
                        range.end = cell.text.len()
                    }
                    _ => cell.links.push((start..cell.text.len(), url.clone())),
                }
            }
        }
        cell
    }

    /// Writes the cell into `line`: its text, cut to fit, with its links.
    fn put(&self, line: &mut Line) {
        if self.whole {
            line.push_whole(&self.text, self.paint);
            return;
        }
        if self.links.is_empty() || !line.options.hyperlinks {
            line.push(&self.text, self.paint);
            return;
        }
        // Cut once, then write the pieces of what is left (they all fit).
        let room = line.width.saturating_sub(line.used);
        let cut = truncate(&self.text, room, line.glyphs.ellipsis);
        let kept = if cut == self.text {
            cut.len()
        } else {
            cut.len() - line.glyphs.ellipsis.len()
        };
        let mut at = 0;
        for (range, url) in &self.links {
            let (start, end) = (range.start.min(kept), range.end.min(kept));
            line.push(&cut[at..start], self.paint);
            line.push_link(&cut[start..end], self.paint, Some(url));
            at = end;
        }
        line.push(&cut[at..], self.paint);
    }
}

/// The OSC 8 id of a link on the card: made from its URL, so the same link
/// has the same id and the id holds nothing but digits.
fn link_id(url: &str) -> u16 {
    let hash = url.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    (hash % 0xffff) as u16
}

/// Cuts `s` to `max` columns, ending with `ellipsis` when cut.
fn truncate(s: &str, max: usize, ellipsis: &str) -> String {
    if text::width(s) <= max {
        return s.to_string();
    }
    let ew = text::width(ellipsis);
    if max <= ew {
        // No room for an ellipsis: as many whole graphemes as fit.
        let mut out = String::new();
        let mut used = 0;
        for (_, g) in text::text::clusters(s) {
            used += text::width(g);
            if used > max {
                break;
            }
            out.push_str(g);
        }
        return out;
    }
    let mut cut = text::truncate(s, max - ew + 1);
    cut.pop(); // text::truncate ends with '…'
    // Cut just after the text's own ellipsis (`and more… “x”`): one is enough.
    if cut.trim_end().ends_with(ellipsis) {
        cut.truncate(cut.trim_end().len());
        return cut;
    }
    format!("{cut}{ellipsis}")
}

/// Profile text as the card shows it: as written, or with its typographic
/// punctuation as ASCII.
fn shown(text: &str, ascii: bool) -> Cow<'_, str> {
    if ascii {
        ascii::punctuation(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// The card as text, every line at most `options.width` columns.
pub fn render(profile: &Profile, options: &Options) -> String {
    render_card(profile, options, false)
}

/// The card for a file written in advance and shown by whatever terminal
/// reads it (sshd's pre-login `Banner`, `banner --ascii`): ASCII decorations
/// whatever `options.unicode` says, and the profile's typographic
/// punctuation (quotes, dashes, ellipses, bullets, arrows, special spaces)
/// as ASCII; names, CJK text and emoji as written.
pub fn render_ascii(profile: &Profile, options: &Options) -> String {
    let options = Options {
        unicode: false,
        ..*options
    };
    render_card(profile, &options, true)
}

/// The card, its profile text as [`shown`] with `ascii`.
fn render_card(profile: &Profile, options: &Options, ascii: bool) -> String {
    let options = &Options {
        width: options.width.clamp(1, MAX_WIDTH),
        ..*options
    };
    let mut card = Card {
        profile,
        options,
        g: if options.unicode { &UNICODE } else { &ASCII },
        ascii,
        lines: Vec::new(),
    };
    if options.width < MIN_FULL_WIDTH {
        card.narrow();
        return join(card.lines);
    }
    card.heading();
    card.research();
    let selected: Vec<&Publication> = profile
        .publications
        .iter()
        .filter(|p| p.selected)
        .take(4)
        .collect();
    let links = usize::from(!profile.person.links.is_empty());
    card.news(selected.len() + links);
    card.papers(&selected);
    card.links();
    card.hint();
    card.lines.truncate(MAX_LINES);
    join(card.lines)
}

/// The portrait beside the card (`banner --photo`): its width in columns.
pub(crate) const PHOTO_WIDTH: u16 = 16;

/// The card with a small half-block portrait to its left, as fastfetch
/// draws its logo: only with colour on and room for both; the card alone
/// otherwise (and without the `photo` feature, which cannot draw it).
pub fn render_with_photo(profile: &Profile, options: &Options, photo: Option<&Photo>) -> String {
    let gap = 2;
    let beside = usize::from(PHOTO_WIDTH) + gap;
    let usable = photo.filter(|_| {
        options.color
            && Photo::drawable()
            && options.width.min(MAX_WIDTH) >= MIN_FULL_WIDTH + beside
    });
    let Some(photo) = usable else {
        return render(profile, options);
    };
    let card = render(
        profile,
        &Options {
            width: options.width.min(MAX_WIDTH) - beside,
            ..*options
        },
    );
    let lines: Vec<&str> = card.lines().collect();
    // A square photo is half as many rows as columns; never more rows than
    // the card has (at most 16).
    let (w, h) = photo.size();
    let rows = u64::from(PHOTO_WIDTH) * u64::from(h) / u64::from(w.max(1)) / 2;
    let rows = u16::try_from(rows.clamp(1, lines.len() as u64)).unwrap_or(1);
    let area = ratatui::layout::Rect::new(0, 0, PHOTO_WIDTH, rows);
    let Some(cells) = photo.cells(area) else {
        return card;
    };
    let mut buf = ratatui::buffer::Buffer::empty(area);
    cells.render(area, true, &mut buf);
    let picture = crate::snapshot::to_ansi(&buf);
    let mut out = String::new();
    let mut left = picture.lines();
    for line in lines {
        match left.next() {
            // Every row of the picture is PHOTO_WIDTH cells, written whole.
            Some(row) => out.push_str(row),
            None => out.push_str(&" ".repeat(usize::from(PHOTO_WIDTH))),
        }
        if line.is_empty() {
            out.push('\n');
            continue;
        }
        out.push_str(&" ".repeat(gap));
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Width of the card's labels column ("Research", "News", "Papers").
const LABEL: usize = 10;

/// The card as it is built, line by line.
struct Card<'a> {
    profile: &'a Profile,
    options: &'a Options,
    g: &'a Glyphs,
    /// The profile's punctuation as ASCII ([`render_ascii`]).
    ascii: bool,
    lines: Vec<String>,
}

impl<'a> Card<'a> {
    fn line(&self) -> Line<'a> {
        Line::new(self.options, self.g)
    }

    /// Profile text as this card shows it (see [`shown`]).
    fn shown<'t>(&self, text: &'t str) -> Cow<'t, str> {
        shown(text, self.ascii)
    }

    fn push(&mut self, text: &str, paint: Option<Paint>) {
        let line = self.line().push(text, paint).finish();
        self.lines.push(line);
    }

    fn affiliation(&self) -> String {
        let line = self
            .profile
            .person
            .affiliation_line()
            .replace(" · ", self.g.dot);
        self.shown(&line).into_owned()
    }

    /// Too narrow for the whole card: the name and the position only.
    fn narrow(&mut self) {
        let person = &self.profile.person;
        self.push(&self.shown(&person.name), Some(Paint::Name));
        let second = match person.position.as_deref() {
            Some(position) => self.shown(position).into_owned(),
            None => self.affiliation(),
        };
        if !second.is_empty() {
            self.push(&second, None);
        }
    }

    fn rule(&mut self) {
        let rule = self.g.rule.repeat(self.options.width.min(60));
        self.push(&rule, Some(Paint::Dim));
    }

    /// Name and pronunciation, affiliation, motto, then a rule.
    fn heading(&mut self) {
        let person = &self.profile.person;
        let mut head = self.line();
        head.push(&self.shown(&person.name), Some(Paint::Name));
        if let Some(p) = person.pronunciation.as_deref().filter(|p| !p.is_empty()) {
            head.push(&format!(" ({})", self.shown(p)), Some(Paint::Dim));
        }
        self.lines.push(head.finish());
        let affiliation = self.affiliation();
        if !affiliation.is_empty() {
            self.push(&affiliation, None);
        }
        if let Some(m) = person.motto.as_deref().filter(|m| !m.is_empty()) {
            let m = self.shown(m);
            let motto = format!("{}{m}{}", self.g.open_quote, self.g.close_quote);
            self.push(&motto, Some(Paint::Italic));
        }
        self.rule();
    }

    /// A labelled block: the label on its first row, cells in columns.
    fn section(&mut self, label: &str, rows: Vec<Vec<Cell>>) {
        for (i, row) in rows.into_iter().enumerate() {
            let mut l = self.line();
            if i == 0 {
                l.push(label, Some(Paint::Label));
            }
            l.pad_to(LABEL);
            for cell in row {
                l.pad_to(LABEL + cell.col);
                cell.put(&mut l);
            }
            self.lines.push(l.finish());
        }
    }

    /// The person's links as one row of their labels (clickable where
    /// hyperlinks are on), cut to fit.
    fn links(&mut self) {
        let mut cell = Cell::new(String::new(), None, 0);
        for (label, url) in self.profile.person.links.shown() {
            if !cell.text.is_empty() {
                cell.text.push_str(self.g.dot);
            }
            let start = cell.text.len();
            cell.text.push_str(&self.shown(&label));
            if crate::profile::links::allowed(&url) {
                cell.links.push((start..cell.text.len(), url));
            }
        }
        if !cell.text.is_empty() {
            self.section("Links", vec![vec![cell]]);
        }
    }

    /// The research focus, at most three items.
    fn research(&mut self) {
        let focus: Vec<_> = self
            .profile
            .research
            .focus
            .iter()
            .take(3)
            .map(|f| vec![Cell::prose(f, None, 0, self.ascii)])
            .collect();
        self.section("Research", focus);
    }

    /// The latest news, as many as asked and as leave room for `papers`
    /// publications, the rule and the hint within [`MAX_LINES`].
    fn news(&mut self, papers: usize) {
        let news = &self.profile.news;
        let date_width = news.iter().map(|n| n.date.long().len()).max().unwrap_or(0) + 2;
        let reserved = self.lines.len() + papers + 2;
        let rows = self.options.news.min(MAX_LINES.saturating_sub(reserved));
        let mut latest: Vec<_> = news.iter().collect();
        latest.sort_by_key(|n| std::cmp::Reverse(n.date));
        let rows: Vec<_> = latest
            .into_iter()
            .take(rows)
            .map(|n| {
                vec![
                    Cell::new(n.date.long(), Some(Paint::Date), 0),
                    Cell::prose(&n.text, None, date_width, self.ascii),
                ]
            })
            .collect();
        self.section("News", rows);
    }

    /// The selected publications: venue, title cut to fit, badges kept whole.
    fn papers(&mut self, selected: &[&Publication]) {
        let abbr_width = selected
            .iter()
            .map(|p| p.abbr.as_deref().map_or(0, |a| text::width(&self.shown(a))))
            .max()
            .unwrap_or(0)
            .min(12);
        let rows: Vec<_> = selected
            .iter()
            .map(|p| self.paper_row(p, abbr_width))
            .collect();
        self.section("Papers", rows);
    }

    fn paper_row(&self, p: &Publication, abbr_width: usize) -> Vec<Cell> {
        let g = self.g;
        let mut row = Vec::new();
        let mut col = 0;
        if let Some(abbr) = p.abbr.as_deref().filter(|_| abbr_width > 0) {
            row.push(Cell::new(
                truncate(&self.shown(abbr), abbr_width, g.ellipsis),
                Some(Paint::Abbr),
                0,
            ));
            col = abbr_width + 2;
        }
        // The award is worth more than the end of a long title: keep it.
        let badges: Vec<Cow<str>> = p.badges().map(|b| self.shown(b)).collect();
        let tail = if badges.is_empty() {
            String::new()
        } else {
            format!("{}{}", g.dot, badges.join(g.dot))
        };
        let room = self
            .options
            .width
            .saturating_sub(LABEL + col + text::width(&tail));
        let title = crate::profile::markup::inline(&p.title).plain();
        let title = self.shown(&title).into_owned();
        let title = if room >= 12 {
            truncate(&title, room, g.ellipsis)
        } else {
            title
        };
        let title_width = text::width(&title);
        row.push(Cell::new(title, None, col));
        if !tail.is_empty() {
            row.push(Cell {
                whole: true,
                ..Cell::new(tail, Some(Paint::Award), col + title_width)
            });
        }
        row
    }

    /// A rule, then how to see more.
    fn hint(&mut self) {
        self.rule();
        let hint = match (self.options.hint, self.options.width >= 64) {
            (Hint::Local, true) => "Run `termfolio` to browse the bio, news and all publications.",
            (Hint::Local, false) => "Run `termfolio` to browse more.",
            (Hint::Ssh, true) => {
                "Connect with a terminal (ssh -t) to browse the bio, news and papers."
            }
            (Hint::Ssh, false) => "Connect with ssh -t to browse more.",
        };
        self.push(hint, Some(Paint::Dim));
    }
}

fn join(lines: Vec<String>) -> String {
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// The width to use: `--width`, else the terminal's, else `$COLUMNS`, else 80; at most 100.
pub fn pick_width(flag: Option<usize>) -> usize {
    let width = flag
        .or_else(terminal_width)
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse::<usize>().ok())
                .filter(|&c| c > 0)
        })
        .unwrap_or(80);
    width.clamp(1, MAX_WIDTH)
}

fn terminal_width() -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills a winsize we own; a failed call leaves it zeroed.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) };
    (r == 0 && ws.ws_col > 0).then_some(usize::from(ws.ws_col))
}

/// Whether the locale (`LC_ALL`, then `LC_CTYPE`, then `LANG`) is UTF-8.
pub fn locale_is_utf8() -> bool {
    let value = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default()
        .to_ascii_lowercase();
    value.contains("utf-8") || value.contains("utf8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{BUNDLED, Source, parse};

    fn card(width: usize, color: bool, unicode: bool) -> String {
        let p = parse(BUNDLED, &Source::Bundled).unwrap();
        render(
            &p,
            &Options {
                width,
                news: 3,
                color,
                unicode,
                hint: Hint::Local,
                hyperlinks: false,
            },
        )
    }

    #[test]
    fn banner_never_wider_than_asked() {
        for w in [1, 10, 20, 39, 40, 41, 60, 80, 100] {
            for line in card(w, false, true).lines() {
                assert!(text::width(line) <= w, "{w}: {line:?}");
            }
        }
    }

    #[test]
    fn banner_has_the_essentials_at_80() {
        let c = card(80, false, true);
        assert!(c.lines().count() <= MAX_LINES);
        for needle in [
            "Tongtian Zhu (Tong-tee-an Joo)",
            "Research",
            "Jul 12, 2023",
            "Jul 8, 2023",
            "ICML 2022",
            "Spotlight",
            "My Favorite",
            "termfolio",
        ] {
            assert!(c.contains(needle), "{needle} missing:\n{c}");
        }
        assert!(!c.contains("Apr 25, 2023"), "only three news by default");
        assert!(!c.contains('\x1b'));
    }

    #[test]
    fn narrow_banner_is_minimal() {
        let c = card(30, false, true);
        assert_eq!(c.lines().count(), 2, "{c}");
    }

    #[test]
    fn ascii_decorations_without_utf8() {
        let c = card(80, false, false);
        assert!(
            !c.contains('─') && !c.contains('“') && !c.contains('·'),
            "{c}"
        );
        assert!(c.contains("---"));
    }

    /// The bundled card from [`render_ascii`], with `unicode` as the
    /// locale would set it.
    fn ascii_card(width: usize, unicode: bool) -> String {
        let p = parse(BUNDLED, &Source::Bundled).unwrap();
        render_ascii(
            &p,
            &Options {
                width,
                news: 3,
                color: false,
                unicode,
                hint: Hint::Local,
                hyperlinks: false,
            },
        )
    }

    #[test]
    fn ascii_card_is_ascii_whatever_the_locale() {
        for unicode in [true, false] {
            for w in 1..=MAX_WIDTH {
                let c = ascii_card(w, unicode);
                // The news' CJK (第六届...) stays; decorations and
                // punctuation do not.
                let typographic = |ch: char| {
                    "─·“”…".contains(ch) || ascii::PUNCTUATION.iter().any(|(t, _)| *t == ch)
                };
                assert!(
                    !c.contains(typographic),
                    "width {w}, unicode {unicode}:\n{c}"
                );
                for line in c.lines() {
                    assert!(text::width(line) <= w, "{w}: {line:?}");
                }
            }
        }
        assert_eq!(ascii_card(80, true), card(80, false, false));
    }

    #[test]
    fn ascii_card_replaces_punctuation_in_profile_text() {
        let mut p = parse(BUNDLED, &Source::Bundled).unwrap();
        p.person.motto = Some("Convince — “future” generations…".into());
        let options = Options {
            width: 80,
            news: 3,
            color: false,
            unicode: true,
            hint: Hint::Local,
            hyperlinks: false,
        };
        let c = render_ascii(&p, &options);
        assert!(
            c.contains("\"Convince -- \"future\" generations...\""),
            "{c}"
        );
        // Without --ascii the profile's own text is as written.
        assert!(render(&p, &options).contains("“Convince — “future” generations…”"));
    }

    #[test]
    fn a_cut_after_the_texts_own_ellipsis_adds_none() {
        assert_eq!(truncate("learning … more", 12, "…"), "learning …");
        assert_eq!(truncate("learning ... more", 15, "..."), "learning ...");
        assert_eq!(truncate("learning ... more", 16, "..."), "learning ...");
        assert_eq!(truncate("learning more", 11, "..."), "learning...");
    }

    #[test]
    fn colour_only_when_asked() {
        assert!(card(80, true, true).contains("\x1b[1;36m"));
        assert!(!card(80, false, true).contains('\x1b'));
    }
}
