//! Finding, reading and parsing a profile, and saying clearly what is wrong with one.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::Profile;
use super::sanitize;

/// The repository's `profile.toml`, compiled in so a shipped binary needs no files.
pub const BUNDLED: &str = include_str!("../../profile.toml");

/// The bundled profile as build.rs wrote it: code, not TOML; and its prose
/// as `profile::markup` reads it.
mod bundled {
    use crate::profile::markup::{Emphasis, Piece, Rich};
    use crate::profile::{
        Bio, Date, Experience, Headings, Links, NewsItem, Person, Profile, Publication, Research,
        Section,
    };
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// The bundled profile's photo, compiled in, if it names one.
pub fn bundled_photo() -> Option<&'static [u8]> {
    bundled::PHOTO
}

/// The bundled profile's prose `text` as `markup::inline` reads it, read at
/// build time; `None` for any other text.
pub(super) fn bundled_inline(text: &str) -> Option<super::markup::Rich> {
    bundled::inline(text)
}

/// The same for `markup::paragraphs`.
pub(super) fn bundled_paragraphs(text: &str) -> Option<Vec<super::markup::Rich>> {
    bundled::paragraphs(text)
}

/// The largest profile read, in bytes (enforced on the bytes read, not on metadata).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Where a profile comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Bundled,
}

impl Source {
    /// The name used in messages: the path, or `profile.toml (built in)`.
    pub fn display_name(&self) -> String {
        match self {
            Source::File(p) => sanitize::line(&p.display().to_string()),
            Source::Bundled => "profile.toml (built in)".to_string(),
        }
    }
}

/// Picks the profile: the explicit path if given (`--profile` or `TERMFOLIO_PROFILE`),
/// else `./profile.toml`, else `$XDG_CONFIG_HOME/termfolio/profile.toml`
/// (or `~/.config/termfolio/profile.toml`), else the built-in copy.
pub fn resolve(explicit: Option<&Path>) -> Source {
    if let Some(p) = explicit {
        return Source::File(p.to_path_buf());
    }
    let local = PathBuf::from("profile.toml");
    if local.exists() {
        return Source::File(local);
    }
    if let Some(dir) = xdg_dir("XDG_CONFIG_HOME", ".config") {
        let p = dir.join("termfolio").join("profile.toml");
        if p.exists() {
            return Source::File(p);
        }
    }
    Source::Bundled
}

/// An XDG base directory: `$VAR` when set to an absolute path, else
/// `$HOME/<fallback>` (the spec's rule), or none without either.
pub fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(fallback))
        })
}

/// Reads, parses and sanitizes the profile from `source`.
pub fn load(source: &Source) -> Result<Profile, ProfileError> {
    match source {
        // Parsed and made inert at build time (build.rs): no TOML parse
        // and no sanitizing at every start.
        Source::Bundled => Ok(bundled::bundled()),
        Source::File(path) => {
            let text = read_text(path).map_err(|kind| ProfileError {
                what: "profile",
                source_name: source.display_name(),
                kind,
            })?;
            parse(&text, source)
        }
    }
}

/// Parses and sanitizes profile text; `source` names it in errors.
pub fn parse(text: &str, source: &Source) -> Result<Profile, ProfileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() >= SPLIT_FROM
        && let Some(mut profile) = parse_in_batches(text)
    {
        profile.order_publications();
        return Ok(profile);
    }
    let mut profile: Profile = toml::from_str(text).map_err(|e| ProfileError {
        what: "profile",
        source_name: source.display_name(),
        kind: ErrorKind::Invalid(Box::new(Diagnostic::from_toml(&e, text))),
    })?;
    super::sanitize_profile(&mut profile);
    profile.order_publications();
    Ok(profile)
}

/// From this size on, a profile's `[[publications]]` are read in batches.
const SPLIT_FROM: usize = 1 << 20;
/// Publications a batch holds at most.
const BATCH: usize = 1000;

/// One batch of `[[publications]]` tables, read as a document of its own.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch {
    publications: Vec<super::Publication>,
}

