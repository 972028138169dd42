//! SMS / Zalo notices to a citizen who left a phone number (issue 19): the number read and
//! normalised to `84…`, the three notices (approaching, called, result ready) and their texts —
//! filled from the centre's templates, stripped of diacritics by default (brandname SMS are sent
//! in GSM-7: 160 characters; a Unicode SMS holds 70) and fitted to one message.
//!
//! Pure: values in, values out. Who subscribes and when a notice is queued is
//! `service::notices`; the outbox is `store::notices`; sending is `sync::notices`. A phone
//! number is personal data (docs/PRIVACY.md): [`PhoneNumber`] never prints its digits in debug
//! output, and errors never repeat what was typed.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// How long a number left at dossier reception is kept waiting for the result (a land dossier
/// may take weeks): it goes as soon as the result-ready notice is queued or the result handed
/// over, and after these many days in any case.
pub const DOSSIER_NUMBER_DAYS: i64 = 120;

/// A Vietnamese mobile number, normalised to `84` and the 9-digit subscriber number
/// (`84912345678`).
#[derive(Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

/// Why a typed phone number was refused. Never carries the digits typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("phone is empty: type a mobile number such as 0912 345 678")]
    Empty,
    #[error("phone may hold only digits, spaces, dots, dashes, brackets and a leading +")]
    NotDigits,
    #[error("phone is not a Vietnamese mobile number: 10 digits starting with 0 (0912 345 678), or 84 and 9 digits")]
    WrongLength,
    #[error("phone is a landline number: notices go by SMS, give a mobile number")]
    Landline,
    #[error("phone is not a Vietnamese mobile number (mobile numbers start with 03, 05, 07, 08 or 09)")]
    NotMobile,
}

impl PhoneNumber {
    /// Read a number as people type it: `0912 345 678`, `0912.345.678`, `+84 912 345 678`,
    /// `84912345678`, `(+84) 0912-345-678`.
    pub fn parse(typed: &str) -> Result<PhoneNumber, PhoneError> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let mut digits = String::with_capacity(12);
        for (i, c) in typed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' | '(' | ')' => {}
                '+' if digits.is_empty() && i <= 1 => {}
                _ => return Err(PhoneError::NotDigits),
            }
        }
        let subscriber = if let Some(rest) = digits.strip_prefix("84").filter(|r| r.len() == 9 || r.len() == 10) {
            // "+84 0912 …": the trunk 0 written after the country code.
            if rest.len() == 10 {
                rest.strip_prefix('0').ok_or(PhoneError::WrongLength)?
            } else {
                rest
            }
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else {
            return Err(PhoneError::WrongLength);
        };
        // Landlines since 2017 are 0 + 2xx area code + 7–8 digits: one digit longer than a mobile.
        if subscriber.starts_with('2') {
            return Err(PhoneError::Landline);
        }
        if subscriber.len() != 9 {
            return Err(PhoneError::WrongLength);
        }
        if !matches!(subscriber.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9') {
            return Err(PhoneError::NotMobile);
        }
        Ok(PhoneNumber(format!("84{subscriber}")))
    }

    /// Read back a number this module normalised (`84` and 9 digits), as stored.
    pub fn from_stored(stored: &str) -> Option<PhoneNumber> {
        PhoneNumber::parse(stored).ok().filter(|p| p.0 == stored)
    }

    /// `84912345678`: what gateways take.
    pub fn international(&self) -> &str {
        &self.0
    }

    /// `0912 *** 678`: enough for its owner to recognise it, not enough to call it.
    pub fn masked(&self) -> String {
        let s = &self.0[2..];
        format!("0{} *** {}", &s[..3], &s[6..])
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

/// Which notice: each is sent at most once per subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// `ahead` fell to the configured threshold.
    Approaching,
    /// The number was called to a counter.
    Called,
    /// The dossier reached status 9 (Đã xử lý xong).
    ResultReady,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 3] = [NoticeKind::Approaching, NoticeKind::Called, NoticeKind::ResultReady];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Approaching => "approaching",
            NoticeKind::Called => "called",
            NoticeKind::ResultReady => "result_ready",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The placeholders its template may use; the first must be there (it names the number or
    /// the dossier).
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            NoticeKind::Approaching => &["number", "ahead", "counters", "centre"],
            NoticeKind::Called => &["number", "counter", "centre"],
            NoticeKind::ResultReady => &["dossier", "centre"],
        }
    }
}

