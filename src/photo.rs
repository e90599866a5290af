//! The portrait (`person.photo`): where its bytes come from, what is wrong
//! with them (for `check`), and, with the `photo` feature, the picture
//! decoded once, on first use, and scaled once per size into half-block
//! cells. Below the model and the view, which both need it (the model for
//! the Bio tab's geometry, the view to draw it); knows nothing of terminals.

use std::path::{Path, PathBuf};
#[cfg(feature = "photo")]
use std::sync::OnceLock;
use std::sync::{Arc, Mutex};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::profile::{Profile, Source};

/// The largest photo file read.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
/// The longest side a photo may have, in pixels.
pub const MAX_SIDE: u32 = 8000;

/// Why a photo is not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing(PathBuf),
    Unreadable(PathBuf, String),
    NotAFile(PathBuf),
    TooLarge(PathBuf, u64),
    NotAnImage(PathBuf),
    TooWide(PathBuf, u32, u32),
    Corrupt(PathBuf, String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |p: &Path| crate::profile::sanitize::line(&p.display().to_string());
        match self {
            Problem::Missing(p) => write!(f, "photo {} does not exist", shown(p)),
            Problem::Unreadable(p, e) => write!(
                f,
                "photo {} cannot be read: {}",
                shown(p),
                crate::profile::sanitize::line(e)
            ),
            Problem::NotAFile(p) => write!(f, "photo {} is not a regular file", shown(p)),
            Problem::TooLarge(p, n) => write!(
                f,
                "photo {} is {} MB; at most {} MB is read",
                shown(p),
                n / 1024 / 1024,
                MAX_BYTES / 1024 / 1024
            ),
            Problem::NotAnImage(p) => write!(f, "photo {} is neither a JPEG nor a PNG", shown(p)),
            Problem::TooWide(p, w, h) => write!(
                f,
                "photo {} is {w}x{h} pixels; at most {MAX_SIDE} a side is shown",
                shown(p)
            ),
            Problem::Corrupt(p, e) => write!(
                f,
                "photo {} cannot be decoded: {}",
                shown(p),
                crate::profile::sanitize::line(e)
            ),
        }
    }
}

/// A photo's bytes, and (with the `photo` feature) its picture once decoded
/// and its cells once scaled.
pub struct Photo {
    path: PathBuf,
    #[cfg_attr(not(feature = "photo"), allow(dead_code))]
    bytes: Bytes,
    /// Width and height in pixels, read from the header (not decoded).
    size: (u32, u32),
    #[cfg(feature = "photo")]
    picture: OnceLock<Option<image::DynamicImage>>,
    /// The cells of the last sizes asked for, newest last (SSH visitors
    /// share one photo, each at their own size).
    cells: Mutex<Vec<Scaled>>,
    /// The last terminal graphics made, for their size, kind and cell size
    /// (newest last; SSH visitors share them).
    graphic: Mutex<Vec<(GraphicKey, Arc<Graphic>)>>,
}

impl std::fmt::Debug for Photo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Photo")
            .field("path", &self.path)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// The cells of one size (columns, rows).
type Scaled = ((u16, u16), Arc<Cells>);

/// What a graphic was made for: its size in cells, its kind, the cell size in pixels.
type GraphicKey = ((u16, u16), Graphics, (u16, u16));

enum Bytes {
    Static(&'static [u8]),
    Owned(Vec<u8>),
}

impl Bytes {
    fn get(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Owned(b) => b,
        }
    }
}

/// A terminal's own way of showing pictures, better than half blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Graphics {
    Kitty,
    Sixel,
    Iterm2,
}

/// The photo as a terminal graphic for an area of `size` cells.
#[derive(Debug)]
pub struct Graphic {
    pub size: (u16, u16),
    pub payload: Payload,
}

/// What a front end writes to show a graphic.
#[derive(Debug)]
pub enum Payload {
    /// Escape sequences, each at a cell of the area (offsets from its
    /// top-left corner): sixel and iTerm2 images, drawn over the cells.
    Pieces(Vec<(u16, u16, String)>),
    /// A PNG for kitty's graphics protocol, placed at the area's corner
    /// over its cells (kitty keeps it until told to delete image `id`).
    Kitty { png: Vec<u8>, id: u32 },
}

/// A photo drawn as half blocks (`▀`, top pixel in the foreground, bottom
/// in the background): one [`ratatui`] cell per two pixels.
pub struct Cells {
    #[cfg(feature = "photo")]
    blocks: ratatui_image::protocol::Protocol,
    pub area: Rect,
}

