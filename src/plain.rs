//! The whole profile as plain text, for when stdout is not a terminal: every
//! section, wrapped to 80 columns, and never an escape sequence.

use crate::doc::tabs::{self, Tab, heading, text_doc};
use crate::doc::{self as text, Look, Roles};
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
    let mut sections = vec![Tab::Bio, Tab::Research, Tab::News, Tab::Publications];
    sections.extend((0..profile.sections.len()).map(Tab::Section));
    for tab in sections {
        let paras = match tab {
            Tab::Publications => publications(profile),
            tab => text_doc(profile, tab, None),
        };
        if paras.is_empty() {
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
        push_wrapped(&mut out, &paras, width);
    }
    out
}

fn publications(profile: &Profile) -> Vec<text::Para> {
    let mut out = Vec::new();
    for (i, p) in profile.publications.iter().enumerate() {
        if i > 0 {
            out.push(text::Para::blank());
        }
        // Plain text has no colour: badges in brackets.
        out.extend(tabs::detail(p, &profile.person, Look::for_color(false)));
    }
    out
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