/// One notice, with what its text says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Approaching {
        number: String,
        ahead: u32,
        /// The names of the counters that serve the ticket's service, joined ("Quầy số 01, Quầy số 02").
        counters: String,
    },
    Called {
        number: String,
        /// The counter's name ("Quầy số 03").
        counter: String,
    },
    ResultReady {
        dossier: String,
    },
}

impl Notice {
    pub fn kind(&self) -> NoticeKind {
        match self {
            Notice::Approaching { .. } => NoticeKind::Approaching,
            Notice::Called { .. } => NoticeKind::Called,
            Notice::ResultReady { .. } => NoticeKind::ResultReady,
        }
    }

    /// The value of each placeholder (`centre` is the centre's name), for the text and for a Zalo
    /// template's data.
    pub fn values(&self, centre: &str) -> Vec<(&'static str, String)> {
        let mut out = match self {
            Notice::Approaching { number, ahead, counters } => {
                vec![("number", number.clone()), ("ahead", ahead.to_string()), ("counters", counters.clone())]
            }
            Notice::Called { number, counter } => vec![("number", number.clone()), ("counter", counter.clone())],
            Notice::ResultReady { dossier } => vec![("dossier", dossier.clone())],
        };
        out.push(("centre", centre.to_string()));
        out
    }
}

/// The texts of the three notices, with `{placeholder}`s (`[notify] approaching_text`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templates {
    pub approaching: String,
    pub called: String,
    pub result_ready: String,
}

impl Default for Templates {
    fn default() -> Templates {
        Templates {
            approaching: "Số {number} sắp đến lượt: còn {ahead} người trước quý khách. Xin mời quý khách về khu chờ để nghe gọi số.".into(),
            called: "Mời số {number} đến {counter}. Xin cảm ơn!".into(),
            result_ready: "Hồ sơ {dossier} đã giải quyết xong. Mời quý khách đến Bộ phận Một cửa nhận kết quả, nhớ mang giấy tiếp nhận."
                .into(),
        }
    }
}

impl Templates {
    pub fn get(&self, kind: NoticeKind) -> &str {
        match kind {
            NoticeKind::Approaching => &self.approaching,
            NoticeKind::Called => &self.called,
            NoticeKind::ResultReady => &self.result_ready,
        }
    }
}

/// How texts are encoded: plain GSM-7 without diacritics (160 characters), or Unicode (70).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Unaccented,
    Unicode,
}

impl Encoding {
    /// Characters in one message.
    pub fn limit(self) -> usize {
        match self {
            Encoding::Unaccented => 160,
            Encoding::Unicode => 70,
        }
    }
}

/// `template` with each `{name}` replaced by `value(name)`; an unknown name is an error naming it.
/// Braces that do not hold a lowercase name are left as they are.
pub fn fill(template: &str, value: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if close > 0 && after[..close].bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
                let name = &after[..close];
                out.push_str(&value(name).ok_or_else(|| name.to_string())?);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// What is wrong with a template for `kind`, if anything: an unknown placeholder, or the
/// placeholder that names the number (or dossier) missing.
pub fn check_template(kind: NoticeKind, template: &str) -> Result<(), String> {
    let allowed = kind.placeholders();
    fill(template, &|name| allowed.contains(&name).then(String::new)).map_err(|name| {
        format!(
            "{{{name}}} is not a placeholder of this text; it may use {}",
            allowed.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ")
        )
    })?;
    let key = allowed[0];
    if !template.contains(&format!("{{{key}}}")) {
        return Err(format!("the text must say {{{key}}}: the citizen has to know which one"));
    }
    Ok(())
}

/// The text of `notice` from `templates`, encoded and fitted to one message.
pub fn text(templates: &Templates, notice: &Notice, centre: &str, encoding: Encoding) -> String {
    let values = notice.values(centre);
    let filled = fill(templates.get(notice.kind()), &|name| values.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()))
        // Checked when the configuration was read; an unknown placeholder stays as written.
        .unwrap_or_else(|_| templates.get(notice.kind()).to_string());
    fit(&filled, encoding)
}

