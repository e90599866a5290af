//! HTML in al-folio's fields, for `import-bib`.
//!
//! al-folio prints some fields as they are (`note`, `abstract`): HTML there
//! is stripped to its text ([`strip_tags`]). Others it renders through
//! `markdownify` (`award`, `additional_info`, `annotation`): there HTML
//! becomes the same Markdown and the Markdown stays ([`to_markdown`]).
//!
//! Either way the result holds no markup the source did not mean: an entity
//! never decodes into a tag or into another entity, a removed tag never
//! joins the text around it into an image, a link or a longer code span, and
//! what the conversion itself must escape it writes as a character reference
//! (`&#91;`), which BibTeX leaves alone. Reading the result again gives it
//! back unchanged, which is what lets `export-bib` write it back for
//! `import-bib` to read the same.

use std::borrow::Cow;

use super::latex::{autolink, entity_like};

/// The entities al-folio files use, and what they stand for.
const ENTITIES: [(&str, char); 6] = [
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&#39;", '\''),
    ("&nbsp;", ' '),
    ("&amp;", '&'),
];

/// The text of `s` without its tags and comments, the common entities
/// decoded; a `<br>` is a space. Whitespace is left for the caller.
pub(super) fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut signs = Vec::new();
    for token in Scanner::new(s, false) {
        match token {
            Token::Text(t) => out.push_str(&t),
            Token::Verbatim(v) | Token::Autolink(v) => out.push_str(v),
            Token::Sign(c) => {
                signs.push(out.len());
                out.push(c);
            }
            Token::Space => out.push(' '),
            Token::Tag(tag) if tag.name == "br" => out.push(' '),
            Token::Tag(_) => {}
        }
    }
    write_signs(&out, &signs, false)
}

/// `s`, Markdown with HTML in it, as Markdown alone: `<a href>` a link,
/// `<b>`/`<strong>` strong, `<em>`/`<i>` emphasis, `<br>` a hard line break
/// (a space when the field keeps no newlines: `breaks` is false); other tags
/// and comments go, their text stays. Whitespace is collapsed.
pub(crate) fn to_markdown(s: &str, breaks: bool) -> String {
    let mut md = Markdown::default();
    for token in Scanner::new(s, true) {
        md.push(token);
    }
    md.finish(breaks)
}

/// A piece of a value, as [`Scanner`] reads it.
enum Token<'a> {
    /// Text, its entities decoded.
    Text(Cow<'a, str>),
    /// Written as it stands: a Markdown escape, code span or math, or an
    /// entity we do not decode.
    Verbatim(&'a str),
    /// A `<` or `&` that is text, as written or decoded: whether it can be
    /// written as itself depends on what follows it in the result, which
    /// removing tags changes (`&lt;</b>b>`), so [`write_signs`] decides.
    Sign(char),
    /// A Markdown autolink, `<https://…>`.
    Autolink(&'a str),
    /// A run of whitespace.
    Space,
    Tag(Tag<'a>),
}

/// An HTML tag: its name in lower case, and what follows the name.
struct Tag<'a> {
    name: String,
    closing: bool,
    attributes: &'a str,
}

impl Tag<'_> {
    /// The `href` attribute, its entities decoded.
    fn href(&self) -> Option<String> {
        attribute(self.attributes, "href").map(decode_entities)
    }
}

/// The value of attribute `name` (any case) in a tag's attributes, as
/// written: quoted with `"` or `'`, or bare up to a space.
pub(crate) fn attribute<'a>(attributes: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attributes;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let this = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        let mut value = "";
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = v;
            rest = tail;
        }
        if this.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
}

