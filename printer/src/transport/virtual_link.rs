//! The in-process link to the virtual printer (transport `virtual`): no device, same deadlines.

use super::{StatusReplies, Transport};
use crate::error::PrintError;
use crate::status::StatusQuery;
use crate::virtual_printer::VirtualPrinter;
use std::path::PathBuf;
use std::time::Instant;

pub struct VirtualTransport {
    printer: VirtualPrinter,
    timeout_ms: u64,
}

impl VirtualTransport {
    pub fn new(printer: VirtualPrinter, timeout_ms: u64) -> VirtualTransport {
        VirtualTransport { printer, timeout_ms }
    }
}

impl Transport for VirtualTransport {
    fn send(&mut self, kind: &str, bytes: &[u8], deadline: Instant) -> Result<Option<PathBuf>, PrintError> {
        self.printer.receive(kind, bytes, deadline, self.timeout_ms).map(Some)
    }

    fn query_status(&mut self, _deadline: Instant) -> Result<StatusReplies, PrintError> {
        Ok(StatusQuery::ALL.map(|q| self.printer.status_reply(q)))
    }
}
