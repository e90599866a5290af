//! BibTeX's syntax, read as BibTeX reads it and within bounds: the file's
//! `@kind{...}` blocks, `@string` macros, and each entry's fields with their
//! values whole (`#` concatenation and macros expanded, inner braces kept,
//! LaTeX untouched: turning it into text is `latex`'s job).
//!
//! Hostile files end quickly with a message naming the entry and its line,
//! while the good entries beside them still come in. The bounds:
//! - braces nest at most [`MAX_DEPTH`] deep in a value;
//! - a value, once its macros are expanded, is at most [`MAX_VALUE`] bytes;
//! - all `@string` values together hold at most [`MAX_STRINGS`] bytes.
//!
//! A macro is defined by its `@string` when the file reaches it, from the
//! macros defined before it, as BibTeX does: `@string{a = a # a}` uses an
//! `a` not yet defined, and no definition can refer to itself, so cycles
//! cannot happen and each value is expanded once, capped in length.

use std::collections::HashMap;

/// Deepest brace nesting in a value (real files nest two or three deep).
pub const MAX_DEPTH: usize = 64;
/// Longest value after its macros are expanded (a long abstract is 5 KB).
pub const MAX_VALUE: usize = 64 * 1024;
/// Most text all `@string` macros may hold together.
pub const MAX_STRINGS: usize = 4 * 1024 * 1024;

/// One entry as written: its type and key, and its fields in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// Lowercase: `article`, `inproceedings`, ...
    pub kind: String,
    pub key: String,
    pub line: usize,
    /// Lowercase field names and their values as BibTeX has them.
    pub fields: Vec<(String, String)>,
    /// The macros the entry used but the file never defined.
    pub undefined: Vec<String>,
}

impl Entry {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What could not be read, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Trouble {
    /// An `@string`, `@comment` or `@preamble` that never closes.
    Unterminated { line: usize, kind: String },
    /// An `@string` that could not be read or went past a bound.
    BadString { line: usize, why: String },
    /// An entry that could not be read.
    BadEntry {
        key: String,
        line: usize,
        why: String,
    },
}

/// The entries of a file, in order, and what could not be read.
#[derive(Debug, Default)]
pub(super) struct File {
    pub entries: Vec<Entry>,
    pub troubles: Vec<Trouble>,
}

/// Reads a BibTeX file: Jekyll front matter (al-folio's `papers.bib` has
/// it), `@string`, `@comment`, `@preamble`, `%` comments and text between
/// entries as BibTeX skips it, `@kind{...}` and `@kind(...)`.
pub(super) fn read(text: &str) -> File {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = File::default();
    let mut macros = Macros::default();
    for block in blocks(text, front_matter_end(text)) {
        match block.kind.as_str() {
            "comment" | "preamble" if !block.closed => out.troubles.push(Trouble::Unterminated {
                line: block.line,
                kind: block.kind.clone(),
            }),
            "comment" | "preamble" => {}
            "string" if !block.closed => out.troubles.push(Trouble::Unterminated {
                line: block.line,
                kind: block.kind.clone(),
            }),
            "string" => {
                if let Err(why) = macros.define(&block) {
                    out.troubles.push(Trouble::BadString {
                        line: block.line + why.lines_in,
                        why: why.text,
                    });
                }
            }
            _ => match entry(&block, &macros) {
                Ok(e) => out.entries.push(e),
                Err(why) => out.troubles.push(Trouble::BadEntry {
                    key: key_of(block.body),
                    line: block.line + why.lines_in,
                    why: why.text,
                }),
            },
        }
    }
    out
}

/// Why something could not be read, and how many lines into its block.
struct Why {
    text: String,
    lines_in: usize,
}

/// The `@string` macros defined so far, by lowercase name.
#[derive(Default)]
struct Macros {
    values: HashMap<String, String>,
    bytes: usize,
    /// Macros whose `@string` could not be read, and its line: a value
    /// that uses one cannot be read either.
    failed: HashMap<String, usize>,
}

impl Macros {
    fn define(&mut self, block: &Block<'_>) -> Result<(), Why> {
        let mut name_seen = None;
        let mut result = self.try_define(block, &mut name_seen);
        if let (Err(why), Some(name)) = (&mut result, name_seen) {
            // Every message names the macro it is about.
            if !why.text.starts_with("@string") {
                why.text = format!("@string `{name}`: {}", why.text);
            }
            self.values.remove(&name);
            self.failed.insert(name, block.line);
        }
        result
    }

