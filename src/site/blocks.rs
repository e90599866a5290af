//! A page's body (comments and Liquid already out, see `clean`) as blocks
//! of the profile's prose: headings, paragraphs, lists and quotes, each
//! piece of text inline Markdown with its HTML made Markdown too.
//!
//! The blocks are found by pulldown-cmark (CommonMark, as close to
//! kramdown's GFM reading as al-folio pages need); the text of each is
//! taken from the page as written, its HTML settled by `tags` and turned
//! into Markdown by `bibtex::html::to_markdown`, the converter `import-bib`
//! uses for al-folio's fields. Code blocks, tables and images have no
//! place in the profile's prose and are counted for the report.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::html;
use super::report::{Kind, Report};
use super::tags::{self, Segment};

/// A block of a page, its text inline Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Block {
    Heading { level: u8, text: String },
    Paragraph(String),
    List(Vec<String>),
    Quote(Vec<String>),
}

/// Deeper than this, nested blocks are read as the text of the block
/// around them (which keeps the tree, and the walk over it, shallow).
const MAX_NESTING: usize = 32;

/// What an element of the page is, as far as the blocks go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeKind {
    Root,
    Paragraph,
    Heading(u8),
    Quote,
    Code,
    Html,
    List,
    Item,
    Table,
    Image,
    /// An element past [`MAX_NESTING`], read as the text it covers.
    Flat,
    /// Inline markup, text and everything else.
    Other,
}

struct Node {
    kind: NodeKind,
    range: Range<usize>,
    children: Vec<Node>,
}

fn kind_of(tag: &Tag<'_>) -> NodeKind {
    match tag {
        Tag::Paragraph => NodeKind::Paragraph,
        Tag::Heading { level, .. } => NodeKind::Heading(*level as u8),
        Tag::BlockQuote(_) => NodeKind::Quote,
        Tag::CodeBlock(_) => NodeKind::Code,
        Tag::HtmlBlock => NodeKind::Html,
        Tag::List(_) => NodeKind::List,
        Tag::Item => NodeKind::Item,
        Tag::Table(_) => NodeKind::Table,
        Tag::Image { .. } => NodeKind::Image,
        _ => NodeKind::Other,
    }
}

/// The page's elements as a tree, at most [`MAX_NESTING`] deep.
fn tree(body: &str) -> Node {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut stack = vec![Node {
        kind: NodeKind::Root,
        range: 0..body.len(),
        children: Vec::new(),
    }];
    let mut flattened = 0usize;
    let leaf = |kind, range| Node {
        kind,
        range,
        children: Vec::new(),
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let top = stack.len() - 1;
        match event {
            Event::Start(_) if stack.len() > MAX_NESTING => {
                flattened += 1;
                stack[top].children.push(leaf(NodeKind::Flat, range));
            }
            Event::Start(tag) => stack.push(leaf(kind_of(&tag), range)),
            Event::End(_) if flattened > 0 => flattened -= 1,
            Event::End(_) => {
                if top > 0 {
                    let node = stack.pop().expect("a node below the root");
                    stack[top - 1].children.push(node);
                }
            }
            _ => stack[top].children.push(leaf(NodeKind::Other, range)),
        }
    }
    while stack.len() > 1 {
        let node = stack.pop().expect("a node below the root");
        let top = stack.len() - 1;
        stack[top].children.push(node);
    }
    stack.pop().expect("the root")
}

/// Reads a body into blocks; what has no place is counted in `report`.
pub(super) fn read(body: &str, report: &mut Report, file: &str) -> Vec<Block> {
    let root = tree(body);
    let mut reader = Reader {
        src: body,
        report,
        file,
        out: Vec::new(),
    };
    reader.blocks(&root.children, false);
    reader.out
}

/// Page HTML (with Markdown in it) as one piece of inline Markdown: its
/// HTML settled (see `tags`) and made Markdown, hard breaks kept.
pub(super) fn prose(src: &str, report: &mut Report, file: &str) -> String {
    convert(&tags::prepare(src, report, file))
}

/// Prepared HTML (see [`tags::prepare`]) as Markdown, without hard
/// breaks or blanks at its ends.
pub(super) fn convert(prepared: &str) -> String {
    let md = html::to_markdown(prepared, true);
    let mut md = md.trim();
    loop {
        let before = md;
        md = md.trim_end_matches("\\\n").trim_end();
        md = md.strip_prefix("\\\n").unwrap_or(md).trim_start();
        if md == before {
            break;
        }
    }
    md.to_string()
}