/// A large profile read in pieces and made inert: the `[[publications]]`
/// tables (each up to the next header of another table) in batches of
/// [`BATCH`], the rest as one document. toml builds a tree of the whole
/// document before the structs, which at 100,000 papers peaked at 15
/// times the file; a batch's tree is small. `None` when anything in the pieces does not read as it
/// should: then the whole text is read the usual way, which gives the
/// result, or the error (with the file's own lines), the one way. (A split
/// that cuts through a multi-line string or array always leaves the piece
/// before it unterminated, so it cannot read as something else.)
fn parse_in_batches(text: &str) -> Option<Profile> {
    let mut rest = String::with_capacity(4096);
    let mut batches: Vec<&str> = Vec::new();
    // Where the current run of publication tables began, and how many it has.
    let mut run: Option<(usize, usize)> = None;
    let (mut at, mut tables) = (0, 0);
    for line in text.split_inclusive('\n') {
        let header = line.trim_start();
        let starts_one = header
            .strip_prefix("[[publications]]")
            .is_some_and(|after| {
                let after = after.trim_start();
                after.is_empty() || after.starts_with('#')
            });
        let own_part =
            header.starts_with("[publications.") || header.starts_with("[[publications.");
        if starts_one {
            tables += 1;
            match run {
                Some((from, n)) if n >= BATCH => {
                    batches.push(&text[from..at]);
                    run = Some((at, 1));
                }
                Some((from, n)) => run = Some((from, n + 1)),
                None => run = Some((at, 1)),
            }
        } else if header.starts_with('[')
            && !own_part
            && let Some((from, _)) = run.take()
        {
            batches.push(&text[from..at]);
        }
        if run.is_none() {
            rest.push_str(line);
        }
        at += line.len();
    }
    if let Some((from, _)) = run {
        batches.push(&text[from..]);
    }
    // `publications = [...]` written as a key too (even empty): the whole
    // read says why not. (Parsing the small rest twice costs less than
    // deserializing the structs from a `toml::Table`, which builds a second
    // deserializer of every struct into the binary: 170 KB.)
    #[derive(serde::Deserialize)]
    struct Keys {
        publications: Option<serde::de::IgnoredAny>,
    }
    if toml::from_str::<Keys>(&rest).ok()?.publications.is_some() {
        return None;
    }
    let mut profile: Profile = toml::from_str(&rest).ok()?;
    // One allocation, not a doubling (and a copy of all so far) now and then.
    profile.publications.reserve_exact(tables);
    for batch in batches {
        let mut batch: Batch = toml::from_str(batch).ok()?;
        // Made inert now, while the batch is in the cache: over the whole
        // list afterwards it cost a miss a string.
        batch
            .publications
            .iter_mut()
            .for_each(sanitize::sanitize_publication);
        profile.publications.extend(batch.publications);
    }
    sanitize::sanitize_all_but_publications(&mut profile);
    Some(profile)
}

/// The profile at `path`, read once, parsed, and passed by `check` (its
/// errors; warnings are fine, as at start): what `serve` reloads and the
/// viewer previews. `Err` is the first problem as `check` prints it.
pub fn load_checked(path: &Path) -> Result<Profile, String> {
    let source = Source::File(path.to_path_buf());
    let text = read_file(path, "profile").map_err(|e| e.to_string())?;
    let profile = parse(&text, &source).map_err(|e| e.to_string())?;
    let errors = super::check::errors(&profile, &text, &source.display_name());
    match errors.into_iter().next() {
        Some(first) => Err(first.into_error().to_string()),
        None => Ok(profile),
    }
}

/// A diagnostic as one line, for a log or a status bar: where it points
/// (`path:line:col`, as compilers write it), then its first line.
pub fn one_line(diagnostic: &str) -> String {
    let mut lines = diagnostic.lines().map(str::trim);
    let first = super::sanitize::line(lines.next().unwrap_or_default());
    match lines.find_map(|l| l.strip_prefix("--> ")) {
        Some(at) => format!("{}: {first}", super::sanitize::line(at)),
        None => first,
    }
}

/// What identifies a version of a file: its modification time, size and
/// inode. A save changes one of them, in place or by rename (as vim and VS
/// Code save), so polling it is a watcher: one `stat` a look.
pub type Stamp = (std::time::SystemTime, u64, u64);

