//! The Bio tab: the bio text, then the facts about the person as labelled lines.

use ratatui::text::Span;

use super::{labelled, paragraphs};
use crate::profile::Profile;
use crate::ui::Theme;
use crate::ui::text::Para;

const LABEL_WIDTH: usize = 13;

/// The Bio tab's paragraphs.
pub fn doc(profile: &Profile, theme: &Theme) -> Vec<Para> {
    let person = &profile.person;
    let mut out = paragraphs(&profile.bio.text, theme);
    let mut facts = Vec::new();
    let mut fact = |label: &str, value: String| {
        if !value.trim().is_empty() {
            facts.push(labelled(
                label,
                LABEL_WIDTH,
                vec![Span::styled(value, theme.text)],
                theme,
            ));
        }
    };
    fact("Position", person.affiliation_line());
    fact("Supervisors", person.supervisors.join(", "));
    for e in &profile.experience {
        let mut line = format!("{}, {}", e.role, e.organization);
        if let Some(when) = &e.when {
            line.push_str(&format!(" ({when})"));
        }
        if let Some(topic) = &e.topic {
            line.push_str(&format!(": {topic}"));
        }
        if !e.mentors.is_empty() {
            line.push_str(&format!("; mentored by {}", e.mentors.join(" and ")));
        }
        fact("Experience", line);
    }
    fact("Photo", person.photo_caption.clone().unwrap_or_default());
    fact("E-mail", person.email.clone().unwrap_or_default());
    fact("Website", person.website.clone().unwrap_or_default());
    fact("Contact", person.contact.clone().unwrap_or_default());
    if !facts.is_empty() {
        if !out.is_empty() {
            out.push(Para::blank());
        }
        out.extend(facts);
    }
    out
}
