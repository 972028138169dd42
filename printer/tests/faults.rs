//! Faults: paper out before and during a job, cover open, offline, an unplugged printer, a slow
//! or silent printer. Each ends in a typed error within the configured timeout, never a hang.
//! The USB and serial transports are driven through a pseudo-terminal with the virtual printer
//! on its other side; TCP through a loopback socket.

mod common;

use common::fixtures;

use printer::{Document, Faults, PrintError, Printer, PrinterState, Profile, VirtualPrinter};
use std::time::{Duration, Instant};

fn ticket() -> Document {
    Document::QueueTicket(fixtures::queue_ticket())
}

/// A checklist long enough (over 100 KB of raster) that a pseudo-terminal's buffer cannot take
/// it all while the printer at the other end stops reading.
fn long_job(printer: &mut Printer) -> Document {
    let mut checklist = fixtures::checklist();
    checklist.documents = std::iter::repeat_n(fixtures::birth_registration_documents(), 20).flatten().collect();
    let doc = Document::Checklist(checklist);
    let bytes = printer.encode(&doc).unwrap().bytes.len();
    assert!(bytes > 100_000, "the long job is only {bytes} bytes");
    doc
}

#[test]
fn paper_out_before_the_job_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut printer = common::virtual_printer(dir.path(), None, None, None);
    let vp = printer.virtual_printer().unwrap().clone();
    for (faults, state) in [
        (Faults { paper_out: true, ..Faults::default() }, PrinterState::PaperOut),
        (Faults { cover_open: true, ..Faults::default() }, PrinterState::CoverOpen),
        (Faults { offline: true, ..Faults::default() }, PrinterState::Offline),
    ] {
        vp.set_faults(faults);
        assert_eq!(printer.status(), state);
        assert!(matches!(printer.print(&ticket()), Err(PrintError::NotReady(s)) if s == state));
    }
    assert_eq!(std::fs::read_dir(dir.path()).map(|d| d.count()).unwrap_or(0), 0, "nothing printed");
    vp.set_faults(Faults::default());
    assert_eq!(printer.status(), PrinterState::Ready);
    assert!(printer.print(&ticket()).is_ok());
}

#[test]
fn paper_near_end_prints_and_reports_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut printer = common::virtual_printer(dir.path(), None, None, None);
    printer.virtual_printer().unwrap().set_faults(Faults { paper_near_end: true, ..Faults::default() });
    let outcome = printer.print(&ticket()).unwrap();
    assert_eq!(outcome.state, PrinterState::PaperNearEnd);
}

#[test]
fn paper_running_out_during_a_job_is_reported_and_blocks_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut printer = common::virtual_printer(dir.path(), None, None, None);
    let vp = printer.virtual_printer().unwrap().clone();
    vp.set_faults(Faults { paper_runs_out_after: Some(5000), ..Faults::default() });
    match printer.print(&ticket()) {
        Err(PrintError::Interrupted { state: PrinterState::PaperOut, bytes_sent: 5000 }) => {}
        other => panic!("expected an interrupted job, got {other:?}"),
    }
    assert_eq!(printer.status(), PrinterState::PaperOut);
    assert!(matches!(printer.print(&ticket()), Err(PrintError::NotReady(PrinterState::PaperOut))));
}

#[test]
fn a_slow_printer_times_out_within_the_configured_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = common::config("virtual", dir.path());
    cfg.timeout_ms = Some(300);
    let mut printer = Printer::open(&cfg).unwrap();
    printer.virtual_printer().unwrap().set_faults(Faults { bytes_per_second: Some(1000), ..Faults::default() });
    let start = Instant::now();
    let err = printer.print(&ticket()).unwrap_err();
    let took = start.elapsed();
    assert!(matches!(err, PrintError::Timeout { timeout_ms: 300, .. }), "{err:?}");
    assert!(took >= Duration::from_millis(250) && took < Duration::from_millis(600), "took {took:?}");
}

#[test]
fn an_unplugged_printer_is_not_an_error_at_open_but_fails_jobs_fast() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("lp9");
    let mut printer = Printer::open(&common::config(&format!("usb:{}", missing.display()), dir.path())).unwrap();
    assert_eq!(printer.status(), PrinterState::Offline);
    let start = Instant::now();
    assert!(matches!(printer.print(&ticket()), Err(PrintError::DeviceMissing { .. })));
    let mut serial = Printer::open(&common::config(&format!("serial:{}:19200", missing.display()), dir.path())).unwrap();
    assert!(matches!(serial.print(&ticket()), Err(PrintError::DeviceMissing { .. })));
    // Nothing listens on this port: connection refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut tcp = Printer::open(&common::config(&format!("tcp:127.0.0.1:{port}"), dir.path())).unwrap();
    assert!(matches!(tcp.print(&ticket()), Err(PrintError::DeviceMissing { .. })));
    assert_eq!(tcp.status(), PrinterState::Offline);
    assert!(start.elapsed() < Duration::from_millis(500));
}

