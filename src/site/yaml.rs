//! YAML as Jekyll sites write it: `_config.yml`, `_data/*.yml` and the front
//! matter between `---` lines at the top of a page or a news item.
//!
//! Read by serde-saphyr into a plain [`Yaml`] value, with budgets far below
//! the crate's defaults, because a site's YAML is a few hundred keys while a
//! hostile file ("billion laughs": anchors whose aliases nest and multiply)
//! could otherwise ask for gigabytes. The bounds, all checked while the
//! parser streams, so a file over them fails at the first event past them:
//!
//! - at most [`MAX_TEXT`] bytes of text (4 MiB; an al-folio `_config.yml`
//!   is about 30 KB);
//! - one document;
//! - nesting at most 32 deep (sequences and mappings), which also bounds
//!   the recursion of [`Yaml`]'s deserializer;
//! - at most 1,000 anchors and 1,000 aliases, an alias replaying at most
//!   16 levels of aliases inside it and 100,000 events in all;
//! - at most 100,000 nodes, 400,000 parser events and 4 MiB of scalar text;
//! - at most 100 merge keys (`<<`).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// The largest YAML text read, in bytes.
pub const MAX_TEXT: usize = 4 * 1024 * 1024;

/// A YAML value. Scalars are text as written (numbers too: an ORCID or a
/// user id is an identifier, not a quantity); mappings keep their order
/// (socials are shown in the order they are written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Yaml {
    Null,
    Bool(bool),
    Text(String),
    List(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// The value under `key`, when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a path of keys (`collections`, `news`, `permalink`).
    pub fn at(&self, path: &[&str]) -> Option<&Yaml> {
        path.iter().try_fold(self, |value, key| value.get(key))
    }

    /// A scalar's text, trimmed; `None` for a null, an empty text or a
    /// collection. A boolean is its YAML spelling.
    pub fn text(&self) -> Option<&str> {
        match self {
            Yaml::Text(t) => Some(t.trim()).filter(|t| !t.is_empty()),
            Yaml::Bool(true) => Some("true"),
            Yaml::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// The text at `key` (see [`Yaml::text`]).
    pub fn text_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Yaml::text)
    }

    /// Whether this is true as Jekyll (Ruby's YAML 1.1) reads a flag:
    /// `true`, and the spellings `yes`/`on` that YAML 1.2 leaves as text.
    /// `None` when it is neither true nor false.
    pub fn flag(&self) -> Option<bool> {
        match self {
            Yaml::Bool(b) => Some(*b),
            Yaml::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "y" => Some(true),
                "false" | "no" | "off" | "n" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The entries of a mapping (none for anything else).
    pub fn entries(&self) -> &[(String, Yaml)] {
        match self {
            Yaml::Map(entries) => entries,
            _ => &[],
        }
    }
}

/// YAML that could not be read: why, made inert for a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

impl YamlError {
    fn new(message: impl Into<String>) -> Self {
        YamlError {
            message: crate::profile::sanitize::line(&message.into()),
        }
    }
}

/// The budgets of the module doc, as serde-saphyr's options.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_documents: 1,
            max_anchors: 1_000,
            max_aliases: 1_000,
            max_nodes: 100_000,
            max_events: 400_000,
            max_total_scalar_bytes: MAX_TEXT,
            max_merge_keys: 100,
            max_recorded_anchor_events: 100_000,
            max_recorded_anchor_bytes: MAX_TEXT,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 1_000,
        },
        // Ruby's YAML keeps the last of a repeated key; so does Jekyll.
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::LastWins,
        // `orcid_id: 0000-0002-...` and `id: 0123` are identifiers.
        leading_zero_numbers_as_strings: true,
        with_snippet: false,
    }
}

/// Reads one YAML document; an empty one is [`Yaml::Null`].
pub fn parse(text: &str) -> Result<Yaml, YamlError> {
    if text.len() > MAX_TEXT {
        return Err(YamlError::new(format!(
            "YAML of {} bytes; at most {} MiB is read",
            text.len(),
            MAX_TEXT / 1024 / 1024
        )));
    }
    if text.trim().is_empty() {
        return Ok(Yaml::Null);
    }
    serde_saphyr::from_str_with_options::<Yaml>(text, options()).map_err(|e| {
        let message = first_lines(&e.to_string());
        if message.starts_with("budget breached") {
            YamlError::new(format!(
                "YAML past import-site's limits (too many anchors, aliases or nodes, or nested too deep: a \"billion laughs\"?): {message}"
            ))
        } else {
            YamlError::new(message)
        }
    })
}