    fn try_define(&mut self, block: &Block<'_>, name_seen: &mut Option<String>) -> Result<(), Why> {
        let mut p = Parser::new(block.body);
        let mut undefined = Vec::new();
        let defined = p.skip_space().and_then(|()| p.name()).and_then(|name| {
            *name_seen = Some(name.clone());
            p.expect('=')?;
            let value = p.value(self, &mut undefined)?;
            p.skip_space()?;
            if !p.at_end() {
                return Err(p.fail("text after the value (a `,` or `#` missing?)"));
            }
            Ok((name, value))
        });
        let (name, value) = defined.map_err(|e| Why {
            text: e.text,
            lines_in: p.lines_to(e.at),
        })?;
        if let Some(u) = undefined.first() {
            return Err(Why {
                text: format!(
                    "@string `{name}` uses `{u}`, which is not defined before it (a macro can only use those above it)"
                ),
                lines_in: 0,
            });
        }
        if self.bytes + value.len() > MAX_STRINGS {
            return Err(Why {
                text: format!(
                    "@string `{name}`: the macros hold more than {} MiB together",
                    MAX_STRINGS >> 20
                ),
                lines_in: 0,
            });
        }
        self.bytes += value.len();
        if let Some(old) = self.values.insert(name, value) {
            self.bytes -= old.len();
        }
        Ok(())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(String::as_str)
            .or_else(|| month(name))
    }
}

/// BibTeX's own month macros, which every style defines.
fn month(name: &str) -> Option<&'static str> {
    super::MONTHS
        .iter()
        .find(|(m, _)| *m == name)
        .map(|(_, full)| *full)
}

fn entry(block: &Block<'_>, macros: &Macros) -> Result<Entry, Why> {
    if !block.closed {
        return Err(Why {
            text: "the entry is not closed (a brace is missing)".into(),
            lines_in: 0,
        });
    }
    let mut p = Parser::new(block.body);
    let mut undefined = Vec::new();
    let fields = (|| {
        p.skip_space()?;
        let key = p.take_while(|c| !matches!(c, ',' | '}' | ')') && !c.is_whitespace());
        if key.is_empty() {
            return Err(p.fail("the entry has no key"));
        }
        let key = key.to_string();
        let mut fields: Vec<(String, String)> = Vec::new();
        loop {
            p.skip_space()?;
            if p.at_end() {
                break;
            }
            p.expect(',')?;
            p.skip_space()?;
            if p.at_end() {
                break;
            }
            let name = p.name()?;
            p.expect('=')?;
            let value = p.value(macros, &mut undefined)?;
            // BibTeX keeps the first of a repeated field and warns; so do we
            // (the warning is the caller's).
            if !fields.iter().any(|(n, _)| *n == name) {
                fields.push((name, value));
            }
        }
        Ok((key, fields))
    })();
    let (key, fields) = fields.map_err(|e| Why {
        text: e.text,
        lines_in: p.lines_to(e.at),
    })?;
    undefined.dedup();
    Ok(Entry {
        kind: block.kind.clone(),
        key,
        line: block.line,
        fields,
        undefined,
    })
}

/// A reading error at a byte of the block's body.
struct Fail {
    text: String,
    at: usize,
}

