//! Why a print job failed, in terms staff can act on: the printer's state, a timeout, a missing
//! device or a configuration value to fix.

use crate::status::PrinterState;

/// Everything that can go wrong between a document and paper.
#[derive(thiserror::Error, Debug)]
pub enum PrintError {
    /// The printer answered its status queries with a fault; nothing was sent.
    #[error("printer not ready: {0:?}")]
    NotReady(PrinterState),
    /// The printer stopped accepting data in the middle of a job (paper ran out, cover opened).
    #[error("printer stopped during the job ({state:?}) after {bytes_sent} bytes")]
    Interrupted { state: PrinterState, bytes_sent: usize },
    /// The configured deadline passed before the printer took the whole job.
    #[error("printer did not take the job within {timeout_ms} ms ({bytes_sent} bytes sent)")]
    Timeout { timeout_ms: u64, bytes_sent: usize },
    /// The device file, port or host is not there (printer unplugged or switched off).
    #[error("printer device {device} is not reachable: {source}")]
    DeviceMissing { device: String, source: std::io::Error },
    /// Any other input/output error, with what we were doing.
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    /// A configuration value is wrong; the message says what to change.
    #[error("printer configuration: {0}")]
    Config(String),
    /// The document cannot be laid out on this paper (for example a QR target too long to fit).
    #[error("cannot lay out the document: {0}")]
    Layout(String),
}

impl PrintError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        PrintError::Io { context: context.into(), source }
    }
}
