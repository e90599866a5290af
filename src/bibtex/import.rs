//! `import-bib`: BibTeX (al-folio's `papers.bib`) to profile publications.

use biblatex::{Bibliography, ChunksExt, Entry};

use super::html;
use crate::profile::{Publication, fields, sanitize};

/// The publications read from a bibliography, and what could not be read.
#[derive(Debug, Default)]
pub struct Import {
    pub publications: Vec<Publication>,
    pub problems: Vec<Problem>,
}

/// Something of a bibliography that did not come in whole. Keys and
/// reasons are made inert; `Display` gives the line for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An `@string`, `@comment` or `@preamble` that never closes.
    Unterminated { line: usize, kind: String },
    /// An entry's field that has no place in profile.toml.
    FieldLeftOut {
        key: String,
        line: usize,
        field: String,
    },
    /// An entry that could not be read at all.
    Skipped {
        key: String,
        line: usize,
        why: String,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Unterminated { line, kind } => write!(f, "line {line}: unterminated @{kind}"),
            Problem::FieldLeftOut { key, line, field } => write!(
                f,
                "entry `{key}` (line {line}): field `{field}` has no place in profile.toml; left out"
            ),
            Problem::Skipped { key, line, why } => {
                write!(f, "entry `{key}` (line {line}): {why}; skipped")
            }
        }
    }
}

/// A top-level `@kind{...}` block of a BibTeX file.
struct Block<'a> {
    kind: String,
    text: &'a str,
    line: usize,
    closed: bool,
}

/// Reads a BibTeX file: Jekyll front matter, `@string` macros and `#`
/// concatenation, `@comment` and `%` comments, braces and quotes, LaTeX
/// accents and commands. A broken entry is reported and skipped; the rest
/// are still imported.
pub fn import(text: &str) -> Import {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body_start = front_matter_end(text);
    let mut out = Import::default();
    let mut strings = String::new();
    let blocks = blocks(text, body_start);
    for b in blocks.iter().filter(|b| b.kind == "string" && b.closed) {
        strings.push_str(&latex_compat(&braced(b.text)));
        strings.push('\n');
    }
    for b in &blocks {
        match b.kind.as_str() {
            "string" | "comment" | "preamble" => {
                if !b.closed {
                    out.problems.push(Problem::Unterminated {
                        line: b.line,
                        kind: sanitize::line(&b.kind),
                    });
                }
            }
            _ => match entry(b, &strings) {
                Ok((mut publication, dropped)) => {
                    crate::profile::sanitize_publication(&mut publication);
                    for field in dropped {
                        out.problems.push(Problem::FieldLeftOut {
                            key: sanitize::line(&key_of(b.text)),
                            line: b.line,
                            field: sanitize::line(&field),
                        });
                    }
                    out.publications.push(publication);
                }
                Err(why) => out.problems.push(Problem::Skipped {
                    key: sanitize::line(&key_of(b.text)),
                    line: b.line,
                    why: sanitize::line(&why),
                }),
            },
        }
    }
    out
}