/// A cursor over a block's body (what is between its outer delimiters).
struct Parser<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    fn new(s: &'a str) -> Self {
        Parser { s, at: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.at..]
    }

    fn at_end(&self) -> bool {
        self.at >= self.s.len()
    }

    fn fail(&self, text: &str) -> Fail {
        Fail {
            text: text.to_string(),
            at: self.at,
        }
    }

    fn lines_to(&self, at: usize) -> usize {
        self.s[..at.min(self.s.len())].matches('\n').count()
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let len = rest.find(|c: char| !keep(c)).unwrap_or(rest.len());
        self.at += len;
        &rest[..len]
    }

    /// Skips whitespace (and, leniently, `%` comments to the end of the
    /// line, which reference managers leave between fields).
    fn skip_space(&mut self) -> Result<(), Fail> {
        loop {
            self.take_while(char::is_whitespace);
            if self.rest().starts_with('%') {
                self.take_while(|c| c != '\n');
            } else {
                return Ok(());
            }
        }
    }

    fn expect(&mut self, c: char) -> Result<(), Fail> {
        self.skip_space()?;
        if self.rest().starts_with(c) {
            self.at += c.len_utf8();
            Ok(())
        } else {
            let found = self.rest().chars().next();
            Err(self.fail(&match found {
                Some(f) => format!("expected `{c}`, found `{}`", f.escape_debug()),
                None => format!("expected `{c}` before the end of the entry"),
            }))
        }
    }

    /// A field or macro name, lowercase.
    fn name(&mut self) -> Result<String, Fail> {
        self.skip_space()?;
        let name = self.take_while(is_name_char);
        if name.is_empty() {
            let found = self.rest().chars().next().unwrap_or(' ');
            return Err(self.fail(&format!(
                "expected a field name, found `{}`",
                found.escape_debug()
            )));
        }
        Ok(name.to_ascii_lowercase())
    }

    /// A value: pieces joined by `#`, each braced, quoted, a number or a
    /// macro; expanded and bounded.
    fn value(&mut self, macros: &Macros, undefined: &mut Vec<String>) -> Result<String, Fail> {
        let mut out = String::new();
        loop {
            self.skip_space()?;
            let start = self.at;
            match self.rest().chars().next() {
                Some('{') => {
                    let inner = self.delimited('{', '}')?;
                    out.push_str(inner);
                }
                Some('"') => {
                    let inner = self.delimited('"', '"')?;
                    out.push_str(inner);
                }
                Some(c) if c.is_ascii_digit() => {
                    out.push_str(self.take_while(|c| c.is_ascii_digit()));
                }
                Some(c) if is_name_char(c) => {
                    let name = self.take_while(is_name_char).to_ascii_lowercase();
                    if let Some(line) = macros.failed.get(&name) {
                        self.at = start;
                        return Err(self.fail(&format!(
                            "it uses the @string `{name}` (line {line}), which could not be read"
                        )));
                    }
                    match macros.get(&name) {
                        Some(v) => {
                            if out.len() + v.len() > MAX_VALUE {
                                self.at = start;
                                return Err(self.too_long());
                            }
                            out.push_str(v);
                        }
                        None => {
                            // BibTeX reads an undefined macro as nothing
                            // and warns; its name is kept, not lost.
                            out.push_str(&name);
                            undefined.push(name);
                        }
                    }
                }
                Some(c) => {
                    return Err(self.fail(&format!(
                        "expected a value (`{{...}}`, `\"...\"`, a number or a macro), found `{}`",
                        c.escape_debug()
                    )));
                }
                None => return Err(self.fail("expected a value before the end of the entry")),
            }
            if out.len() > MAX_VALUE {
                self.at = start;
                return Err(self.too_long());
            }
            self.skip_space()?;
            if self.rest().starts_with('#') {
                self.at += 1;
            } else {
                return Ok(out);
            }
        }
    }

    fn too_long(&self) -> Fail {
        self.fail(&format!(
            "a value longer than {} KiB once its macros are expanded",
            MAX_VALUE >> 10
        ))
    }

    /// What is between `open` (at the cursor) and its `close`, with braces
    /// inside paired and at most [`MAX_DEPTH`] deep; `\{` and `\}` are
    /// escaped characters, not braces.
    fn delimited(&mut self, open: char, close: char) -> Result<&'a str, Fail> {
        let start = self.at;
        let bytes = self.s.as_bytes();
        let mut i = self.at + 1;
        let mut depth = 0usize;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 1,
                b'{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        self.at = i;
                        return Err(self.fail(&format!("braces nested more than {MAX_DEPTH} deep")));
                    }
                }
                b'}' if depth > 0 => depth -= 1,
                c if depth == 0 && c == close as u8 => {
                    self.at = i + 1;
                    return Ok(&self.s[start + 1..i]);
                }
                b'}' => {
                    self.at = i;
                    return Err(self.fail("a `}` closes more than was opened"));
                }
                _ => {}
            }
            i += 1;
        }
        self.at = start;
        Err(self.fail(&format!("a `{open}` that is never closed")))
    }
}

fn is_name_char(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !"=,{}\"#%()'".contains(c)
}

/// A top-level `@kind{...}` block: its kind (lowercase), what is between
/// its delimiters, where it starts, and whether it closes.
struct Block<'a> {
    kind: String,
    body: &'a str,
    line: usize,
    closed: bool,
}

/// Where the body starts after Jekyll front matter (`---` ... `---`).
fn front_matter_end(text: &str) -> usize {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else { return 0 };
    if first.trim_end() != "---" {
        return 0;
    }
    let mut at = first.len();
    for line in lines {
        at += line.len();
        if line.trim_end() == "---" {
            return at;
        }
    }
    0
}