/// The profile's photo, if it names one: its bytes, or why there are none.
/// Reads the file (or takes the compiled-in copy); never decodes it.
pub fn locate(profile: &Profile, source: &Source) -> Option<Result<Photo, Problem>> {
    let name = profile.person.photo.as_deref()?.trim();
    if name.is_empty() {
        return None;
    }
    Some(match source {
        Source::Bundled => match crate::profile::bundled_photo() {
            Some(bytes) => Photo::new(PathBuf::from(name), Bytes::Static(bytes)),
            None => Err(Problem::Missing(PathBuf::from(name))),
        },
        Source::File(profile_path) => {
            let dir = profile_path.parent().unwrap_or(Path::new("."));
            let path = dir.join(name);
            read(&path).and_then(|bytes| Photo::new(path, Bytes::Owned(bytes)))
        }
    })
}

fn read(path: &Path) -> Result<Vec<u8>, Problem> {
    use std::io::Read as _;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Problem::Missing(path.into()));
        }
        Err(e) => return Err(Problem::Unreadable(path.into(), e.to_string())),
    };
    if !meta.is_file() {
        return Err(Problem::NotAFile(path.into()));
    }
    if meta.len() > MAX_BYTES {
        return Err(Problem::TooLarge(path.into(), meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Problem::Unreadable(path.into(), e.to_string()))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Problem::TooLarge(path.into(), bytes.len() as u64));
    }
    Ok(bytes)
}

/// Width and height from a JPEG's or PNG's header, without decoding.
fn header_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if let Some(rest) = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n") {
        // The IHDR chunk comes first: length, "IHDR", width, height.
        let ihdr = rest.get(4..16)?;
        if &ihdr[..4] != b"IHDR" {
            return None;
        }
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        return Some((be(&ihdr[4..8]), be(&ihdr[8..12])));
    }
    if !bytes.starts_with(&[0xff, 0xd8]) {
        return None;
    }
    // JPEG: walk the segments to a start-of-frame marker.
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xff {
            return None;
        }
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let frame = matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        if frame {
            let h = u32::from(u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]));
            let w = u32::from(u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]));
            return Some((w, h));
        }
        i += 2 + len;
    }
    None
}

impl Photo {
    fn new(path: PathBuf, bytes: Bytes) -> Result<Photo, Problem> {
        let (w, h) = header_size(bytes.get()).ok_or_else(|| Problem::NotAnImage(path.clone()))?;
        if w == 0 || h == 0 {
            return Err(Problem::Corrupt(path, "it has no pixels".into()));
        }
        if w > MAX_SIDE || h > MAX_SIDE {
            return Err(Problem::TooWide(path, w, h));
        }
        Ok(Photo {
            path,
            bytes,
            size: (w, h),
            #[cfg(feature = "photo")]
            picture: OnceLock::new(),
            cells: Mutex::new(Vec::new()),
            graphic: Mutex::new(Vec::new()),
        })
    }

    /// The path the profile names (for messages).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// Decodes the photo fully (for `check`): what is wrong with it, if anything.
    pub fn verify(&self) -> Result<(), Problem> {
        #[cfg(feature = "photo")]
        if self.picture().is_none() {
            return Err(Problem::Corrupt(
                self.path.clone(),
                decode(self.bytes.get()).err().unwrap_or_default(),
            ));
        }
        Ok(())
    }

    #[cfg(feature = "photo")]
    fn picture(&self) -> Option<&image::DynamicImage> {
        self.picture
            .get_or_init(|| decode(self.bytes.get()).ok())
            .as_ref()
    }

    /// Whether pictures can be drawn at all (the `photo` feature).
    pub const fn drawable() -> bool {
        cfg!(feature = "photo")
    }

    /// The photo as half blocks filling `area` (keep its aspect in the
    /// caller's geometry): decoded on first use, scaled once per size.
    pub fn cells(&self, area: Rect) -> Option<Arc<Cells>> {
        /// How many sizes are kept.
        const SIZES: usize = 8;
        let size = (area.width, area.height);
        let mut cache = self.cells.lock().ok()?;
        if let Some(i) = cache.iter().position(|(s, _)| *s == size) {
            let entry = cache.remove(i);
            let cells = Arc::clone(&entry.1);
            cache.push(entry);
            return Some(cells);
        }
        let cells = Arc::new(self.scale(area)?);
        if cache.len() >= SIZES {
            cache.remove(0);
        }
        cache.push((size, Arc::clone(&cells)));
        Some(cells)
    }

    /// The photo as `kind` of graphic filling `size` cells of `font`
    /// pixels: made once per size.
    pub fn graphic(
        &self,
        size: (u16, u16),
        kind: Graphics,
        font: (u16, u16),
    ) -> Option<Arc<Graphic>> {
        const KEPT: usize = 32;
        let key = (size, kind, font);
        let mut cache = self.graphic.lock().ok()?;
        if let Some(i) = cache.iter().position(|(k, _)| *k == key) {
            let entry = cache.remove(i);
            let made = Arc::clone(&entry.1);
            cache.push(entry);
            return Some(made);
        }
        let made = Arc::new(self.make_graphic(size, kind, font)?);
        if cache.len() >= KEPT {
            cache.remove(0);
        }
        cache.push((key, Arc::clone(&made)));
        Some(made)
    }

