//! What `check` reports, under the one severity rule of PRODUCT.md: as
//! errors what makes the profile unreadable or ambiguous (TOML syntax,
//! duplicate keys, unknown keys, wrong types, missing required keys, two
//! publications with one BibTeX key), every one of them in one run; as
//! warnings what is shown degraded (links the link table refuses, long
//! badges, empty sections; the photo is main's). Each is named with the
//! line that holds it, in file order; warnings come in the same run as
//! errors (see [`examine`]).

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::links::{self, Refused};
use super::load::{self, Diagnostic};
use super::shape::{self, Expected, Kind};
use super::{Profile, markup};

/// What `check` found in a profile's text: every problem, in file order,
/// and the profile when it could be read.
pub struct Examined {
    pub problems: Vec<Warning>,
    pub profile: Option<Profile>,
}

/// Reads `text` (named `source_name`) as `check` does: the TOML parsed once;
/// every duplicate key, and the first other syntax error (TOML cannot go on
/// after one), or else every schema problem found by walking the document
/// against the structs' shape; then the structs deserialized from the same
/// document and their own checks run. Where the walk found problems it
/// mends the document as it goes (an unknown key dropped, a wrong value or
/// a missing one made a default), so the warnings of the rest still come
/// in the same run; the profile itself is then not given back.
pub fn examine(text: &str, source_name: &str) -> Examined {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let problem = |diagnostic: Diagnostic, at: Option<usize>| Warning {
        source_name: source_name.to_string(),
        diagnostic,
        at,
    };
    let failed = |problems| Examined {
        problems,
        profile: None,
    };
    // In the order the parser reports them (not always the file's): the
    // first syntax error is then the one the viewer stops at.
    let (mut doc, parse_errors) = DeTable::parse_recoverable(text);
    let mut problems = Vec::new();
    for e in &parse_errors {
        problems.push(problem(
            Diagnostic::from_toml(e, text),
            e.span().map(|s| s.start),
        ));
        if e.message() != "duplicate key" {
            return failed(problems);
        }
    }
    let mut walked = Vec::new();
    let mut walk = Walk {
        text,
        problems: &mut walked,
        source_name,
        mended: Vec::new(),
        unmendable: false,
    };
    walk.document(shape::profile(), &mut doc);
    let (mended, unmendable) = (walk.mended, walk.unmendable);
    // Where a key was written twice, the parser kept one of them: what the
    // walk says on those lines is about its guess.
    let twice: Vec<Range<usize>> = parse_errors
        .iter()
        .filter_map(|e| e.span())
        .map(|s| line_of(text, s.start))
        .collect();
    problems.extend(
        walked
            .into_iter()
            .filter(|w| !w.at.is_some_and(|at| twice.iter().any(|l| l.contains(&at)))),
    );
    // With problems already found, the rest's own checks run on the
    // mended document, and what they say about a mended place is about our
    // default, not the author's text.
    let had_errors = !problems.is_empty();
    if unmendable {
        in_file_order(&mut problems);
        return failed(problems);
    }
    let places = Places::of(&doc, text);
    let mut profile = match Profile::deserialize(toml::de::Deserializer::from(doc)) {
        Ok(profile) => profile,
        Err(_) if had_errors => {
            in_file_order(&mut problems);
            return failed(problems);
        }
        Err(e) => {
            let at = e.span().map(|s| s.start);
            return failed(vec![problem(Diagnostic::from_toml(&e, text), at)]);
        }
    };
    super::sanitize_profile(&mut profile);
    let about_mended = |w: &Warning| {
        had_errors
            && w.at
                .is_none_or(|at| mended.iter().any(|m| line_of(text, m.start).contains(&at)))
    };
    let rest = errors(&profile, text, source_name)
        .into_iter()
        .chain(warnings(&profile, text, source_name))
        .chain(places.degraded(&profile, text, source_name, &mended));
    problems.extend(rest.filter(|w| !about_mended(w)));
    in_file_order(&mut problems);
    if had_errors {
        return failed(problems);
    }
    profile.order_publications();
    Examined {
        problems,
        profile: Some(profile),
    }
}

