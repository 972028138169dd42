//! A printer in software, for development and tests: it takes our ESC/POS stream, "prints" it
//! to PNG (and text in text mode), answers `DLE EOT` status queries, and can be told to run out
//! of paper, open its cover, go offline, stop answering or print slowly. Each job lands as
//! `<n>-<kind>.bin` and `.png` (and `.txt` for text mode) in its directory.

pub mod commands;
pub mod decode;
mod server;

pub use decode::Printout;
pub use server::Server;

use crate::error::PrintError;
use crate::profile::Profile;
use crate::render::Renderer;
use crate::status::{PrinterState, PrinterStatus, StatusQuery};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Conditions to simulate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    pub paper_out: bool,
    pub cover_open: bool,
    pub offline: bool,
    pub paper_near_end: bool,
    /// The roll ends after this many more bytes of job data.
    pub paper_runs_out_after: Option<usize>,
    /// Takes job data at this rate only.
    pub bytes_per_second: Option<u32>,
    /// Does not answer status queries (a one-way printer, or a hung one).
    pub silent: bool,
}

struct Inner {
    faults: Faults,
    dir: PathBuf,
    profile: Profile,
    width: u32,
    next_job: Option<u32>,
    renderer: Renderer,
}

/// A shared handle: clones drive the same virtual printer.
#[derive(Clone)]
pub struct VirtualPrinter {
    inner: Arc<Mutex<Inner>>,
}

impl VirtualPrinter {
    pub fn new(dir: impl Into<PathBuf>, profile: Profile, width: u32) -> VirtualPrinter {
        let inner = Inner { faults: Faults::default(), dir: dir.into(), profile, width, next_job: None, renderer: Renderer::new() };
        VirtualPrinter { inner: Arc::new(Mutex::new(inner)) }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    pub fn set_faults(&self, faults: Faults) {
        self.lock().faults = faults;
    }

    /// The reply byte to `DLE EOT n`, or `None` when silent.
    pub fn status_reply(&self, query: StatusQuery) -> Option<u8> {
        let f = self.faults();
        if f.silent {
            return None;
        }
        let stopped = f.paper_out || f.cover_open;
        let bits = match query {
            StatusQuery::Printer => u8::from(f.offline || stopped) * 0x08,
            StatusQuery::OfflineCause => (u8::from(f.cover_open) * 0x04) | (u8::from(f.paper_out) * 0x20),
            StatusQuery::ErrorCause => 0,
            StatusQuery::RollPaper => (u8::from(f.paper_near_end || f.paper_out) * 0x0C) | (u8::from(f.paper_out) * 0x60),
        };
        Some(0x12 | bits)
    }

    pub fn state(&self) -> PrinterState {
        PrinterStatus::from_replies(StatusQuery::ALL.map(|q| self.status_reply(q))).state()
    }

    /// Takes a job from the in-process transport, honouring the simulated faults and `deadline`.
    pub fn receive(&self, kind: &str, bytes: &[u8], deadline: Instant, timeout_ms: u64) -> Result<PathBuf, PrintError> {
        let faults = self.faults();
        let state = self.state();
        if !matches!(state, PrinterState::Ready | PrinterState::PaperNearEnd) && !faults.silent {
            return Err(PrintError::Interrupted { state, bytes_sent: 0 });
        }
        if let Some(rate) = faults.bytes_per_second {
            let needed = Duration::from_secs_f64(bytes.len() as f64 / rate.max(1) as f64);
            let left = deadline.saturating_duration_since(Instant::now());
            if needed > left {
                std::thread::sleep(left);
                let bytes_sent = (rate as f64 * left.as_secs_f64()) as usize;
                return Err(PrintError::Timeout { timeout_ms, bytes_sent });
            }
            std::thread::sleep(needed);
        }
        if let Some(left) = faults.paper_runs_out_after {
            if bytes.len() > left {
                self.set_faults(Faults { paper_out: true, paper_runs_out_after: None, ..faults });
                return Err(PrintError::Interrupted { state: PrinterState::PaperOut, bytes_sent: left });
            }
            self.set_faults(Faults { paper_runs_out_after: Some(left - bytes.len()), ..faults });
        }
        self.save_job(kind, bytes).map_err(|e| PrintError::io("saving a virtual print job", e))
    }

    /// Prints `bytes` to `<n>-<kind>.bin/.png(/.txt)`; returns the PNG's path.
    pub fn save_job(&self, kind: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        std::fs::create_dir_all(&inner.dir)?;
        let n = match inner.next_job {
            Some(n) => n,
            None => next_free_number(&inner.dir)?,
        };
        inner.next_job = Some(n + 1);
        let stem = inner.dir.join(format!("{n:04}-{kind}"));
        std::fs::write(stem.with_extension("bin"), bytes)?;
        let printout = decode::print(bytes, inner.width, &inner.profile, &mut inner.renderer);
        let png = stem.with_extension("png");
        std::fs::write(&png, printout.image.to_png())?;
        if !printout.text.trim().is_empty() {
            std::fs::write(stem.with_extension("txt"), &printout.text)?;
        }
        Ok(png)
    }

    /// Decodes a stream as this printer would print it, without saving anything.
    pub fn print_to_memory(&self, bytes: &[u8]) -> Printout {
        let mut inner = self.lock();
        let inner = &mut *inner;
        decode::print(bytes, inner.width, &inner.profile, &mut inner.renderer)
    }
}

/// One past the highest job number already in `dir`, so a restart never overwrites a job.
fn next_free_number(dir: &Path) -> std::io::Result<u32> {
    let mut max = 0;
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        if let Some(n) = name.to_str().and_then(|s| s.split('-').next()).and_then(|s| s.parse::<u32>().ok()) {
            max = max.max(n);
        }
    }
    Ok(max + 1)
}
