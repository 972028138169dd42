//! The printer section of the kiosk's TOML configuration.

use printer::{PrintError, Printer, PrinterConfig, TextMode, TransportSpec};

#[test]
fn a_toml_section_configures_the_printer() {
    let cfg: PrinterConfig = toml::from_str(
        r#"
        transport = "tcp:192.168.1.50:9100"
        profile = "epson-tm-t88"
        text_mode = "tcvn3"
        timeout_ms = 2000
        "#,
    )
    .unwrap();
    let printer = Printer::open(&cfg).unwrap();
    let s = printer.settings();
    assert_eq!(s.transport, TransportSpec::Tcp("192.168.1.50:9100".into()));
    assert_eq!((s.width_dots, s.text_mode), (512, TextMode::Tcvn3));
}

#[test]
fn unknown_keys_are_rejected() {
    let err = toml::from_str::<PrinterConfig>("transport = \"virtual\"\nwidth = 576\n").unwrap_err();
    assert!(err.to_string().contains("unknown field"), "{err}");
}

#[test]
fn bad_values_name_the_fix() {
    let mut cfg = PrinterConfig::virtual_default();
    cfg.text_mode = Some("utf8".into());
    match Printer::open(&cfg) {
        Err(PrintError::Config(m)) => assert!(m.contains("\"raster\", \"tcvn3\" or \"cp1258\""), "{m}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
}
