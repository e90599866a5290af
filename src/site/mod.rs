//! `termfolio import-site DIR`: an al-folio (Jekyll) site as a whole
//! profile.toml, one that `termfolio check` passes as it is.
//!
//! What is read, and where it goes:
//! - `_config.yml` (`config`): the name, the e-mail and the site's
//!   address (`url` + `baseurl`) as links, the social keys as the links
//!   al-folio makes of them (`socials`), how news pages are addressed,
//!   where the bibliography is and whether it is listed newest first;
//!   `_data/socials.yml`, where newer sites keep their socials, too.
//! - `_pages/about.md` (`page`): the motto, the photo and its caption,
//!   the bio, the row of links, the research interests, the contact line
//!   and the other sections. Its HTML comments and Liquid go first
//!   (`clean`), then its blocks are read (`blocks`) and their HTML made
//!   Markdown (`tags`, and `import-bib`'s converter).
//! - `_news/*` (`news`): the news, newest first.
//! - the bibliography, through `bibtex::import` as `import-bib` reads it.
//!
//! Everything the import cannot place is reported once per kind and file
//! (`report`); nothing is dropped silently. Each text file is read as
//! profiles are (`profile::read_file`: regular files, UTF-8) and at most
//! [`MAX_TEXT`] bytes of it; YAML within the budgets of `yaml`.

mod blocks;
mod clean;
mod config;
mod news;
mod output;
mod page;
mod report;
mod socials;
mod tags;
mod yaml;

use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

// The HTML → Markdown converter of `import-bib`.
use crate::bibtex::{self, html};
use crate::profile::{
    self, Bio, Display, Links, Order, Person, Profile, ProfileError, Publication,
};

pub use report::{Level, Note};
pub use yaml::{FrontMatter, MAX_TEXT, Yaml, YamlError, read_front_matter};

use config::Config;
use report::Report;

/// The site's configuration, as notes name it.
const CONFIG: &str = "_config.yml";

/// Where al-folio keeps the about page (the first that exists is read).
const ABOUT: [&str; 2] = ["_pages/about.md", "_pages/about.markdown"];

/// A site read into a profile.
#[derive(Debug)]
pub struct Imported {
    /// The profile.toml.
    pub toml: String,
    /// The photo to copy beside the output file (with `-o`).
    pub photo: Option<PhotoCopy>,
    /// What could not be placed, once per kind and file.
    pub notes: Vec<Note>,
}

impl Imported {
    /// How many notes are errors: parts not imported at all.
    pub fn errors(&self) -> usize {
        self.notes
            .iter()
            .filter(|n| n.level == Level::Error)
            .count()
    }
}

/// The site's photo and where its copy goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoCopy {
    pub from: PathBuf,
    pub to: PathBuf,
}

/// Why a site could not be imported, or its profile not written.
#[derive(Debug)]
pub enum SiteError {
    /// The directory has no `_config.yml`.
    NotASite(PathBuf),
    /// A text file of the site larger than [`MAX_TEXT`].
    TooLarge {
        file: String,
        bytes: u64,
    },
    Read(ProfileError),
    Yaml {
        file: String,
        error: YamlError,
    },
    Toml(String),
    /// The output file exists and `--force` was not given.
    Exists(PathBuf),
    /// A different file has the photo's name beside the output.
    PhotoExists(PathBuf),
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for SiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |p: &Path| profile::sanitize::line(&p.display().to_string());
        match self {
            SiteError::NotASite(dir) => write!(
                f,
                "error: {} is not a Jekyll site: it has no _config.yml",
                shown(dir)
            ),
            SiteError::TooLarge { file, bytes } => write!(
                f,
                "error: {} is {:.1} MiB; import-site reads at most {} MiB of a site's text file",
                profile::sanitize::line(file),
                *bytes as f64 / 1024.0 / 1024.0,
                MAX_TEXT / 1024 / 1024
            ),
            SiteError::Read(e) => write!(f, "{e}"),
            SiteError::Yaml { file, error } => {
                write!(f, "error: {}: {error}", profile::sanitize::line(file))
            }
            SiteError::Toml(e) => write!(f, "error: the profile could not be written as TOML: {e}"),
            SiteError::Exists(path) => write!(
                f,
                "error: {} exists; give --force to overwrite it",
                shown(path)
            ),
            SiteError::PhotoExists(path) => write!(
                f,
                "error: {} exists and is not the site's photo; give --force to overwrite it",
                shown(path)
            ),
            SiteError::Write { path, error } => write!(
                f,
                "error: cannot write {}: {}",
                shown(path),
                profile::sanitize::line(&error.to_string())
            ),
        }
    }
}

