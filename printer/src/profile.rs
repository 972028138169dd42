//! Printer profiles: what differs between printer models (paper width, resolution, which
//! `ESC t` pages hold Vietnamese, whether native QR and the Kanji-cancel command are needed).
//! Vendor page numbers come from escpos-printer-db and user reports (see
//! `shared/docs/research/escpos-notes.md` §2.1); check them against the printer's self-test page.

use crate::error::PrintError;

/// How text reaches the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMode {
    /// Every document rendered to a 1-bit image and sent as `GS v 0` bands (the default).
    Raster,
    /// Printer fonts with TCVN-3 (precomposed, lower and upper case on two `ESC t` pages).
    Tcvn3,
    /// Printer fonts with Windows-1258 (base letter followed by a combining tone byte).
    Cp1258,
}

impl TextMode {
    pub fn parse(name: &str) -> Result<TextMode, PrintError> {
        match name {
            "raster" => Ok(TextMode::Raster),
            "tcvn3" => Ok(TextMode::Tcvn3),
            "cp1258" => Ok(TextMode::Cp1258),
            other => Err(PrintError::Config(format!("text_mode \"{other}\" is unknown; use \"raster\", \"tcvn3\" or \"cp1258\""))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TextMode::Raster => "raster",
            TextMode::Tcvn3 => "tcvn3",
            TextMode::Cp1258 => "cp1258",
        }
    }
}

/// What one printer model needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: &'static str,
    /// Printable width in dots.
    pub width_dots: u32,
    pub dpi: u32,
    /// `ESC t` pages for TCVN-3 lower case and upper case, if the printer has them.
    pub tcvn3_pages: Option<(u8, u8)>,
    /// `ESC t` page for Windows-1258, if the printer has it.
    pub cp1258_page: Option<u8>,
    /// Send `FS .` first: Chinese firmware otherwise reads 8-bit text as double-byte characters.
    pub cancel_kanji: bool,
    /// The printer draws QR codes itself (`GS ( k`, Model 2): the QR goes as its data, in text
    /// and raster modes alike.
    pub native_qr: bool,
    /// Rows per `GS v 0` band; cheap firmware stalls on tall blocks.
    pub band_rows: u32,
    /// `ESC a 1` centres raster bands as it centres text (Epson's `GS v 0`, and the clones that
    /// python-escpos and esc_pos_utils centre images on), so centred bands are sent cropped.
    pub centred_raster: bool,
    /// `GS v 0` with m = 1 prints each dot 2 × 1 (double width) and with m = 3 2 × 2 (quadruple
    /// density), in Epson's and the clones' command tables: bold text goes in half the bytes,
    /// the QR code and the ticket number in a quarter.
    pub scaled_raster: bool,
}

const GENERIC_80: Profile = Profile {
    name: "generic-80",
    width_dots: 576,
    dpi: 203,
    tcvn3_pages: Some((30, 31)),
    cp1258_page: Some(52),
    cancel_kanji: true,
    native_qr: false,
    band_rows: 128,
    centred_raster: true,
    scaled_raster: true,
};

/// The profiles this crate knows, by configuration name.
pub const PROFILES: &[Profile] = &[
    GENERIC_80,
    Profile {
        name: "generic-58",
        width_dots: 384,
        dpi: 203,
        tcvn3_pages: None,
        cp1258_page: Some(27),
        cancel_kanji: true,
        native_qr: false,
        band_rows: 64,
        centred_raster: true,
        scaled_raster: true,
    },
    Profile {
        name: "epson-tm-t20",
        width_dots: 576,
        dpi: 203,
        tcvn3_pages: Some((30, 31)),
        cp1258_page: Some(52),
        cancel_kanji: false,
        native_qr: true,
        band_rows: 128,
        centred_raster: true,
        scaled_raster: true,
    },
    Profile {
        name: "epson-tm-t88",
        width_dots: 512,
        dpi: 180,
        tcvn3_pages: Some((30, 31)),
        cp1258_page: Some(52),
        cancel_kanji: false,
        native_qr: true,
        band_rows: 128,
        centred_raster: true,
        scaled_raster: true,
    },
    Profile {
        name: "xprinter-80",
        width_dots: 576,
        dpi: 203,
        tcvn3_pages: None,
        cp1258_page: Some(27),
        cancel_kanji: true,
        native_qr: true,
        band_rows: 128,
        centred_raster: true,
        scaled_raster: true,
    },
];

impl Profile {
    /// The default when no profile is configured: an 80 mm, 203 dpi printer driven in raster.
    pub fn generic_80() -> Profile {
        GENERIC_80
    }

    pub fn by_name(name: &str) -> Result<Profile, PrintError> {
        PROFILES.iter().find(|p| p.name == name).cloned().ok_or_else(|| {
            let known: Vec<&str> = PROFILES.iter().map(|p| p.name).collect();
            PrintError::Config(format!("profile \"{name}\" is unknown; use one of {}", known.join(", ")))
        })
    }

    /// Refuses a text mode the printer has no code page for.
    pub fn check_text_mode(&self, mode: TextMode) -> Result<(), PrintError> {
        let missing = match mode {
            TextMode::Raster => false,
            TextMode::Tcvn3 => self.tcvn3_pages.is_none(),
            TextMode::Cp1258 => self.cp1258_page.is_none(),
        };
        if missing {
            return Err(PrintError::Config(format!("profile {} has no {} code page; use text_mode = \"raster\"", self.name, mode.name())));
        }
        Ok(())
    }
}
