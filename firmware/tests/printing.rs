//! Printer faults as the queue sees them: the virtual printer sits behind a real TCP port (like
//! a network printer on 9100) and runs out of paper, opens its cover, slows down or disappears.
//! The service keeps issuing numbers, says `printed: false`, never waits past its timeout, and
//! tells staff through `/healthz` and `printer_status` events.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{FixedOffset, TimeZone};
use firmware::clock::ManualClock;
use firmware::{Config, Service};
use printer::{Faults, Profile, VirtualPrinter};

struct Rig {
    service: Service,
    vp: VirtualPrinter,
    _server: printer::virtual_printer::Server,
    _dir: tempfile::TempDir,
}

async fn rig(timeout_ms: u64) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let vp = VirtualPrinter::new(dir.path().join("paper"), Profile::by_name("epson-tm-t20").unwrap(), 576);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let server = vp.serve_tcp(listener).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
    let mut config = Config::load(&path).unwrap();
    config.data_dir = dir.path().join("data");
    let mut p = printer::PrinterConfig::virtual_default();
    p.transport = format!("tcp:{addr}");
    p.profile = Some("epson-tm-t20".into());
    p.timeout_ms = Some(timeout_ms);
    config.printer = Some(p);
    let at = FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let service = firmware::server::start(config, Arc::new(ManualClock::new(at))).await.unwrap();
    Rig { service, vp, _server: server, _dir: dir }
}

async fn wait_for_state(service: &Service, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(8);
    while service.printer_state() != want {
        assert!(Instant::now() < deadline, "printer state stayed {} instead of {want}", service.printer_state());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_printer_prints_the_ticket() {
    let r = rig(3000).await;
    let t = r.service.issue("A", None).await.unwrap();
    assert_eq!(t.printed, Some(true));
    // The printer on the other end of the socket saves each job once it has read it all.
    let pngs = || {
        std::fs::read_dir(r._dir.path().join("paper"))
            .map(|d| d.filter_map(|e| e.ok()).filter(|e| e.path().extension().is_some_and(|x| x == "png")).count())
            .unwrap_or(0)
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while pngs() < 1 {
        assert!(Instant::now() < deadline, "the virtual printer behind TCP never received the ticket");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(pngs(), 1);
    wait_for_state(&r.service, "ready").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paper_out_keeps_numbers_flowing_and_warns_staff() {
    let r = rig(2000).await;
    wait_for_state(&r.service, "ready").await;
    let mut events = r.service.events().subscribe();
    r.vp.set_faults(Faults { paper_out: true, ..Faults::default() });
    let started = Instant::now();
    let a1 = r.service.issue("A", None).await.unwrap();
    let a2 = r.service.issue("A", None).await.unwrap();
    assert_eq!((a1.number.as_str(), a2.number.as_str()), ("A001", "A002"), "numbers keep coming");
    assert_eq!(a1.printed, Some(false));
    assert_eq!(a2.printed, Some(false));
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    wait_for_state(&r.service, "paper_out").await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let e = tokio::time::timeout_at(deadline.into(), events.recv()).await.expect("a printer_status event").unwrap();
        if matches!(&e.event, firmware::events::Event::PrinterStatus(p) if p.state == "paper_out") {
            break;
        }
    }
    // the roll is replaced: printing resumes
    r.vp.set_faults(Faults::default());
    wait_for_state(&r.service, "ready").await;
    assert_eq!(r.service.issue("A", None).await.unwrap().printed, Some(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_cover_is_reported_and_the_ticket_is_not_sent() {
    let r = rig(1500).await;
    wait_for_state(&r.service, "ready").await;
    r.vp.set_faults(Faults { cover_open: true, ..Faults::default() });
    let t = r.service.issue("B", None).await.unwrap();
    assert_eq!((t.number.as_str(), t.printed), ("B001", Some(false)));
    wait_for_state(&r.service, "cover_open").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unplugged_printer_is_offline_and_issuing_goes_on() {
    // A port nobody listens on: the cable is pulled.
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
    let mut config = Config::load(&path).unwrap();
    config.data_dir = dir.path().to_path_buf();
    let mut p = printer::PrinterConfig::virtual_default();
    p.transport = format!("tcp:127.0.0.1:{port}");
    p.timeout_ms = Some(1000);
    config.printer = Some(p);
    let at = FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let service = firmware::server::start(config, Arc::new(ManualClock::new(at))).await.unwrap();
    let started = Instant::now();
    let t = service.issue("C", None).await.unwrap();
    assert_eq!(t.printed, Some(false));
    assert!(started.elapsed() < Duration::from_secs(4));
    wait_for_state(&service, "offline").await;
}
