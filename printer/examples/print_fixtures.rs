//! Prints the test fixtures (one of each layout) through the virtual printer, to look at the
//! receipts: `cargo run -p printer --example print_fixtures -- [DIR] [PROFILE] [TEXT_MODE]`
//! (defaults: var/receipts, generic-80, raster). Each job lands as `<n>-<kind>.bin/.png`, and
//! its size in bytes is printed.

#[allow(dead_code)] // each user takes the fixtures it needs
#[path = "../tests/common/fixtures.rs"]
mod fixtures;

use printer::{Printer, PrinterConfig};

fn main() -> Result<(), printer::PrintError> {
    let mut args = std::env::args().skip(1);
    let cfg = PrinterConfig {
        virtual_dir: args.next().map(Into::into),
        profile: args.next(),
        text_mode: args.next(),
        ..PrinterConfig::virtual_default()
    };
    let mut printer = Printer::open(&cfg)?;
    for (_, doc) in fixtures::all() {
        let outcome = printer.print(&doc)?;
        println!("{:>6} bytes  {}", outcome.bytes, outcome.saved_to.map(|p| p.display().to_string()).unwrap_or_default());
    }
    Ok(())
}
