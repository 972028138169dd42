//! Dossier codes (mã hồ sơ): minted for each accepted dossier and typed back by citizens on
//! the public lookup. The format is per deployment, never hard-coded, because it has changed
//! with the law (TT 01/2018, then TT 03/2025 and TT 04/2025) and differs per agency:
//!
//! - QCVN 102:2016 agency, read right to left: `000.00.15.H41-230101-0001`;
//! - QĐ 20/2020 identifier, read left to right: `H55.242-230101-0001`;
//! - nationally centralised services: `H55.242-230101-AAXXXX`, where `AA` is two digits of the
//!   system owner's identifier ([`DossierCodeScheme::system_prefix`]).
//!
//! The sequence is per agency and per day, at least 4 digits, and grows past 9999 (the
//! allocation itself is atomic in storage, not here). Typed codes are parsed leniently: any
//! case, dashes, dots or spaces or none, or the whole URL of the slip's QR; then checked
//! against the configured [`CodePattern`]s, with a message that says what is wrong.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A well-formed dossier code, in its printed form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct DossierCode {
    agency: String,
    date: NaiveDate,
    date_text: String,
    sequence: String,
}

/// Why a typed code was rejected; `Display` is a Vietnamese / English message for the citizen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{vi} / {en}")]
pub struct MalformedCode {
    vi: String,
    en: String,
}

/// How the date is written in a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateFormat {
    /// `230101` (TT 01/2018, TT 03/2025).
    Yymmdd,
    /// `20230101` (seen in vendor systems).
    Yyyymmdd,
}

/// The shape of the agency part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyFormat {
    /// QCVN 102:2016, `000.00.15.H41`: three digits, two, two, then a letter and two digits.
    Qcvn102,
    /// QĐ 20/2020, `H55.242`: a letter A–Y and two digits, then up to four groups of digits
    /// and capitals, 35 characters at most.
    Qd20,
    /// Any dotted groups of digits and capitals, 3 to 35 characters.
    Any,
}

/// One accepted code shape. The sequence part counts the `AA` prefix of centralised codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodePattern {
    pub agency: AgencyFormat,
    #[serde(default = "default_date_format")]
    pub date: DateFormat,
    #[serde(default = "default_min_sequence")]
    pub min_sequence_digits: usize,
    #[serde(default = "default_max_sequence")]
    pub max_sequence_digits: usize,
}

/// The `[dossier_code]` configuration section.
///
/// ```toml
/// [dossier_code]
/// date = "yymmdd"
/// sequence_width = 4
/// known_agencies = ["H55.242"]
/// [[dossier_code.accepted]]
/// agency = "qd20"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DossierCodeScheme {
    /// Date format of minted codes.
    pub date: DateFormat,
    /// Minimum digits of the daily sequence of minted codes (zero-padded).
    pub sequence_width: usize,
    /// The `AA` digits of the centralised form, put before the sequence; none by default.
    pub system_prefix: Option<String>,
    /// Shapes a typed code may have, tried in order.
    pub accepted: Vec<CodePattern>,
    /// Agencies whose codes are looked up here; lets a code typed without any separator
    /// (`H552422301010001`) be split back into its parts.
    pub known_agencies: Vec<String>,
}

fn default_date_format() -> DateFormat {
    DateFormat::Yymmdd
}
fn default_min_sequence() -> usize {
    4
}
fn default_max_sequence() -> usize {
    10
}

impl Default for DossierCodeScheme {
    fn default() -> Self {
        let pattern = |agency| CodePattern {
            agency,
            date: DateFormat::Yymmdd,
            min_sequence_digits: default_min_sequence(),
            max_sequence_digits: default_max_sequence(),
        };
        DossierCodeScheme {
            date: DateFormat::Yymmdd,
            sequence_width: 4,
            system_prefix: None,
            accepted: vec![pattern(AgencyFormat::Qcvn102), pattern(AgencyFormat::Qd20)],
            known_agencies: Vec::new(),
        }
    }
}

impl MalformedCode {
    fn new(vi: impl Into<String>, en: impl Into<String>) -> MalformedCode {
        MalformedCode { vi: vi.into(), en: en.into() }
    }
}

impl DossierCode {
    /// The agency part, e.g. `000.00.15.H41`.
    pub fn agency(&self) -> &str {
        &self.agency
    }

    /// The reception date in the code.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The sequence part as printed (with the `AA` prefix of centralised codes).
    pub fn sequence(&self) -> &str {
        &self.sequence
    }