/// The bytes of the line of `text` that holds byte `at`.
fn line_of(text: &str, at: usize) -> Range<usize> {
    let at = at.min(text.len());
    let start = text.as_bytes()[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = text.as_bytes()[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| at + i);
    start..end + 1
}

/// Puts `problems` in the order of the file (those with no place last).
pub fn in_file_order(problems: &mut [Warning]) {
    problems.sort_by_key(|w| w.at.unwrap_or(usize::MAX));
}

/// A document walked against the shape, its problems collected and the
/// document mended where they are.
struct Walk<'a, 'p> {
    text: &'a str,
    source_name: &'a str,
    problems: &'p mut Vec<Warning>,
    /// Where something was dropped or made a default.
    mended: Vec<Range<usize>>,
    /// A problem no default mends (a missing value only the type knows).
    unmendable: bool,
}

impl Walk<'_, '_> {
    /// The whole document, a table of the profile's shape.
    fn document(&mut self, expected: &Expected, doc: &mut Spanned<DeTable<'_>>) {
        let span = doc.span();
        if let Kind::Table(shape) = &expected.kind {
            self.table(shape, doc.get_mut(), span);
        }
    }

    /// Puts a value of the expected kind in the place of a wrong one, or
    /// says none can be made.
    fn mend(&mut self, expected: &Expected, value: &mut DeValue<'_>, span: Range<usize>) {
        match default_of(expected) {
            Some(default) => {
                *value = default;
                self.mended.push(span);
            }
            None => self.unmendable = true,
        }
    }

    fn error(&mut self, message: String, span: Range<usize>, help: Option<String>) {
        self.problems.push(Warning {
            source_name: self.source_name.to_string(),
            at: Some(span.start),
            diagnostic: Diagnostic::error(message, self.text, Some(span), help),
        });
    }

    /// Whether `value` is what `expected` says; if not, why, at its place
    /// (and a default in its stead).
    fn value(&mut self, expected: &Expected, value: &mut Spanned<DeValue<'_>>) {
        let span = value.span();
        let value = value.get_mut();
        match (&expected.kind, &mut *value) {
            (Kind::Any, _)
            | (Kind::String, DeValue::String(_))
            | (Kind::Bool, DeValue::Boolean(_))
            | (Kind::Float, DeValue::Float(_) | DeValue::Integer(_)) => {}
            (Kind::Integer { min, max }, DeValue::Integer(i)) => {
                let n = i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok();
                if !n.is_some_and(|n| (*min..=*max).contains(&n)) {
                    self.error(
                        format!(
                            "invalid value: integer `{}`, expected {}",
                            i.as_str(),
                            expected.expecting
                        ),
                        span.clone(),
                        None,
                    );
                    self.mend(expected, value, span);
                }
            }
            (Kind::Choice(names), DeValue::String(s)) => {
                if !names.contains(&s.as_ref()) {
                    self.error(
                        format!("unknown value `{s}`, expected {}", one_of(names)),
                        span.clone(),
                        None,
                    );
                    self.mend(expected, value, span);
                }
            }
            (Kind::List(element), DeValue::Array(items)) => {
                for item in items.iter_mut() {
                    self.value(element, item);
                }
            }
            (Kind::Map(entry), DeValue::Table(table)) => {
                for (_, item) in table.iter_mut() {
                    self.value(entry, item);
                }
            }
            (Kind::Table(shape), DeValue::Table(table)) => self.table(shape, table, span),
            (_, found) => {
                self.error(
                    format!(
                        "invalid type: {}, expected {}",
                        unexpected(found),
                        expected.expecting
                    ),
                    span.clone(),
                    None,
                );
                self.mend(expected, value, span);
            }
        }
    }

    /// Every key of `table`: known, of the right kind; and every required
    /// key there. Unknown keys are dropped and missing ones made defaults.
    fn table(&mut self, shape: &shape::Table, table: &mut DeTable<'_>, span: Range<usize>) {
        // The keys the misspelt ones were meant to be: not missing too.
        let mut meant = Vec::new();
        let mut unknown = Vec::new();
        for (key, value) in table.iter_mut() {
            match shape.key(key.get_ref()) {
                Some(known) => self.value(&known.value, value),
                None => {
                    let names = shape.names();
                    meant.extend(load::closest(key.get_ref(), &names));
                    let help = load::suggest(key.get_ref(), &names);
                    self.error(format!("unknown key `{}`", key.get_ref()), key.span(), help);
                    unknown.push(key.clone());
                }
            }
        }
        for key in unknown {
            self.mended.push(key.span());
            table.remove(&key);
        }
        for key in shape.keys.iter().filter(|k| k.required) {
            if !table.keys().any(|k| k.get_ref() == key.name) {
                if !meant.contains(&key.name) {
                    self.error(format!("missing field `{}`", key.name), span.clone(), None);
                }
                let mut value = DeValue::Boolean(false);
                self.mend(&key.value, &mut value, span.clone());
                let name = Spanned::new(span.clone(), std::borrow::Cow::Borrowed(key.name));
                table.insert(name, Spanned::new(span.clone(), value));
            }
        }
    }
}

/// A value of the kind `expected` says, to stand in for a wrong or missing
/// one: empty, zero, false, the first choice; none for a kind only its type
/// knows (a date). A table gets its own required keys the same way.
fn default_of(expected: &Expected) -> Option<DeValue<'static>> {
    use std::borrow::Cow;
    Some(match &expected.kind {
        Kind::String => DeValue::String(Cow::Borrowed("")),
        Kind::Bool => DeValue::Boolean(false),
        Kind::Integer { min, max } if (*min..=*max).contains(&0) => {
            DeValue::Integer(Default::default())
        }
        Kind::Float => DeValue::Float(Default::default()),
        Kind::Choice(names) => DeValue::String(Cow::Borrowed(names.first()?)),
        Kind::List(_) => DeValue::Array(Default::default()),
        Kind::Map(_) => DeValue::Table(DeTable::new()),
        Kind::Table(shape) => {
            let mut table = DeTable::new();
            for key in shape.keys.iter().filter(|k| k.required) {
                let name = Spanned::new(0..0, Cow::Borrowed(key.name));
                table.insert(name, Spanned::new(0..0, default_of(&key.value)?));
            }
            DeValue::Table(table)
        }
        Kind::Integer { .. } | Kind::Any => return None,
    })
}

