//! `serve --profiles DIR`: a lab's profiles, `DIR/NAME.toml` each, read and
//! read again one by one. A profile that cannot be read is listed as
//! unavailable (the log says why; visitors are told nothing more) and never
//! affects the others.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use super::{Served, Stamp, file_stamp, log, reload};
use crate::app::Member;
use crate::profile::{Source, sanitize};

/// The most profiles one directory serves (the first, by name).
pub(crate) const MAX_PROFILES: usize = 1000;

/// The names `ssh NAME@host` may use: `[a-z0-9][a-z0-9._-]{0,63}`.
pub(crate) fn valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (1..=64).contains(&bytes.len())
        && matches!(bytes[0], b'a'..=b'z' | b'0'..=b'9')
        && bytes
            .iter()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
}

/// One profile as last read: the file's stamp then, and what it gave.
struct Loaded {
    stamp: Option<Stamp>,
    /// `None`: it failed (the log has said why).
    served: Option<Arc<Served>>,
}

/// The lab: its directory, what was read from it, and the members new
/// visitors get (rebuilt when a profile comes, goes or changes).
pub(crate) struct Lab {
    dir: PathBuf,
    loaded: Mutex<BTreeMap<String, Loaded>>,
    members: RwLock<Arc<[Member]>>,
    /// Files already said to be skipped, so the log says it once.
    skipped: Mutex<BTreeSet<String>>,
}

impl Lab {
    /// The lab in `dir`, every profile in it read now (a broken one is
    /// logged and listed as unavailable; only a `dir` that is not a
    /// readable directory is an error).
    pub(crate) fn open(dir: &Path) -> Result<Lab, String> {
        let shown = sanitize::line(&dir.display().to_string());
        let dir = dir
            .canonicalize()
            .map_err(|e| format!("cannot use the profiles directory {shown}: {e}"))?;
        if !dir.is_dir() {
            return Err(format!("--profiles {shown} is not a directory"));
        }
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {shown}: {e}"))?;
        let lab = Lab {
            dir,
            loaded: Mutex::new(BTreeMap::new()),
            members: RwLock::new(Arc::from(Vec::new())),
            skipped: Mutex::new(BTreeSet::new()),
        };
        lab.scan();
        let members = lab.members();
        let broken = members.iter().filter(|m| m.profile.is_none()).count();
        log::line(&format!(
            "lab: serving {} from {shown} ({broken} unavailable): ssh NAME@host shows DIR/NAME.toml",
            crate::frontend::count(members.len(), "profile", "profiles"),
        ));
        Ok(lab)
    }