#[test]
fn tcp_printer_answers_status_and_prints() {
    let dir = tempfile::tempdir().unwrap();
    let vp = VirtualPrinter::new(dir.path(), Profile::generic_80(), 576);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let _server = vp.serve_tcp(listener).unwrap();
    let mut printer = Printer::open(&common::config(&format!("tcp:{addr}"), dir.path())).unwrap();
    assert_eq!(printer.status(), PrinterState::Ready);
    let outcome = printer.print(&ticket()).unwrap();
    let png = wait_for(&dir.path().join("0001-job.png"));
    assert_eq!(std::fs::read(dir.path().join("0001-job.bin")).unwrap().len(), outcome.bytes);
    assert_eq!(printer::Bitmap::read_png(&png).unwrap(), printer.render(&ticket()).unwrap());
    vp.set_faults(Faults { cover_open: true, ..Faults::default() });
    assert_eq!(printer.status(), PrinterState::CoverOpen);
    assert!(matches!(printer.print(&ticket()), Err(PrintError::NotReady(PrinterState::CoverOpen))));
}

fn wait_for(path: &std::path::Path) -> Vec<u8> {
    let until = Instant::now() + Duration::from_secs(5);
    while Instant::now() < until {
        if let Ok(bytes) = std::fs::read(path) {
            if !bytes.is_empty() {
                return bytes;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{path:?} never appeared");
}

/// A pseudo-terminal: the virtual printer serves the master side; returns the slave's path
/// and keeps the slave open (raw mode) so the link stays up between jobs.
fn pty_printer(vp: &VirtualPrinter) -> (String, printer::virtual_printer::Server, serialport::TTYPort) {
    let (master, slave) = serialport::TTYPort::pair().expect("pseudo-terminal");
    let path = serialport::SerialPort::name(&slave).expect("slave name");
    let mut master = master;
    serialport::SerialPort::set_timeout(&mut master, Duration::from_millis(20)).unwrap();
    (path, vp.serve_stream(master), slave)
}

#[test]
fn usb_device_file_prints_answers_status_and_times_out_on_a_stalled_printer() {
    let dir = tempfile::tempdir().unwrap();
    let vp = VirtualPrinter::new(dir.path(), Profile::generic_80(), 576);
    let (path, _server, _slave) = pty_printer(&vp);
    let mut cfg = common::config(&format!("usb:{path}"), dir.path());
    cfg.timeout_ms = Some(400);
    let mut printer = Printer::open(&cfg).unwrap();
    assert_eq!(printer.status(), PrinterState::Ready);
    printer.print(&ticket()).unwrap();
    wait_for(&dir.path().join("0001-job.png"));
    vp.set_faults(Faults { paper_near_end: true, ..Faults::default() });
    assert_eq!(printer.status(), PrinterState::PaperNearEnd);

    // Paper runs out mid-job: the printer stops reading, the write must give up at the deadline.
    let long = long_job(&mut printer);
    vp.set_faults(Faults { paper_runs_out_after: Some(3000), ..Faults::default() });
    let start = Instant::now();
    let err = printer.print(&long).unwrap_err();
    assert!(matches!(err, PrintError::Timeout { timeout_ms: 400, .. }), "{err:?}");
    assert!(start.elapsed() < Duration::from_millis(700), "took {:?}", start.elapsed());
}

#[test]
fn usb_printer_that_never_answers_is_unknown_and_a_slow_one_times_out() {
    let dir = tempfile::tempdir().unwrap();
    let vp = VirtualPrinter::new(dir.path(), Profile::generic_80(), 576);
    let (path, _server, _slave) = pty_printer(&vp);
    let mut cfg = common::config(&format!("usb:{path}"), dir.path());
    cfg.timeout_ms = Some(500);
    let mut printer = Printer::open(&cfg).unwrap();
    vp.set_faults(Faults { silent: true, ..Faults::default() });
    let start = Instant::now();
    assert_eq!(printer.status(), PrinterState::Unknown);
    assert!(start.elapsed() < Duration::from_millis(500));
    let long = long_job(&mut printer);
    vp.set_faults(Faults { bytes_per_second: Some(2000), ..Faults::default() });
    let start = Instant::now();
    assert!(matches!(printer.print(&long), Err(PrintError::Timeout { .. })));
    assert!(start.elapsed() < Duration::from_millis(800), "took {:?}", start.elapsed());
}

#[test]
fn serial_printer_prints_and_reports_paper_out() {
    let dir = tempfile::tempdir().unwrap();
    let vp = VirtualPrinter::new(dir.path(), Profile::generic_80(), 576);
    let (path, _server, _slave) = pty_printer(&vp);
    let mut cfg = common::config(&format!("serial:{path}:115200"), dir.path());
    cfg.profile = Some("epson-tm-t20".into());
    cfg.text_mode = Some("tcvn3".into());
    let mut printer = Printer::open(&cfg).unwrap();
    assert_eq!(printer.status(), PrinterState::Ready);
    printer.print(&ticket()).unwrap();
    wait_for(&dir.path().join("0001-job.txt"));
    let text = std::fs::read_to_string(dir.path().join("0001-job.txt")).unwrap();
    assert!(text.contains("PHIẾU SỐ THỨ TỰ") && text.contains("A025"), "{text}");
    vp.set_faults(Faults { paper_out: true, ..Faults::default() });
    assert!(matches!(printer.print(&ticket()), Err(PrintError::NotReady(PrinterState::PaperOut))));
}

#[test]
fn file_transport_appends_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.bin");
    let mut printer = Printer::open(&common::config(&format!("file:{}", out.display()), dir.path())).unwrap();
    assert_eq!(printer.status(), PrinterState::Unknown);
    let a = printer.print(&ticket()).unwrap();
    let b = printer.print(&ticket()).unwrap();
    assert_eq!(std::fs::metadata(&out).unwrap().len() as usize, a.bytes + b.bytes);
}
