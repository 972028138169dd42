//! The citizen's card at the kiosk (issue 19): the QR of a chip-based CCCD / Căn cước card, read
//! by a scanner, so that one person takes a fair share of numbers and a holder aged 60 or more is
//! served as elderly (Luật Người cao tuổi) without having to ask.
//!
//! Privacy by design (docs/PRIVACY.md): the card is parsed in memory and dropped; what remains
//! is a [`PersonKey`] — an HMAC of the ID number under the site's own secret and the day — so
//! the database can count a person's numbers today without holding who they are, and a key of
//! one day says nothing about another day. Name, ID number, date of birth and address never
//! leave this module: [`IdentityCard`] prints none of them, not even in `Debug`.
//!
//! Pure: text in, values out; no file, clock or database.

use chrono::{Datelike, NaiveDate};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// From this age a citizen is "người cao tuổi" (Luật Người cao tuổi 2009, Điều 2).
pub const ELDERLY_AGE: u32 = 60;

/// What the kiosk needs from a card: the number (only to derive a [`PersonKey`]) and the date
/// of birth (only to tell the age). The rest of the QR is read past and never kept.
#[derive(Clone, PartialEq, Eq)]
pub struct IdentityCard {
    id_number: String,
    birth: NaiveDate,
}

impl std::fmt::Debug for IdentityCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdentityCard(…)")
    }
}

/// Why a scanned text is not a card's QR, in words a citizen can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("this is not the QR of a CCCD / Căn cước card: {0}")]
    NotACard(&'static str),
    #[error("this person already has {taken} number(s) {scope}; the limit is {cap}")]
    PersonCapReached { taken: u32, cap: u32, scope: &'static str },
}

impl IdentityCard {
    /// Parse the QR text of a CCCD / Căn cước card: fields separated by `|` — the 12-digit ID
    /// number, the old 9-digit ID number (may be empty), the full name, the date of birth
    /// `ddmmyyyy`, the sex, the address, the issue date `ddmmyyyy` (newer cards may add fields
    /// after these). Anything else is refused.
    pub fn parse(qr: &str) -> Result<IdentityCard, IdentityError> {
        let qr = qr.trim();
        let fields: Vec<&str> = qr.split('|').map(str::trim).collect();
        if fields.len() < 7 {
            return Err(IdentityError::NotACard("a card's QR has at least seven fields separated by |"));
        }
        let id = fields[0];
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentityError::NotACard("the ID number must be 12 digits"));
        }
        let old = fields[1];
        if !(old.is_empty() || (old.len() == 9 && old.bytes().all(|b| b.is_ascii_digit()))) {
            return Err(IdentityError::NotACard("the old ID number must be empty or 9 digits"));
        }
        if fields[2].is_empty() {
            return Err(IdentityError::NotACard("the name is missing"));
        }
        let birth = ddmmyyyy(fields[3]).ok_or(IdentityError::NotACard("the date of birth must be ddmmyyyy"))?;
        ddmmyyyy(fields[6]).ok_or(IdentityError::NotACard("the issue date must be ddmmyyyy"))?;
        Ok(IdentityCard { id_number: id.to_string(), birth })
    }

    /// Whole years of age on `day`.
    pub fn age_on(&self, day: NaiveDate) -> u32 {
        let mut age = day.year() - self.birth.year();
        if (day.month(), day.day()) < (self.birth.month(), self.birth.day()) {
            age -= 1;
        }
        age.max(0) as u32
    }

    /// Whether the holder is elderly on `day` ([`ELDERLY_AGE`] or more).
    pub fn is_elderly_on(&self, day: NaiveDate) -> bool {
        self.age_on(day) >= ELDERLY_AGE
    }

    /// The holder's key for `day` under the site's `secret`: all that is stored.
    pub fn person_key(&self, secret: &IdentitySecret, day: &str) -> PersonKey {
        let mut mac = Hmac::<Sha256>::new_from_slice(&secret.0).expect("HMAC takes a key of any length");
        mac.update(day.as_bytes());
        mac.update(b"|");
        mac.update(self.id_number.as_bytes());
        PersonKey(mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect())
    }
}

fn ddmmyyyy(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::from_ymd_opt(s[4..].parse().ok()?, s[2..4].parse().ok()?, s[..2].parse().ok()?)
}