impl std::error::Error for SiteError {}

impl SiteError {
    /// The message without its `error: ` (for a note that names the file).
    fn reason(&self) -> String {
        let message = self.to_string();
        message
            .strip_prefix("error: ")
            .unwrap_or(&message)
            .to_string()
    }
}

/// Reads the text file `rel` of the site at `dir`: as profiles are read,
/// and at most [`MAX_TEXT`] bytes (refused before reading when its size
/// says so).
fn text_file(dir: &Path, rel: &str, what: &'static str) -> Result<String, SiteError> {
    let path = dir.join(rel);
    let too_large = |bytes| SiteError::TooLarge {
        file: rel.to_string(),
        bytes,
    };
    if let Ok(meta) = fs::metadata(&path)
        && meta.is_file()
        && meta.len() > MAX_TEXT as u64
    {
        return Err(too_large(meta.len()));
    }
    let text = profile::read_file(&path, what).map_err(SiteError::Read)?;
    if text.len() > MAX_TEXT {
        return Err(too_large(text.len() as u64));
    }
    Ok(text)
}

/// Refuses an output file that exists (without `--force`), before any
/// work is done for it.
pub fn refuse_to_overwrite(output: &Path) -> Result<(), SiteError> {
    if fs::symlink_metadata(output).is_ok() {
        return Err(SiteError::Exists(output.to_path_buf()));
    }
    Ok(())
}

/// Reads the al-folio site at `dir` into a profile. With `output` (the
/// file the profile will be written to) the photo is named by its file
/// name, to be copied beside it; without, by its absolute path.
pub fn import(dir: &Path, output: Option<&Path>) -> Result<Imported, SiteError> {
    // A `_config.yml` that is not a regular file is said so when it is read.
    if fs::symlink_metadata(dir.join(CONFIG)).is_err() {
        return Err(SiteError::NotASite(dir.to_path_buf()));
    }
    let mut report = Report::default();
    let data = yaml::parse(&text_file(dir, CONFIG, "site configuration")?).map_err(|error| {
        SiteError::Yaml {
            file: CONFIG.into(),
            error,
        }
    })?;
    let config = config::read(data, &mut report);
    let (page, about_file) = about(dir, &config, &mut report)?;
    let (photo, photo_copy) = page
        .image
        .as_deref()
        .and_then(|image| photo(dir, image, output, &mut report, about_file))
        .unzip();
    let links = links(dir, &config, &page, about_file, &mut report);
    let profile = Profile {
        person: Person {
            name: config.name.clone().unwrap_or_default(),
            motto: page.motto,
            photo,
            photo_caption: page.caption,
            contact: page.contact,
            links: Links(links),
            ..Person::default()
        },
        bio: Bio {
            heading: page.bio_heading,
            text: page.bio.join("\n\n"),
        },
        research: page.research.unwrap_or_default(),
        news: news::read(dir, &config, &mut report),
        publications: publications(dir, &config, &mut report),
        sections: page.sections,
        display: Display {
            publications: config.newest_first.then_some(Order::Newest),
        },
        ..Profile::default()
    };
    let toml = output::render(&profile, &dir.display().to_string())
        .map_err(|e| SiteError::Toml(e.to_string()))?;
    Ok(Imported {
        toml,
        photo: photo_copy.flatten(),
        notes: report.into_notes(),
    })
}