/// `path`'s [`Stamp`] now, if it can be read.
pub fn stamp(path: &Path) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len(), meta.ino()))
}

/// Reads any text file the way profiles are read: regular files only, at most
/// [`MAX_BYTES`], UTF-8 required; errors name the file.
pub fn read_file(path: &Path, what: &'static str) -> Result<String, ProfileError> {
    read_text(path).map_err(|kind| ProfileError {
        what,
        source_name: Source::File(path.to_path_buf()).display_name(),
        kind,
    })
}

fn read_text(path: &Path) -> Result<String, ErrorKind> {
    let io_err = |e: io::Error| ErrorKind::Io(e.to_string());
    // stat before open: opening a FIFO would block, and devices never end.
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if !meta.is_file() {
        return Err(ErrorKind::NotRegularFile(file_type_name(&meta)));
    }
    let file = File::open(path).map_err(io_err)?;
    if !file.metadata().map_err(io_err)?.is_file() {
        return Err(ErrorKind::NotRegularFile(file_type_name(&meta)));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ErrorKind::TooLarge);
    }
    decode(bytes)
}

fn file_type_name(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a named pipe"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

fn decode(bytes: Vec<u8>) -> Result<String, ErrorKind> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ErrorKind::Utf16);
    }
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line_start = bytes[..bad]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line_end = bytes[bad..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| bad + i);
        let number = bytes[..line_start].iter().filter(|&&b| b == b'\n').count() + 1;
        // Show the line with U+FFFD where the bad bytes are, and point at the first.
        let before = String::from_utf8_lossy(&bytes[line_start..bad]).into_owned();
        let line = format!("{before}{}", String::from_utf8_lossy(&bytes[bad..line_end]));
        let (line, _, span) = snippet_line(&line, before.len()..before.len() + 1);
        ErrorKind::Invalid(Box::new(Diagnostic {
            message: "the file is not valid UTF-8".to_string(),
            line: Some((line, number, span)),
            help: Some("save the file as UTF-8".to_string()),
            warning: false,
        }))
    })
}

/// Why a profile could not be used.
#[derive(Debug, Clone)]
pub struct ProfileError {
    /// What was being read: "profile", "bibliography".
    what: &'static str,
    source_name: String,
    kind: ErrorKind,
}