    /// Upper-case letters and digits only: the same for every way of typing the code, so
    /// storage can index it for lookups.
    pub fn compact(&self) -> String {
        compact(&self.to_string())
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", self.agency, self.date_text, self.sequence)
    }
}

impl From<DossierCode> for String {
    fn from(code: DossierCode) -> String {
        code.to_string()
    }
}

impl DateFormat {
    fn digits(self) -> usize {
        match self {
            DateFormat::Yymmdd => 6,
            DateFormat::Yyyymmdd => 8,
        }
    }

    fn format(self, date: NaiveDate) -> String {
        match self {
            DateFormat::Yymmdd => date.format("%y%m%d").to_string(),
            DateFormat::Yyyymmdd => date.format("%Y%m%d").to_string(),
        }
    }

    fn parse(self, text: &str) -> Option<NaiveDate> {
        if text.len() != self.digits() || !all_digits(text) {
            return None;
        }
        match self {
            // Two-digit years are this century's: codes began in 2018.
            DateFormat::Yymmdd => NaiveDate::parse_from_str(&format!("20{text}"), "%Y%m%d").ok(),
            DateFormat::Yyyymmdd => NaiveDate::parse_from_str(text, "%Y%m%d").ok(),
        }
    }
}

impl AgencyFormat {
    fn accepts(self, agency: &str) -> bool {
        let groups: Vec<&str> = agency.split('.').collect();
        match self {
            AgencyFormat::Qcvn102 => {
                groups.len() == 4
                    && groups[..3].iter().zip([3, 2, 2]).all(|(g, n)| g.len() == n && all_digits(g))
                    && is_level1_group(groups[3], b'Z')
            }
            AgencyFormat::Qd20 => {
                agency.len() <= 35 && groups.len() <= 5 && is_level1_group(groups[0], b'Y') && groups[1..].iter().all(|g| is_code_group(g))
            }
            AgencyFormat::Any => (3..=35).contains(&agency.len()) && groups.iter().all(|g| is_code_group(g)),
        }
    }

    fn example(self) -> &'static str {
        match self {
            AgencyFormat::Qcvn102 => "000.00.00.H00",
            AgencyFormat::Qd20 => "H00.000",
            AgencyFormat::Any => "ABC.123",
        }
    }
}

impl CodePattern {
    /// Checks the date and sequence of a code whose agency this pattern accepts.
    fn check(&self, agency: &str, date: &str, sequence: &str) -> Result<DossierCode, MalformedCode> {
        let digits = self.date.digits();
        let parsed_date = self.date.parse(date).ok_or_else(|| {
            if date.len() == digits && all_digits(date) {
                MalformedCode::new(
                    format!("ngày tiếp nhận \"{date}\" không có thật"),
                    format!("the date part \"{date}\" is not a real date"),
                )
            } else {
                MalformedCode::new(
                    format!("phần ngày \"{date}\" phải gồm {digits} chữ số"),
                    format!("the date part \"{date}\" must be {digits} digits"),
                )
            }
        })?;
        let (min, max) = (self.min_sequence_digits, self.max_sequence_digits);
        if !all_digits(sequence) || !(min..=max).contains(&sequence.len()) {
            return Err(MalformedCode::new(
                format!("số thứ tự \"{sequence}\" phải gồm {min} đến {max} chữ số"),
                format!("the sequence part \"{sequence}\" must be {min} to {max} digits"),
            ));
        }
        Ok(DossierCode { agency: agency.to_owned(), date: parsed_date, date_text: date.to_owned(), sequence: sequence.to_owned() })
    }
}

impl DossierCodeScheme {
    /// The code of the `sequence`-th dossier received by `agency` on `date`.
    pub fn format(&self, agency: &str, date: NaiveDate, sequence: u32) -> DossierCode {
        let prefix = self.system_prefix.as_deref().unwrap_or("");
        DossierCode {
            agency: agency.to_owned(),
            date,
            date_text: self.date.format(date),
            sequence: format!("{prefix}{sequence:0width$}", width = self.sequence_width),
        }
    }