/// `@kind( ... )` written as `@kind{ ... }`, which is all the parser reads.
/// The `author` and `editor` lists with their separators written `and`:
/// BibTeX splits names at `and` in any case (`Galke, Lukas AND Saleh,
/// Ahmed`), the parser only at lowercase ones. Only separators at the top
/// of the value change: a braced `{Barnes AND Noble}` stays one name.
fn names_split_in_any_case(entry: &str) -> String {
    let lower = entry.to_ascii_lowercase();
    let mut out = String::with_capacity(entry.len());
    let mut at = 0;
    while at < entry.len() {
        let next = ["author", "editor"]
            .iter()
            .filter_map(|name| lower[at..].find(name).map(|i| (at + i, name.len())))
            .min();
        let Some((start, len)) = next else { break };
        let word_start = start == 0 || !lower.as_bytes()[start - 1].is_ascii_alphanumeric();
        let after = &entry[start + len..];
        let value = after.trim_start();
        let Some(value) = value
            .strip_prefix('=')
            .map(str::trim_start)
            .filter(|_| word_start)
        else {
            out.push_str(&entry[at..start + len]);
            at = start + len;
            continue;
        };
        let value_start = entry.len() - value.len();
        let Some(close) = value.chars().next().and_then(|c| match c {
            '{' => Some('}'),
            '"' => Some('"'),
            _ => None,
        }) else {
            out.push_str(&entry[at..value_start]);
            at = value_start;
            continue;
        };
        out.push_str(&entry[at..value_start + 1]);
        let mut depth = 0usize;
        let mut i = value_start + 1;
        let bytes = entry.as_bytes();
        while i < entry.len() {
            let c = bytes[i];
            if depth == 0 && c == close as u8 {
                break;
            }
            match c {
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            let separator = depth == 0
                && c.is_ascii_whitespace()
                && lower[i + 1..].starts_with("and")
                && lower
                    .as_bytes()
                    .get(i + 4)
                    .is_some_and(u8::is_ascii_whitespace);
            if separator && &entry[i + 1..i + 4] != "and" {
                out.push(char::from(c));
                out.push_str("and");
                i += 4;
                continue;
            }
            let ch = entry[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
        at = i;
    }
    out.push_str(&entry[at.min(entry.len())..]);
    out
}

fn braced(block: &str) -> String {
    match block.find(['{', '(']) {
        Some(open) if block[open..].starts_with('(') && block.ends_with(')') => {
            format!(
                "{}{{{}}}",
                &block[..open],
                &block[open + 1..block.len() - 1]
            )
        }
        _ => block.to_string(),
    }
}

/// LaTeX the parser does not know, rewritten into forms it does: the dotless
/// `\i` and `\j` (as in `{\'\i}`), and text-style commands whose argument is
/// all that matters (`\emph{x}` is `x`).
fn latex_compat(text: &str) -> String {
    const STYLE: [&str; 9] = [
        "\\emph{",
        "\\textbf{",
        "\\textit{",
        "\\texttt{",
        "\\textsc{",
        "\\textrm{",
        "\\textsf{",
        "\\textsl{",
        "\\underline{",
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(cmd) = STYLE.iter().find(|c| tail.starts_with(**c)) {
            out.push('{');
            rest = &tail[cmd.len()..];
            continue;
        }
        let dotless = ["\\i", "\\j"].into_iter().find(|d| {
            tail.starts_with(d) && !tail[2..].starts_with(|c: char| c.is_ascii_alphabetic())
        });
        if let Some(d) = dotless {
            out.push('{');
            out.push_str(&d[1..]);
            out.push('}');
            rest = tail[2..].strip_prefix(' ').unwrap_or(&tail[2..]);
            continue;
        }
        // Any other command (and its escaped character) stays as it is.
        let len = tail[1..].chars().next().map_or(1, |c| 1 + c.len_utf8());
        out.push_str(&tail[..len]);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
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

/// Splits the file into `@kind{...}` blocks, skipping `%` comment lines and
/// text between entries, as BibTeX does.
fn blocks(text: &str, start: usize) -> Vec<Block<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    // Lines are counted as the scan moves, once.
    let mut line = text[..start].matches('\n').count() + 1;
    let mut counted = start;
    let mut line_at = |i: usize| {
        line += text[counted..i].matches('\n').count();
        counted = i;
        line
    };
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
            }
            b'@' => {
                let line = line_at(i);
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
                let (end, closed) = matching_close(text, open_at);
                out.push(Block {
                    kind,
                    text: &text[i..end],
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

/// The end of the block opened at `open` (just past its closing delimiter),
/// or, when it never closes, the start of the next line beginning with `@`.
fn matching_close(text: &str, open: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
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
            // A new entry starts while this one is open, and the braces can
            // never balance from here: this one is broken.
            b'\n'
                if bytes.get(i + 1) == Some(&b'@')
                    && depth > 0
                    && opener == b'{'
                    && !balances_later(&text[i + 1..], depth) =>
            {
                return (i + 1, false);
            }
            _ => {}
        }
        i += 1;
    }
    (bytes.len(), false)
}

fn balances_later(rest: &str, depth: usize) -> bool {
    let (mut open, mut close) = (0usize, 0usize);
    for b in rest.bytes() {
        match b {
            b'{' => open += 1,
            b'}' => close += 1,
            _ => {}
        }
    }
    close >= open + depth
}

fn key_of(block: &str) -> String {
    let inner = block.find(['{', '(']).map_or("", |i| &block[i + 1..]);
    let key = inner
        .split([',', '}', ')', '\n'])
        .next()
        .unwrap_or("")
        .trim();
    let key: String = key.chars().take(80).collect();
    if key.is_empty() { "?".to_string() } else { key }
}

/// One entry into a publication, with the names of fields left out.
fn entry(block: &Block<'_>, strings: &str) -> Result<(Publication, Vec<String>), String> {
    if !block.closed {
        return Err("the entry is not closed (a brace is missing)".into());
    }
    let source = format!(
        "{strings}{}",
        latex_compat(&names_split_in_any_case(&braced(block.text)))
    );
    let bib = Bibliography::parse(&source).map_err(|e| {
        let at = e
            .span
            .start
            .saturating_sub(strings.len())
            .min(block.text.len());
        let line = block.line + block.text[..at].matches('\n').count();
        format!("{} at line {line}", e.kind)
    })?;
    let entry = bib
        .into_iter()
        .next()
        .ok_or_else(|| "no entry could be read".to_string())?;
    publication(&entry)
}

fn publication(entry: &Entry) -> Result<(Publication, Vec<String>), String> {
    let field = |name: &str| -> Option<String> {
        // Made inert first: what a removed sequence leaves must be collapsed too.
        let value = sanitize::text(&entry.fields.get(name)?.format_verbatim());
        let value = match fields::named(name) {
            // A hard break needs its newline, which only a multi-line field
            // keeps (sanitizing makes it a space in the others).
            Some(f) if f.markdown => html::to_markdown(&value, f.multiline),
            Some(f) if f.html => collapse(&html::strip_tags(&value)),
            // export-bib writes braces in links as %7B / %7D: the same link.
            Some(f) if f.verbatim => collapse(&value.replace("%7B", "{").replace("%7D", "}")),
            _ => collapse(&value),
        };
        (!value.is_empty()).then_some(value)
    };
    let title = field("title").ok_or("it has no title")?;
    // No author is allowed (the profile allows it too).
    let authors = entry
        .author()
        .unwrap_or_default()
        .iter()
        .map(person)
        .filter(|a| !a.is_empty())
        .collect::<Vec<_>>();
    let year_text = field("year")
        .or_else(|| field("date").map(|d| d.chars().take(4).collect()))
        .ok_or("it has no year")?;
    let year: u16 = year_text
        .trim()
        .parse()
        .map_err(|_| format!("its year `{year_text}` is not a number"))?;
    let mut p = Publication {
        key: Some(entry.key.clone()),
        entry_type: Some(entry.entry_type.to_string().to_lowercase()),
        title,
        authors,
        year,
        ..Publication::default()
    };
    for f in fields::FIELDS {
        *(f.get_mut)(&mut p) = field(f.name);
    }
    // biblatex knows the journal as `journaltitle`.
    if p.journal.is_none() {
        p.journal = field("journaltitle");
    }
    p.selected = field("selected").is_some_and(|v| truthy(&v));
    p.bibtex_show = field("bibtex_show").is_some_and(|v| truthy(&v));
    let known = |f: &str| {
        fields::named(f).is_some()
            || matches!(
                f,
                "title" | "author" | "year" | "date" | "selected" | "bibtex_show" | "journaltitle"
            )
    };
    let dropped = entry.fields.keys().filter(|f| !known(f)).cloned().collect();
    Ok((p, dropped))
}

fn truthy(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "yes" | "1")
}

/// "First von Last, Jr." from biblatex's parts.
fn person(p: &biblatex::Person) -> String {
    [&p.given_name, &p.prefix, &p.name, &p.suffix]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whitespace runs as one space, none at the ends (BibTeX's reading).
pub(super) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod names {
    use super::*;

    #[test]
    fn names_split_at_and_in_any_case_but_not_inside_braces() {
        let entry = "@article{g, title = {Research AND Development}, author = {Galke, Lukas AND Saleh, Ahmed And Scherp, Ansgar and {Barnes AND Noble}}, editor = \"A AND B\", bookauthor = {X AND Y}, year = 2020}";
        let fixed = names_split_in_any_case(entry);
        assert!(
            fixed.contains("title = {Research AND Development}"),
            "{fixed}"
        );
        assert!(
            fixed.contains(
                "{Galke, Lukas and Saleh, Ahmed and Scherp, Ansgar and {Barnes AND Noble}}"
            ),
            "{fixed}"
        );
        assert!(fixed.contains("\"A and B\""), "{fixed}");
        assert!(fixed.contains("bookauthor = {X AND Y}"), "{fixed}");
        let import = import(entry);
        assert_eq!(
            import.publications[0].authors,
            [
                "Lukas Galke",
                "Ahmed Saleh",
                "Ansgar Scherp",
                "Barnes AND Noble"
            ]
        );
        // Nothing else changes, whatever the text.
        for odd in [
            "",
            "author",
            "author =",
            "author = {",
            "AUTHOR={a AND",
            "@x{k, Author = {ü AND é}}",
        ] {
            let _ = names_split_in_any_case(odd);
        }
        assert_eq!(
            names_split_in_any_case("@x{k, Author = {ü AND é}}"),
            "@x{k, Author = {ü and é}}"
        );
    }
}
