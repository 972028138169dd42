//! Every layout, at every paper width, printed through the virtual printer: the printout equals
//! the rendered page dot for dot, the QR decodes to the document's URL, the stream holds no
//! unknown bytes, and the page matches its golden PNG (`PRINTER_UPDATE_GOLDEN=1` rewrites the
//! goldens and the copies in `docs/receipts/`).

mod common;

use printer::{samples, Bitmap, Document, Profile, VirtualPrinter};
use std::path::PathBuf;

fn qr_target(doc: &Document) -> &str {
    match doc {
        Document::QueueTicket(t) => &t.follow_url,
        Document::DossierReceipt(r) => &r.lookup_url,
        Document::Checklist(c) => &c.online_url,
        Document::LateNotice(n) => &n.lookup_url,
        Document::SelfTest(s) => &s.check_url,
    }
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn check_golden(name: &str, page: &Bitmap) {
    let path = golden_dir().join(format!("{name}.png"));
    if std::env::var_os("PRINTER_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, page.to_png()).unwrap();
        let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/receipts");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join(format!("{name}.png")), page.to_png()).unwrap();
        return;
    }
    let golden = Bitmap::read_png(&std::fs::read(&path).unwrap_or_else(|_| panic!("missing golden {path:?}"))).unwrap();
    assert_eq!((golden.width(), golden.height()), (page.width(), page.height()), "{name}: size differs from golden");
    let differing = (0..page.height())
        .flat_map(|y| (0..page.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| golden.get(x, y) != page.get(x, y))
        .count();
    assert_eq!(differing, 0, "{name}: {differing} dots differ from {path:?}");
}

#[test]
fn every_layout_prints_as_rendered_matches_its_golden_and_its_qr_scans() {
    let dir = tempfile::tempdir().unwrap();
    for (profile, width) in [("generic-80", 576), ("epson-tm-t88", 512), ("generic-58", 384)] {
        let profile = (profile != "generic-80").then_some(profile);
        let mut printer = common::virtual_printer(dir.path(), profile, None, None);
        assert_eq!(printer.settings().width_dots, width);
        for (name, doc) in samples::all() {
            let page = printer.render(&doc).unwrap();
            let job = printer.encode(&doc).unwrap();
            let printout = printer.virtual_printer().unwrap().print_to_memory(&job.bytes);
            assert!(printout.unknown.is_empty(), "{name}@{width}: {:?}", printout.unknown);
            assert!(printout.cut, "{name}@{width}: job must end with a cut");
            assert_eq!(printout.image, page, "{name}@{width}: printout differs from the rendered page");
            assert_eq!(common::decode_qr(&page), vec![qr_target(&doc).to_string()], "{name}@{width}");
            check_golden(&format!("{name}-{width}"), &page);
        }
    }
}

#[test]
fn print_saves_bin_and_png_named_by_job_number_and_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut printer = common::virtual_printer(dir.path(), None, None, None);
    let ticket = Document::QueueTicket(samples::queue_ticket());
    let first = printer.print(&ticket).unwrap();
    let second = printer.print(&Document::DossierReceipt(samples::dossier_receipt())).unwrap();
    assert_eq!(first.saved_to, Some(dir.path().join("0001-ticket.png")));
    assert_eq!(second.saved_to, Some(dir.path().join("0002-receipt.png")));
    let bin = std::fs::read(dir.path().join("0001-ticket.bin")).unwrap();
    assert_eq!(bin.len(), first.bytes);
    let png = Bitmap::read_png(&std::fs::read(dir.path().join("0001-ticket.png")).unwrap()).unwrap();
    assert_eq!(png, printer.render(&ticket).unwrap());
    // A new printer on the same directory continues the numbering instead of overwriting.
    let mut again = common::virtual_printer(dir.path(), None, None, None);
    assert_eq!(again.print(&ticket).unwrap().saved_to, Some(dir.path().join("0003-ticket.png")));
}

#[test]
fn the_ticket_number_is_the_biggest_thing_on_the_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let mut printer = common::virtual_printer(dir.path(), None, None, None);
    let page = printer.render(&Document::QueueTicket(samples::queue_ticket())).unwrap();
    // The tallest run of rows that all contain ink is the number: at least 15 mm (120 dots).
    let mut best = 0;
    let mut run = 0;
    for y in 0..page.height() {
        run = if page.row_is_blank(y) { 0 } else { run + 1 };
        best = best.max(run);
    }
    assert!(best >= 120, "tallest ink run {best} dots");
}

#[test]
fn raster_stream_is_banded_and_uses_feeds_for_blank_space() {
    let ticket = Document::QueueTicket(samples::queue_ticket());
    let dir = tempfile::tempdir().unwrap();
    let mut printer = common::virtual_printer(dir.path(), None, None, None);
    let bytes = printer.encode(&ticket).unwrap().bytes;
    assert_eq!(&bytes[..2], &[0x1b, 0x40], "starts with ESC @");
    assert_eq!(&bytes[bytes.len() - 4..], &[0x1d, 0x56, 0x41, 0x00], "ends with GS V 65 0");
    assert!(!bytes.starts_with(&[0x18]), "no CAN before the image");
    let vp = VirtualPrinter::new(dir.path(), Profile::generic_80(), 576);
    let mut i = 0;
    let (mut bands, mut feeds) = (0, 0);
    while i < bytes.len() {
        let (cmd, len) = printer::virtual_printer::commands::next(&bytes[i..]).unwrap();
        match cmd {
            printer::virtual_printer::commands::Command::Raster { rows, bytes_per_row, .. } => {
                assert!(rows <= 128 && bytes_per_row == 72);
                bands += 1;
            }
            printer::virtual_printer::commands::Command::FeedDots(_) => feeds += 1,
            _ => {}
        }
        i += len;
    }
    assert!(bands >= 5 && feeds >= 1, "bands {bands}, feeds {feeds}");
    assert!(vp.print_to_memory(&bytes).unknown.is_empty());
}