    #[cfg(feature = "photo")]
    fn make_graphic(&self, size: (u16, u16), kind: Graphics, font: (u16, u16)) -> Option<Graphic> {
        use ratatui::widgets::Widget as _;
        use ratatui_image::protocol::{Protocol, iterm2::Iterm2, sixel::Sixel};
        let (w, h) = size;
        if w == 0 || h == 0 {
            return None;
        }
        let pixels = (
            u32::from(w) * u32::from(font.0.max(1)),
            u32::from(h) * u32::from(font.1.max(1)),
        );
        let source = self.picture()?;
        // Kitty and iTerm2 scale the picture to its cells themselves: never
        // more pixels than the photo has (a smaller payload, over SSH too).
        // Sixel is drawn at its pixel size: at most twice the photo's and
        // 1024 a side, whatever cell size a terminal claims (its encoding
        // is the costly part, once per size).
        let pixels = match kind {
            Graphics::Sixel => (
                pixels.0.min(source.width() * 2).min(1024),
                pixels.1.min(source.height() * 2).min(1024),
            ),
            Graphics::Kitty | Graphics::Iterm2 => {
                (pixels.0.min(source.width()), pixels.1.min(source.height()))
            }
        };
        let picture = source.resize(pixels.0, pixels.1, image::imageops::FilterType::Triangle);
        let area = Rect::new(0, 0, w, h);
        let protocol = match kind {
            // Kitty's direct placement (every kitty since 0.20; the unicode
            // placeholders ratatui-image writes need 0.28, and Debian's is
            // 0.26): a PNG, much smaller than raw pixels.
            Graphics::Kitty => {
                let mut png = Vec::new();
                picture
                    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                    .ok()?;
                return Some(Graphic {
                    size,
                    payload: Payload::Kitty { png, id: KITTY_ID },
                });
            }
            Graphics::Sixel => Protocol::Sixel(Sixel::new(picture, area, false).ok()?),
            Graphics::Iterm2 => Protocol::ITerm2(Iterm2::new(picture, area, false).ok()?),
        };
        let mut scratch = Buffer::empty(area);
        ratatui_image::Image::new(&protocol).render(area, &mut scratch);
        let mut pieces = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let cell = &scratch[(x, y)];
                #[allow(deprecated)]
                let skipped = cell.skip;
                if !skipped && cell.symbol().starts_with('\x1b') {
                    pieces.push((x, y, cell.symbol().to_string()));
                }
            }
        }
        (!pieces.is_empty()).then_some(Graphic {
            size,
            payload: Payload::Pieces(pieces),
        })
    }

    #[cfg(not(feature = "photo"))]
    fn make_graphic(&self, _: (u16, u16), _: Graphics, _: (u16, u16)) -> Option<Graphic> {
        None
    }

    #[cfg(feature = "photo")]
    fn scale(&self, area: Rect) -> Option<Cells> {
        use ratatui_image::protocol::{Protocol, halfblocks::Halfblocks};
        let picture = self.picture()?.clone();
        let area = Rect::new(0, 0, area.width, area.height);
        let blocks = Protocol::Halfblocks(Halfblocks::new(picture, area).ok()?);
        Some(Cells { blocks, area })
    }

    #[cfg(not(feature = "photo"))]
    fn scale(&self, _: Rect) -> Option<Cells> {
        None
    }
}

/// The kitty image id of the photo: a viewer shows one photo, so one id of
/// ours (not 0, which kitty reserves) serves.
#[cfg(feature = "photo")]
const KITTY_ID: u32 = 0x0074_6601;

#[cfg(feature = "photo")]
fn decode(bytes: &[u8]) -> Result<image::DynamicImage, String> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut reader = reader;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().map_err(|e| e.to_string())
}

impl Cells {
    /// Draws the cells at `at` (top-left) in `buf`; with `truecolor` off, in
    /// the 256-colour palette.
    pub fn render(&self, at: Rect, truecolor: bool, buf: &mut Buffer) {
        #[cfg(feature = "photo")]
        {
            use ratatui::widgets::Widget as _;
            let area = Rect {
                width: self.area.width.min(at.width),
                height: self.area.height.min(at.height),
                ..at
            }
            .intersection(buf.area);
            ratatui_image::Image::new(&self.blocks).render(area, buf);
            if !truecolor {
                for y in area.top()..area.bottom() {
                    for x in area.left()..area.right() {
                        let cell = &mut buf[(x, y)];
                        cell.fg = to_256(cell.fg);
                        cell.bg = to_256(cell.bg);
                    }
                }
            }
        }
        #[cfg(not(feature = "photo"))]
        let _ = (at, truecolor, buf);
    }
}