/// The site's secret for [`PersonKey`]s: 32 random bytes kept in the data directory
/// (`store::identity_secret`), never in the repository or the configuration.
#[derive(Clone)]
pub struct IdentitySecret(pub [u8; 32]);

/// A person's key for one day: HMAC-SHA256(site secret, day | ID number), hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonKey(pub String);

/// How many numbers one person may take a day (`[identity]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonCaps {
    pub per_service: u32,
    pub per_day: u32,
}

impl Default for PersonCaps {
    fn default() -> PersonCaps {
        PersonCaps { per_service: 1, per_day: 3 }
    }
}

impl PersonCaps {
    /// Whether a person who took `in_service` numbers of this service and `today` in all may
    /// take one more.
    pub fn check(&self, in_service: u32, today: u32) -> Result<(), IdentityError> {
        if in_service >= self.per_service {
            return Err(IdentityError::PersonCapReached { taken: in_service, cap: self.per_service, scope: "for this service today" });
        }
        if today >= self.per_day {
            return Err(IdentityError::PersonCapReached { taken: today, cap: self.per_day, scope: "today" });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = "001095012345|123456789|Nguyễn Văn An|15031950|Nam|Số 1 Tràng Tiền, Hà Nội|10072021";

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_card_is_read_and_its_holder_s_age_told() {
        let card = IdentityCard::parse(CARD).unwrap();
        assert_eq!(card.age_on(day(2026, 3, 14)), 75);
        assert_eq!(card.age_on(day(2026, 3, 15)), 76);
        assert!(card.is_elderly_on(day(2026, 3, 2)));
        let young = IdentityCard::parse("079203001122||Trần Thị Bình|01022003|Nữ|TP. Hồ Chí Minh|05052022").unwrap();
        assert!(!young.is_elderly_on(day(2026, 3, 2)));
        // Sixty on the day itself.
        let sixty = IdentityCard::parse("001066000001||Lê Văn C|02031966|Nam|Huế|01012021").unwrap();
        assert!(!sixty.is_elderly_on(day(2026, 3, 1)));
        assert!(sixty.is_elderly_on(day(2026, 3, 2)));
    }

    #[test]
    fn anything_else_is_refused_with_what_is_wrong() {
        for (text, why) in [
            ("https://dichvucong.gov.vn", "seven fields"),
            ("00109501234|123456789|A|15031950|Nam|HN|10072021", "12 digits"),
            ("001095012345|12345|A|15031950|Nam|HN|10072021", "old ID"),
            ("001095012345||A|31021950|Nam|HN|10072021", "date of birth"),
            ("001095012345||A|15031950|Nam|HN|2021", "issue date"),
            ("001095012345|||15031950|Nam|HN|10072021", "name"),
        ] {
            let e = IdentityCard::parse(text).unwrap_err().to_string();
            assert!(e.contains(why), "{text}: {e}");
        }
    }

    #[test]
    fn debug_shows_nothing_of_the_holder() {
        let card = IdentityCard::parse(CARD).unwrap();
        let shown = format!("{card:?}");
        assert!(!shown.contains("001095012345") && !shown.contains("1950"), "{shown}");
    }

    #[test]
    fn a_person_s_key_depends_on_the_site_and_the_day_and_hides_the_number() {
        let card = IdentityCard::parse(CARD).unwrap();
        let (a, b) = (IdentitySecret([1; 32]), IdentitySecret([2; 32]));
        let k = card.person_key(&a, "2026-03-02");
        assert_eq!(k, card.person_key(&a, "2026-03-02"));
        assert_ne!(k, card.person_key(&a, "2026-03-03"), "a key of one day says nothing about another");
        assert_ne!(k, card.person_key(&b, "2026-03-02"), "another site, another key");
        assert_eq!(k.0.len(), 64);
        assert!(!k.0.contains("001095012345"));
    }

    #[test]
    fn caps_per_service_and_per_day() {
        let caps = PersonCaps { per_service: 1, per_day: 2 };
        assert!(caps.check(0, 0).is_ok());
        assert!(matches!(caps.check(1, 1), Err(IdentityError::PersonCapReached { cap: 1, .. })));
        assert!(caps.check(0, 1).is_ok());
        assert!(matches!(caps.check(0, 2), Err(IdentityError::PersonCapReached { cap: 2, .. })));
    }
}
