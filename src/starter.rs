//! `termfolio init [PATH]`: the commented starter profile, and writing it
//! without ever overwriting anything.

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::profile::sanitize;

/// The starter profile: one example of every part of the format, with the
/// markup explained in comments. `termfolio check` accepts it without a
/// warning (a test sees to it).
pub const STARTER: &str = include_str!("../assets/starter.toml");

/// Where `init` writes when given no path.
pub const DEFAULT_PATH: &str = "profile.toml";

/// Why the starter profile was not written (nothing was left behind).
#[derive(Debug)]
pub enum InitError {
    /// Something is already there: a file, a link, anything.
    Exists(PathBuf),
    /// The path is a directory.
    Directory(PathBuf),
    /// The file (or a directory above it) could not be made or written.
    Io(PathBuf, io::Error),
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::Exists(path) => write!(
                f,
                "error: {} already exists; termfolio init never overwrites a file\n  \
                 = help: move it away, or give another PATH: termfolio init new-profile.toml",
                shown(path)
            ),
            InitError::Directory(path) => write!(
                f,
                "error: {} is a directory; give the file to write\n  \
                 = help: termfolio init {}",
                shown(path),
                shell_word(&path.join(DEFAULT_PATH))
            ),
            InitError::Io(path, e) => write!(
                f,
                "error: cannot write {}: {}",
                shown(path),
                sanitize::line(&e.to_string())
            ),
        }
    }
}

impl std::error::Error for InitError {}

/// Writes [`STARTER`] to `path`, making the directories above it that are
/// missing. Refuses a path that exists (or is a directory); when anything
/// fails, removes what it made.
pub fn write(path: &Path) -> Result<(), InitError> {
    // A trailing `/` asks for a directory, whether or not there is one.
    if path.is_dir() || path.as_os_str().as_encoded_bytes().ends_with(b"/") {
        return Err(InitError::Directory(path.to_path_buf()));
    }
    let made = make_parents(path)?;
    match create_new(path) {
        Ok(()) => Ok(()),
        Err(e) => {
            for dir in made.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
            Err(e)
        }
    }
}

/// Makes the missing directories above `path`, outermost first; returns
/// those it made.
fn make_parents(path: &Path) -> Result<Vec<PathBuf>, InitError> {
    let mut missing: Vec<PathBuf> = path
        .ancestors()
        .skip(1)
        .filter(|dir| !dir.as_os_str().is_empty())
        .take_while(|dir| fs::symlink_metadata(dir).is_err())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    let mut made = Vec::new();
    for dir in missing {
        if let Err(e) = fs::create_dir(&dir) {
            for dir in made.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
            return Err(InitError::Io(dir, e));
        }
        made.push(dir);
    }
    Ok(made)
}

/// Creates `path` (never opening one that exists, not even through a
/// dangling link) and writes the starter into it; a file written in part
/// is removed.
fn create_new(path: &Path) -> Result<(), InitError> {
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(InitError::Exists(path.to_path_buf()));
        }
        Err(e) if e.kind() == io::ErrorKind::IsADirectory => {
            return Err(InitError::Directory(path.to_path_buf()));
        }
        Err(e) => return Err(InitError::Io(path.to_path_buf(), e)),
    };
    let written = file
        .write_all(STARTER.as_bytes())
        .and_then(|()| file.sync_all());
    written.map_err(|e| {
        drop(file);
        let _ = fs::remove_file(path);
        InitError::Io(path.to_path_buf(), e)
    })
}

/// What `init` says once it has written `path`: what it did and the next
/// steps, with the commands to run (`--profile` only when `path` is not
/// the one found without it).
pub fn next_steps(path: &Path) -> String {
    let flag = if path == Path::new(DEFAULT_PATH) || path == Path::new("./profile.toml") {
        String::new()
    } else {
        format!(" --profile {}", shell_word(path))
    };
    let mut steps = format!(
        "wrote a starter profile to {}\n\n\
         Next steps:\n  \
         1. Edit it: replace the examples with your own (the comments explain each part).\n  \
         2. termfolio{flag} check    says what is wrong, with the line and a caret\n  \
         3. termfolio{flag}          shows it",
        shown(path)
    );
    if cfg!(feature = "import") {
        steps.push_str(
            "\nHave an al-folio site? termfolio import-site DIR -o FILE makes a profile of it instead.",
        );
    }
    steps
}

/// A path as messages show it: made inert.
fn shown(path: &Path) -> String {
    sanitize::line(&path.display().to_string())
}

