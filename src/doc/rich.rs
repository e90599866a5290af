//! Rich text into documents: the profile's inline Markdown (read by
//! `profile::markup`) as spans with roles, and its links collected into the
//! document's table, which the view's link layer, the link picker and plain
//! output's references all read. A link whose target the profile's link
//! table refuses is inert text: no role, no id, nowhere to go.

use super::{LinkId, Para, Roles, Span};
use crate::profile::links;
use crate::profile::markup::{self, Emphasis, Rich};

/// A link of a document: its text as shown and its target, which the link
/// table allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub text: String,
    pub url: String,
}

/// Paragraphs and the links their spans point to (`Span::link` indexes
/// `links`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Doc {
    pub paras: Vec<Para>,
    pub links: Vec<Link>,
}

impl Doc {
    pub(crate) fn push(&mut self, para: Para) {
        self.paras.push(para);
    }

    /// A blank line, unless the document is empty.
    pub(crate) fn gap(&mut self) {
        if !self.paras.is_empty() {
            self.paras.push(Para::blank());
        }
    }

    /// Prose of several paragraphs (blank lines between them), each with
    /// `base` roles.
    pub(crate) fn prose(&mut self, text: &str, base: Roles) {
        for (i, rich) in markup::paragraphs(text).iter().enumerate() {
            if i > 0 {
                self.paras.push(Para::blank());
            }
            let spans = self.rich(rich, base);
            self.paras.push(Para {
                spans,
                ..Para::default()
            });
        }
    }

    /// One paragraph of inline Markdown as spans.
    pub(crate) fn inline(&mut self, text: &str, base: Roles) -> Vec<Span> {
        self.rich(&markup::inline(text), base)
    }

    /// Rich text as spans, its allowed links added to the table.
    pub(crate) fn rich(&mut self, rich: &Rich, base: Roles) -> Vec<Span> {
        let ids: Vec<Option<LinkId>> = rich
            .links
            .iter()
            .enumerate()
            .map(|(i, url)| links::allowed(url).then(|| self.link(rich.link_text(i), url.clone())))
            .collect();
        let mut spans: Vec<Span> = Vec::with_capacity(rich.pieces.len());
        for piece in &rich.pieces {
            let link = piece.link.and_then(|i| ids[i]);
            let mut roles = base.with(emphasis_roles(piece.emphasis));
            if link.is_some() {
                roles = roles.with(Roles::LINK);
            }
            match spans.last_mut() {
                // An inert link's text joins the text around it.
                Some(last) if last.roles == roles && last.link == link => {
                    last.text.push_str(&piece.text);
                }
                _ => spans.push(Span {
                    text: piece.text.clone(),
                    roles,
                    link,
                }),
            }
        }
        spans
    }

    /// A URL shown as itself: a link when the table allows it, else inert text.
    pub(crate) fn url(&mut self, label: &str, url: &str) -> Span {
        if links::allowed(url) {
            let id = self.link(label.to_string(), url.to_string());
            Span {
                text: url.to_string(),
                roles: Roles::LINK,
                link: Some(id),
            }
        } else {
            Span::new(url, Roles::TEXT)
        }
    }

    /// `label` as a link to `url` when `url` is allowed, else as text.
    pub(crate) fn named_link(&mut self, label: &str, url: &str) -> Span {
        if links::allowed(url) {
            let id = self.link(label.to_string(), url.to_string());
            Span {
                text: label.to_string(),
                roles: Roles::LINK,
                link: Some(id),
            }
        } else {
            Span::new(label, Roles::TEXT)
        }
    }

    fn link(&mut self, text: String, url: String) -> LinkId {
        self.links.push(Link { text, url });
        LinkId::try_from(self.links.len() - 1).unwrap_or(LinkId::MAX)
    }
}

fn emphasis_roles(e: Emphasis) -> Roles {
    let mut roles = Roles::TEXT;
    for (flag, role) in [
        (Emphasis::STRONG, Roles::STRONG),
        (Emphasis::EMPH, Roles::EMPH),
        (Emphasis::CODE, Roles::CODE),
    ] {
        if e.contains(flag) {
            roles = roles.with(role);
        }
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_links_get_ids_and_refused_ones_are_inert() {
        let mut doc = Doc::default();
        let spans = doc.inline(
            "[a](https://x.org) [b](javascript:alert(1)) [c](mailto:m@x.org?attach=/etc/passwd) **[d](http://y)**",
            Roles::TEXT,
        );
        let linked: Vec<(&str, Option<LinkId>)> = spans
            .iter()
            .filter(|s| s.text.trim() != "")
            .map(|s| (s.text.as_str(), s.link))
            .collect();
        assert_eq!(linked, [("a", Some(0)), (" b c ", None), ("d", Some(1)),]);
        assert_eq!(doc.links.len(), 2);
        assert_eq!(doc.links[1].url, "http://y");
        assert!(
            spans
                .iter()
                .find(|s| s.text == "d")
                .unwrap()
                .roles
                .contains(Roles::STRONG.with(Roles::LINK))
        );
        assert!(!spans[1].roles.contains(Roles::LINK));
    }
}