    /// A regular expression (JSON Schema `pattern`) matching the printed codes this scheme mints
    /// for `agency` on any real date — all accepted back by [`DossierCodeScheme::parse`] (which
    /// also reads other spellings: any case, other separators, a whole URL).
    pub fn printed_pattern(&self, agency: &str) -> String {
        let escaped: String = agency.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_string() } else { format!("\\{c}") }).collect();
        let day = "(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])";
        let date = match self.date {
            DateFormat::Yymmdd => format!("[0-9]{{2}}{day}"),
            DateFormat::Yyyymmdd => format!("20[0-9]{{2}}{day}"),
        };
        let prefix = self.system_prefix.as_deref().unwrap_or("");
        format!("^{escaped}-{date}-{prefix}[0-9]{{{}}}$", self.sequence_width)
    }

    /// Checks at start-up that codes minted for `agency` will be accepted back on lookup.
    pub fn check_agency(&self, agency: &str) -> Result<(), MalformedCode> {
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");
        self.parse(&self.format(agency, date, 1).to_string()).map(|_| ())
    }

    /// Reads a code as a person typed or scanned it.
    pub fn parse(&self, input: &str) -> Result<DossierCode, MalformedCode> {
        let input = input.trim();
        if input.is_empty() {
            return Err(MalformedCode::new("chưa nhập mã hồ sơ", "no dossier code was entered"));
        }
        let candidates = url_candidates(input);
        let mut errors = Vec::with_capacity(candidates.len());
        for candidate in &candidates {
            match self.parse_code(candidate) {
                Ok(code) => return Ok(code),
                Err(e) => errors.push(e),
            }
        }
        // Report on the longest candidate: in a URL that is the code, not "tra-cuu" or "vi".
        let longest = (0..candidates.len()).max_by_key(|&i| candidates[i].len()).expect("a candidate");
        Err(errors.swap_remove(longest))
    }

    fn parse_code(&self, input: &str) -> Result<DossierCode, MalformedCode> {
        let text: String = input
            .chars()
            .map(|c| match c {
                '–' | '—' | '‐' | '_' => '-',
                c if c.is_whitespace() => '-',
                c => c.to_ascii_uppercase(),
            })
            .collect();
        if let Some(bad) = text.chars().find(|&c| !(is_code_char(c) || c == '-' || c == '.')) {
            return Err(MalformedCode::new(
                format!("mã hồ sơ có ký tự không hợp lệ \"{bad}\""),
                format!("the code contains an invalid character \"{bad}\""),
            ));
        }
        let groups: Vec<&str> = text.split('-').filter(|g| !g.is_empty()).collect();
        if let [agency @ .., date, sequence] = groups.as_slice() {
            if !agency.is_empty() {
                return self.check(&self.restore_agency(&agency.join(".")), date, sequence);
            }
        }
        self.parse_compact(&compact(&text))
    }

    /// Splits a code typed with no separators, using the known agencies, then QCVN 102's
    /// fixed length.
    fn parse_compact(&self, code: &str) -> Result<DossierCode, MalformedCode> {
        for agency in &self.known_agencies {
            let Some(rest) = code.strip_prefix(&compact(agency)) else {
                continue;
            };
            for pattern in &self.accepted {
                let digits = pattern.date.digits();
                if rest.len() > digits {
                    let found = pattern.agency.accepts(agency).then(|| pattern.check(agency, &rest[..digits], &rest[digits..]));
                    if let Some(Ok(found)) = found {
                        return Ok(found);
                    }
                }
            }
        }
        if code.len() > 16 && is_compact_qcvn102(&code[..10]) {
            return self.check(&restore_qcvn102(&code[..10]), &code[10..16], &code[16..]);
        }
        Err(MalformedCode::new(
            "không tách được mã hồ sơ; hãy nhập đúng như trên phiếu, có dấu gạch ngang, ví dụ 000.00.15.H41-230101-0001",
            "the code cannot be split into its parts; type it as printed on the slip, with dashes, e.g. 000.00.15.H41-230101-0001",
        ))
    }

    /// A known agency or a QCVN 102 code typed without its dots gets them back.
    fn restore_agency(&self, agency: &str) -> String {
        if agency.contains('.') {
            return agency.to_owned();
        }
        if let Some(known) = self.known_agencies.iter().find(|k| compact(k) == agency) {
            return known.clone();
        }
        if is_compact_qcvn102(agency) {
            return restore_qcvn102(agency);
        }
        agency.to_owned()
    }

    /// The first pattern that accepts the parts; else what is wrong with the date or sequence
    /// for the first pattern whose agency shape matched, else with the agency.
    fn check(&self, agency: &str, date: &str, sequence: &str) -> Result<DossierCode, MalformedCode> {
        let mut first_error = None;
        for pattern in self.accepted.iter().filter(|p| p.agency.accepts(agency)) {
            match pattern.check(agency, date, sequence) {
                Ok(code) => return Ok(code),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        let mut forms: Vec<&str> = self.accepted.iter().map(|p| p.agency.example()).collect();
        forms.dedup();
        if forms.is_empty() {
            return Err(MalformedCode::new("chưa cấu hình mẫu mã hồ sơ nào", "no dossier code pattern is configured"));
        }
        Err(MalformedCode::new(
            format!("mã cơ quan \"{agency}\" không đúng dạng {}", forms.join(" hoặc ")),
            format!("agency code \"{agency}\" is not of the form {}", forms.join(" or ")),
        ))
    }
}

/// The input itself, or for a URL (a QR scan) its path segments, last first, and query values.
fn url_candidates(input: &str) -> Vec<String> {
    if !(input.contains('/') || input.contains('?')) {
        return vec![input.to_owned()];
    }
    let without_fragment = input.split('#').next().unwrap_or(input);
    let (path, query) = without_fragment.split_once('?').unwrap_or((without_fragment, ""));
    let mut out: Vec<String> = path
        .rsplit('/')
        .chain(query.split('&').filter_map(|pair| pair.split_once('=').map(|(_, v)| v)))
        .map(percent_decode)
        .filter(|s| !s.trim().is_empty() && !s.contains(':'))
        .collect();
    if out.is_empty() {
        out.push(input.to_owned());
    }
    out
}

/// Decodes `%XX` escapes and `+`; anything else is kept as typed.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |i: usize| bytes.get(i).and_then(|&b| char::from(b).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn compact(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_code_char(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_uppercase()
}