/// A value as serde's messages name what they found: string "x", integer `3`.
fn unexpected(value: &DeValue<'_>) -> String {
    use serde::de::Unexpected;
    let shown: String;
    let unexpected = match value {
        DeValue::String(s) => {
            let cut: String = s.chars().take(40).collect();
            shown = if cut.len() < s.len() {
                format!("{cut}…")
            } else {
                cut
            };
            Unexpected::Str(&shown)
        }
        DeValue::Integer(i) => Unexpected::Other(i.as_str()),
        DeValue::Float(f) => Unexpected::Other(f.as_str()),
        DeValue::Boolean(b) => Unexpected::Bool(*b),
        DeValue::Datetime(_) => Unexpected::Other("a date"),
        DeValue::Array(_) => Unexpected::Other("an array"),
        DeValue::Table(_) => Unexpected::Other("a table"),
    };
    match (value, unexpected) {
        (DeValue::Integer(_), Unexpected::Other(n)) => format!("integer `{n}`"),
        (DeValue::Float(_), Unexpected::Other(n)) => format!("float `{n}`"),
        (_, u) => u.to_string(),
    }
}

/// "`file` or `newest`", "`a`, `b` or `c`".
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// Where each publication and each extra section is written, in file
/// order: what the warnings about one point into.
struct Places {
    publications: Vec<Range<usize>>,
    sections: Vec<Range<usize>>,
}

