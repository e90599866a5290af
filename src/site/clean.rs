//! What comes out of a page before its Markdown is read: HTML comments,
//! Liquid tags and kramdown's attribute lists, none of which the page
//! shows.
//!
//! A comment or tag alone on its lines takes those lines with it, so the
//! lines around it stay one paragraph as on the page (a blank line left in
//! its place would split the paragraph in two).

use std::ops::Range;

use super::Yaml;
use super::report::{Kind, Report};

/// A part of the text to replace.
struct Edit {
    range: Range<usize>,
    with: String,
}

/// `text` with `edits` (in order, not overlapping) made; an edit that
/// removes everything on its lines but blanks removes the lines.
fn splice(text: &str, edits: Vec<Edit>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for Edit { mut range, with } in edits {
        if with.is_empty() {
            let line_start = text[..range.start].rfind('\n').map_or(0, |n| n + 1);
            let line_end = text[range.end..]
                .find('\n')
                .map_or(text.len(), |n| range.end + n + 1);
            let blank = |s: &str| s.chars().all(|c| c == ' ' || c == '\t');
            if line_start >= at
                && blank(&text[line_start..range.start])
                && blank(text[range.end..line_end].trim_end_matches(['\n', '\r']))
            {
                range = line_start..line_end;
            }
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&with);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `text` without its HTML comments. One that never closes hides the rest,
/// as it does in a browser, and is reported.
pub(super) fn strip_comments(text: &str, report: &mut Report, file: &str) -> String {
    let mut edits = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find("<!--") {
        let start = at + open;
        match text[start + 4..].find("-->") {
            Some(close) => {
                at = start + 4 + close + 3;
                edits.push(Edit {
                    range: start..at,
                    with: String::new(),
                });
            }
            None => {
                report.warn(
                    file,
                    "an HTML comment (`<!--`) never closes; the text after it is left out, as a browser hides it",
                );
                edits.push(Edit {
                    range: start..text.len(),
                    with: String::new(),
                });
                break;
            }
        }
    }
    splice(text, edits)
}

/// `text` without kramdown's inline attribute lists (`{: .class}`,
/// `{:target="_blank"}`, `{:toc}`): styling the profile has no use for.
pub(super) fn strip_attribute_lists(text: &str) -> String {
    let mut edits = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find("{:") {
        let start = at + open;
        let Some(close) = text[start..].find(['}', '\n']) else {
            break;
        };
        at = start + close + 1;
        if text[start + close..].starts_with('}') {
            edits.push(Edit {
                range: start..at,
                with: String::new(),
            });
        }
    }
    splice(text, edits)
}

/// What Liquid output tags may name: the site's configuration, and its
/// address for `relative_url` and `absolute_url`.
pub(super) struct Liquid<'a> {
    pub config: &'a Yaml,
    /// `url` with its scheme, no `/` at the end ("" when the site has none).
    pub url: &'a str,
    /// `baseurl`, starting with `/` unless empty, no `/` at the end.
    pub baseurl: &'a str,
}

/// `text` with its Liquid made plain: `{% comment %}` blocks removed with
/// what they hold, `{% raw %}` kept without its tags, other `{% ... %}`
/// tags removed (what is between an `if` and its `endif` stays), and `{{
/// ... }}` replaced by its value when it is a quoted text or a `site.`
/// setting, through `relative_url`, `absolute_url`, `prepend` and
/// `append`; any other removed (and counted). Jekyll would fill those in;
/// termfolio cannot.
pub(super) fn liquid(text: &str, site: &Liquid<'_>, report: &mut Report, file: &str) -> String {
    let mut edits = Vec::new();
    let mut at = 0;
    let mut dropped = 0;
    while let Some(open) = text[at..].find(['{']) {
        let start = at + open;
        let rest = &text[start..];
        let (close, output) = if rest.starts_with("{%") {
            ("%}", false)
        } else if rest.starts_with("{{") {
            ("}}", true)
        } else {
            at = start + 1;
            continue;
        };
        let Some(len) = rest[2..].find(close) else {
            break;
        };
        let end = start + 2 + len + 2;
        let inner = rest[2..2 + len].trim_matches(|c: char| c == '-' || c.is_whitespace());
        if output {
            let value = evaluate(inner, site);
            dropped += usize::from(value.is_none());
            edits.push(Edit {
                range: start..end,
                with: value.unwrap_or_default(),
            });
            at = end;
            continue;
        }
        let name = inner.split_whitespace().next().unwrap_or("");
        at = end;
        let block_end = match name {
            "comment" => block_close(text, end, "endcomment"),
            "raw" => {
                if let Some((body_end, after)) = block_close(text, end, "endraw") {
                    edits.push(Edit {
                        range: start..end,
                        with: String::new(),
                    });
                    edits.push(Edit {
                        range: body_end..after,
                        with: String::new(),
                    });
                    at = after;
                }
                continue;
            }
            _ => None,
        };
        match block_end {
            Some((_, after)) => at = after,
            None => dropped += usize::from(name != "comment"),
        }
        edits.push(Edit {
            range: start..at,
            with: String::new(),
        });
    }
    report.add_many(file, Kind::Liquid, dropped);
    splice(text, edits)
}

/// Where the `{% name %}` tag that closes a block opened before `from` is:
/// its start and its end.
fn block_close(text: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(open) = text[at..].find("{%") {
        let start = at + open;
        let len = text[start + 2..].find("%}")?;
        let end = start + 2 + len + 2;
        let inner =
            text[start + 2..start + 2 + len].trim_matches(|c: char| c == '-' || c.is_whitespace());
        if inner == name {
            return Some((start, end));
        }
        at = end;
    }
    None
}

/// The value of a Liquid output expression, when it is simple enough to
/// know without Jekyll.
fn evaluate(expr: &str, site: &Liquid<'_>) -> Option<String> {
    let mut parts = expr.split('|').map(str::trim);
    let mut value = value_of(parts.next()?, site)?;
    for filter in parts {
        let (name, argument) = match filter.split_once(':') {
            Some((n, a)) => (n.trim(), Some(value_of(a.trim(), site)?)),
            None => (filter, None),
        };
        value = match (name, argument) {
            ("relative_url", None) => format!("{}{}", site.baseurl, rooted(&value)),
            ("absolute_url", None) => format!("{}{}{}", site.url, site.baseurl, rooted(&value)),
            ("prepend", Some(a)) => a + &value,
            ("append", Some(a)) => value + &a,
            _ => return None,
        };
    }
    Some(value)
}

/// `path` with a `/` before it, as Jekyll's URL filters join it.
fn rooted(path: &str) -> String {
    if path.starts_with('/') || path.contains("://") {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

/// A quoted text, or a `site.` setting that is a scalar.
fn value_of(term: &str, site: &Liquid<'_>) -> Option<String> {
    for q in ['\'', '"'] {
        if let Some(quoted) = term.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return Some(quoted.to_string());
        }
    }
    let path = term.strip_prefix("site.")?;
    match path {
        "url" => Some(site.url.to_string()),
        "baseurl" => Some(site.baseurl.to_string()),
        _ => {
            let keys: Vec<&str> = path.split('.').collect();
            site.config
                .at(&keys)
                .and_then(Yaml::text)
                .map(str::to_string)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comments(text: &str) -> String {
        strip_comments(text, &mut Report::default(), "f")
    }

    #[test]
    fn comments_go_and_their_lines_with_them() {
        assert_eq!(comments("a <!-- b --> c"), "a  c");
        assert_eq!(comments("one\n<!-- two -->\nthree\n"), "one\nthree\n");
        assert_eq!(
            comments("one\n  <!-- two\n\nstill -->  \n\nfour"),
            "one\n\nfour"
        );
        assert_eq!(comments("x <!-- never closed\n\nmore"), "x ");
        assert_eq!(comments("<!--a--><!--b-->"), "");
    }

    #[test]
    fn attribute_lists_go() {
        assert_eq!(
            strip_attribute_lists("[x](u){:target=\"_blank\"} y\n{: .class}\nz {: no"),
            "[x](u) y\nz {: no"
        );
    }

    #[test]
    fn liquid_is_filled_in_where_it_can_be() {
        let config = super::super::yaml::parse("email: a@b.c\nscholar:\n  style: apa\n").unwrap();
        let site = Liquid {
            config: &config,
            url: "https://x.github.io",
            baseurl: "/site",
        };
        let mut report = Report::default();
        let out = liquid(
            "[CV]({{ '/assets/cv.pdf' | relative_url }}) {{site.email}} {{ site.scholar.style }}\n{% if site.email %}\nshown\n{% endif %}\n{% comment %}gone{% endcomment %}{% raw %}{{ kept }}{% endraw %} [a]({{ \"p\" | absolute_url }}) {{ page.title }} {% include x.liquid %}",
            &site,
            &mut report,
            "f",
        );
        assert_eq!(
            out,
            "[CV](/site/assets/cv.pdf) a@b.c apa\nshown\n{{ kept }} [a](https://x.github.io/site/p)  "
        );
        let notes = report.into_notes();
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].message.starts_with("4 Liquid tags"),
            "{}",
            notes[0]
        );
    }
}