#[derive(Debug, Clone)]
enum ErrorKind {
    Io(String),
    NotRegularFile(&'static str),
    TooLarge,
    Utf16,
    Invalid(Box<Diagnostic>),
}

#[cfg(test)]
impl ProfileError {
    /// The location `file:line:column` of a parse error, if there is one.
    pub(crate) fn location(&self) -> Option<String> {
        match &self.kind {
            ErrorKind::Invalid(d) => d
                .line_col()
                .map(|(l, c)| format!("{}:{l}:{c}", self.source_name)),
            _ => None,
        }
    }
}

impl ProfileError {
    /// The message, in cargo's colours (annotate-snippets' styles) when
    /// `color`; `{}` gives it plain.
    pub fn render(&self, color: bool) -> String {
        let name = &self.source_name;
        let what = self.what;
        let message = match &self.kind {
            ErrorKind::Io(e) => format!("cannot read {what} {name}: {}", sanitize::line(e)),
            ErrorKind::NotRegularFile(kind) => {
                format!("cannot read {what} {name}: it is {kind}, not a regular file")
            }
            ErrorKind::TooLarge => format!(
                "{what} {name} is larger than {} MiB; termfolio refuses to read it",
                MAX_BYTES / 1024 / 1024
            ),
            ErrorKind::Utf16 => format!(
                "{what} {name} is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8"
            ),
            ErrorKind::Invalid(d) => return d.render(name, color),
        };
        error_line(&message, color)
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// `error: MESSAGE` (one line, no snippet), in the diagnostics' colours
/// when `color`.
pub fn error_line(message: &str, color: bool) -> String {
    let group = Group::with_title(Level::ERROR.primary_title(message));
    renderer(color).render(&[group]).trim_end().to_string()
}

/// annotate-snippets' renderer: plain text, or with its ANSI styles.
fn renderer(color: bool) -> Renderer {
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

impl std::error::Error for ProfileError {}

/// A parse or schema error, or a warning: what, where, and perhaps a suggestion.
#[derive(Debug, Clone)]
pub(super) struct Diagnostic {
    message: String,
    /// The offending line (made inert), its 1-based number, and the span within it.
    line: Option<(String, usize, std::ops::Range<usize>)>,
    help: Option<String>,
    warning: bool,
}

impl Diagnostic {
    /// A warning about bytes `span` of `text` (when known).
    pub(super) fn warning(
        message: String,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        help: Option<String>,
    ) -> Self {
        Diagnostic {
            message: sanitize::line(&message),
            line: span.map(|span| snippet_line(text, span)),
            help,
            warning: true,
        }
    }

    /// An error about bytes `span` of `text`.
    pub(super) fn error(
        message: String,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        help: Option<String>,
    ) -> Self {
        Diagnostic::warning(message, text, span, help).into_error()
    }

    /// Whether it is a warning (not an error).
    pub(super) fn is_warning(&self) -> bool {
        self.warning
    }

    pub(super) fn from_toml(e: &toml::de::Error, text: &str) -> Self {
        let raw = e.message().trim();
        let help = did_you_mean(raw);
        // serde lists every allowed key in the message; the help says it better.
        let message = match raw.split_once(", expected") {
            Some((head, _)) if raw.starts_with("unknown field") => {
                sanitize::line(&head.replacen("unknown field", "unknown key", 1))
            }
            _ => sanitize::line(raw),
        };
        let line = e.span().map(|span| snippet_line(text, span));
        Diagnostic {
            message,
            line,
            help,
            warning: false,
        }
    }

    #[cfg(test)]
    fn line_col(&self) -> Option<(usize, usize)> {
        self.line.as_ref().map(|(line, number, span)| {
            let col = line.get(..span.start).map_or(1, |s| s.chars().count() + 1);
            (*number, col)
        })
    }

    /// The same, as an error.
    pub(super) fn into_error(mut self) -> Self {
        self.warning = false;
        self
    }

    /// The diagnostic for the file `name`, in colour when `color`.
    pub(super) fn render(&self, name: &str, color: bool) -> String {
        let level = if self.warning {
            Level::WARNING
        } else {
            Level::ERROR
        };
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        if let Some((line, number, span)) = &self.line {
            group = group.element(
                Snippet::source(line.as_str())
                    .line_start(*number)
                    .path(name)
                    .annotation(AnnotationKind::Primary.span(span.clone())),
            );
        } else {
            group = group.element(Level::NOTE.message(format!("in {name}")));
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        renderer(color).render(&[group]).trim_end().to_string()
    }
}

/// The line of `text` holding `span.start`, sanitized, with the span mapped into it.
fn snippet_line(
    text: &str,
    span: std::ops::Range<usize>,
) -> (String, usize, std::ops::Range<usize>) {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let number = text[..line_start].matches('\n').count() + 1;
    let raw = &text[line_start..line_end];
    let end = floor_char_boundary(text, span.end.clamp(start, line_end));
    // Make the line inert char by char, tracking where the span's ends land.
    let (mut clean, mut new_start, mut new_end) = (String::new(), None, None);
    for (i, c) in raw.char_indices() {
        let abs = line_start + i;
        if abs >= start && new_start.is_none() {
            new_start = Some(clean.len());
        }
        if abs >= end && new_end.is_none() {
            new_end = Some(clean.len());
        }
        // One visible character for each invisible one keeps columns true.
        if c == '\t' {
            clean.push(' ');
        } else if sanitize::is_forbidden(c) {
            clean.push('\u{FFFD}');
        } else {
            clean.push(c);
        }
    }
    let new_start = new_start.unwrap_or(clean.len());
    let mut new_end = new_end.unwrap_or(clean.len()).max(new_start);
    if new_end == new_start && new_end < clean.len() {
        new_end = clean[new_start..]
            .chars()
            .next()
            .map_or(new_end, |c| new_start + c.len_utf8());
    }
    (clean, number, new_start..new_end)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// For serde's "unknown field `titel`, expected one of `title`, ..." suggests the closest key.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let candidates: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    suggest(unknown, &candidates)
}

/// The allowed key that `unknown` is most likely a misspelling of.
pub(super) fn closest<'a>(unknown: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(unknown, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, key)| key)
}

/// The help for the unknown key `unknown` where `candidates` are allowed:
/// the closest one, or the list.
pub(super) fn suggest(unknown: &str, candidates: &[&str]) -> Option<String> {
    // Where the person's e-mail and website went.
    if matches!(unknown, "email" | "website") && candidates.contains(&"links") {
        return Some(format!(
            "links live in one table now: write `{unknown} = \"...\"` under `[person.links]`"
        ));
    }
    match closest(unknown, candidates) {
        Some(key) => Some(format!("did you mean `{}`?", sanitize::line(key))),
        None if !candidates.is_empty() => Some(format!(
            "the keys allowed here are: {}",
            sanitize::line(&candidates.join(", "))
        )),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A profile of `n` publications written the ways batches must follow:
    /// sub-tables, multi-line abstracts with lines that look like headers,
    /// another table between publications, comments after headers, and
    /// escape sequences and bidi controls to be made inert.
    fn many(n: usize) -> String {
        let mut t = String::from(
            "[person]\nname = \"Ada\"\n[bio]\ntext = \"\"\"\n[a link](https://example.org) first\n\"\"\"\n",
        );
        for i in 0..n {
            t.push_str(if i % 7 == 0 {
                "[[publications]] # a comment\n"
            } else {
                "[[publications]]\n"
            });
            t.push_str(&format!(
                "title = \"Paper {i}\\u001b[31m\"\nauthors = [\n  \"Ada\",\n  \"B{i}\\u202e\",\n]\nyear = {}\n",
                2000 + i % 25
            ));
            if i % 3 == 0 {
                t.push_str(&format!(
                    "abstract = \"\"\"\nLine one.\n[not a header] {i}\n\"\"\"\n"
                ));
            }
            if i % 5 == 0 {
                t.push_str(&format!("[publications.extra]\nadsnote = \"n{i}\"\n"));
            }
            if i == n / 2 {
                t.push_str("[display]\npublications = \"newest\"\n\n[[news]]\ndate = 2024-01-02\ntext = \"mid\"\n");
            }
        }
        t
    }

    #[test]
    fn batches_read_exactly_what_the_whole_document_says() {
        // What the whole read gives once it is made inert.
        let whole = |text: &str| {
            let mut p: Profile = toml::from_str(text).unwrap();
            super::super::sanitize_profile(&mut p);
            p
        };
        for n in [1, 999, 1000, 1001, 2500] {
            let text = many(n);
            let whole = whole(&text);
            let batched = parse_in_batches(&text);
            // Abstracts whose lines start with `[` cut their batch: then the
            // whole document is read (None), never something else.
            if let Some(b) = batched {
                assert_eq!(format!("{b:?}"), format!("{whole:?}"), "{n}");
            }
        }
        // Without such lines, the batches are used, and agree.
        let text = many(3001).replace("[not a header]", "(not a header)");
        let whole = whole(&text);
        let batched = parse_in_batches(&text).expect("read in batches");
        assert_eq!(batched.publications.len(), 3001);
        assert_eq!(batched.publications[2999].title, "Paper 2999");
        assert_eq!(batched.publications[2999].authors[1], "B2999");
        assert_eq!(format!("{batched:?}"), format!("{whole:?}"));
        assert_eq!(batched.news.len(), 1, "a table between publications");
    }

    #[test]
    fn what_batches_cannot_read_is_read_whole_with_its_own_errors() {
        // A publications key and tables too: an error of the whole document.
        let both = format!("publications = []\n{}", many(2));
        assert!(toml::from_str::<Profile>(&both).is_err());
        assert!(parse_in_batches(&both).is_none());
        let mixed = format!(
            "{}publications = [{{ title = \"x\", authors = [] }}]\n",
            "[person]\nname = \"A\"\n[bio]\ntext = \"b\"\n"
        );
        let mixed = format!("{mixed}[[publications]]\ntitle = \"y\"\nauthors = []\n");
        assert!(parse_in_batches(&mixed).is_none());
        // A bad publication far down: the error names its line in the file.
        let mut big = many(20_000);
        big.push_str("[[publications]]\ntitle = 1\nauthors = []\n");
        assert!(big.len() > SPLIT_FROM);
        let e = parse(&big, &Source::File("big.toml".into()))
            .unwrap_err()
            .to_string();
        let line = big.lines().count();
        assert!(e.contains(&format!("big.toml:{}:", line - 1)), "{e}");
    }

    #[test]
    fn a_diagnostic_in_one_line_has_its_first_line_and_where() {
        let e = "error: unknown key `bogus`\n  --> lab/bob.toml:3:1\n   |\n 3 | bogus = 1\n";
        assert_eq!(one_line(e), "lab/bob.toml:3:1: error: unknown key `bogus`");
        assert_eq!(one_line("cannot read: gone"), "cannot read: gone");
        assert_eq!(
            one_line("bad\u{1b}[31m news\n  --> p.toml:1:1"),
            "p.toml:1:1: bad news"
        );
    }

    fn err(text: &str) -> String {
        parse(text, &Source::File("p.toml".into()))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn bundled_profile_parses() {
        let p = parse(BUNDLED, &Source::Bundled).unwrap();
        // What build.rs compiled in is what parsing the text gives.
        let compiled = load(&Source::Bundled).unwrap();
        assert_eq!(format!("{compiled:?}"), format!("{p:?}"));
        assert_eq!(p.person.name, "Tongtian Zhu");
        assert_eq!(p.news.len(), 7);
        assert_eq!(p.publications.len(), 2);
    }

    #[test]
    fn email_and_website_point_at_the_links_table() {
        let e = err("[person]\nname = \"x\"\nemail = \"a@b.c\"\n");
        assert!(e.contains("unknown key `email`"), "{e}");
        assert!(e.contains("under `[person.links]`"), "{e}");
    }

    #[test]
    fn misspelt_key_suggests_the_right_one() {
        let e = err("[person]\nnmae = \"x\"\n");
        assert!(e.starts_with("error: unknown key `nmae`\n"), "{e}");
        assert!(e.contains("p.toml:2:1"), "{e}");
        assert!(e.contains("did you mean `name`?"), "{e}");
    }

    #[test]
    fn missing_field_and_wrong_type_name_the_place() {
        let e = err("[person]\nname = 3\n");
        assert!(e.contains("p.toml:2:8"), "{e}");
        let e = err("[person]\nname = \"x\"\n[[news]]\ntext = \"y\"\n");
        assert!(e.contains("missing field `date`"), "{e}");
        assert!(e.contains("p.toml:3:"), "{e}");
    }

    #[test]
    fn time_without_a_date_is_refused() {
        let e = err("[person]\nname = \"x\"\n[[news]]\ndate = 10:00:00\ntext = \"y\"\n");
        assert!(e.contains("expected a date like 2023-07-12"), "{e}");
        assert!(e.contains("p.toml:4:8"), "{e}");
    }

    #[test]
    fn error_lines_are_sanitized() {
        let e = err("[person]\nname = \"x\"\nbad\u{1b}]52;c;AAAA\u{7} = 1\n");
        assert!(!e.contains('\u{1b}'), "{e:?}");
        assert!(!e.contains('\u{7}'), "{e:?}");
    }

    #[test]
    fn utf16_and_bad_utf8_are_named() {
        assert!(matches!(
            decode(vec![0xFF, 0xFE, b'a', 0]),
            Err(ErrorKind::Utf16)
        ));
        let e = ProfileError {
            what: "profile",
            source_name: "p.toml".into(),
            kind: decode(b"a = 1\nb = \"\xff\"".to_vec()).unwrap_err(),
        };
        assert_eq!(e.location().as_deref(), Some("p.toml:2:6"));
        let text = e.to_string();
        assert!(
            text.contains("not valid UTF-8") && text.contains('^'),
            "{text}"
        );
    }
}