/// The nearest colour of the 256-colour palette's 6x6x6 cube or grey ramp.
#[cfg(feature = "photo")]
fn to_256(c: ratatui::style::Color) -> ratatui::style::Color {
    use ratatui::style::Color;
    let Color::Rgb(r, g, b) = c else { return c };
    let level = |v: u8| -> u8 {
        if v < 48 {
            0
        } else if v < 115 {
            1
        } else {
            (v - 35) / 40
        }
    };
    let (lr, lg, lb) = (level(r), level(g), level(b));
    let cube = |l: u8| if l == 0 { 0 } else { 55 + 40 * u32::from(l) };
    let cube_rgb = (cube(lr), cube(lg), cube(lb));
    let avg = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let grey = if avg > 238 {
        23
    } else {
        avg.saturating_sub(3) / 10
    };
    let grey_v = 8 + 10 * grey;
    let dist = |(a, b2, c2): (u32, u32, u32)| {
        let d = |x: u32, y: u8| (i64::from(x) - i64::from(y)).pow(2);
        d(a, r) + d(b2, g) + d(c2, b)
    };
    if dist((grey_v, grey_v, grey_v)) < dist(cube_rgb) {
        Color::Indexed(232 + u8::try_from(grey).unwrap_or(23))
    } else {
        Color::Indexed(16 + 36 * lr + 6 * lg + lb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_give_the_size_without_decoding() {
        let bundled = crate::profile::bundled_photo().unwrap();
        assert_eq!(header_size(bundled), Some((192, 192)));
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(300u32.to_be_bytes());
        png.extend(200u32.to_be_bytes());
        assert_eq!(header_size(&png), Some((300, 200)));
        assert_eq!(header_size(b"GIF89a"), None);
        assert_eq!(header_size(&[0xff, 0xd8, 0xff]), None);
        assert_eq!(header_size(b""), None);
    }

    #[cfg(feature = "photo")]
    #[test]
    fn the_bundled_photo_decodes_and_scales_once_per_size() {
        let photo = Photo::new(
            "p.jpg".into(),
            Bytes::Static(crate::profile::bundled_photo().unwrap()),
        )
        .unwrap();
        photo.verify().unwrap();
        let a = photo.cells(Rect::new(3, 4, 20, 10)).unwrap();
        let b = photo.cells(Rect::new(9, 9, 20, 10)).unwrap();
        assert!(Arc::ptr_eq(&a, &b), "the same size is scaled once");
        let c = photo.cells(Rect::new(0, 0, 10, 5)).unwrap();
        assert_eq!(c.area, Rect::new(0, 0, 10, 5));
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 12));
        c.render(Rect::new(2, 1, 10, 5), false, &mut buf);
        assert!(matches!(buf[(3, 2)].bg, ratatui::style::Color::Indexed(_)));
    }

    #[cfg(feature = "photo")]
    #[test]
    fn grey_and_colours_map_into_the_palette() {
        use ratatui::style::Color;
        assert_eq!(to_256(Color::Rgb(0, 0, 0)), Color::Indexed(16));
        assert_eq!(to_256(Color::Rgb(255, 0, 0)), Color::Indexed(196));
        assert_eq!(to_256(Color::Rgb(128, 128, 128)), Color::Indexed(244));
        assert_eq!(to_256(Color::Blue), Color::Blue);
    }

    #[cfg(feature = "photo")]
    #[test]
    fn graphics_are_bounded_and_made_once_per_size() {
        let photo = Photo::new(
            "p.jpg".into(),
            Bytes::Static(crate::profile::bundled_photo().unwrap()),
        )
        .unwrap();
        let started = std::time::Instant::now();
        let sixel = photo.graphic((32, 16), Graphics::Sixel, (64, 128)).unwrap();
        let made_in = started.elapsed();
        let again = photo.graphic((32, 16), Graphics::Sixel, (64, 128)).unwrap();
        assert!(Arc::ptr_eq(&sixel, &again));
        let Payload::Pieces(pieces) = &sixel.payload else {
            panic!("sixel is pieces")
        };
        // 384x384 at most (twice the 192 px photo): far from 2048x2048.
        let bytes: usize = pieces.iter().map(|(_, _, p)| p.len()).sum();
        assert!(
            bytes < 2_000_000,
            "{bytes} bytes of sixel, made in {made_in:?}"
        );
        let kitty = photo.graphic((32, 16), Graphics::Kitty, (64, 128)).unwrap();
        let Payload::Kitty { png, .. } = &kitty.payload else {
            panic!("kitty is a png")
        };
        assert!(png.len() < 200_000, "{} bytes of png", png.len());
    }
}
