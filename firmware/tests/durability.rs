//! Every connection that writes runs in WAL mode with `synchronous=FULL`: a commit is on the
//! disk before the caller hears of it, across kill -9 and a power cut. The SIGKILL test of
//! `tests/` would also pass with `synchronous=OFF` (the OS keeps the pages); this one would not.

mod common;

use std::path::Path;

use common::kiosk;

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[tokio::test]
async fn the_writer_and_every_side_writer_run_wal_and_full() {
    let k = kiosk().await;
    // The writer thread's own connection, inside a command's transaction.
    let (mode, sync) = k.service.store_durability().await.unwrap();
    assert_eq!((mode.as_str(), sync), ("wal", 2), "the writer: journal_mode and synchronous (2 = FULL)");
    // The commands that write beside a running kioskd (enroll-device, revoke-device).
    let db = k.service.config().database_path();
    let side = firmware::store::write_beside(&db, |tx| firmware::store::durability(tx)).unwrap();
    assert_eq!((side.0.as_str(), side.1), ("wal", 2), "a side writer");
}

/// No writable connection is opened anywhere but in `store::open_writable` and `store::open_copy`
/// (read-only ones say `SQLITE_OPEN_READ_ONLY` or `read_only` on the line).
#[test]
fn no_other_writable_connection_exists() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut opens = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // A file's unit tests (after `#[cfg(test)]`) open scratch databases of their own.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, line) in code.lines().enumerate() {
            let opens_one = ["Connection::open(", "Connection::open_with_flags(", "Connection::open_with_flags_and_vfs("]
                .iter()
                .any(|call| line.contains(call));
            let writable = opens_one && !line.to_uppercase().contains("READ_ONLY");
            if writable {
                opens.push(format!("{}:{}", file.strip_prefix(&src).unwrap().display(), i + 1));
            }
        }
    }
    // `open_writable` (WAL + FULL) and `open_copy` (FULL, for a backup file), both in the store.
    assert!(opens.len() == 2 && opens.iter().all(|o| o.starts_with("store/mod.rs")), "writable connections opened at {opens:?}");
}