/// The about page, read (an empty one when the site has none, reported),
/// and its file.
fn about(
    dir: &Path,
    config: &Config,
    report: &mut Report,
) -> Result<(page::Page, &'static str), SiteError> {
    let Some(&file) = ABOUT.iter().find(|p| dir.join(p).is_file()) else {
        report.warn(
            ABOUT[0],
            "not found: no bio, research interests or sections",
        );
        return Ok((page::Page::default(), ABOUT[0]));
    };
    let text = text_file(dir, file, "page")?;
    let fm = read_front_matter(&text).map_err(|error| SiteError::Yaml {
        file: (*file).to_string(),
        error,
    })?;
    let site = clean::Liquid {
        config: &config.data,
        url: &config.url,
        baseurl: &config.baseurl,
    };
    let body = clean::strip_comments(fm.body, report, file);
    let body = clean::liquid(&body, &site, report, file);
    let body = clean::strip_attribute_lists(&body);
    Ok((page::read(&fm.data, &body, report, file), file))
}

/// The person's links: the page's row first (the owner chose it), then
/// the e-mail and the website of `_config.yml`, its socials, and those of
/// `_data/socials.yml`; a link already there is not repeated.
fn links(
    dir: &Path,
    config: &Config,
    page: &page::Page,
    about: &str,
    report: &mut Report,
) -> Vec<(String, String)> {
    let mut links = Vec::new();
    for (label, url) in &page.links {
        page::add_link(&mut links, label, url, report, about);
    }
    let site = socials::SiteUrl {
        root: &config.root(),
    };
    let mut from_config: Vec<(String, String)> = Vec::new();
    from_config.extend(config.email.clone().map(|e| ("email".to_string(), e)));
    from_config.extend(config.website().map(|w| ("website".to_string(), w)));
    from_config.extend(socials::from_config(&config.data, &site));
    for (label, url) in &from_config {
        page::add_link(&mut links, label, url, report, CONFIG);
    }
    let file = "_data/socials.yml";
    if !dir.join(file).is_file() {
        return links;
    }
    let data = match text_file(dir, file, "socials").and_then(|text| {
        yaml::parse(&text).map_err(|error| SiteError::Yaml {
            file: file.into(),
            error,
        })
    }) {
        Ok(data) => data,
        Err(e) => {
            report.error(file, format!("{}; its links are not imported", e.reason()));
            return links;
        }
    };
    for found in socials::from_data(&data, &site) {
        match found {
            socials::Found::Link { label, url } => {
                page::add_link(&mut links, &label, &url, report, file)
            }
            socials::Found::Unknown(key) => report.warn(
                file,
                format!("`{key}` is not a social al-folio knows; left out"),
            ),
        }
    }
    links
}

/// The photo al-folio shows (`profile.image`, a file in `assets/img/`):
/// its name in the profile, and the copy to make when there is an output
/// file. A photo that is not there, or is too large, is reported.
fn photo(
    dir: &Path,
    image: &str,
    output: Option<&Path>,
    report: &mut Report,
    file: &str,
) -> Option<(String, Option<PhotoCopy>)> {
    let no_photo = |report: &mut Report, why: String| {
        report.warn(file, format!("profile.image `{image}`: {why}; no photo"));
        None
    };
    if image.contains("://") {
        return no_photo(report, "a web address, not a file of the site".into());
    }
    let rel = Path::new("assets/img").join(image.trim_start_matches('/'));
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return no_photo(report, "outside the site's assets/img/".into());
    }
    let path = dir.join(&rel);
    match fs::metadata(&path) {
        Err(_) => return no_photo(report, format!("there is no {}", rel.display())),
        Ok(m) if !m.is_file() => {
            return no_photo(report, format!("{} is not a file", rel.display()));
        }
        Ok(m) if m.len() > crate::photo::MAX_BYTES => {
            return no_photo(
                report,
                format!("{} is larger than the viewer shows", rel.display()),
            );
        }
        Ok(_) => {}
    }
    match output {
        Some(out) => {
            let name = path.file_name()?.to_str()?.to_string();
            let to = out.parent().unwrap_or(Path::new("")).join(&name);
            Some((name, Some(PhotoCopy { from: path, to })))
        }
        None => match fs::canonicalize(&path)
            .ok()
            .and_then(|p| p.to_str().map(str::to_string))
        {
            Some(absolute) => Some((absolute, None)),
            None => no_photo(report, "its path is not UTF-8".into()),
        },
    }
}

