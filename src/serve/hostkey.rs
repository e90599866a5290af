//! The server's host key: generated once (ed25519), written with `O_EXCL`
//! and mode 0600 in a 0700 directory, and reused. A key that is corrupt or
//! readable by others stops the server instead of being silently replaced,
//! because a new key would make every visitor's ssh warn of an attack. As
//! OpenSSH's `StrictModes`, the key and its directory must belong to this
//! user (or root) and the directory must not be writable by anyone else,
//! who could otherwise swap the key for one they know.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::{Algorithm, PrivateKey};

use crate::profile::sanitize;

/// `$XDG_DATA_HOME/termfolio/ssh_host_ed25519_key`, or under `~/.local/share`.
pub fn default_path() -> Option<PathBuf> {
    let data = crate::profile::xdg_dir("XDG_DATA_HOME", ".local/share")?;
    Some(data.join("termfolio").join("ssh_host_ed25519_key"))
}

/// Loads the key at `path`, or makes one there if there is none.
pub(crate) fn load_or_create(path: &Path) -> Result<PrivateKey, String> {
    let shown = sanitize::line(&path.display().to_string());
    match fs::symlink_metadata(path) {
        Ok(meta) => {
            check_directory(path)?;
            load(path, &meta, &shown)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path, &shown),
        Err(e) => Err(format!("cannot read host key {shown}: {e}")),
    }
}

/// Whether `uid` may own the key or its directory: this user or root.
fn trusted_owner(uid: u32) -> bool {
    // SAFETY: geteuid(2) cannot fail and touches no memory.
    uid == 0 || uid == unsafe { libc::geteuid() }
}

/// The key's directory belongs to this user or root and only they may
/// write to it.
fn check_directory(path: &Path) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let shown = sanitize::line(&dir.display().to_string());
    let meta =
        fs::metadata(dir).map_err(|e| format!("cannot read host key directory {shown}: {e}"))?;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(format!(
            "host key directory {shown} is writable by others ({:03o}); run `chmod go-w {shown}`",
            mode & 0o777
        ));
    }
    if !trusted_owner(meta.uid()) {
        return Err(format!(
            "host key directory {shown} belongs to uid {}, not to this user or root",
            meta.uid()
        ));
    }
    Ok(())
}

fn load(path: &Path, meta: &fs::Metadata, shown: &str) -> Result<PrivateKey, String> {
    if !meta.is_file() {
        return Err(format!("host key {shown} is not a regular file"));
    }
    if !trusted_owner(meta.uid()) {
        return Err(format!(
            "host key {shown} belongs to uid {}, not to this user or root",
            meta.uid()
        ));
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "host key {shown} has loose permissions ({mode:03o}); run `chmod 600 {shown}`"
        ));
    }
    let mut text = String::new();
    fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_string(&mut text))
        .map_err(|e| format!("cannot read host key {shown}: {e}"))?;
    PrivateKey::from_openssh(&text).map_err(|e| {
        format!(
            "host key {shown} is not a valid OpenSSH private key ({e}); move it away to make a new one"
        )
    })
}

fn create(path: &Path, shown: &str) -> Result<PrivateKey, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| {
                format!(
                    "cannot create {}: {e}",
                    sanitize::line(&dir.display().to_string())
                )
            })?;
    }
    check_directory(path)?;
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
        .map_err(|e| format!("cannot generate a host key: {e}"))?;
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| format!("cannot encode the host key: {e}"))?;
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot create host key {shown}: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write host key {shown}: {e}"))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("termfolio-hostkey-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn key_is_made_once_with_tight_modes_and_reused() {
        let dir = temp("reuse");
        let path = dir.join("sub").join("key");
        let first = load_or_create(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        let second = load_or_create(&path).unwrap();
        assert_eq!(first.public_key(), second.public_key());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn loose_or_corrupt_keys_are_refused() {
        let dir = temp("bad");
        let path = dir.join("key");
        load_or_create(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(
            load_or_create(&path)
                .unwrap_err()
                .contains("loose permissions")
        );
        fs::write(&path, "not a key").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
        let err = load_or_create(&path).unwrap_err();
        assert!(
            err.contains("writable by others") && err.contains("chmod go-w"),
            "{err}"
        );
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        // SAFETY: geteuid(2) and chown(2) on a directory of our own.
        if unsafe { libc::geteuid() } == 0 {
            let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).unwrap();
            assert_eq!(unsafe { libc::chown(c.as_ptr(), 65534, 65534) }, 0);
            let err = load_or_create(&path).unwrap_err();
            assert!(err.contains("belongs to uid 65534"), "{err}");
            assert_eq!(unsafe { libc::chown(c.as_ptr(), 0, 0) }, 0);
        }
        assert!(
            load_or_create(&path)
                .unwrap_err()
                .contains("not a valid OpenSSH private key")
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