/// Every common entity of `s` decoded, left to right, once.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match ENTITIES.iter().find(|(name, _)| tail.starts_with(name)) {
            Some((name, c)) => {
                out.push(*c);
                rest = &tail[name.len()..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `c`, after a `<`, would make a tag of it.
fn starts_tag(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
}

/// Reads a value into tokens. In Markdown, escapes, code spans, math and
/// autolinks are read as Markdown (what is in them is not HTML).
struct Scanner<'a> {
    s: &'a str,
    at: usize,
    markdown: bool,
    /// Where the last `>` and `-->` are: nothing after them can end a tag
    /// or a comment (and finding that out costs nothing).
    last_gt: Option<usize>,
    last_comment_end: Option<usize>,
}

impl<'a> Scanner<'a> {
    fn new(s: &'a str, markdown: bool) -> Self {
        Self {
            s,
            at: 0,
            markdown,
            last_gt: s.rfind('>'),
            last_comment_end: s.rfind("-->"),
        }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.at..]
    }

    /// A `<`: a comment (skipped: `None`), an autolink, a tag, or itself.
    fn angle(&mut self) -> Option<Token<'a>> {
        let rest = self.rest();
        let after = rest[1..].chars().next();
        if rest.starts_with("<!--")
            && self.last_comment_end.is_some_and(|e| e >= self.at + 4)
            && let Some(end) = rest[4..].find("-->")
        {
            self.at += 4 + end + 3;
            return None;
        }
        if self.markdown
            && let Some(len) = autolink(rest)
        {
            self.at += len;
            return Some(Token::Autolink(&rest[..len]));
        }
        if starts_tag(after)
            && self.last_gt.is_some_and(|g| g > self.at)
            && let Some(end) = self.tag_end()
        {
            let tag = tag(&self.s[self.at + 1..end]);
            self.at = end + 1;
            return Some(Token::Tag(tag));
        }
        self.at += 1;
        Some(Token::Sign('<'))
    }

    /// The `>` that ends the tag at `at`: the first outside a quoted
    /// attribute value, or, when a quote never closes, the first.
    fn tag_end(&self) -> Option<usize> {
        let bytes = self.s.as_bytes();
        let mut quote = None;
        let mut after_equals = false;
        for (i, &b) in bytes.iter().enumerate().skip(self.at + 1) {
            match quote {
                Some(q) if b == q => {
                    quote = None;
                    after_equals = false;
                }
                Some(_) => {}
                None => match b {
                    b'>' => return Some(i),
                    b'"' | b'\'' if after_equals => quote = Some(b),
                    b'=' => after_equals = true,
                    b if b.is_ascii_whitespace() => {}
                    _ => after_equals = false,
                },
            }
        }
        self.rest().find('>').map(|n| self.at + n)
    }

    /// A `&`: a common entity decoded, another entity as it stands, or the
    /// character itself.
    fn entity(&mut self) -> Token<'a> {
        let rest = self.rest();
        let Some(&(name, c)) = ENTITIES.iter().find(|(name, _)| rest.starts_with(name)) else {
            self.at += 1;
            return if entity_like(&rest[1..]) {
                Token::Verbatim("&")
            } else {
                Token::Sign('&')
            };
        };
        self.at += name.len();
        match c {
            '<' | '&' => Token::Sign(c),
            ' ' => Token::Space,
            c => Token::Text(Cow::Owned(c.to_string())),
        }
    }

    /// In Markdown, a backslash, backtick or dollar: an escape, a code span,
    /// math, or the character itself.
    fn markdown_verbatim(&mut self, c: char) -> Token<'a> {
        let rest = self.rest();
        let len = match c {
            '\\' => match rest[1..].chars().next() {
                Some(n) if n.is_ascii_punctuation() => 2,
                _ => {
                    self.at += 1;
                    return Token::Text(Cow::Borrowed("\\"));
                }
            },
            '`' => {
                let run = rest.len() - rest.trim_start_matches('`').len();
                code_span_end(rest, run).unwrap_or(run)
            }
            _ => match rest[1..].find('$') {
                Some(end) => end + 2,
                None => {
                    self.at += 1;
                    return Token::Text(Cow::Borrowed("$"));
                }
            },
        };
        self.at += len;
        Token::Verbatim(&rest[..len])
    }

    /// Text up to the next character that may start something else.
    fn text(&mut self) -> Token<'a> {
        let rest = self.rest();
        let special = |c: char| {
            matches!(c, '<' | '&')
                || c.is_whitespace()
                || (self.markdown && matches!(c, '\\' | '`' | '$'))
        };
        let first = rest.chars().next().map_or(0, char::len_utf8);
        let len = rest[first..]
            .find(special)
            .map_or(rest.len(), |n| first + n);
        self.at += len;
        Token::Text(Cow::Borrowed(&rest[..len]))
    }
}

impl<'a> Iterator for Scanner<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let c = self.rest().chars().next()?;
            let token = match c {
                '<' => self.angle(),
                '&' => Some(self.entity()),
                c if c.is_whitespace() => {
                    let rest = self.rest();
                    self.at += rest.len() - rest.trim_start().len();
                    Some(Token::Space)
                }
                '\\' | '`' | '$' if self.markdown => Some(self.markdown_verbatim(c)),
                _ => Some(self.text()),
            };
            if token.is_some() {
                return token;
            }
        }
    }
}