impl Places {
    fn of(doc: &Spanned<DeTable<'_>>, text: &str) -> Places {
        // A `[[publications]]` table's span is its header: each is taken
        // to run on to where the next begins.
        let spans = |key: &str| -> Vec<Range<usize>> {
            let array = doc
                .get_ref()
                .iter()
                .find(|(k, _)| k.get_ref() == key)
                .and_then(|(_, v)| v.get_ref().as_array());
            let starts: Vec<usize> =
                array.map_or_else(Vec::new, |a| a.iter().map(|v| v.span().start).collect());
            let ends = starts.iter().skip(1).copied().chain([text.len()]);
            starts.iter().zip(ends).map(|(&s, e)| s..e.max(s)).collect()
        };
        Places {
            publications: spans("publications"),
            sections: spans("sections"),
        }
    }

    /// Long badges and empty sections: shown, but not as their author meant.
    /// Not said of a publication or section where the walk `mended`
    /// something (a misspelt `itmes` is not an empty section).
    fn degraded(
        &self,
        profile: &Profile,
        text: &str,
        source_name: &str,
        mended: &[Range<usize>],
    ) -> Vec<Warning> {
        let mut out = Vec::new();
        let mut warn = |within: Option<&Range<usize>>, needle: &str, message, help: &str| {
            if within.is_some_and(|r| mended.iter().any(|m| r.contains(&m.start))) {
                return;
            }
            let span = within.map(|r| {
                let start = r.start.min(text.len());
                text.get(start..r.end.min(text.len()))
                    .and_then(|t| (!needle.is_empty()).then(|| t.find(needle)).flatten())
                    .map_or(start..start, |i| start + i..start + i + needle.len())
            });
            out.push(Warning {
                source_name: source_name.to_string(),
                at: span.as_ref().map(|s| s.start),
                diagnostic: Diagnostic::warning(message, text, span, Some(help.to_string())),
            });
        };
        for (i, p) in profile.publications.iter().enumerate() {
            if let Some(badge) = p.long_badge() {
                let shown: String = badge.chars().take(40).collect();
                let shown = if shown.len() < badge.len() {
                    format!("{shown}…")
                } else {
                    shown
                };
                warn(
                    self.publications.get(i),
                    badge,
                    format!(
                        "the badge `{shown}` is {} characters long; badges are a few words",
                        badge.chars().count()
                    ),
                    "put the long text in `award` and a short name for the badge in `award_name`",
                );
            }
        }
        for (i, s) in profile.sections.iter().enumerate() {
            let empty = s.text.trim().is_empty() && s.items.iter().all(|t| t.trim().is_empty());
            if empty {
                warn(
                    self.sections.get(i),
                    &s.title,
                    format!("the section `{}` is empty: its tab shows nothing", s.title),
                    "give it `text` or `items`, or leave it out",
                );
            }
        }
        out
    }
}

/// One warning, rendered like an error (file, line, the line, a caret).
#[derive(Debug, Clone)]
pub struct Warning {
    source_name: String,
    diagnostic: Diagnostic,
    /// Where in the text it points, for file order.
    at: Option<usize>,
}

impl Warning {
    /// Whether it is an error (not a warning).
    pub fn is_error(&self) -> bool {
        !self.diagnostic.is_warning()
    }

    /// The same, reported as an error (`check --strict`).
    #[must_use]
    pub fn into_error(mut self) -> Warning {
        self.diagnostic = self.diagnostic.into_error();
        self
    }
}

