//! The catalogue bundles this kiosk accepted, on disk under `<data>/catalogue/`: `bundle.json`
//! is the one in use, `bundle.previous.json` the one before it. Each is the body exactly as
//! central sent it (so its signature can be checked again at every start). Writing a new one is
//! atomic — a temporary file, fsync, renames, fsync of the directory — so a power cut leaves
//! either the old pair or the new one, never half a file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The bundle files of one data directory.
#[derive(Debug, Clone)]
pub struct BundleFiles {
    dir: PathBuf,
}

/// Which stored bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Current,
    Previous,
}

impl BundleFiles {
    pub fn new(data_dir: &Path) -> BundleFiles {
        BundleFiles { dir: data_dir.join("catalogue") }
    }

    pub fn path(&self, slot: Slot) -> PathBuf {
        self.dir.join(match slot {
            Slot::Current => "bundle.json",
            Slot::Previous => "bundle.previous.json",
        })
    }

    /// The stored body, if there is one.
    pub fn read(&self, slot: Slot) -> std::io::Result<Option<Vec<u8>>> {
        match fs::read(self.path(slot)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Store `body` as the bundle in use; the one in use so far becomes the previous one.
    pub fn install(&self, body: &[u8]) -> std::io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let tmp = self.dir.join("bundle.json.tmp");
        let mut file = fs::File::create(&tmp)?;
        file.write_all(body)?;
        file.sync_all()?;
        drop(file);
        let current = self.path(Slot::Current);
        if current.exists() {
            fs::rename(&current, self.path(Slot::Previous))?;
        }
        fs::rename(&tmp, &current)?;
        sync_dir(&self.dir)
    }

    /// The bundle in use no longer loads: set it aside (`bundle.broken.json`, for whoever looks
    /// into it) and make the previous one current again.
    pub fn restore_previous(&self) -> std::io::Result<()> {
        let current = self.path(Slot::Current);
        if current.exists() {
            fs::rename(&current, self.dir.join("bundle.broken.json"))?;
        }
        fs::rename(self.path(Slot::Previous), &current)?;
        sync_dir(&self.dir)
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_bundle_becomes_the_previous_one() {
        let dir = tempfile::tempdir().unwrap();
        let files = BundleFiles::new(dir.path());
        assert_eq!(files.read(Slot::Current).unwrap(), None);
        files.install(b"one").unwrap();
        files.install(b"two").unwrap();
        assert_eq!(files.read(Slot::Current).unwrap().as_deref(), Some(&b"two"[..]));
        assert_eq!(files.read(Slot::Previous).unwrap().as_deref(), Some(&b"one"[..]));
        assert!(!dir.path().join("catalogue/bundle.json.tmp").exists());
        files.restore_previous().unwrap();
        assert_eq!(files.read(Slot::Current).unwrap().as_deref(), Some(&b"one"[..]));
        assert_eq!(files.read(Slot::Previous).unwrap(), None);
        assert_eq!(fs::read(dir.path().join("catalogue/bundle.broken.json")).unwrap(), b"two");
    }
}