/// An error message without the source excerpts some carry: its first
/// lines, at most 300 characters.
fn first_lines(message: &str) -> String {
    let joined = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(3)
        .collect::<Vec<_>>()
        .join(": ");
    let mut short: String = joined.chars().take(300).collect();
    if short.len() < joined.len() {
        short.push('…');
    }
    short
}

/// A page or a news item: its front matter and what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The front matter (`Yaml::Null` when there is none).
    pub data: Yaml,
    /// The text after the closing `---`, or the whole text without front matter.
    pub body: &'a str,
}

/// Splits Jekyll front matter from the text after it and reads it: the
/// text must start with a line `---` (a byte order mark before it is
/// allowed), and the front matter ends at the next line `---` or `...`.
/// Text without that first line has no front matter (`data` is null); a
/// front matter that never ends is an error, as it is for Jekyll.
pub fn read_front_matter(text: &str) -> Result<FrontMatter<'_>, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(after_open) = strip_fence_line(text, "---") else {
        return Ok(FrontMatter {
            data: Yaml::Null,
            body: text,
        });
    };
    let mut at = 0;
    for line in after_open.split_inclusive('\n') {
        let bare = line
            .trim_end_matches(['\n', '\r'])
            .trim_end_matches([' ', '\t']);
        if bare == "---" || bare == "..." {
            let data = parse(&after_open[..at])?;
            return Ok(FrontMatter {
                data,
                body: &after_open[at + line.len()..],
            });
        }
        at += line.len();
    }
    Err(YamlError::new(
        "the front matter opened by `---` on the first line never closes (no second `---` line)",
    ))
}

