//! The printer task: one thread owns the printer, takes jobs from a short queue, records each
//! job's outcome and polls the printer's status between jobs. Nothing else ever waits on the
//! printer for longer than its timeout: a printer out of paper, unplugged or slow costs the
//! citizen a paper ticket (`printed: false`, the number stays on screen), never the number.

use std::sync::mpsc::{self, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use printer::{Document, JobOutcome, PrintError, Printer, PrinterConfig, PrinterState};
use tokio::sync::oneshot;

/// How often the printer's status is asked for when no job is running.
const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Jobs waiting for the printer beyond this are refused at once rather than queued.
const QUEUE_DEPTH: usize = 16;

struct Job {
    document: Document,
    reply: oneshot::Sender<Result<JobOutcome, String>>,
}

/// Handle to the printer thread.
pub struct PrinterTask {
    jobs: SyncSender<Job>,
    state: Arc<Mutex<PrinterState>>,
    /// Longest a caller waits for a job's outcome.
    wait: Duration,
}

impl PrinterTask {
    /// Start the printer thread. `on_state` receives each change of the printer's state.
    pub fn start(cfg: &PrinterConfig, on_state: tokio::sync::mpsc::UnboundedSender<PrinterState>) -> Result<PrinterTask, PrintError> {
        let mut printer = Printer::open(cfg)?;
        let timeout = Duration::from_millis(cfg.timeout_ms.unwrap_or(3000));
        let (jobs, rx) = mpsc::sync_channel::<Job>(QUEUE_DEPTH);
        let state = Arc::new(Mutex::new(PrinterState::Unknown));
        let shared = state.clone();
        std::thread::Builder::new()
            .name("printer".into())
            .spawn(move || {
                let mut last = None;
                let mut first = true;
                loop {
                    let next = if first { Err(RecvTimeoutError::Timeout) } else { rx.recv_timeout(POLL_INTERVAL) };
                    first = false;
                    match next {
                        Ok(job) => {
                            let result = printer.print(&job.document).map_err(|e| e.to_string());
                            if let Err(e) = &result {
                                tracing::warn!(error = %e, kind = kind(&job.document), "print job failed");
                            }
                            let _ = job.reply.send(result);
                        }
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                    let now = printer.status();
                    *shared.lock().unwrap() = now;
                    if last != Some(now) {
                        tracing::info!(state = ?now, "printer state");
                        last = Some(now);
                        let _ = on_state.send(now);
                    }
                }
            })
            .map_err(|e| PrintError::Config(format!("cannot start the printer thread: {e}")))?;
        Ok(PrinterTask { jobs, state, wait: timeout + Duration::from_secs(2) })
    }

    /// Print `document`; the outcome, or why not, within the configured timeout.
    pub fn print(&self, document: Document) -> BoxFuture<'static, Result<JobOutcome, String>> {
        let (reply, rx) = oneshot::channel();
        let queued = self.jobs.try_send(Job { document, reply });
        let wait = self.wait;
        async move {
            match queued {
                Ok(()) => {}
                Err(TrySendError::Full(_)) => return Err("the printer queue is full".to_string()),
                Err(TrySendError::Disconnected(_)) => return Err("the printer thread stopped".to_string()),
            }
            match tokio::time::timeout(wait, rx).await {
                Ok(Ok(result)) => result,
                Ok(Err(_)) => Err("the printer thread stopped".to_string()),
                Err(_) => Err(format!("no answer from the printer within {} ms", wait.as_millis())),
            }
        }
        .boxed()
    }

    pub fn state(&self) -> PrinterState {
        *self.state.lock().unwrap()
    }
}

fn kind(doc: &Document) -> &'static str {
    match doc {
        Document::QueueTicket(_) => "queue_ticket",
        Document::DossierReceipt(_) => "dossier_receipt",
        Document::Checklist(_) => "checklist",
        Document::LateNotice(_) => "late_notice",
        Document::SelfTest(_) => "self_test",
    }
}

/// The API name of a printer state (`"paper_out"`).
pub fn state_name(state: PrinterState) -> &'static str {
    match state {
        PrinterState::Ready => "ready",
        PrinterState::PaperNearEnd => "paper_near_end",
        PrinterState::PaperOut => "paper_out",
        PrinterState::CoverOpen => "cover_open",
        PrinterState::Offline => "offline",
        PrinterState::Unknown => "unknown",
    }
}