/// Where the code span that opens with `run` backticks at the start of `s`
/// ends: after the next run of exactly as many.
fn code_span_end(s: &str, run: usize) -> Option<usize> {
    let mut at = run;
    while let Some(start) = s[at..].find('`') {
        let start = at + start;
        let len = s[start..].len() - s[start..].trim_start_matches('`').len();
        if len == run {
            return Some(start + len);
        }
        at = start + len;
    }
    None
}

/// The tag whose text between `<` and `>` is `inner`.
fn tag(inner: &str) -> Tag<'_> {
    let (closing, body) = match inner.strip_prefix('/') {
        Some(body) => (true, body),
        None => (false, inner),
    };
    let name_len = body
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    Tag {
        name: body[..name_len].to_ascii_lowercase(),
        closing,
        attributes: &body[name_len..],
    }
}

/// What a span of the Markdown result is.
enum Kind {
    Strong,
    Emphasis,
    /// A link, its destination written for Markdown.
    Link(String),
}

/// A piece of the Markdown result. Spans open and close around pieces, so
/// that whitespace can move out of them and empty ones can go.
enum Piece {
    /// Text, its `[` and `]` as references when it is a link's.
    Text(String),
    /// Markdown written as it stands.
    Verbatim(String),
    /// A `<` or `&` of the text (see [`Token::Sign`]).
    Sign(char),
    Space,
    Break,
    Open(usize),
    Close(usize),
}

/// HTML and Markdown into Markdown: the pieces of the result so far, the
/// spans they open and close, and the spans open now.
#[derive(Default)]
struct Markdown {
    pieces: Vec<Piece>,
    spans: Vec<Kind>,
    open: Vec<usize>,
    /// How deep `<b>`/`<strong>` and `<em>`/`<i>` are nested: only the
    /// outermost makes a span.
    strong_depth: usize,
    emphasis_depth: usize,
}

impl Markdown {
    fn in_link(&self) -> bool {
        self.open
            .iter()
            .any(|&id| matches!(self.spans[id], Kind::Link(_)))
    }

    fn push(&mut self, token: Token<'_>) {
        let piece = match token {
            Token::Text(t) if self.in_link() => Piece::Text(escape_brackets(&t)),
            Token::Text(t) => Piece::Text(t.into_owned()),
            // Code spans and math read newlines as spaces anyway.
            Token::Verbatim(v) => {
                Piece::Verbatim(v.split_whitespace().collect::<Vec<_>>().join(" "))
            }
            // A link cannot hold a link: the autolink is only its text.
            Token::Autolink(a) if self.in_link() => {
                self.pieces.push(Piece::Sign('<'));
                Piece::Text(escape_brackets(&a[1..]))
            }
            Token::Sign(c) => Piece::Sign(c),
            Token::Autolink(a) => Piece::Verbatim(a.to_string()),
            Token::Space => Piece::Space,
            Token::Tag(tag) => return self.tag(&tag),
        };
        self.pieces.push(piece);
    }

    fn tag(&mut self, tag: &Tag<'_>) {
        match (tag.name.as_str(), tag.closing) {
            ("b" | "strong", false) => {
                self.strong_depth += 1;
                if self.strong_depth == 1 {
                    self.open(Kind::Strong);
                }
            }
            ("b" | "strong", true) if self.strong_depth > 0 => {
                self.strong_depth -= 1;
                if self.strong_depth == 0 {
                    self.close(|k| matches!(k, Kind::Strong));
                }
            }
            ("em" | "i", false) => {
                self.emphasis_depth += 1;
                if self.emphasis_depth == 1 {
                    self.open(Kind::Emphasis);
                }
            }
            ("em" | "i", true) if self.emphasis_depth > 0 => {
                self.emphasis_depth -= 1;
                if self.emphasis_depth == 0 {
                    self.close(|k| matches!(k, Kind::Emphasis));
                }
            }
            // A link inside a link ends the first, as in a browser.
            ("a", false) => {
                self.close(|k| matches!(k, Kind::Link(_)));
                let href = tag.href().unwrap_or_default();
                let href = href.trim();
                if !href.is_empty() {
                    self.open(Kind::Link(destination(href)));
                }
            }
            ("a", true) => self.close(|k| matches!(k, Kind::Link(_))),
            ("br", _) => self.pieces.push(Piece::Break),
            _ => {}
        }
    }