fn is_code_group(group: &str) -> bool {
    !group.is_empty() && group.chars().all(is_code_char)
}

/// A level-1 group: a capital letter up to `last_letter` followed by two digits (`H41`).
fn is_level1_group(group: &str, last_letter: u8) -> bool {
    let b = group.as_bytes();
    b.len() == 3 && (b'A'..=last_letter).contains(&b[0]) && b[1].is_ascii_digit() && b[2].is_ascii_digit()
}

/// `0000015H41`-style 10 characters: seven digits, a letter, two digits.
fn is_compact_qcvn102(agency: &str) -> bool {
    let b = agency.as_bytes();
    b.len() == 10 && b[..7].iter().all(u8::is_ascii_digit) && b[7].is_ascii_uppercase() && b[8..].iter().all(u8::is_ascii_digit)
}

fn restore_qcvn102(agency: &str) -> String {
    format!("{}.{}.{}.{}", &agency[..3], &agency[3..5], &agency[5..7], &agency[7..])
}

#[cfg(test)]
mod pattern_tests {
    use super::*;

    #[test]
    fn the_printed_pattern_matches_what_is_minted() {
        let scheme: DossierCodeScheme = DossierCodeScheme::default();
        let p = scheme.printed_pattern("000.00.17.H41");
        assert_eq!(p, "^000\\.00\\.17\\.H41-[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])-[0-9]{4}$");
        let code = scheme.format("000.00.17.H41", NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), 7).to_string();
        assert_eq!(code, "000.00.17.H41-260302-0007");
        // Every date and sequence the pattern allows parses back.
        for (yy, mm, dd, seq) in [("00", "01", "01", "0000"), ("99", "12", "28", "9999"), ("26", "02", "28", "0001")] {
            let c = format!("000.00.17.H41-{yy}{mm}{dd}-{seq}");
            assert!(scheme.parse(&c).is_ok(), "{c}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn scheme() -> DossierCodeScheme {
        DossierCodeScheme { known_agencies: vec!["H55.242".into()], ..DossierCodeScheme::default() }
    }

    fn parsed(input: &str) -> String {
        scheme().parse(input).map(|c| c.to_string()).unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn formats_the_default_scheme() {
        let s = DossierCodeScheme::default();
        let code = s.format("000.00.15.H41", d(2023, 1, 1), 1);
        assert_eq!(code.to_string(), "000.00.15.H41-230101-0001");
        assert_eq!(code.to_string().len(), 25);
        assert_eq!(code.agency(), "000.00.15.H41");
        assert_eq!(code.date(), d(2023, 1, 1));
        assert_eq!(code.sequence(), "0001");
        assert_eq!(code.compact(), "0000015H412301010001");
        assert_eq!(s.format("H55.242", d(2026, 3, 5), 12345).to_string(), "H55.242-260305-12345");
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"000.00.15.H41-230101-0001\"");
        s.check_agency("000.00.15.H41").unwrap();
    }

    #[test]
    fn formats_the_centralised_form() {
        let s = DossierCodeScheme { system_prefix: Some("01".into()), ..DossierCodeScheme::default() };
        let code = s.format("H55.242", d(2026, 3, 5), 7);
        assert_eq!(code.to_string(), "H55.242-260305-010007");
        assert_eq!(s.parse("h55.242-260305-010007").unwrap(), code);
        s.check_agency("H55.242").unwrap();
    }

    #[test]
    fn parses_leniently() {
        for typed in [
            "000.00.15.H41-230101-0001",
            "  000.00.15.h41-230101-0001 ",
            "000.00.15.H41 230101 0001",
            "0000015H412301010001",
            "000 00 15 H41 - 230101 - 0001",
            "0000015H41-230101-0001",
            "000.00.15.H41–230101–0001",
            "https://dichvucong.example.vn/tra-cuu?ma=000.00.15.H41-230101-0001",
            "https://kiosk.local/d/000.00.15.H41-230101-0001",
            "kiosk.local/api/v1/dossiers/000.00.15.H41-230101-0001?lang=vi",
            "https://kiosk.local/tra-cuu?code=000%2E00%2E15%2EH41%2D230101%2D0001#top",
        ] {
            assert_eq!(parsed(typed), "000.00.15.H41-230101-0001", "{typed:?}");
        }
        assert_eq!(parsed("h55.242-230101-0001"), "H55.242-230101-0001");
        assert_eq!(parsed("H552422301010001"), "H55.242-230101-0001");
        assert_eq!(parsed("H55242-230101-0001"), "H55.242-230101-0001");
        assert_eq!(parsed("H55.242-230101-00012"), "H55.242-230101-00012");
    }

    #[test]
    fn explains_what_is_wrong() {
        assert_eq!(
            parsed("000.00.15.H41-231301-0001"),
            "ERR ngày tiếp nhận \"231301\" không có thật / the date part \"231301\" is not a real date"
        );
        assert!(parsed("000.00.15.H41-2301-0001").contains("the date part \"2301\" must be 6 digits"));
        assert!(parsed("000.00.15.H41-230101-01").contains("the sequence part \"01\" must be 4 to 10 digits"));
        assert!(parsed("0.00.15.H41-230101-0001").contains("is not of the form"));
        assert!(parsed("000.00.15.H41-230101-0001!").contains("invalid character \"!\""));
        assert!(parsed("").contains("no dossier code was entered"));
        assert!(parsed("12345678").contains("type it as printed on the slip"));
        assert!(parsed("https://kiosk.local/tra-cuu?ma=").contains("type it as printed"));
        assert!(parsed("https://kiosk.local/tra-cuu?ma=000.00.15.H41-231301-0001&lang=vi").contains("not a real date"));
        // Z is not a QĐ 20/2020 level-1 letter.
        assert_eq!(
            parsed("Z55.242-230101-0001"),
            "ERR mã cơ quan \"Z55.242\" không đúng dạng 000.00.00.H00 hoặc H00.000 / \
             agency code \"Z55.242\" is not of the form 000.00.00.H00 or H00.000"
        );
    }

    #[test]
    fn vendor_patterns_can_be_enabled() {
        let mut s = DossierCodeScheme::default();
        assert!(s.parse("G09.20-20260609-0092637").is_err());
        s.accepted.push(CodePattern {
            agency: AgencyFormat::Any,
            date: DateFormat::Yyyymmdd,
            min_sequence_digits: 4,
            max_sequence_digits: 8,
        });
        let code = s.parse("g09.20-20260609-0092637").unwrap();
        assert_eq!(code.date(), d(2026, 6, 9));
        assert_eq!(code.to_string(), "G09.20-20260609-0092637");
    }

    #[test]
    fn scheme_from_toml() {
        let s: DossierCodeScheme = toml::from_str(
            "sequence_width = 5\nknown_agencies = [\"H55.242\"]\n[[accepted]]\nagency = \"qd20\"\nmin_sequence_digits = 5\n",
        )
        .unwrap();
        assert_eq!(s.accepted.len(), 1);
        assert_eq!(s.accepted[0].max_sequence_digits, 10);
        assert_eq!(s.format("H55.242", d(2026, 1, 2), 3).to_string(), "H55.242-260102-00003");
        s.check_agency("H55.242").unwrap();
        assert!(s.check_agency("000.00.15.H41").is_err(), "only QĐ 20 agencies accepted");
        assert!(toml::from_str::<DossierCodeScheme>("[[accepted]]\nagency = \"qcvn\"\n").is_err());
    }

    #[test]
    fn compact_form_is_the_same_however_typed() {
        let s = scheme();
        let a = s.parse("000.00.15.H41-230101-0001").unwrap();
        let b = s.parse("0000015h412301010001").unwrap();
        assert_eq!(a.compact(), b.compact());
    }
}
