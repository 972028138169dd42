//! A job's byte stream built with the escpos crate where it is right (init, alignment, bold,
//! size, reverse, cut) plus our own commands through its `custom()`; the crate writes into
//! memory here, and our transports send the bytes.

use crate::error::PrintError;
use crate::layout::Align;
use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::{JustifyMode, Protocol};
use std::cell::RefCell;
use std::rc::Rc;

/// An escpos driver that keeps the bytes.
#[derive(Clone, Default)]
struct Capture(Rc<RefCell<Vec<u8>>>);

impl Driver for Capture {
    fn name(&self) -> String {
        "memory".into()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

fn crate_error(e: escpos::errors::PrinterError) -> PrintError {
    PrintError::Layout(format!("escpos: {e}"))
}

/// One job's commands, starting with `ESC @`.
pub struct JobStream {
    printer: Printer<Capture>,
    bytes: Rc<RefCell<Vec<u8>>>,
}

impl JobStream {
    pub fn new() -> Result<JobStream, PrintError> {
        let capture = Capture::default();
        let bytes = capture.0.clone();
        let mut printer = Printer::new(capture, Protocol::default(), None);
        printer.init().map_err(crate_error)?;
        Ok(JobStream { printer, bytes })
    }

    pub fn raw(&mut self, bytes: &[u8]) -> Result<&mut Self, PrintError> {
        self.printer.custom(bytes).map_err(crate_error)?;
        Ok(self)
    }

    pub fn align(&mut self, align: Align) -> Result<&mut Self, PrintError> {
        let mode = match align {
            Align::Left => JustifyMode::LEFT,
            Align::Centre => JustifyMode::CENTER,
        };
        self.printer.justify(mode).map_err(crate_error)?;
        Ok(self)
    }

    pub fn bold(&mut self, on: bool) -> Result<&mut Self, PrintError> {
        self.printer.bold(on).map_err(crate_error)?;
        Ok(self)
    }

    pub fn reverse(&mut self, on: bool) -> Result<&mut Self, PrintError> {
        self.printer.reverse(on).map_err(crate_error)?;
        Ok(self)
    }

    /// Character size multipliers, each 1..=8.
    pub fn size(&mut self, width: u8, height: u8) -> Result<&mut Self, PrintError> {
        self.printer.size(width.clamp(1, 8), height.clamp(1, 8)).map_err(crate_error)?;
        Ok(self)
    }

    /// Feeds to the cutter and cuts (`GS V 65 0`); returns the whole job.
    pub fn finish(mut self) -> Result<Vec<u8>, PrintError> {
        self.printer.print_cut().map_err(crate_error)?;
        Ok(self.bytes.take())
    }
}