    fn open(&mut self, kind: Kind) {
        let id = self.spans.len();
        self.spans.push(kind);
        self.open.push(id);
        self.pieces.push(Piece::Open(id));
    }

    /// Closes the innermost open span of `kind`, and the spans opened inside
    /// it and still open: `<b><i>x</b>y</i>` is `***x***y`.
    fn close(&mut self, kind: impl Fn(&Kind) -> bool) {
        let Some(at) = self.open.iter().rposition(|&id| kind(&self.spans[id])) else {
            return;
        };
        for id in self.open.split_off(at).into_iter().rev() {
            match self.spans[id] {
                Kind::Strong => self.strong_depth = 0,
                Kind::Emphasis => self.emphasis_depth = 0,
                Kind::Link(_) => {}
            }
            self.pieces.push(Piece::Close(id));
        }
    }

    fn finish(mut self, breaks: bool) -> String {
        while let Some(id) = self.open.pop() {
            self.pieces.push(Piece::Close(id));
        }
        if !breaks {
            for p in &mut self.pieces {
                if matches!(p, Piece::Break) {
                    *p = Piece::Space;
                }
            }
        }
        self.tidy();
        self.collapse();
        let dropped = self.unreadable_emphasis();
        self.emit(&dropped)
    }

    /// Moves whitespace and breaks out of spans (`** x**` is not strong in
    /// Markdown) and drops spans left empty.
    fn tidy(&mut self) {
        let blank = |p: &Piece| matches!(p, Piece::Space | Piece::Break);
        loop {
            let mut changed = false;
            let mut i = 0;
            while i + 1 < self.pieces.len() {
                match (&self.pieces[i], &self.pieces[i + 1]) {
                    (Piece::Open(a), Piece::Close(b)) if a == b => {
                        self.pieces.drain(i..i + 2);
                        changed = true;
                        continue;
                    }
                    (Piece::Open(_), p) if blank(p) => {
                        self.pieces.swap(i, i + 1);
                        changed = true;
                    }
                    (p, Piece::Close(_)) if blank(p) => {
                        self.pieces.swap(i, i + 1);
                        changed = true;
                    }
                    _ => {}
                }
                i += 1;
            }
            if !changed {
                break;
            }
        }
    }

    /// One space between words, none around a break or at either end.
    fn collapse(&mut self) {
        let mut out: Vec<Piece> = Vec::with_capacity(self.pieces.len());
        for p in self.pieces.drain(..) {
            match p {
                Piece::Space => {
                    if !matches!(out.last(), None | Some(Piece::Space | Piece::Break)) {
                        out.push(p);
                    }
                }
                Piece::Break => {
                    if matches!(out.last(), Some(Piece::Space)) {
                        out.pop();
                    }
                    if !out.is_empty() {
                        out.push(p);
                    }
                }
                p => out.push(p),
            }
        }
        while matches!(out.last(), Some(Piece::Space | Piece::Break)) {
            out.pop();
        }
        self.pieces = out;
    }

    /// What a piece writes, as far as emphasis can see: emphasis marks
    /// are left out, so that runs of them count as one.
    fn written<'a>(&'a self, p: &'a Piece) -> Cow<'a, str> {
        match p {
            Piece::Text(t) | Piece::Verbatim(t) => Cow::Borrowed(t),
            Piece::Sign(c) => Cow::Owned(c.to_string()),
            Piece::Space => Cow::Borrowed(" "),
            Piece::Break => Cow::Borrowed("\n"),
            Piece::Open(id) | Piece::Close(id) => match &self.spans[*id] {
                Kind::Link(_) if matches!(p, Piece::Open(_)) => Cow::Borrowed("["),
                Kind::Link(dest) => Cow::Owned(format!("]({dest})")),
                _ => Cow::Borrowed(""),
            },
        }
    }

    fn char_before(&self, i: usize) -> Option<char> {
        self.pieces[..i]
            .iter()
            .rev()
            .find_map(|p| self.written(p).chars().last())
    }

    fn char_after(&self, i: usize) -> Option<char> {
        self.pieces[i + 1..]
            .iter()
            .find_map(|p| self.written(p).chars().next())
    }