/// Splits the file into blocks, skipping `%` comment lines and text
/// between entries, as BibTeX does. Linear in the file's length: lines are
/// counted once as the scan moves, and the braces left after any point are
/// known from one count of the whole file.
fn blocks(text: &str, start: usize) -> Vec<Block<'_>> {
    let bytes = text.as_bytes();
    let mut braces = Braces::new(text);
    let mut out = Vec::new();
    let mut i = start;
    let mut line = text[..start].matches('\n').count() + 1;
    let mut counted = start;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => i = text[i..].find('\n').map_or(bytes.len(), |n| i + n + 1),
            b'@' => {
                line += text[counted..i].matches('\n').count();
                counted = i;
                let rest = &text[i + 1..];
                let kind_len = rest
                    .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .unwrap_or(rest.len());
                let kind = rest[..kind_len].to_ascii_lowercase();
                let after = rest[kind_len..].trim_start();
                let open = after.chars().next();
                if kind.is_empty() || !matches!(open, Some('{' | '(')) {
                    i += 1;
                    continue;
                }
                let open_at = i + 1 + kind_len + (rest[kind_len..].len() - after.len());
                let (end, closed) = braces.matching_close(open_at);
                let body_end = if closed { end - 1 } else { end };
                out.push(Block {
                    kind,
                    body: &text[(open_at + 1).min(body_end)..body_end],
                    line,
                    closed,
                });
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// The file's braces, counted once: how many open and close braces come
/// after the scan's position, so that deciding whether an unclosed entry
/// could still close costs nothing.
struct Braces<'a> {
    text: &'a str,
    /// Braces in the whole file.
    opens: usize,
    closes: usize,
    /// Braces before `seen_to`.
    opens_seen: usize,
    closes_seen: usize,
    seen_to: usize,
}

impl<'a> Braces<'a> {
    fn new(text: &'a str) -> Self {
        let (opens, closes) = count_braces(text.as_bytes());
        Braces {
            text,
            opens,
            closes,
            opens_seen: 0,
            closes_seen: 0,
            seen_to: 0,
        }
    }

    /// Counts the braces up to `to` (which only moves forward).
    fn see_to(&mut self, to: usize) {
        if to > self.seen_to {
            let (o, c) = count_braces(&self.text.as_bytes()[self.seen_to..to]);
            self.opens_seen += o;
            self.closes_seen += c;
            self.seen_to = to;
        }
    }