impl Warning {
    /// The warning, in cargo's colours when `color`; `{}` gives it plain.
    pub fn render(&self, color: bool) -> String {
        self.diagnostic.render(&self.source_name, color)
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// A warning about what `needle` (a value written in the profile) is, on the
/// line that holds it: for problems found outside this module (a photo).
pub fn warning_at(
    text: &str,
    source_name: &str,
    needle: &str,
    message: String,
    help: Option<String>,
) -> Warning {
    let span = (!needle.is_empty())
        .then(|| text.find(needle).map(|at| at..at + needle.len()))
        .flatten();
    Warning {
        source_name: source_name.to_string(),
        at: span.as_ref().map(|s| s.start),
        diagnostic: Diagnostic::warning(message, text, span, help),
    }
}

/// What `check` reports as errors though the profile loads: what makes it
/// ambiguous. Here: two publications with the same BibTeX key (which one
/// does a citation mean?), pointed at where the second is written.
pub fn errors(profile: &Profile, text: &str, source_name: &str) -> Vec<Warning> {
    let keys: Vec<&str> = profile
        .publications
        .iter()
        .filter_map(|p| p.key.as_deref())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .collect();
    // Only keys written twice or more are looked for in the text: finding
    // each key's place would scan the file once per publication.
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for key in &keys {
        *count.entry(key).or_default() += 1;
    }
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut found = Found {
        text,
        source_name,
        used: Vec::new(),
        out: Vec::new(),
    };
    for key in keys.into_iter().filter(|k| count[k] > 1) {
        // Where this key is written, in order: the first place for the
        // first publication that has it, the next for the next.
        let written = format!("{key:?}");
        let span = found.place(&written);
        if !seen.insert(key) {
            out.push(Warning {
                source_name: source_name.to_string(),
                at: span.as_ref().map(|s| s.start),
                diagnostic: Diagnostic::warning(
                    format!("two publications have the key `{key}`"),
                    text,
                    span,
                    Some("give each publication its own key (export-bib would rename one)".into()),
                )
                .into_error(),
            });
        }
    }
    out
}

/// Every warning about `profile`, whose text is `text`, named `source_name`.
pub fn warnings(profile: &Profile, text: &str, source_name: &str) -> Vec<Warning> {
    let mut found = Found {
        text,
        source_name,
        used: Vec::new(),
        out: Vec::new(),
    };
    for (field, url) in link_targets(profile) {
        if let Err(why) = links::check(&url) {
            found.refused(field, &url, &why);
        }
    }
    // In the order of the file, as a reader goes through it.
    found.out.sort_by_key(|w| w.at.unwrap_or(usize::MAX));
    found.out
}

/// Every link target of the profile, with the field it is in.
fn link_targets(profile: &Profile) -> Vec<(&'static str, String)> {
    let person = &profile.person;
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for (field, text) in profile.prose() {
        for rich in markup::paragraphs(text) {
            out.extend(rich.links.into_iter().map(|url| (field, url)));
        }
    }
    out.extend(person.links.shown().map(|(_, url)| ("links", url)));
    for p in &profile.publications {
        out.extend(p.links());
    }
    out
}

struct Found<'a> {
    text: &'a str,
    source_name: &'a str,
    /// Where earlier warnings pointed, so that a repeated target points at its own line.
    used: Vec<usize>,
    out: Vec<Warning>,
}

impl Found<'_> {
    fn refused(&mut self, field: &str, url: &str, why: &Refused) {
        let shown: String = url.chars().take(60).collect();
        let shown = if shown.len() < url.len() {
            format!("{shown}…")
        } else {
            shown
        };
        let (message, help) = match why {
            Refused::Scheme if !url.contains(':') => (
                format!("relative link `{shown}` in {field} is shown as inert text"),
                "a terminal has no page to resolve it against: write the whole URL (https://…)"
                    .to_string(),
            ),
            Refused::Scheme => (
                format!("link `{shown}` in {field} is shown as inert text"),
                format!(
                    "only {} links are drawn, opened or copied",
                    links::schemes()
                ),
            ),
            Refused::Parameter(key) => (
                format!("mail link `{shown}` in {field} is shown as inert text"),
                format!(
                    "a mailto link may not carry `{key}=`: some mail programs attach a local file"
                ),
            ),
        };
        let span = self.place(url);
        self.out.push(Warning {
            source_name: self.source_name.to_string(),
            at: span.as_ref().map(|s| s.start),
            diagnostic: Diagnostic::warning(message, self.text, span, Some(help)),
        });
    }

