//! The printer as the firmware sees it: open once from configuration, then print documents and
//! read the status. Every call is blocking and bounded by the configured timeout; the firmware
//! runs it on its own thread.

use crate::bitmap::Bitmap;
use crate::config::{PrinterConfig, Settings, TransportSpec};
use crate::document::Document;
use crate::encode::{encode_blocks, EncodedJob};
use crate::error::PrintError;
use crate::layout::{layout, PrinterFacts};
use crate::render::Renderer;
use crate::status::{PrinterState, PrinterStatus};
use crate::transport::{FileTransport, SerialTransport, TcpTransport, Transport, UsbTransport, VirtualTransport};
use crate::virtual_printer::VirtualPrinter;
use std::path::PathBuf;
use std::time::Instant;

/// What happened to a job that printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobOutcome {
    /// Bytes sent to the printer.
    pub bytes: usize,
    /// The virtual printer's PNG (with its `.bin` beside it), or the output file.
    pub saved_to: Option<PathBuf>,
    /// The state seen before sending: `PaperNearEnd` means warn staff.
    pub state: PrinterState,
}

/// A configured printer.
pub struct Printer {
    settings: Settings,
    transport: Box<dyn Transport>,
    renderer: Renderer,
    virtual_printer: Option<VirtualPrinter>,
}

impl Printer {
    /// Checks the configuration; opens no device (each job opens it, so an unplugged printer
    /// at start-up is not an error).
    pub fn open(cfg: &PrinterConfig) -> Result<Printer, PrintError> {
        let settings = Settings::from_config(cfg)?;
        let timeout_ms = settings.timeout.as_millis() as u64;
        let mut virtual_printer = None;
        let transport: Box<dyn Transport> = match &settings.transport {
            TransportSpec::Virtual => {
                let vp = VirtualPrinter::new(&settings.virtual_dir, settings.profile.clone(), settings.width_dots);
                virtual_printer = Some(vp.clone());
                Box::new(VirtualTransport::new(vp, timeout_ms))
            }
            TransportSpec::Usb(path) => Box::new(UsbTransport::new(path.clone(), timeout_ms)),
            TransportSpec::Tcp(address) => Box::new(TcpTransport::new(address.clone(), timeout_ms)),
            TransportSpec::Serial { path, baud } => Box::new(SerialTransport::new(path.clone(), *baud, timeout_ms)),
            TransportSpec::File(path) => Box::new(FileTransport::new(path.clone())),
        };
        Ok(Printer { settings, transport, renderer: Renderer::new(), virtual_printer })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The virtual printer behind transport `virtual`, to simulate faults or find its jobs.
    pub fn virtual_printer(&self) -> Option<&VirtualPrinter> {
        self.virtual_printer.as_ref()
    }

    fn facts(&self) -> PrinterFacts {
        PrinterFacts {
            profile: self.settings.profile.name.to_string(),
            width_dots: self.settings.width_dots,
            dpi: self.settings.profile.dpi,
            text_mode: self.settings.text_mode.name().to_string(),
        }
    }

    /// The document as it prints in raster mode (a preview).
    pub fn render(&mut self, doc: &Document) -> Result<Bitmap, PrintError> {
        let blocks = layout(&doc.normalized(), &self.facts());
        let qr = crate::encode::qr_placement(&self.settings.profile);
        Ok(self.renderer.render_page(&blocks, self.settings.width_dots, qr)?.bitmap)
    }

    /// The bytes a document prints as, in the configured mode.
    pub fn encode(&mut self, doc: &Document) -> Result<EncodedJob, PrintError> {
        let blocks = layout(&doc.normalized(), &self.facts());
        let s = &self.settings;
        encode_blocks(&mut self.renderer, &blocks, &s.profile, s.width_dots, s.text_mode)
    }

    /// Prints a document: asks the status first and sends only to a printer that can print.
    pub fn print(&mut self, doc: &Document) -> Result<JobOutcome, PrintError> {
        let deadline = Instant::now() + self.settings.timeout;
        let job = self.encode(doc)?;
        let state = PrinterStatus::from_replies(self.transport.query_status(deadline)?).state();
        if !state.accepts_jobs() {
            return Err(PrintError::NotReady(state));
        }
        let saved_to = self.transport.send(doc.kind(), &job.bytes, deadline)?;
        Ok(JobOutcome { bytes: job.bytes.len(), saved_to, state })
    }

    /// The printer's state now. A missing device reads as `Offline`; silence as `Unknown`.
    pub fn status(&mut self) -> PrinterState {
        let deadline = Instant::now() + self.settings.timeout;
        match self.transport.query_status(deadline) {
            Ok(replies) => PrinterStatus::from_replies(replies).state(),
            Err(PrintError::DeviceMissing { .. }) => PrinterState::Offline,
            Err(_) => PrinterState::Unknown,
        }
    }
}