/// `text` encoded (`Unaccented`: plain ASCII, GSM-7) and cut, at a space when it can be, to one
/// message (ending "..." when cut).
pub fn fit(text: &str, encoding: Encoding) -> String {
    let text = crate::text::nfc(text.trim());
    let text = match encoding {
        Encoding::Unaccented => unaccent(&text),
        Encoding::Unicode => text,
    };
    let limit = encoding.limit();
    if length(&text, encoding) <= limit {
        return text;
    }
    let ellipsis = "...";
    let mut cut = String::new();
    for c in text.chars() {
        let mut next = cut.clone();
        next.push(c);
        if length(&next, encoding) + ellipsis.len() > limit {
            break;
        }
        cut = next;
    }
    if let Some(space) = cut.rfind(' ').filter(|&i| i > limit / 2) {
        cut.truncate(space);
    }
    format!("{}{ellipsis}", cut.trim_end())
}

/// The message length of `text`: GSM-7 septets (the extension characters count two), or UTF-16
/// units for Unicode.
pub fn length(text: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Unaccented => text.chars().map(|c| if GSM7_EXTENSION.contains(c) { 2 } else { 1 }).sum(),
        Encoding::Unicode => text.encode_utf16().count(),
    }
}

/// Whether every character of `text` can be sent in GSM-7.
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| GSM7_BASIC.contains(c) || GSM7_EXTENSION.contains(c))
}

/// The GSM 03.38 basic character set.
const GSM7_BASIC: &str =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Characters sent with an escape (two septets each).
const GSM7_EXTENSION: &str = "^{}\\[~]|€";