    /// Where in the text the target is written (the first place not pointed at yet).
    fn place(&mut self, url: &str) -> Option<std::ops::Range<usize>> {
        if url.is_empty() {
            return None;
        }
        let start = self
            .text
            .match_indices(url)
            .map(|(i, _)| i)
            .find(|i| !self.used.contains(i))
            .or_else(|| self.text.find(url))?;
        self.used.push(start);
        Some(start..start + url.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Source, parse};

    #[test]
    fn refused_links_are_warned_about_with_their_line() {
        let text = r#"
[person]
name = "A"
contact = "mail [me](mailto:a@b.c?attach=/etc/passwd) or [x](javascript:alert(1))"

[bio]
text = "see [the page](about.html) and [ok](https://ok.org)"

[[publications]]
title = "T"
authors = []
year = 2020
url = "file:///etc/passwd"
"#;
        let profile = parse(text, &Source::Bundled).unwrap();
        let warnings: Vec<String> = warnings(&profile, text, "p.toml")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(warnings.len(), 4, "{warnings:#?}");
        assert!(
            warnings[0].contains("warning: mail link") && warnings[0].contains("p.toml:4:"),
            "{}",
            warnings[0]
        );
        assert!(
            warnings[1].contains("javascript:alert(1)")
                && warnings[1].contains("http, https and mailto")
        );
        assert!(
            warnings[2].contains("relative link `about.html` in bio")
                && warnings[2].contains(":7:")
        );
        assert!(warnings[3].contains("file:///etc/passwd") && warnings[3].contains(":13:"));
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second() {
        let text = "[person]\nname = \"A\"\n\n[[publications]]\nkey = \"k\"\ntitle = \"T\"\nauthors = []\nyear = 2020\n\n[[publications]]\nkey = \"k\"\ntitle = \"U\"\nauthors = []\nyear = 2021\n";
        let profile = parse(text, &Source::Bundled).unwrap();
        let errors: Vec<String> = errors(&profile, text, "p.toml")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("error: two publications have the key `k`"),
            "{}",
            errors[0]
        );
        assert!(errors[0].contains("p.toml:11:"), "{}", errors[0]);
        let bundled = parse(super::super::BUNDLED, &Source::Bundled).unwrap();
        assert!(super::errors(&bundled, super::super::BUNDLED, "p").is_empty());
    }

    fn examined(text: &str) -> Vec<String> {
        examine(text, "p.toml")
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn every_schema_problem_is_found_in_one_run_in_file_order() {
        let text = "[person]\nname = \"A\"\nnmae = \"B\"\n\n[[publications]]\nauthors = [\"A\"]\nyear = \"2020\"\n\n[[publications]]\ntitle = \"U\"\ntitle = \"V\"\nauthors = [1]\nyear = 70000\n\n[display]\npublications = \"oldest\"\n";
        let got = examined(text);
        let heads: Vec<&str> = got.iter().map(|e| e.lines().next().unwrap_or("")).collect();
        assert_eq!(
            heads,
            [
                "error: unknown key `nmae`",
                "error: missing field `title`",
                "error: invalid type: string \"2020\", expected u16",
                "error: duplicate key",
                "error: invalid type: integer `1`, expected a string",
                "error: invalid value: integer `70000`, expected u16",
                "error: unknown value `oldest`, expected `file` or `newest`",
            ],
            "{got:#?}"
        );
        assert!(got[0].contains("p.toml:3:1") && got[0].contains("did you mean `name`?"));
        assert!(got[1].contains("p.toml:5:1"), "{}", got[1]);
        assert!(got[2].contains("p.toml:7:8"), "{}", got[2]);
        assert!(got[3].contains("p.toml:11:1"), "{}", got[3]);
        assert!(got[4].contains("p.toml:12:12"), "{}", got[4]);
    }

    #[test]
    fn warnings_come_in_the_same_run_as_errors() {
        // Before the walk mended what it found, a typo hid every warning
        // until it was fixed.
        let text = "[person]\nname = \"A\"\nnmae = \"B\"\n[person.links]\nHome = \"javascript:x\"\n\n\
                    [[publications]]\ntitle = \"T\"\nauthors = [\"A\", 2]\nyear = 2020\n\n\
                    [[publications]]\ntitle = \"U\"\nauthors = []\nyear = 2021\n\
                    award_name = \"An award name far too long to be any kind of badge\"\n\n\
                    [[sections]]\ntitle = \"Empty\"\n";
        let examined = examine(text, "p.toml");
        assert!(examined.profile.is_none(), "errors: no profile given back");
        let heads: Vec<String> = examined
            .problems
            .iter()
            .map(|p| p.to_string().lines().next().unwrap_or("").to_string())
            .collect();
        assert_eq!(
            heads,
            [
                "error: unknown key `nmae`",
                "warning: link `javascript:x` in links is shown as inert text",
                "error: invalid type: integer `2`, expected a string",
                "warning: the badge `An award name far too long to be any kin…` is 50 characters long; badges are a few words",
                "warning: the section `Empty` is empty: its tab shows nothing",
            ],
            "{heads:#?}"
        );
    }

    #[test]
    fn what_the_walk_mended_is_not_warned_about() {
        // `itmes` dropped leaves the section without items: it is not empty
        // for the author, so no warning; a wrong award badge is not judged.
        let got =
            examined("[person]\nname = \"A\"\n[[sections]]\ntitle = \"Misc\"\nitmes = [\"x\"]\n");
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(
            got[0].starts_with("error: unknown key `itmes`"),
            "{}",
            got[0]
        );
        let got = examined(
            "[person]\nname = \"A\"\n[[publications]]\ntitle = \"T\"\nauthors = []\nyear = 2020\naward_name = 5\n",
        );
        assert_eq!(got.len(), 1, "{got:#?}");
        // A missing date (no default stands in for one): the errors alone.
        let got = examined(
            "[person]\nname = \"A\"\nnmae = 1\n[bio]\ntext = \"[x](javascript:y)\"\n[[news]]\ntext = \"t\"\n",
        );
        let heads: Vec<&str> = got.iter().map(|e| e.lines().next().unwrap_or("")).collect();
        assert_eq!(
            heads,
            ["error: unknown key `nmae`", "error: missing field `date`"],
            "{got:#?}"
        );
    }

    #[test]
    fn a_syntax_error_stops_the_check_at_the_first() {
        let text = "[person]\nname = \"A\"\nbogus = 1\nmotto = \"x\n[[news]\n";
        let got = examined(text);
        assert_eq!(got.len(), 1, "{got:#?}");
        // The same words as the viewer's, which stops there too.
        let viewer = crate::profile::parse(text, &crate::profile::Source::File("p.toml".into()));
        assert_eq!(got[0], viewer.unwrap_err().to_string());
    }

    #[test]
    fn a_clean_walk_still_gets_the_structs_own_errors() {
        let got = examined("[person]\nname = \"A\"\n[[news]]\ndate = \"soon\"\ntext = \"t\"\n");
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(got[0].contains("expected a date like"), "{}", got[0]);
    }

    #[test]
    fn long_badges_and_empty_sections_are_warnings() {
        let text = "[person]\nname = \"A\"\n\n[[publications]]\ntitle = \"T\"\nauthors = []\nyear = 2020\naward = \"Outstanding paper award of the whole conference, given once\"\n\n[[sections]]\ntitle = \"Misc\"\n";
        let examined = examine(text, "p.toml");
        assert!(examined.profile.is_some());
        assert!(examined.problems.iter().all(|p| !p.is_error()));
        let got: Vec<String> = examined.problems.iter().map(ToString::to_string).collect();
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(
            got[0].starts_with("warning: the badge `Outstanding") && got[0].contains("p.toml:8:10"),
            "{}",
            got[0]
        );
        assert!(
            got[1].starts_with("warning: the section `Misc` is empty")
                && got[1].contains("p.toml:11:"),
            "{}",
            got[1]
        );
    }

    #[test]
    fn the_bundled_profile_has_no_warning() {
        let profile = parse(super::super::BUNDLED, &Source::Bundled).unwrap();
        let w = warnings(&profile, super::super::BUNDLED, "profile.toml");
        assert!(w.is_empty(), "{w:?}");
    }
}