    /// The emphasis spans Markdown would not read as emphasis (CommonMark's
    /// flanking rules: `a**(b)**c` is not strong): they are left out, their
    /// text kept.
    fn unreadable_emphasis(&self) -> Vec<bool> {
        let mut dropped = vec![false; self.spans.len()];
        let mut opened_at = vec![0; self.spans.len()];
        for (i, p) in self.pieces.iter().enumerate() {
            match p {
                Piece::Open(id) => opened_at[*id] = i,
                Piece::Close(id) if !matches!(self.spans[*id], Kind::Link(_)) => {
                    let open = opened_at[*id];
                    let opens = left_flanking(self.char_before(open), self.char_after(open));
                    let closes = left_flanking(self.char_after(i), self.char_before(i));
                    dropped[*id] = !(opens && closes);
                }
                _ => {}
            }
        }
        dropped
    }

    fn emit(&self, dropped: &[bool]) -> String {
        let mut out = String::new();
        let mut signs = Vec::new();
        for (i, p) in self.pieces.iter().enumerate() {
            // Pieces meet where the source had a tag between them: `!` and
            // `[` would meet as an image, `]` and `(` as a link, and two runs
            // of backticks or dollars as one, which pairs them differently.
            let joined = match p {
                Piece::Text(t) | Piece::Verbatim(t) => t.chars().next(),
                Piece::Open(id) if !dropped[*id] && matches!(self.spans[*id], Kind::Link(_)) => {
                    Some('[')
                }
                _ => None,
            };
            match joined {
                Some('[') if ends_unescaped(&out, '!') => as_reference(&mut out),
                Some('(') if ends_unescaped(&out, ']') => as_reference(&mut out),
                Some(c @ ('`' | '$')) if out.ends_with(c) => out.push(' '),
                _ => {}
            }
            match p {
                Piece::Text(t) => {
                    out.push_str(t);
                    // A backslash of its own would escape the mark after it.
                    let escapes = self
                        .char_written_after(i, dropped)
                        .is_some_and(|c| c.is_ascii_punctuation());
                    if t.ends_with('\\') && escapes {
                        as_reference(&mut out);
                    }
                }
                Piece::Verbatim(v) => out.push_str(v),
                Piece::Sign(c) => {
                    signs.push(out.len());
                    out.push(*c);
                }
                Piece::Space => out.push(' '),
                Piece::Break => out.push_str("\\\n"),
                Piece::Open(id) | Piece::Close(id) if dropped[*id] => {}
                Piece::Open(id) => match &self.spans[*id] {
                    Kind::Strong => out.push_str("**"),
                    Kind::Emphasis => out.push('*'),
                    Kind::Link(_) => out.push('['),
                },
                Piece::Close(id) => match &self.spans[*id] {
                    Kind::Strong => out.push_str("**"),
                    Kind::Emphasis => out.push('*'),
                    Kind::Link(dest) => {
                        out.push_str("](");
                        out.push_str(dest);
                        out.push(')');
                    }
                },
            }
        }
        write_signs(&out, &signs, true)
    }

    /// The first character written after piece `i` (a break's is its `\\`).
    fn char_written_after(&self, i: usize, dropped: &[bool]) -> Option<char> {
        self.pieces[i + 1..].iter().find_map(|p| match p {
            Piece::Open(id) | Piece::Close(id) if dropped[*id] => None,
            Piece::Open(id) | Piece::Close(id) => Some(match self.spans[*id] {
                Kind::Strong | Kind::Emphasis => '*',
                Kind::Link(_) if matches!(p, Piece::Open(_)) => '[',
                Kind::Link(_) => ']',
            }),
            Piece::Break => Some('\\'),
            p => self.written(p).chars().next(),
        })
    }
}

/// Whether a `*` run between `before` and `after` can open emphasis (or,
/// with the two swapped, close it). The ends of the text count as spaces.
fn left_flanking(before: Option<char>, after: Option<char>) -> bool {
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let punctuation = |c: Option<char>| {
        c.is_some_and(|c| {
            c.is_ascii_punctuation()
                || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace())
        })
    };
    !space(after) && (!punctuation(after) || space(before) || punctuation(before))
}

/// `out` with its signs (the `<` and `&` of the text, at `signs`) written
/// so that they read as themselves: a `<` that could start a tag as `&lt;`
/// (in Markdown always, as an HTML block needs no `>`; in plain text when a
/// `>` follows), a `&` that would start an entity as `&amp;`.
fn write_signs(out: &str, signs: &[usize], markdown: bool) -> String {
    let last_gt = out.rfind('>');
    let mut written = String::with_capacity(out.len() + 4 * signs.len());
    let mut from = 0;
    for &at in signs {
        written.push_str(&out[from..at]);
        let rest = &out[at + 1..];
        written.push_str(match out.as_bytes()[at] {
            b'<' if starts_tag(rest.chars().next())
                && (markdown || last_gt.is_some_and(|g| g > at)) =>
            {
                "&lt;"
            }
            b'<' => "<",
            _ if entity_like(rest) => "&amp;",
            _ => "&",
        });
        from = at + 1;
    }
    written.push_str(&out[from..]);
    written
}