/// `text` in plain ASCII that GSM-7 carries: Vietnamese letters without their marks (đ → d,
/// Đ → D), typographic punctuation made plain, anything else left out.
pub fn unaccent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            'đ' => out.push('d'),
            'Đ' | 'Ð' => out.push('D'),
            // Combining marks: the tones and the vowels' hats, hooks and breves.
            '\u{0300}'..='\u{036F}' => {}
            '‘' | '’' | '`' | '´' => out.push('\''),
            '“' | '”' | '«' | '»' => out.push('"'),
            '–' | '—' | '‑' => out.push('-'),
            '…' => out.push_str("..."),
            '\u{00A0}' | '\t' => out.push(' '),
            c if c.is_ascii() && (GSM7_BASIC.contains(c) || GSM7_EXTENSION.contains(c)) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_read_as_people_type_them() {
        for typed in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "0912-345-678",
            "+84 912 345 678",
            "+84912345678",
            "84912345678",
            "(+84) 0912 345 678",
            " 0912 345 678 ",
        ] {
            let p = PhoneNumber::parse(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
            assert_eq!(p.international(), "84912345678", "{typed:?}");
        }
        for (typed, first) in [("0326 123 456", "84326123456"), ("0563123456", "84563123456"), ("0703 123 456", "84703123456")] {
            assert_eq!(PhoneNumber::parse(typed).unwrap().international(), first);
        }
    }

    #[test]
    fn what_is_not_a_mobile_number_is_refused_without_repeating_it() {
        let cases = [
            ("", PhoneError::Empty),
            ("   ", PhoneError::Empty),
            ("0912 345 67a", PhoneError::NotDigits),
            ("0912/345/678", PhoneError::NotDigits),
            ("091234567", PhoneError::WrongLength),
            ("09123456789", PhoneError::WrongLength),
            ("912345678", PhoneError::WrongLength),
            ("+1 202 555 0100", PhoneError::WrongLength),
            ("024 3825 1234", PhoneError::Landline),
            ("0238 3844 123", PhoneError::Landline),
            ("0612 345 678", PhoneError::NotMobile),
            ("0112 345 678", PhoneError::NotMobile),
            ("0412 345 678", PhoneError::NotMobile),
            ("84 0 912 345 6789", PhoneError::WrongLength),
            ("0+912345678", PhoneError::NotDigits),
        ];
        for (typed, want) in cases {
            let got = PhoneNumber::parse(typed);
            assert_eq!(got, Err(want.clone()), "{typed:?}");
            let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
            if digits.len() > 3 {
                assert!(!want.to_string().contains(&digits), "{want} repeats the number");
            }
        }
    }

    #[test]
    fn a_number_shows_masked_and_never_in_debug_output() {
        let p = PhoneNumber::parse("0912 345 678").unwrap();
        assert_eq!(p.masked(), "0912 *** 678");
        let debug = format!("{p:?} {:?}", Some(p.clone()));
        assert!(!debug.contains("345"), "{debug}");
        assert!(!debug.contains("912345678"), "{debug}");
        assert_eq!(PhoneNumber::from_stored("84912345678"), Some(p));
        assert_eq!(PhoneNumber::from_stored("0912345678"), None);
    }

    #[test]
    fn every_vietnamese_letter_loses_its_marks() {
        let lower = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        let want_lower = "aaaaaaaaaaaaaaaaaaeeeeeeeeeeeeiiiiiioooooooooooooooooouuuuuuuuuuuuyyyyyyd";
        assert_eq!(unaccent(lower), want_lower);
        assert_eq!(unaccent(&lower.to_uppercase()), want_lower.to_uppercase());
        // Decomposed input, the look-alike Ð, and old tone placement fold the same way.
        assert_eq!(unaccent("Ho\u{0300}a hoà hòa ÐẮK"), "Hoa hoa hoa DAK");
        assert_eq!(unaccent("“Số” – 3…"), "\"So\" - 3...");
        assert!(unaccent("Đăng ký ✓ 😀 中").is_ascii());
    }

    #[test]
    fn the_default_texts_are_plain_ascii_within_one_sms_and_name_the_number() {
        let t = Templates::default();
        let approaching = text(
            &t,
            &Notice::Approaching { number: "A012".into(), ahead: 3, counters: "Quầy số 01".into() },
            "Trung tâm",
            Encoding::Unaccented,
        );
        assert_eq!(approaching, "So A012 sap den luot: con 3 nguoi truoc quy khach. Xin moi quy khach ve khu cho de nghe goi so.");
        let called = text(&t, &Notice::Called { number: "A012".into(), counter: "Quầy số 03".into() }, "", Encoding::Unaccented);
        assert_eq!(called, "Moi so A012 den Quay so 03. Xin cam on!");
        let ready = text(&t, &Notice::ResultReady { dossier: "000.00.17.H41-260302-0001".into() }, "", Encoding::Unaccented);
        assert!(ready.starts_with("Ho so 000.00.17.H41-260302-0001 da giai quyet xong."), "{ready}");
        for s in [&approaching, &called, &ready] {
            assert!(s.is_ascii() && is_gsm7(s) && length(s, Encoding::Unaccented) <= 160, "{s}");
        }
        for kind in NoticeKind::ALL {
            check_template(kind, t.get(kind)).unwrap();
        }
    }

    #[test]
    fn a_long_text_is_cut_to_one_message_at_a_space() {
        let long = "Số A012 sắp đến lượt. ".repeat(20);
        let sms = fit(&long, Encoding::Unaccented);
        assert!(length(&sms, Encoding::Unaccented) <= 160, "{}", sms.len());
        assert!(sms.ends_with("...") && sms.starts_with("So A012"), "{sms}");
        assert!(!sms.contains("  "));
        // Extension characters count twice.
        assert_eq!(length("a{b}", Encoding::Unaccented), 6);
        let braces = "{}".repeat(100);
        assert!(length(&fit(&braces, Encoding::Unaccented), Encoding::Unaccented) <= 160);
        // Unicode keeps the marks and holds 70.
        let uni = fit(&long, Encoding::Unicode);
        assert!(uni.starts_with("Số A012") && length(&uni, Encoding::Unicode) <= 70, "{uni}");
        let short = fit("Mời số A012", Encoding::Unicode);
        assert_eq!(short, "Mời số A012");
    }

    #[test]
    fn templates_use_only_their_placeholders_and_must_name_the_number() {
        assert!(check_template(NoticeKind::Called, "Mời số {number} đến {counter}").is_ok());
        let e = check_template(NoticeKind::Called, "Mời số {number} còn {ahead}").unwrap_err();
        assert!(e.contains("{ahead}") && e.contains("{counter}"), "{e}");
        let e = check_template(NoticeKind::Approaching, "Sắp đến lượt").unwrap_err();
        assert!(e.contains("{number}"), "{e}");
        assert!(check_template(NoticeKind::ResultReady, "Hồ sơ {dossier} {centre}").is_ok());
        // Braces that are not placeholders stay.
        assert_eq!(fill("a {B} {} {x", &|_| None).unwrap(), "a {B} {} {x");
        assert_eq!(fill("{a}{b}", &|n| Some(n.to_uppercase())).unwrap(), "AB");
    }
}