    /// The members as new visitors see them.
    pub(crate) fn members(&self) -> Arc<[Member]> {
        match self.members.read() {
            Ok(m) => Arc::clone(&m),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The member `login`, if there is one whose profile could be read.
    pub(crate) fn member(&self, login: &str) -> Option<Member> {
        self.members()
            .iter()
            .find(|m| m.login == login && m.profile.is_some())
            .cloned()
    }

    /// Looks at the directory again: reads the profiles that are new or
    /// changed, drops the ones gone, logs each change. Blocking (it reads
    /// files): run it off the async threads. `force` reads every profile
    /// again (SIGHUP).
    pub(crate) fn rescan(&self, force: bool) {
        if force && let Ok(mut loaded) = self.loaded.lock() {
            loaded.values_mut().for_each(|l| l.stamp = None);
        }
        self.scan();
    }

    fn scan(&self) {
        let found = self.profiles();
        let Ok(mut loaded) = self.loaded.lock() else {
            return;
        };
        let mut changed = false;
        let gone: Vec<String> = loaded
            .keys()
            .filter(|name| !found.contains_key(*name))
            .cloned()
            .collect();
        for name in gone {
            loaded.remove(&name);
            changed = true;
            log::line(&format!("lab: {name} is gone (its profile was removed)"));
        }
        for (name, path) in found {
            let stamp = file_stamp(&Source::File(path.clone()));
            let known = loaded.get(&name);
            if stamp.is_some() && known.is_some_and(|k| k.stamp == stamp) {
                continue;
            }
            let last_good = known.and_then(|k| k.served.clone());
            let served = match self.read(&name, &path, known.is_some()) {
                Ok(served) => Some(served),
                // A profile that was good stays as it was until a good save.
                Err(e) if last_good.is_some() => {
                    log::line(&format!(
                        "lab: kept {name}'s last good profile: reading it again failed: {e}"
                    ));
                    last_good
                }
                Err(e) => {
                    log::line(&format!("lab: {name} is unavailable: {e}"));
                    None
                }
            };
            loaded.insert(name, Loaded { stamp, served });
            changed = true;
        }
        if changed {
            let members: Vec<Member> = loaded
                .iter()
                .map(|(login, l)| Member {
                    login: login.clone(),
                    profile: l.served.as_ref().map(|s| Arc::clone(&s.profile)),
                    photo: l.served.as_ref().and_then(|s| s.photo.clone()),
                })
                .collect();
            let members: Arc<[Member]> = Arc::from(members);
            match self.members.write() {
                Ok(mut m) => *m = members,
                Err(poisoned) => *poisoned.into_inner() = members,
            }
        }
    }

    /// Reads `name`'s profile at `path` (and logs it), or says briefly why
    /// not: the error's first line and where.
    fn read(&self, name: &str, path: &Path, again: bool) -> Result<Arc<Served>, String> {
        let started = std::time::Instant::now();
        let mut served =
            reload(&Source::File(path.to_path_buf())).map_err(|e| crate::profile::one_line(&e))?;
        if served.photo.is_some() && !self.photo_inside(&served) {
            served.photo = None;
            log::line(&format!(
                "lab: {name}'s photo is not shown: it is not inside the profiles directory"
            ));
        }
        log::line(&format!(
            "lab: {} {name}: {}, in {:.1} ms",
            if again { "read again" } else { "read" },
            crate::frontend::count(
                served.profile.publications.len(),
                "publication",
                "publications"
            ),
            started.elapsed().as_secs_f64() * 1e3
        ));
        Ok(Arc::new(served))
    }

    /// Whether the photo a profile names lies inside the directory (a
    /// member's profile cannot show the server's other pictures).
    fn photo_inside(&self, served: &Served) -> bool {
        let Some(name) = served.profile.person.photo.as_deref() else {
            return true;
        };
        self.dir
            .join(name.trim())
            .canonicalize()
            .is_ok_and(|p| p.starts_with(&self.dir))
    }

    /// The profiles in the directory now, by name: `NAME.toml` files with a
    /// valid NAME that are regular files directly inside it (a symbolic
    /// link may point to one inside it, never out). Others are logged once.
    fn profiles(&self) -> BTreeMap<String, PathBuf> {
        let mut found = BTreeMap::new();
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.skip_once("", || format!("cannot read the profiles directory: {e}"));
                return found;
            }
        };
        for entry in entries.flatten() {
            let file = entry.file_name();
            let Some(file) = file.to_str() else {
                continue;
            };
            let Some(name) = file.strip_suffix(".toml") else {
                continue;
            };
            if !valid_name(name) {
                self.skip_once(file, || {
                    format!(
                        "lab: skipped {}: NAME.toml names are [a-z0-9][a-z0-9._-]{{0,63}}",
                        sanitize::line(file)
                    )
                });
                continue;
            }
            match self.inside(&entry.path()) {
                Ok(path) => {
                    found.insert(name.to_string(), path);
                }
                Err(why) => self.skip_once(file, || format!("lab: skipped {file}: {why}")),
            }
        }
        if found.len() > MAX_PROFILES {
            let extra: Vec<String> = found.keys().skip(MAX_PROFILES).cloned().collect();
            self.skip_once("(too many)", || {
                format!(
                    "lab: {} profiles; serving the first {MAX_PROFILES} by name",
                    found.len()
                )
            });
            for name in extra {
                found.remove(&name);
            }
        }
        found
    }

    /// `path` (a `NAME.toml` in the directory) if it is a regular file
    /// there, or a symbolic link to one there; else why not.
    fn inside(&self, path: &Path) -> Result<PathBuf, &'static str> {
        let meta = std::fs::symlink_metadata(path).map_err(|_| "cannot be read")?;
        if meta.file_type().is_symlink() {
            let target = path.canonicalize().map_err(|_| "a broken symbolic link")?;
            if target.parent() != Some(self.dir.as_path()) {
                return Err("a symbolic link out of the profiles directory");
            }
            if !target.is_file() {
                return Err("not a regular file");
            }
            return Ok(target);
        }
        if !meta.is_file() {
            return Err("not a regular file");
        }
        Ok(path.to_path_buf())
    }

    /// Logs `line()` the first time `key` is skipped.
    fn skip_once(&self, key: &str, line: impl FnOnce() -> String) {
        if let Ok(mut skipped) = self.skipped.lock()
            && skipped.insert(key.to_string())
        {
            log::line(&line());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercase_words_without_paths() {
        for good in ["ada", "0", "zhu.tong", "a-b_c", &"a".repeat(64), "a..b"] {
            assert!(valid_name(good), "{good}");
        }
        for bad in [
            "",
            "Ada",
            ".ada",
            "-ada",
            "_ada",
            "../ada",
            "a/b",
            "ada ",
            "adà",
            &"a".repeat(65),
            "a\0b",
        ] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }
}