struct Reader<'a> {
    src: &'a str,
    report: &'a mut Report,
    file: &'a str,
    out: Vec<Block>,
}

impl Reader<'_> {
    fn blocks(&mut self, nodes: &[Node], in_quote: bool) {
        // Where the element read flat last ends: what is inside it is read.
        let mut flat_end = 0;
        for node in nodes {
            if node.range.start < flat_end {
                continue;
            }
            match node.kind {
                NodeKind::Flat => {
                    flat_end = node.range.end;
                    let text = self.text(&[node], Some(&node.range), in_quote);
                    if !text.is_empty() {
                        self.out.push(Block::Paragraph(text));
                    }
                }
                NodeKind::Paragraph => {
                    let text = self.text(&[node], Some(&node.range), in_quote);
                    if !text.is_empty() {
                        self.out.push(Block::Paragraph(text));
                    }
                }
                NodeKind::Heading(level) => {
                    let children: Vec<&Node> = node.children.iter().collect();
                    let text = self.text(&children, None, in_quote);
                    self.out.push(Block::Heading { level, text });
                }
                NodeKind::List => {
                    let items = self.items(node, in_quote);
                    if !items.is_empty() {
                        self.out.push(Block::List(items));
                    }
                }
                NodeKind::Quote => self.quote(node),
                NodeKind::Html => self.html_block(&self.src[node.range.clone()]),
                NodeKind::Code => self
                    .report
                    .add(self.file, Kind::Block("code block", "code blocks")),
                NodeKind::Table => self.report.add(self.file, Kind::Block("table", "tables")),
                NodeKind::Image => self.report.add(self.file, Kind::Image),
                // Rules, and text pulldown-cmark found outside any block.
                NodeKind::Root | NodeKind::Item | NodeKind::Other => {}
            }
        }
    }

    /// A block quote: the text of everything in it, as paragraphs.
    fn quote(&mut self, node: &Node) {
        let outer = std::mem::take(&mut self.out);
        self.blocks(&node.children, true);
        let inner = std::mem::replace(&mut self.out, outer);
        let paragraphs: Vec<String> = inner
            .into_iter()
            .flat_map(|b| match b {
                Block::Paragraph(t) | Block::Heading { text: t, .. } => vec![t],
                Block::List(items) | Block::Quote(items) => items,
            })
            .filter(|t| !t.is_empty())
            .collect();
        if !paragraphs.is_empty() {
            self.out.push(Block::Quote(paragraphs));
        }
    }

    /// A list's items; a list inside an item adds its items after it.
    fn items(&mut self, list: &Node, in_quote: bool) -> Vec<String> {
        let mut items = Vec::new();
        for item in list.children.iter().filter(|c| c.kind == NodeKind::Item) {
            let (nested, own): (Vec<&Node>, Vec<&Node>) =
                item.children.iter().partition(|c| c.kind == NodeKind::List);
            let text = self.text(&own, None, in_quote);
            if !text.is_empty() {
                items.push(text);
            }
            for list in nested {
                self.report.add(self.file, Kind::NestedList);
                items.extend(self.items(list, in_quote));
            }
        }
        items
    }

    /// A block of HTML: its paragraphs, list items and headings.
    fn html_block(&mut self, html: &str) {
        let prepared = tags::prepare(html, self.report, self.file);
        let mut items: Vec<String> = Vec::new();
        for (segment, piece) in tags::segments(&prepared) {
            let text = convert(piece);
            if text.is_empty() {
                continue;
            }
            if segment != Segment::Item && !items.is_empty() {
                self.out.push(Block::List(std::mem::take(&mut items)));
            }
            match segment {
                Segment::Item => items.push(text),
                Segment::Paragraph => self.out.push(Block::Paragraph(text)),
                Segment::Heading(level) => self.out.push(Block::Heading { level, text }),
            }
        }
        if !items.is_empty() {
            self.out.push(Block::List(items));
        }
    }

    /// The text that `nodes` cover (or `range`, when given), without the
    /// images in it, as prose.
    fn text(&mut self, nodes: &[&Node], range: Option<&Range<usize>>, in_quote: bool) -> String {
        let range = match range {
            Some(r) => r.clone(),
            None => match span(nodes) {
                Some(r) => r,
                None => return String::new(),
            },
        };
        let mut cuts = Vec::new();
        for node in nodes {
            images(node, &mut cuts);
        }
        self.report.add_many(self.file, Kind::Image, cuts.len());
        let mut src = String::new();
        let mut at = range.start;
        for cut in &cuts {
            if cut.start >= at && cut.end <= range.end {
                src.push_str(&self.src[at..cut.start]);
                at = cut.end;
            }
        }
        src.push_str(&self.src[at..range.end]);
        if in_quote {
            src = strip_quote_markers(&src);
        }
        prose(&src, self.report, self.file)
    }
}