    /// The end of the block opened at `open` (just past its closing
    /// delimiter), or, when it never closes, the start of the first line
    /// beginning with `@` after which its braces can no longer balance.
    fn matching_close(&mut self, open: usize) -> (usize, bool) {
        let bytes = self.text.as_bytes();
        let (opener, closer) = if bytes[open] == b'(' {
            (b'(', b')')
        } else {
            (b'{', b'}')
        };
        let mut depth = 0usize;
        let mut i = open;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 1,
                c if c == opener => depth += 1,
                c if c == closer => {
                    depth -= 1;
                    if depth == 0 {
                        return (i + 1, true);
                    }
                }
                // A new entry starts while this one is open, and the braces
                // left in the file can never close it: this one is broken.
                b'\n' if bytes.get(i + 1) == Some(&b'@') && depth > 0 && opener == b'{' => {
                    self.see_to(i + 1);
                    let opens_left = self.opens - self.opens_seen;
                    let closes_left = self.closes - self.closes_seen;
                    if closes_left < opens_left + depth {
                        return (i + 1, false);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        (bytes.len(), false)
    }
}

fn count_braces(bytes: &[u8]) -> (usize, usize) {
    bytes.iter().fold((0, 0), |(o, c), b| match b {
        b'{' => (o + 1, c),
        b'}' => (o, c + 1),
        _ => (o, c),
    })
}

/// The key of a block, for messages (what comes before its first comma).
fn key_of(body: &str) -> String {
    let key = body
        .split([',', '}', ')', '\n'])
        .next()
        .unwrap_or("")
        .trim();
    let key: String = key.chars().take(80).collect();
    if key.is_empty() { "?".to_string() } else { key }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Entry {
        let file = read(text);
        assert!(file.troubles.is_empty(), "{:?}", file.troubles);
        assert_eq!(file.entries.len(), 1, "{:?}", file.entries);
        file.entries.into_iter().next().unwrap()
    }

    #[test]
    fn values_come_whole_with_macros_and_concatenation() {
        let e = one("@string{conf = {Proc. of }}\n@STRING(year = \"2020\")\n\
             @InProceedings{k1,\n  Title = {A {CBOW} \\emph{model}},\n  booktitle = conf # {ICML} # \" \" # year,\n\
             month = jul, pages = 1 # \"--\" # 9, note = \"a {\"}quote\",\n}");
        assert_eq!(e.kind, "inproceedings");
        assert_eq!(e.key, "k1");
        assert_eq!(e.get("title"), Some("A {CBOW} \\emph{model}"));
        assert_eq!(e.get("booktitle"), Some("Proc. of ICML 2020"));
        assert_eq!(e.get("month"), Some("July"));
        assert_eq!(e.get("pages"), Some("1--9"));
        assert_eq!(e.get("note"), Some("a {\"}quote"));
        assert!(e.undefined.is_empty());
    }

    #[test]
    fn undefined_macros_keep_their_name_and_are_reported() {
        let e = one("@article{k, journal = apj, year = 2020}");
        assert_eq!(e.get("journal"), Some("apj"));
        assert_eq!(e.undefined, ["apj"]);
    }

    #[test]
    fn self_and_mutual_references_cannot_loop() {
        // `a` is not yet defined when its own definition is read.
        let file = read(
            "@string{a = b}\n@string{b = a}\n@string{c = c # c}\n@article{k, title = a # b # c, year = 1}",
        );
        let lines: Vec<usize> = file
            .troubles
            .iter()
            .filter_map(|t| match t {
                Trouble::BadString { line, .. } => Some(*line),
                _ => None,
            })
            .collect();
        assert_eq!(lines, [1, 2, 3]);
        // The entry that uses them is refused, saying which and where.
        assert!(file.entries.is_empty());
        assert!(
            file.troubles
                .iter()
                .any(|t| matches!(t, Trouble::BadEntry { key, line: 4, why }
                if key == "k" && why.contains("@string `a` (line 1)"))),
            "{:?}",
            file.troubles
        );
    }

    #[test]
    fn exponential_macros_stop_at_the_bound() {
        let mut text = String::from("@string{s0 = {abcdefghij}}\n");
        for i in 1..=12 {
            let p = i - 1;
            text.push_str(&format!("@string{{s{i} = s{p} # s{p} # s{p} # s{p}}}\n"));
        }
        text.push_str(
            "@article{big, title = s12, year = 2000}\n@article{fine, title = s3, year = 2000}\n",
        );
        let started = std::time::Instant::now();
        let file = read(&text);
        assert!(started.elapsed().as_secs() < 5);
        let keys: Vec<&str> = file.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["fine"]);
        assert!(
            file.troubles
                .iter()
                .any(|t| matches!(t, Trouble::BadString { why, .. } if why.contains("KiB"))),
            "{:?}",
            file.troubles
        );
        assert!(
            file.troubles
                .iter()
                .any(|t| matches!(t, Trouble::BadEntry { key, .. } if key == "big")),
            "{:?}",
            file.troubles
        );
    }

    #[test]
    fn deep_braces_are_refused_in_linear_time() {
        let deep = format!("{}x{}", "{".repeat(100_000), "}".repeat(100_000));
        let text = format!(
            "@article{{fine1, title = {{A}}, year = 1}}\n@article{{deep,\n title = {deep}, year = 2}}\n@article{{fine2, title = {{B}}, year = 3}}\n"
        );
        let file = read(&text);
        let keys: Vec<&str> = file.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["fine1", "fine2"]);
        match &file.troubles[..] {
            [Trouble::BadEntry { key, line, why }] => {
                assert_eq!((key.as_str(), *line), ("deep", 3));
                assert!(why.contains("nested more than 64"), "{why}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn broken_entries_name_their_line_and_the_rest_come_in() {
        let file = read(
            "@article{a, title = {T}, year = 1}\n@article{b,\n  title = {T},\n  year = = 2}\n@article{c, title = {Unclosed, year = 3}\n@article{d, title = {D}, year = 4}\n",
        );
        let keys: Vec<&str> = file.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["a", "d"]);
        assert_eq!(
            file.troubles,
            [
                Trouble::BadEntry {
                    key: "b".into(),
                    line: 4,
                    why: "expected a value (`{...}`, `\"...\"`, a number or a macro), found `=`"
                        .into()
                },
                Trouble::BadEntry {
                    key: "c".into(),
                    line: 5,
                    why: "the entry is not closed (a brace is missing)".into()
                },
            ]
        );
    }

    #[test]
    fn front_matter_comments_and_repeated_fields() {
        let e = one(
            "---\nlayout: none\n---\n% a comment @article{no, year=1}\n@comment{@article{no2, year=2}}\n\
             @preamble{\"\\newcommand{\\x}{y}\"}\nfree text\n@misc{k, title={First}, TITLE={Second}, year={3},}",
        );
        assert_eq!(e.get("title"), Some("First"));
        assert_eq!(e.line, 8);
    }
}