/// A path as a word for the shell: as it is when it is plain, else in
/// single quotes.
fn shell_word(path: &Path) -> String {
    let text = shown(path);
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-~+,:@=".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Source, check, parse};

    /// A fresh directory for one test, removed at the end.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir()
                .join(format!("termfolio-starter-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn the_starter_parses_without_a_warning_or_an_error() {
        let profile = parse(STARTER, &Source::File("profile.toml".into())).unwrap();
        assert!(check::warnings(&profile, STARTER, "profile.toml").is_empty());
        assert!(check::errors(&profile, STARTER, "profile.toml").is_empty());
    }

    #[test]
    fn the_starter_has_one_of_every_part() {
        let p = parse(STARTER, &Source::File("profile.toml".into())).unwrap();
        assert!(!p.person.links.is_empty() && !p.person.aliases.is_empty());
        assert!(!p.bio.text.is_empty() && !p.research.focus.is_empty());
        assert_eq!(
            (p.news.len(), p.publications.len(), p.experience.len()),
            (1, 1, 1)
        );
        assert_eq!(p.sections.len(), 1);
        assert!(p.display.publications.is_some() && p.headings.news.is_some());
        // The photo and its caption are shown, commented out: no file to point at.
        assert!(p.person.photo.is_none() && STARTER.contains("# photo = \"photo.jpg\""));
    }

    #[test]
    fn the_starter_shows_each_piece_of_markup() {
        for markup in [
            "[",
            "](https://",
            "**",
            "*why*",
            "`a-tool`",
            "\\\n",
            "<you@",
        ] {
            assert!(STARTER.contains(markup), "{markup:?} is not shown");
        }
        let p = parse(STARTER, &Source::File("profile.toml".into())).unwrap();
        let bio = crate::profile::markup::paragraphs(&p.bio.text);
        assert!(
            bio.iter().any(|r| r.plain().contains('\n')),
            "the bio's hard break is not one: {bio:?}"
        );
    }

    #[test]
    fn write_makes_the_file_and_missing_directories() {
        let scratch = Scratch::new("write");
        let path = scratch.0.join("a/b/profile.toml");
        write(&path).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), STARTER);
    }

    #[test]
    fn write_refuses_what_exists_and_leaves_it_alone() {
        let scratch = Scratch::new("exists");
        let path = scratch.0.join("profile.toml");
        fs::write(&path, "mine").unwrap();
        assert!(matches!(write(&path), Err(InitError::Exists(_))));
        assert_eq!(fs::read_to_string(&path).unwrap(), "mine");
        // A dangling link is refused too: nothing is written where it points.
        let link = scratch.0.join("link.toml");
        std::os::unix::fs::symlink(scratch.0.join("elsewhere.toml"), &link).unwrap();
        assert!(matches!(write(&link), Err(InitError::Exists(_))));
        assert!(!scratch.0.join("elsewhere.toml").exists());
    }

    #[test]
    fn write_refuses_a_directory() {
        let scratch = Scratch::new("dir");
        let e = write(&scratch.0).unwrap_err();
        assert!(matches!(e, InitError::Directory(_)), "{e}");
        assert!(e.to_string().contains("profile.toml"), "{e}");
        let missing = scratch.0.join("new/");
        assert!(matches!(write(&missing), Err(InitError::Directory(_))));
        assert!(!scratch.0.join("new").exists());
    }

    #[test]
    fn a_failed_write_leaves_no_directory_behind() {
        let scratch = Scratch::new("fail");
        // A file where a directory would have to be: `file/x/profile.toml`.
        fs::write(scratch.0.join("file"), "").unwrap();
        assert!(write(&scratch.0.join("file/x/profile.toml")).is_err());
        // Directories made, then the file refused (its name is too long):
        // the directories go again.
        let long = "x".repeat(300);
        assert!(write(&scratch.0.join("made/below").join(&long)).is_err());
        let entries: Vec<_> = fs::read_dir(&scratch.0).unwrap().collect();
        assert_eq!(entries.len(), 1, "{entries:?}");
    }

    #[test]
    fn next_steps_name_the_profile_only_when_it_must() {
        assert!(!next_steps(Path::new("profile.toml")).contains("--profile"));
        let steps = next_steps(Path::new("my profile.toml"));
        assert!(
            steps.contains("termfolio --profile 'my profile.toml' check"),
            "{steps}"
        );
        assert!(next_steps(Path::new("/x/p.toml")).contains("--profile /x/p.toml check"));
    }
}