/// The last character of `out` as a character reference (`&#33;`), which
/// Markdown reads as that character and nothing else, and which BibTeX
/// readers leave alone (a backslash escape they would not).
fn as_reference(out: &mut String) {
    if let Some(c) = out.pop() {
        out.push_str(&format!("&#{};", u32::from(c)));
    }
}

/// Whether `s` ends with `c` and no backslash escapes it.
fn ends_unescaped(s: &str, c: char) -> bool {
    let Some(head) = s.strip_suffix(c) else {
        return false;
    };
    let backslashes = head.len() - head.trim_end_matches('\\').len();
    backslashes % 2 == 0
}

/// Link text with its `[` and `]` as character references, so that the
/// text cannot end the link or open another.
fn escape_brackets(t: &str) -> String {
    t.replace('[', "&#91;").replace(']', "&#93;")
}

/// An `href` as a Markdown link destination that Markdown reads back as the
/// same URL: what would end the destination, start other Markdown in it or
/// is not allowed in a URL at all is percent-encoded (spaces, controls,
/// `<>()[]{}\`, backticks, quotes, `$`), and a `&` that would read as an
/// entity is written as one.
fn destination(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    for (i, c) in href.char_indices() {
        if c.is_control() || c.is_whitespace() || "<>()[]{}\\`\"$".contains(c) {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else if c == '&' && entity_like(&href[i + 1..]) {
            out.push_str("&amp;");
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        to_markdown(s, true)
    }

    #[test]
    fn al_folio_html_becomes_markdown() {
        assert_eq!(
            md(r#"<a href="https://x.org/a_b">Best Paper</a> at <b>ICML</b><br>and <em>more</em>"#),
            "[Best Paper](https://x.org/a_b) at **ICML**\\\nand *more*"
        );
        assert_eq!(
            to_markdown("a <strong>b</strong><br/>c <i>d</i>", false),
            "a **b** c *d*"
        );
        assert_eq!(md("a<BR />b<br>c"), "a\\\nb\\\nc");
    }

    #[test]
    fn markdown_stays_as_written() {
        for s in [
            ". *More* info [here](https://example.com/?a=1&b=2)",
            "Equal **contribution**",
            "[text](https://a.b/c_d%20e#f&g~h)",
            "see <https://a.b/c_d> or <me@example.org>",
            "`<b>code</b>` and $x<y$ and \\<b> and \\*",
            "* Equal contribution & shared first authorship",
        ] {
            assert_eq!(md(s), s);
        }
    }

    #[test]
    fn other_tags_and_comments_go_their_text_stays() {
        assert_eq!(md("a<!-- b > c -->d"), "ad");
        assert_eq!(md("a <img src=\"x.png\" alt=\"y\"> b"), "a b");
        assert_eq!(md("<span style=\"a>b\">text</span>"), "text");
        assert_eq!(md("<a name=\"x\">anchor</a> only"), "anchor only");
        assert_eq!(md("<p>one</p> <div>two</div>"), "one two");
    }

    #[test]
    fn nested_and_unbalanced_tags_still_read_as_markdown() {
        assert_eq!(md("<b><i>x</i></b>"), "***x***");
        assert_eq!(md("<b>a <b>b</b> c</b> d"), "**a b c** d");
        assert_eq!(md("<b>open"), "**open**");
        assert_eq!(md("close</b> </i></a>"), "close");
        assert_eq!(md("<b>a<i>b</b>c</i>"), "**a*b***c");
        assert_eq!(md("<b> spaced </b>x"), "**spaced** x");
        assert_eq!(md("<b></b><i> </i>x"), "x");
        assert_eq!(
            md("<a href=\"u\">x <a href=\"v\">y</a> z</a>"),
            "[x](u) [y](v) z"
        );
    }

    #[test]
    fn emphasis_markdown_would_not_read_is_left_out() {
        // `**(b)**` between letters is not strong in CommonMark.
        assert_eq!(md("a<b>(b)</b>c"), "a(b)c");
        assert_eq!(md("a <b>(b)</b> c"), "a **(b)** c");
        assert_eq!(md("a<b>b</b>c"), "a**b**c");
    }

    #[test]
    fn links_cannot_be_broken_out_of() {
        assert_eq!(
            md("<a href=\"javascript:alert(1)\">click</a>"),
            "[click](javascript:alert%281%29)"
        );
        assert_eq!(
            md("<a href='https://a.b/x y)z]w<v>\\'>t</a>"),
            "[t](https://a.b/x%20y%29z%5Dw%3Cv%3E%5C)"
        );
        assert_eq!(
            md("<a href=\"u\">a [b] ](c)</a>"),
            "[a &#91;b&#93; &#93;(c)](u)"
        );
        assert_eq!(md("<a href=\"?a=1&amp;b=2\">q</a>"), "[q](?a=1&b=2)");
        assert_eq!(
            md("<a href=\"?a=1&amp;amp;b\">q</a>"),
            "[q](?a=1&amp;amp;b)"
        );
        assert_eq!(md("wow!<a href=\"u\">x</a>"), "wow&#33;[x](u)");
        assert_eq!(md("wow!<span></span>[x](u)"), "wow&#33;[x](u)");
        assert_eq!(md("[x]<!-- -->(u) and ![i](j)"), "[x&#93;(u) and ![i](j)");
        assert_eq!(md("<a href=\"u\"></a>gone"), "gone");
        assert_eq!(md("<a href=\"\">no target</a>"), "no target");
        assert_eq!(md("<a href=\"u\"><https://v></a>"), "[&lt;https://v>](u)");
        assert_eq!(md("<b>C:\\ </b>x"), "**C:&#92;** x");
        assert_eq!(md("back\\slash, end\\"), "back\\slash, end\\");
    }

    #[test]
    fn entities_never_decode_into_markup() {
        assert_eq!(
            md("a &amp; b &lt; c &quot;d&quot; &#39;e&#39;&nbsp;f"),
            "a & b < c \"d\" 'e' f"
        );
        assert_eq!(md("&lt;b&gt;not bold&lt;/b&gt;"), "&lt;b>not bold&lt;/b>");
        assert_eq!(md("&amp;lt; and &amp;copy;"), "&amp;lt; and &amp;copy;");
        assert_eq!(md("x <y &gt; z"), "x &lt;y > z");
        assert_eq!(strip_tags("&lt;b&gt;x"), "&lt;b>x");
        assert_eq!(strip_tags("n < 10 and a <-> b"), "n < 10 and a <-> b");
    }

    #[test]
    fn plain_fields_lose_their_tags() {
        assert_eq!(
            strip_tags("<b>Oral</b> &amp; <a href=\"x\">more</a>"),
            "Oral & more"
        );
        assert_eq!(strip_tags("a<br>b<!-- > -->c"), "a bc");
        assert_eq!(strip_tags("<span title=\"a>b\">t</span>"), "t");
        assert_eq!(strip_tags("**kept** <https://x>"), "**kept** ");
    }

    /// Every output reads back as itself, the hard breaks written as
    /// `<br>` as export-bib writes them.
    #[test]
    fn markdown_reads_back_as_itself() {
        for s in [
            "a <b &gt; c",
            "`` <b></b>` x ``` y ```",
            "<a href=u>x\\</a>",
            "x<br><br> <b> </b><br>y",
            "\\ <b>a</b>",
            "$a <b>$ c</b>",
            "`<b>`</b>`",
            "$a$<i></i>$b$",
        ] {
            let once = md(s);
            assert_eq!(md(&once.replace("\\\n", "<br>")), once, "{s:?}");
        }
    }

    /// What CommonMark (pulldown-cmark, as the viewer reads it) makes of
    /// `md`: its links as (destination, text), and whether it holds raw
    /// HTML, an image, strong text, emphasis or a hard break.
    #[derive(Debug, Default, PartialEq)]
    struct Read {
        links: Vec<(String, String)>,
        html: bool,
        image: bool,
        strong: bool,
        emphasis: bool,
        hard_break: bool,
    }

    fn read(md: &str) -> Read {
        use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
        let mut read = Read::default();
        let mut link: Option<(String, String)> = None;
        for event in Parser::new_ext(md, Options::ENABLE_MATH) {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    link = Some((dest_url.to_string(), String::new()));
                }
                Event::End(TagEnd::Link) => read.links.extend(link.take()),
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, text)) = &mut link {
                        text.push_str(&t);
                    }
                }
                Event::Html(_) | Event::InlineHtml(_) => read.html = true,
                Event::Start(Tag::Image { .. }) => read.image = true,
                Event::Start(Tag::Strong) => read.strong = true,
                Event::Start(Tag::Emphasis) => read.emphasis = true,
                Event::HardBreak => read.hard_break = true,
                _ => {}
            }
        }
        read
    }

    #[test]
    fn commonmark_reads_the_html_meaning() {
        let got = read(&md(
            r#"<a href="https://x.org/a_b">Best Paper</a> at <b>ICML</b><br>and <em>more</em>"#,
        ));
        assert_eq!(
            got,
            Read {
                links: vec![("https://x.org/a_b".into(), "Best Paper".into())],
                strong: true,
                emphasis: true,
                hard_break: true,
                ..Read::default()
            }
        );
        let got = read(&md("wow!<a href=\"u\">x</a> &lt;b&gt;not a tag&lt;/b&gt;"));
        assert_eq!(got.links, [("u".to_string(), "x".to_string())]);
        assert!(!got.image && !got.html, "{got:?}");
    }

    /// Hrefs and link texts made of what could end a link or start other
    /// Markdown: CommonMark reads exactly one link, to the href (its
    /// unsafe characters percent-encoded), with the text as written.
    #[test]
    fn hostile_links_read_back_as_one_link_to_the_same_target() {
        use proptest::prelude::*;
        const HREF: &[&str] = &[
            "javascript:",
            "alert(1)",
            "https://a.b/",
            ")",
            "(",
            "]",
            "[",
            " ",
            "<",
            ">",
            "\\",
            "`",
            "$",
            "*",
            "_",
            "%20",
            "#f",
            "?a=1",
            "&amp;",
            "&amp;amp;",
            "&lt;",
            "&quot;",
            "'",
            "~",
            "\u{a0}",
            "é",
            "\t",
        ];
        const TEXT: &[&str] = &[
            "Best",
            " ",
            "[",
            "]",
            "(",
            ")",
            "](x)",
            "[y](z)",
            "!",
            "é",
            "paper",
            "<https://v>",
        ];
        let parts = |from: &'static [&'static str]| {
            proptest::collection::vec(proptest::sample::select(from), 1..12)
                .prop_map(|v| v.concat())
        };
        proptest!(|(href in parts(HREF), text in parts(TEXT))| {
            let html = format!("before!<a href=\"{}\">{text}</a>(after)", href.replace('"', "&quot;"));
            let out = md(&html);
            let got = read(&out);
            let target = decode_entities(&href);
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            // Without a link the text is al-folio's Markdown, links and all.
            if !target.trim().is_empty() && !text.is_empty() {
                // CommonMark reads the `&amp;` written for a `&` as `&`.
                let dest = destination(target.trim()).replace("&amp;", "&");
                prop_assert_eq!(&got.links, &vec![(dest, text)], "{}", out);
                prop_assert!(!got.image, "{out}");
            }
            prop_assert!(!got.html, "{out}");
        });
    }

    /// Whatever the HTML, CommonMark finds no HTML left in the result.
    #[test]
    fn no_tag_survives_as_html() {
        use proptest::prelude::*;
        const PARTS: &[&str] = &[
            "<b>",
            "</b>",
            "<i>",
            "</em>",
            "<strong>",
            "<a href=\"u\">",
            "<a>",
            "</a>",
            "<br>",
            "<!-- c -->",
            "<!--",
            "-->",
            "<img src=x>",
            "<span class='a>b'>",
            "</span>",
            "&amp;",
            "&lt;",
            "&gt;",
            "&amp;lt;",
            "&nbsp;",
            "<",
            ">",
            "/",
            "!",
            "?",
            "x",
            " ",
            "*",
            "[",
            "]",
            "(",
            ")",
            "`",
            "\\",
            "<https://a.b>",
            "<a@b.c>",
            "é",
        ];
        let value = proptest::collection::vec(proptest::sample::select(PARTS), 0..24)
            .prop_map(|v| v.concat());
        proptest!(|(s in value)| {
            let out = md(&s);
            prop_assert!(!read(&out).html, "{s:?} -> {out:?}");
            prop_assert_eq!(md(&out.replace("\\\n", "<br>")), out.clone(), "{:?}", s);
        });
    }
}