/// The bibliography's publications, through `import-bib`'s reader; its
/// problems are reported as `import-bib` reports them. Two entries with
/// one key (which `check` refuses) have the second renamed, reported.
fn publications(dir: &Path, config: &Config, report: &mut Report) -> Vec<Publication> {
    let Some(rel) = &config.bibliography else {
        return Vec::new();
    };
    let mut path = dir.join(rel);
    // jekyll-scholar adds `.bib` to a name without it.
    if !path.exists() && rel.extension().is_none() {
        path.set_extension("bib");
    }
    if !path.exists() {
        return Vec::new();
    }
    let file = path
        .strip_prefix(dir)
        .unwrap_or(&path)
        .display()
        .to_string();
    let text = match profile::read_file(&path, "bibliography") {
        Ok(text) => text,
        Err(e) => {
            let e = SiteError::Read(e);
            report.error(&file, format!("{}; no publications", e.reason()));
            return Vec::new();
        }
    };
    let import = bibtex::import(&text);
    for problem in &import.problems {
        if problem.is_error() {
            report.error(&file, problem.to_string());
        } else {
            report.warn(&file, problem.to_string());
        }
    }
    let mut publications = import.publications;
    let mut keys: Vec<String> = Vec::new();
    for p in &mut publications {
        let Some(key) = p.key.clone().filter(|k| !k.trim().is_empty()) else {
            continue;
        };
        let mut unique = key.clone();
        let mut n = 1;
        while keys.contains(&unique) {
            n += 1;
            unique = format!("{key}-{n}");
        }
        if unique != key {
            report.warn(
                &file,
                format!(
                    "two entries have the key `{key}`; the second is `{unique}` in the profile"
                ),
            );
            p.key = Some(unique.clone());
        }
        keys.push(unique);
    }
    publications
}

/// Writes the imported profile to `output` and copies the photo beside
/// it: an existing output is overwritten only with `force`, and so is a
/// file of the photo's name that holds another picture (the same picture,
/// or the photo itself, is left as it is). Nothing is written when either
/// is refused.
pub fn write(imported: &Imported, output: &Path, force: bool) -> Result<(), SiteError> {
    if !force {
        refuse_to_overwrite(output)?;
    }
    let write_error = |path: &Path| {
        let path = path.to_path_buf();
        move |error| SiteError::Write { path, error }
    };
    let photo = match &imported.photo {
        None => None,
        Some(photo) => match fs::metadata(&photo.to) {
            Err(_) => Some(photo),
            Ok(_) if same_picture(&photo.from, &photo.to) => None,
            Ok(_) if force => Some(photo),
            Ok(_) => return Err(SiteError::PhotoExists(photo.to.clone())),
        },
    };
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .create_new(!force)
        .open(output)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => SiteError::Exists(output.to_path_buf()),
            _ => SiteError::Write {
                path: output.to_path_buf(),
                error: e,
            },
        })?;
    if let Some(photo) = photo {
        // The bytes, not the file: a read-only photo makes a copy that
        // the next `--force` can overwrite.
        let bytes = fs::read(&photo.from).map_err(|error| SiteError::Write {
            path: photo.to.clone(),
            error,
        })?;
        fs::write(&photo.to, bytes).map_err(write_error(&photo.to))?;
    }
    file.write_all(imported.toml.as_bytes())
        .map_err(write_error(output))
}

/// Whether `a` and `b` are one file, or files with the same bytes.
fn same_picture(a: &Path, b: &Path) -> bool {
    if let (Ok(x), Ok(y)) = (fs::canonicalize(a), fs::canonicalize(b))
        && x == y
    {
        return true;
    }
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    ma.len() == mb.len()
        && ma.len() <= crate::photo::MAX_BYTES
        && matches!((fs::read(a), fs::read(b)), (Ok(x), Ok(y)) if x == y)
}