/// The text after a first line that is exactly `fence` (trailing blanks allowed).
fn strip_fence_line<'a>(text: &'a str, fence: &str) -> Option<&'a str> {
    let end = text.find('\n').map_or(text.len(), |n| n + 1);
    let line = text[..end]
        .trim_end_matches(['\n', '\r'])
        .trim_end_matches([' ', '\t']);
    (line == fence).then(|| &text[end..])
}

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = Yaml;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Yaml, E> {
        Ok(Yaml::Text(v.to_string()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Yaml, E> {
        Ok(Yaml::Text(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Yaml, E> {
        Ok(Yaml::Text(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Yaml, E> {
        Ok(Yaml::Text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Yaml, E> {
        Ok(Yaml::Text(v.to_string()))
    }
    fn visit_char<E: de::Error>(self, v: char) -> Result<Yaml, E> {
        Ok(Yaml::Text(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Yaml, E> {
        Ok(Yaml::Text(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Yaml, E> {
        Ok(Yaml::Text(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Yaml, E> {
        Ok(Yaml::Text(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Yaml, D::Error> {
        Yaml::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Yaml, D::Error> {
        Yaml::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Yaml, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Yaml>()? {
            items.push(item);
        }
        Ok(Yaml::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Yaml, A::Error> {
        let mut entries: Vec<(String, Yaml)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<Yaml, Yaml>()? {
            // A collection as a key has no name to look it up by.
            let key = match key {
                Yaml::Text(t) => t,
                Yaml::Bool(b) => b.to_string(),
                Yaml::Null => String::new(),
                Yaml::List(_) | Yaml::Map(_) => continue,
            };
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key, value)),
            }
        }
        Ok(Yaml::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn text(s: &str) -> Yaml {
        Yaml::Text(s.into())
    }

    #[test]
    fn site_yaml_reads_as_written() {
        let y = parse(
            "first_name: Tongtian\nmiddle_name:\norcid_id: 0000-0002-1825-0097\nscholar_userid: 12345\nid: 0123\nflag: True\nlist: [a, 1]\nnested:\n  permalink: /news/:path/\n",
        )
        .unwrap();
        assert_eq!(y.text_at("first_name"), Some("Tongtian"));
        assert_eq!(y.get("middle_name"), Some(&Yaml::Null));
        assert_eq!(y.text_at("middle_name"), None);
        assert_eq!(y.text_at("orcid_id"), Some("0000-0002-1825-0097"));
        assert_eq!(y.text_at("scholar_userid"), Some("12345"));
        assert_eq!(y.text_at("id"), Some("0123"));
        assert_eq!(y.get("flag").and_then(Yaml::flag), Some(true));
        assert_eq!(y.get("list"), Some(&Yaml::List(vec![text("a"), text("1")])));
        assert_eq!(
            y.at(&["nested", "permalink"]).and_then(Yaml::text),
            Some("/news/:path/")
        );
        let keys: Vec<&str> = y.entries().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys[..3], ["first_name", "middle_name", "orcid_id"]);
    }

    #[test]
    fn a_repeated_key_keeps_the_last_value_in_the_first_place() {
        let y = parse("a: 1\nb: 2\na: 3\n").unwrap();
        assert_eq!(
            y,
            Yaml::Map(vec![("a".into(), text("3")), ("b".into(), text("2"))])
        );
    }

    #[test]
    fn front_matter_is_split_from_the_body() {
        let fm =
            read_front_matter("---\nlayout: post\ndate: 2023-7-08\n---\n\nBody *here*.\n").unwrap();
        assert_eq!(fm.data.text_at("date"), Some("2023-7-08"));
        assert_eq!(fm.body, "\nBody *here*.\n");
        let none = read_front_matter("No front matter.\n---\n").unwrap();
        assert_eq!(none.data, Yaml::Null);
        assert_eq!(none.body, "No front matter.\n---\n");
        let empty = read_front_matter("\u{feff}---\r\n---\r\nx").unwrap();
        assert_eq!((empty.data, empty.body), (Yaml::Null, "x"));
        let dots = read_front_matter("---\na: 1\n...\nrest").unwrap();
        assert_eq!(dots.body, "rest");
        let open = read_front_matter("---\na: 1\n").unwrap_err();
        assert!(open.message.contains("never closes"), "{open}");
    }

    #[test]
    fn broken_yaml_is_an_error_not_a_panic() {
        for bad in ["a: [1, 2", "a: b: c", "- a\nb: c", "a: *nowhere", "{"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    /// Asserts that reading `yaml` fails within a second, with a message.
    fn refused_fast(yaml: &str) -> String {
        let start = Instant::now();
        let err = parse(yaml).expect_err("refused");
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "took {:?}",
            start.elapsed()
        );
        assert!(!err.message.is_empty());
        err.message
    }

    #[test]
    fn billion_laughs_fail_fast() {
        // Ten levels of ten aliases each: 10^10 strings if expanded.
        let mut yaml = String::from(
            "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            let row = [prev.as_str(); 10].join(",");
            yaml.push_str(&format!("a{i}: &a{i} [{row}]\n"));
        }
        let message = refused_fast(&yaml);
        eprintln!("{message}");
    }

    #[test]
    fn a_million_aliases_fail_fast() {
        let mut yaml = String::from("a: &a x\nb: [");
        yaml.push_str(&"*a,".repeat(1_000_000));
        yaml.push_str("]\n");
        let message = refused_fast(&yaml);
        eprintln!("{message}");
    }

    #[test]
    fn deep_nesting_fails_fast() {
        refused_fast(&format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000)));
        let block: String = (0..200)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        refused_fast(&block);
    }

    /// Front matter made of YAML's pieces, in any order: never a panic,
    /// the body always the end of the text, errors inert.
    #[test]
    fn any_front_matter_reads_or_fails_cleanly() {
        use proptest::prelude::*;
        const PARTS: &[&str] = &[
            "---\n",
            "...\n",
            "a: ",
            "b:\n",
            "  - ",
            "&x ",
            "*x",
            "*y",
            "[",
            "]",
            "{",
            "}",
            ",",
            "\"",
            "'",
            "!!str ",
            "<<: ",
            "? ",
            "# c\n",
            "\n",
            "  ",
            "\t",
            "\u{feff}",
            "é",
            "\u{1b}",
            "2023-7-08",
            "true",
            "~",
            "|\n",
            ">-\n",
            "%YAML 1.2\n",
        ];
        let text = proptest::collection::vec(proptest::sample::select(PARTS), 0..40)
            .prop_map(|v| v.concat());
        proptest!(|(text in text)| {
            match read_front_matter(&text) {
                Ok(front) => prop_assert!(text.ends_with(front.body)),
                Err(e) => prop_assert_eq!(crate::profile::sanitize::line(&e.message), e.message.clone()),
            }
        });
    }
}
