//! The whole profile as plain text, for when stdout is not a terminal: every
//! section, wrapped to 80 columns, and never an escape sequence. Links are
//! their text and a numbered reference (`Zhejiang University[1]`), and each
//! section ends with the list of its references' URLs, as `lynx -dump`
//! writes them; a link that shows its own URL needs no reference.

use crate::doc::tabs::{self, Tab, heading, text_doc};
use crate::doc::{self as text, Doc, Look, Roles, Span};
use crate::profile::Profile;

/// Plain output's width.
pub const WIDTH: usize = 80;

/// The profile as text, `width` columns wide.
pub fn render(profile: &Profile, width: usize) -> String {
    let mut out = String::new();
    let person = &profile.person;
    let mut title = person.name.clone();
    if let Some(p) = &person.pronunciation {
        title.push_str(&format!(" ({p})"));
    }
    push_wrapped(&mut out, &[text::Para::plain(title, Roles::TEXT)], width);
    let affiliation = person.affiliation_line();
    if !affiliation.is_empty() {
        push_wrapped(
            &mut out,
            &[text::Para::plain(affiliation, Roles::TEXT)],
            width,
        );
    }
    if let Some(m) = &person.motto {
        push_wrapped(
            &mut out,
            &[text::Para::plain(format!("“{m}”"), Roles::TEXT)],
            width,
        );
    }
    let mut references = References::default();
    let mut sections = vec![Tab::Bio, Tab::Research, Tab::News, Tab::Publications];
    sections.extend((0..profile.sections.len()).map(Tab::Section));
    for tab in sections {
        let mut doc = match tab {
            Tab::Publications => publications(profile),
            tab => text_doc(profile, tab, None),
        };
        if doc.paras.is_empty() {
            continue;
        }
        let heading = text::wrap(
            &[text::Para::plain(heading(profile, tab), Roles::TEXT)],
            width,
        );
        let underline = heading.iter().map(|l| l.width()).max().unwrap_or(0);
        out.push('\n');
        for line in heading {
            out.push_str(line.to_string().trim_end());
            out.push('\n');
        }
        out.push_str(&"=".repeat(underline));
        out.push('\n');
        let listed = references.mark(&mut doc);
        push_wrapped(&mut out, &doc.paras, width);
        if !listed.is_empty() {
            out.push_str("\nReferences\n");
            // Wrapped like the rest: a URL longer than a line breaks after a `/`.
            let list: Vec<text::Para> = listed
                .into_iter()
                .map(|(n, url)| {
                    text::Para::hanging(vec![Span::raw(format!("{n:>4}. "))], vec![Span::raw(url)])
                })
                .collect();
            push_wrapped(&mut out, &list, width);
        }
    }
    out
}

fn publications(profile: &Profile) -> Doc {
    let mut out = Doc::default();
    for (i, p) in profile.publications.iter().enumerate() {
        if i > 0 {
            out.push(text::Para::blank());
        }
        // Plain text has no colour: badges in brackets.
        out.append(tabs::detail(p, &profile.person, Look::for_color(false)));
    }
    out
}

/// Reference numbers, one per URL across the whole output.
#[derive(Default)]
struct References {
    urls: Vec<String>,
}

impl References {
    /// Puts `[n]` after each link of `doc` that does not show its own URL,
    /// and returns the references first used here, in order.
    fn mark(&mut self, doc: &mut Doc) -> Vec<(usize, String)> {
        let mut listed = Vec::new();
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
                let n = match self.urls.iter().position(|u| *u == target.url) {
                    Some(i) => i + 1,
                    None => {
                        self.urls.push(target.url.clone());
                        listed.push((self.urls.len(), target.url.clone()));
                        self.urls.len()
                    }
                };
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