/// From the first start to the last end of `nodes`.
fn span(nodes: &[&Node]) -> Option<Range<usize>> {
    let start = nodes.iter().map(|n| n.range.start).min()?;
    let end = nodes.iter().map(|n| n.range.end).max()?;
    Some(start..end)
}

/// The ranges of the images in `node`, in order.
fn images(node: &Node, out: &mut Vec<Range<usize>>) {
    if node.kind == NodeKind::Image {
        out.push(node.range.clone());
        return;
    }
    for child in &node.children {
        images(child, out);
    }
}

/// Lines of a quote's text without the `>` markers that continue it.
fn strip_quote_markers(text: &str) -> String {
    text.lines()
        .map(|line| line.trim_start().trim_start_matches(['>', ' ', '\t']))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(body: &str) -> (Vec<Block>, Vec<String>) {
        let mut report = Report::default();
        let out = read(body, &mut report, "f");
        (
            out,
            report
                .into_notes()
                .iter()
                .map(|n| n.message.clone())
                .collect(),
        )
    }

    fn p(s: &str) -> Block {
        Block::Paragraph(s.into())
    }

    #[test]
    fn the_seed_page_reads_as_its_blocks() {
        let body = "Hi [<span style=\"font-weight: bold; color: #B509AC;\">ZJU</span>](https://z) and\n[**M**](https://m).\n\n<i class=\"fas fa-book\"></i> [**Semantic Scholar**](https://s) &nbsp;&nbsp; <i class=\"fa fa-envelope\"></i> [**Email**](mailto:a@b.c)\n\n### <span style=\"font-family: 'Open Sans'; font-weight: bold;\">🦄 Research Interest</span>\n\n<small><em>\"Seek truth.\"</em></small>\n\nMy focus includes:\n- One;\n- Two.\n";
        let (got, notes) = blocks(body);
        assert_eq!(
            got,
            [
                p("Hi [**ZJU**](https://z) and [**M**](https://m)."),
                p("[**Semantic Scholar**](https://s) [**Email**](mailto:a@b.c)"),
                Block::Heading {
                    level: 3,
                    text: "**🦄 Research Interest**".into()
                },
                p("*\"Seek truth.\"*"),
                p("My focus includes:"),
                Block::List(vec!["One;".into(), "Two.".into()]),
            ]
        );
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn html_blocks_keep_their_paragraphs_and_items() {
        let (got, notes) = blocks(
            "<div style=\"text-align: center;\">\n  <img src=\"a.png\" alt=\"A\" width=\"85%\"/>\n</div>\n\n<ul>\n<li>brunch</li>\n<li><b>fixie</b></li>\n</ul>\n\n<p>one</p><p>two</p>\n",
        );
        assert_eq!(
            got,
            [
                Block::List(vec!["brunch".into(), "**fixie**".into()]),
                p("one"),
                p("two"),
            ]
        );
        assert_eq!(
            notes,
            [
                "1 HTML <div> block reduced to its text",
                "1 HTML <img> element left out",
            ]
        );
    }

    #[test]
    fn what_prose_cannot_hold_is_counted() {
        let (got, notes) = blocks(
            "Text ![photo](p.png) after.\n\n```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- a\n  - b\n- c\n\n> quoted\n> on\n\n---\n",
        );
        assert_eq!(
            got,
            [
                p("Text after."),
                Block::List(vec!["a".into(), "b".into(), "c".into()]),
                Block::Quote(vec!["quoted on".into()]),
            ]
        );
        assert_eq!(
            notes,
            [
                "1 image left out",
                "1 code block left out",
                "1 table left out",
                "1 list inside other lists made part of the outer list",
            ]
        );
    }

    #[test]
    fn deep_nesting_is_read_flat_not_recursed() {
        let body = format!("{}deep\n", "> ".repeat(5_000));
        let (got, _) = blocks(&body);
        assert_eq!(got, [Block::Quote(vec!["deep".into()])]);
        let list: String = (0..3_000)
            .map(|i| format!("{}- x{i}\n", "  ".repeat(i)))
            .collect();
        let (got, _) = blocks(&list);
        assert!(
            matches!(&got[..], [Block::List(items)] if !items.is_empty()),
            "{got:?}"
        );
    }
}
