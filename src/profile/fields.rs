//! A publication's text fields, in one table: their names in profile.toml
//! and BibTeX, and what each is. Sanitizing, BibTeX import and export, the
//! detail's links and the filter all read this table; a field added here is
//! added everywhere.

use super::Publication;

/// What kind of link a field holds, for the detail's list of links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkKind {
    /// A URL as written.
    Url,
    /// An arXiv identifier (`2206.12680`) or its URL.
    Arxiv,
    /// A DOI (`10.1000/x`) or its URL.
    Doi,
}

/// A link field: its label in the detail, and its place in the list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    pub label: &'static str,
    pub rank: u8,
    pub kind: LinkKind,
}

/// One optional text field of a publication.
#[derive(Clone, Copy)]
pub(crate) struct Field {
    /// Its key in profile.toml and in BibTeX.
    pub name: &'static str,
    pub get: fn(&Publication) -> &Option<String>,
    pub get_mut: fn(&mut Publication) -> &mut Option<String>,
    /// Prose of several paragraphs: newlines are kept when made inert.
    pub multiline: bool,
    /// al-folio files may put HTML in it: tags are stripped on import.
    pub html: bool,
    /// al-folio renders it as Markdown (`markdownify`): import turns its
    /// HTML into the same Markdown, export writes it back as Markdown.
    pub markdown: bool,
    /// Prose that termfolio reads as inline Markdown (links, emphasis).
    pub prose: bool,
    /// A link target BibTeX readers keep verbatim (braces written as %7B/%7D).
    pub verbatim: bool,
    /// The filter (`/`) searches it.
    pub searched: bool,
    /// Shown in the detail's list of links.
    pub link: Option<Link>,
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Field").field("name", &self.name).finish()
    }
}

/// A field with every flag off, for the table below.
const fn field(
    name: &'static str,
    get: fn(&Publication) -> &Option<String>,
    get_mut: fn(&mut Publication) -> &mut Option<String>,
) -> Field {
    Field {
        name,
        get,
        get_mut,
        multiline: false,
        html: false,
        markdown: false,
        prose: false,
        verbatim: false,
        searched: false,
        link: None,
    }
}

impl Field {
    const fn multiline(mut self) -> Self {
        self.multiline = true;
        self
    }
    const fn html(mut self) -> Self {
        self.html = true;
        self
    }
    const fn markdown(mut self) -> Self {
        self.markdown = true;
        self
    }
    const fn verbatim(mut self) -> Self {
        self.verbatim = true;
        self
    }
    const fn prose(mut self) -> Self {
        self.prose = true;
        self
    }
    const fn searched(mut self) -> Self {
        self.searched = true;
        self
    }
    const fn link(mut self, label: &'static str, rank: u8, kind: LinkKind) -> Self {
        self.link = Some(Link { label, rank, kind });
        self
    }
}

macro_rules! fields {
    ($($name:literal => $member:ident $(. $flag:ident ( $($arg:expr),* ))*;)*) => {
        &[$(
            field($name, |p| &p.$member, |p| &mut p.$member) $(. $flag($($arg),*))*,
        )*]
    };
}

/// Every optional text field, in the order BibTeX export writes them.
pub(crate) const FIELDS: &[Field] = fields! {
    "abbr" => abbr.searched();
    "booktitle" => booktitle.searched();
    "journal" => journal.searched();
    "publisher" => publisher.searched();
    "series" => series.searched();
    "edition" => edition;
    "chapter" => chapter;
    "school" => school.searched();
    "institution" => institution.searched();
    "organization" => organization.searched();
    "howpublished" => howpublished.searched();
    "address" => address;
    "location" => location;
    "volume" => volume;
    "number" => number;
    "pages" => pages;
    "numpages" => numpages;
    "eid" => eid;
    "isbn" => isbn;
    "issn" => issn;
    "month" => month;
    "award" => award.html().markdown().prose().searched();
    "award_name" => award_name.html().searched();
    "note" => note.html().searched().prose();
    "abstract" => abstract_.multiline().html().searched().prose();
    "url" => url.verbatim().link("url", 0, LinkKind::Url);
    "pdf" => pdf.verbatim().link("pdf", 2, LinkKind::Url);
    "code" => code.link("code", 5, LinkKind::Url);
    "arxiv" => arxiv.link("arXiv", 3, LinkKind::Arxiv);
    "eprint" => eprint;
    "archiveprefix" => archiveprefix;
    "primaryclass" => primaryclass;
    "doi" => doi.verbatim().link("doi", 4, LinkKind::Doi);
    "slides" => slides.link("slides", 6, LinkKind::Url);
    "poster" => poster.link("poster", 7, LinkKind::Url);
    "video" => video.link("video", 8, LinkKind::Url);
    "blog" => blog.link("blog", 9, LinkKind::Url);
    "website" => website.link("website", 10, LinkKind::Url);
    "supp" => supp.link("supp", 11, LinkKind::Url);
    "html" => html.link("html", 1, LinkKind::Url);
    "preview" => preview;
    "additional_info" => additional_info.multiline().html().markdown().prose();
    "annotation" => annotation.multiline().html().markdown().prose();
    "keywords" => keywords.searched();
    "language" => language;
    "urldate" => urldate;
    "date" => date;
};

/// The field called `name`, if there is one.
#[cfg_attr(not(feature = "import"), allow(dead_code))]
pub(crate) fn named(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_reads_and_writes_its_own_member() {
        let mut p = Publication::default();
        for f in FIELDS {
            *(f.get_mut)(&mut p) = Some(f.name.to_string());
        }
        for f in FIELDS {
            assert_eq!((f.get)(&p).as_deref(), Some(f.name), "{}", f.name);
        }
    }

    #[test]
    fn names_and_link_ranks_are_unique() {
        let mut names: Vec<_> = FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
        let mut ranks: Vec<_> = FIELDS
            .iter()
            .filter_map(|f| f.link)
            .map(|l| l.rank)
            .collect();
        ranks.sort_unstable();
        let n = ranks.len();
        ranks.dedup();
        assert_eq!(ranks.len(), n);
    }
}
