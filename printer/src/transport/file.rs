//! Plain file output (`file:/tmp/out.bin`): each job is appended; there is no one to ask for
//! status, so the state is always `Unknown`.

use super::{StatusReplies, Transport};
use crate::error::PrintError;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

pub struct FileTransport {
    path: PathBuf,
}

impl FileTransport {
    pub fn new(path: PathBuf) -> FileTransport {
        FileTransport { path }
    }
}

impl Transport for FileTransport {
    fn send(&mut self, _kind: &str, bytes: &[u8], _deadline: Instant) -> Result<Option<PathBuf>, PrintError> {
        let context = || format!("appending to {}", self.path.display());
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&self.path).map_err(|e| PrintError::io(context(), e))?;
        f.write_all(bytes).map_err(|e| PrintError::io(context(), e))?;
        Ok(Some(self.path.clone()))
    }

    fn query_status(&mut self, _deadline: Instant) -> Result<StatusReplies, PrintError> {
        Ok([None; 4])
    }
}
