//! A second kiosk with its own printer (issue 22): everything it dispenses prints on its own
//! paper, never on the main kiosk's; the main service records the outcome and the kiosk's
//! printer state by its name; without a token it keeps the old path; when the main service goes
//! away the kiosk says "unreachable", and it answers again once the service is back.

use std::path::Path;
use std::time::Duration;

use kiosk_ui::backend::{Backend, KioskInfo};
use kiosk_ui::remote::RemoteBackend;
use kiosk_ui::station::{OwnPrinter, StationConfig};
use kiosk_ui::tour::{Demo, Printer};

/// The receipts a virtual printer saved under `data` (one `.png` per job).
fn receipts(data: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(data.join("receipts"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "png")).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The links in the QR codes of a receipt.
fn qr_codes(png: &Path) -> Vec<String> {
    let page = printer::bitmap::Bitmap::read_png(&std::fs::read(png).unwrap()).unwrap();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(page.width() as usize, page.height() as usize, |x, y| {
        if page.get(x as u32, y as u32) {
            0
        } else {
            255
        }
    });
    img.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

fn serve(demo: &Demo, listener: tokio::net::TcpListener) -> tokio::sync::oneshot::Sender<()> {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    demo.runtime.spawn(firmware::server::serve(demo.service.clone(), listener, async {
        let _ = stopped.await;
    }));
    stop
}

#[test]
fn a_second_kiosk_prints_what_it_dispenses_on_its_own_printer() {
    let main_data = tempfile::tempdir().unwrap();
    let own_data = tempfile::tempdir().unwrap();
    let demo = Demo::open(main_data.path(), Printer::Virtual).unwrap();
    let listener = demo.runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let address = listener.local_addr().unwrap();
    let url = format!("http://{address}");
    let stop = serve(&demo, listener);
    let db = firmware::Service::database_path(demo.service.config());
    let token = firmware::service::enroll_device_beside(&db, "Kiosk 2", firmware::auth::unix_ms()).unwrap();

    // Its own small file: language, idle time, its printer (virtual, under its own data dir).
    let station =
        StationConfig::parse("[kiosk]\nlanguage = \"vi\"\nidle_seconds = 60\n\n[printer]\ntransport = \"virtual\"\n", own_data.path())
            .unwrap();
    let info = RemoteBackend::info_from_server(&url).unwrap();
    assert_eq!(info.centre_name, demo.service.config().centre.name, "the centre comes from the main service");
    assert_eq!(info.priorities.len(), demo.service.config().priorities.len());
    assert_eq!(info.public_url, demo.service.config().centre.public_url);
    let own = OwnPrinter::start(station.printer.as_ref().unwrap()).unwrap();
    let kiosk = RemoteBackend::new(&url, info).with_device_token(token).with_own_printer(own);

    let ticket = kiosk.issue("A", Some("elderly"), None).unwrap();
    assert_eq!((ticket.number.as_str(), ticket.printed), ("A001", Some(true)));
    assert_eq!(receipts(main_data.path()).len(), 0, "the main kiosk's printer printed another kiosk's ticket");
    let printed = receipts(own_data.path());
    assert_eq!(printed.len(), 1, "the ticket is in this kiosk's own receipts");
    // The paper is this ticket's: its QR follows it on the main kiosk's public link.
    assert_eq!(qr_codes(&printed[0]), [format!("{}/t/{}", demo.service.config().centre.public_url, ticket.id)]);
    // The main service knows it printed (reported back), and that this kiosk dispensed it.
    let recorded = demo.runtime.block_on(demo.service.ticket(&ticket.id)).unwrap();
    assert_eq!(recorded.printed, Some(true));

    // A checklist too.
    assert!(kiosk.print_checklist("1.001193").unwrap());
    assert_eq!((receipts(own_data.path()).len(), receipts(main_data.path()).len()), (2, 0));

    // Its printer's state reaches the main service under its name.
    kiosk.report_printer(printer::PrinterState::PaperNearEnd).unwrap();
    let states = demo.service.kiosk_printers();
    assert_eq!((states[0].kiosk.as_str(), states[0].state.as_str()), ("Kiosk 2", "paper_near_end"));

    // Its printer fails (a pulled cable: nothing listens): the number is still issued, shown on
    // screen (`printed: false`), and the main service records it not printed.
    let broken = tempfile::tempdir().unwrap();
    let cfg = StationConfig::parse("[kiosk]\n[printer]\ntransport = \"tcp:127.0.0.1:9\"\ntimeout_ms = 300\n", broken.path()).unwrap();
    let token3 = firmware::service::enroll_device_beside(&db, "Kiosk 3", firmware::auth::unix_ms()).unwrap();
    let unplugged = RemoteBackend::new(&url, KioskInfo::default())
        .with_device_token(token3)
        .with_own_printer(OwnPrinter::start(cfg.printer.as_ref().unwrap()).unwrap());
    let lost = unplugged.issue("C", None, None).unwrap();
    assert_eq!(lost.printed, Some(false));
    assert_eq!(receipts(main_data.path()).len(), 0, "a failed kiosk printer never falls back to the main printer");
    assert_eq!(demo.runtime.block_on(demo.service.ticket(&lost.id)).unwrap().printed, Some(false));

    // A screen without a token keeps the old path, even with a printer: the main kiosk prints.
    let other = tempfile::tempdir().unwrap();
    let cfg = StationConfig::parse("[kiosk]\n[printer]\ntransport = \"virtual\"\n", other.path()).unwrap();
    let anonymous =
        RemoteBackend::new(&url, KioskInfo::default()).with_own_printer(OwnPrinter::start(cfg.printer.as_ref().unwrap()).unwrap());
    assert_eq!(anonymous.issue("A", None, None).unwrap().printed, Some(true));
    assert_eq!((receipts(main_data.path()).len(), receipts(other.path()).len()), (1, 0));

    // The main service goes away: this kiosk says so and issues nothing …
    assert!(kiosk.ping());
    stop.send(()).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while kiosk.ping() {
        assert!(std::time::Instant::now() < deadline, "the main service did not stop");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(kiosk.issue("A", None, None).unwrap_err().code, "unreachable");
    assert_eq!(receipts(own_data.path()).len(), 2, "nothing printed while the main service is away");
    // … and once it is back on the same address, this kiosk works again by itself.
    let listener = demo.runtime.block_on(tokio::net::TcpListener::bind(address)).unwrap();
    let _stop = serve(&demo, listener);
    assert!(kiosk.ping());
    kiosk.refresh_info().unwrap();
    let after = kiosk.issue("B", None, None).unwrap();
    assert_eq!(after.printed, Some(true));
    assert_eq!(receipts(own_data.path()).len(), 3);
}
