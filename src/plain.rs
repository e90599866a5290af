//! The whole profile as plain text, for when stdout is not a terminal: every
//! section, wrapped to 80 columns, and never an escape sequence. Links are
//! their text and a numbered reference (`Zhejiang University[1]`), and each
//! section ends with the list of its references' URLs, as `lynx -dump`
//! writes them; a link that shows its own URL needs no reference.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::doc::tabs::{self, Tab, heading, text_doc};
use crate::doc::{self as text, Doc, Look, Roles, Span};
use crate::profile::Profile;

/// Plain output's width.
pub const WIDTH: usize = 80;

/// The profile as text, `width` columns wide.
pub fn render(profile: &Profile, width: usize) -> String {
    let mut out = Vec::new();
    write(profile, width, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("plain output is UTF-8")
}

/// Writes what [`render`] returns to `out` as it is laid out: a section at
/// a time, and the publications one at a time, so a profile of 100,000
/// papers is never held as text in memory whole. (Buffer `out`: each piece
/// is one `write_all`.)
pub fn write(profile: &Profile, width: usize, out: &mut impl Write) -> io::Result<()> {
    let mut piece = String::new();
    let person = &profile.person;
    let mut title = person.name.clone();
    if let Some(p) = &person.pronunciation {
        title.push_str(&format!(" ({p})"));
    }
    push_wrapped(&mut piece, &[text::Para::plain(title, Roles::TEXT)], width);
    let affiliation = person.affiliation_line();
    if !affiliation.is_empty() {
        push_wrapped(
            &mut piece,
            &[text::Para::plain(affiliation, Roles::TEXT)],
            width,
        );
    }
    if let Some(m) = &person.motto {
        push_wrapped(
            &mut piece,
            &[text::Para::plain(format!("“{m}”"), Roles::TEXT)],
            width,
        );
    }
    let mut references = References::default();
    let mut sections = vec![Tab::Bio, Tab::Research, Tab::News, Tab::Publications];
    sections.extend((0..profile.sections.len()).map(Tab::Section));
    for tab in sections {
        let listed = if tab == Tab::Publications {
            if profile.publications.is_empty() {
                continue;
            }
            push_heading(&mut piece, profile, tab, width);
            publications(profile, width, &mut references, &mut piece, out)?
        } else {
            let mut doc = text_doc(profile, tab, None);
            if doc.paras.is_empty() {
                continue;
            }
            push_heading(&mut piece, profile, tab, width);
            let listed = references.mark(&mut doc);
            push_wrapped(&mut piece, &doc.paras, width);
            listed
        };
        if !listed.is_empty() {
            piece.push_str("\nReferences\n");
            // Wrapped like the rest: a URL longer than a line breaks after a `/`.
            let list: Vec<text::Para> = listed
                .into_iter()
                .map(|(n, url)| {
                    text::Para::hanging(vec![Span::raw(format!("{n:>4}. "))], vec![Span::raw(url)])
                })
                .collect();
            push_wrapped(&mut piece, &list, width);
        }
        flush(&mut piece, out)?;
    }
    flush(&mut piece, out)
}

/// A section's heading, underlined, after a blank line.
fn push_heading(piece: &mut String, profile: &Profile, tab: Tab, width: usize) {
    let heading = text::wrap(
        &[text::Para::plain(heading(profile, tab), Roles::TEXT)],
        width,
    );
    let underline = heading.iter().map(|l| l.width()).max().unwrap_or(0);
    piece.push('\n');
    for line in heading {
        piece.push_str(line.to_string().trim_end());
        piece.push('\n');
    }
    piece.push_str(&"=".repeat(underline));
    piece.push('\n');
}

/// The publications, a blank line between two, each laid out and written
/// on its own; returns the references they used first.
fn publications(
    profile: &Profile,
    width: usize,
    references: &mut References,
    piece: &mut String,
    out: &mut impl Write,
) -> io::Result<Vec<(usize, String)>> {
    let mut listed = Vec::new();
    for (i, p) in profile.publications.iter().enumerate() {
        if i > 0 {
            piece.push('\n');
        }
        // Plain text has no colour: badges in brackets.
        let mut doc = tabs::detail(p, &profile.person, Look::for_color(false));
        listed.extend(references.mark(&mut doc));
        push_wrapped(piece, &doc.paras, width);
        flush(piece, out)?;
    }
    Ok(listed)
}

/// Writes out what `piece` holds and empties it.
fn flush(piece: &mut String, out: &mut impl Write) -> io::Result<()> {
    out.write_all(piece.as_bytes())?;
    piece.clear();
    Ok(())
}

/// Reference numbers, one per URL across the whole output.
#[derive(Default)]
struct References {
    numbers: HashMap<String, usize>,
}

impl References {
    /// Puts `[n]` after each link of `doc` that does not show its own URL,
    /// and returns the references first used here, in order.
    fn mark(&mut self, doc: &mut Doc) -> Vec<(usize, String)> {
        let mut listed = Vec::new();
        if doc.links.is_empty() {
            return listed;
        }
        for para in &mut doc.paras {
            let mut spans = Vec::with_capacity(para.spans.len());
            let mut iter = std::mem::take(&mut para.spans).into_iter().peekable();
            // The text of the link being read, piece by piece.
            let mut shown = String::new();
            while let Some(span) = iter.next() {
                let link = span.link;
                if link.is_some() {
                    shown.push_str(&span.text);
                }
                spans.push(span);
                let Some(id) = link else { continue };
                // Only after the last piece of the link.
                if iter.peek().is_some_and(|next| next.link == Some(id)) {
                    continue;
                }
                let text = std::mem::take(&mut shown);
                let Some(target) = doc.links.get(id as usize) else {
                    continue;
                };
                let bare = target.url.strip_prefix("mailto:").unwrap_or(&target.url);
                if text.trim() == bare || text.trim() == target.url {
                    continue;
                }
                let next = self.numbers.len() + 1;
                let n = *self.numbers.entry(target.url.clone()).or_insert(next);
                if n == next {
                    listed.push((n, target.url.clone()));
                }
                spans.push(Span::raw(format!("[{n}]")));
            }
            para.spans = spans;
        }
        listed
    }
}

fn push_wrapped(out: &mut String, paras: &[text::Para], width: usize) {
    for line in text::wrap(paras, width) {
        for span in &line.spans {
            out.push_str(&span.text);
        }
        let trimmed = out.trim_end_matches(' ').len();
        out.truncate(trimmed);
        out.push('\n');
    }
}
