//! The editable override table: the Government announces every year which Saturday is worked
//! to bridge a holiday, and a province may close an office for a local reason. Admins record
//! those in `config/holidays/*.toml`; this module parses their text (the files are read by
//! `config::holidays`) and reports mistakes with the file and line, because a typo here silently
//! moves every appointment date after it.
//!
//! ```toml
//! [[day_off]]
//! date = 2024-04-29
//! reason = "Nghỉ hoán đổi, làm bù thứ Bảy 04/5 (Công văn 2450/VPCP-KGVX)"
//!
//! [[working_day]]
//! date = 2024-05-04
//! reason = "Làm bù cho thứ Hai 29/4 (Công văn 2450/VPCP-KGVX)"
//! ```
//!
//! A `working_day` entry makes the date a working day whatever it is (a Saturday, a generated
//! holiday or compensatory day); a `day_off` entry makes it a day off. One date may appear once.
//!
//! A `break` is the whole stretch the Government gives public servants off around a holiday
//! (Tết, 30/4–1/5, 2/9), the Saturdays and Sundays inside it included:
//!
//! ```toml
//! [[break]]
//! from = 2026-02-14
//! to = 2026-02-22
//! reason = "Nghỉ Tết Nguyên đán Bính Ngọ 2026"
//! ```
//!
//! Every day of a break is closed: no counting toward a limit, no reception, and no tickets —
//! also on a Saturday inside it, where a centre that opens on Saturday mornings would otherwise
//! dispense. A worked day (`working_day`) may not fall inside a break.

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

/// What an override does to its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideKind {
    DayOff,
    WorkingDay,
}

/// One entry of the override table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub date: NaiveDate,
    pub kind: OverrideKind,
    pub reason: String,
    /// `file:line` of the entry, for error messages and the admin screen.
    pub source: String,
}

/// A holiday break: every day from `from` to `to` (both included) is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
    /// `file:line` of the entry.
    pub source: String,
}

/// The longest break accepted: a typo in a year (2026-02-14 to 2027-02-22) must not close the
/// office for a year.
const MAX_BREAK_DAYS: i64 = 16;

/// All override entries, by date, and the holiday breaks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverrideTable {
    entries: BTreeMap<NaiveDate, Override>,
    /// By first day; never overlapping.
    breaks: BTreeMap<NaiveDate, Break>,
}

/// A mistake in an override file.
#[derive(Debug, thiserror::Error)]
pub enum OverrideError {
    #[error("{}: cannot read: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{file}:{line}: {message}")]
    Invalid { file: String, line: usize, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntries {
    #[serde(default)]
    day_off: Vec<toml::Spanned<Entry>>,
    #[serde(default)]
    working_day: Vec<toml::Spanned<Entry>>,
    #[serde(default, rename = "break")]
    breaks: Vec<toml::Spanned<BreakEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BreakEntry {
    from: toml::Spanned<DateInput>,
    to: toml::Spanned<DateInput>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    date: toml::Spanned<DateInput>,
    reason: String,
}

/// A TOML date (`2024-05-04`) or the same written as a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateInput {
    Toml(toml::value::Datetime),
    Text(String),
}

impl OverrideTable {
    /// Adds the entries of one file; `file` names it in error messages.
    pub fn add_file(&mut self, file: &str, text: &str) -> Result<(), OverrideError> {
        let invalid = |span: Option<Range<usize>>, message: String| OverrideError::Invalid {
            file: file.to_owned(),
            line: span.map_or(1, |s| line_of(text, s.start)),
            message,
        };
        let parsed: FileEntries = toml::from_str(text).map_err(|e| invalid(e.span(), e.message().to_owned()))?;
        let kinds = [(OverrideKind::DayOff, parsed.day_off), (OverrideKind::WorkingDay, parsed.working_day)];
        for (kind, entries) in kinds {
            for entry in entries {
                let span = entry.span();
                let Entry { date, reason } = entry.into_inner();
                let date_span = date.span();
                let date = parse_date(date.into_inner()).map_err(|message| invalid(Some(date_span.clone()), message))?;
                if reason.trim().is_empty() {
                    return Err(invalid(Some(span), format!("{date}: the reason is empty")));
                }
                let source = format!("{file}:{}", line_of(text, date_span.start));
                if let Some(previous) = self.entries.get(&date) {
                    return Err(invalid(Some(date_span), format!("{date} is already listed at {}", previous.source)));
                }
                self.entries.insert(date, Override { date, kind, reason, source });
            }
        }
        for entry in parsed.breaks {
            let span = entry.span();
            let BreakEntry { from, to, reason } = entry.into_inner();
            let (from_span, to_span) = (from.span(), to.span());
            let from = parse_date(from.into_inner()).map_err(|message| invalid(Some(from_span.clone()), message))?;
            let to = parse_date(to.into_inner()).map_err(|message| invalid(Some(to_span.clone()), message))?;
            if to < from {
                return Err(invalid(Some(to_span), format!("the break ends ({to}) before it starts ({from})")));
            }
            let days = (to - from).num_days() + 1;
            if days > MAX_BREAK_DAYS {
                return Err(invalid(
                    Some(to_span),
                    format!("a break of {days} days ({from} to {to}): at most {MAX_BREAK_DAYS}; check the year"),
                ));
            }
            if reason.trim().is_empty() {
                return Err(invalid(Some(span), format!("break {from} to {to}: the reason is empty")));
            }
            let source = format!("{file}:{}", line_of(text, from_span.start));
            if let Some(other) = self.breaks.values().find(|b| b.from <= to && from <= b.to) {
                return Err(invalid(Some(from_span), format!("the break {from} to {to} overlaps the one at {}", other.source)));
            }
            self.breaks.insert(from, Break { from, to, reason, source });
        }
        if let Some((o, b)) =
            self.entries.values().filter(|o| o.kind == OverrideKind::WorkingDay).find_map(|o| self.break_on(o.date).map(|b| (o, b)))
        {
            let (o_file, o_line) = o.source.rsplit_once(':').unwrap_or((file, "1"));
            return Err(OverrideError::Invalid {
                file: o_file.to_owned(),
                line: o_line.parse().unwrap_or(1),
                message: format!("{} is a worked day inside the break at {} ({} to {})", o.date, b.source, b.from, b.to),
            });
        }
        Ok(())
    }

    /// The break `date` falls in, if any.
    pub fn break_on(&self, date: NaiveDate) -> Option<&Break> {
        self.breaks.range(..=date).next_back().map(|(_, b)| b).filter(|b| date <= b.to)
    }

    /// All breaks in date order.
    pub fn breaks(&self) -> impl Iterator<Item = &Break> {
        self.breaks.values()
    }

    /// The override for `date`, if any.
    pub fn get(&self, date: NaiveDate) -> Option<&Override> {
        self.entries.get(&date)
    }

    /// All entries in date order.
    pub fn iter(&self) -> impl Iterator<Item = &Override> {
        self.entries.values()
    }
}

fn parse_date(input: DateInput) -> Result<NaiveDate, String> {
    match input {
        DateInput::Toml(dt) => match (dt.date, dt.time) {
            (Some(d), None) if dt.offset.is_none() => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| format!("{dt} is not a date")),
            _ => Err(format!("expected a date like 2026-04-27, found {dt}")),
        },
        DateInput::Text(text) => {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| format!("expected a date like 2026-04-27, found {text:?}"))
        }
    }
}

/// 1-based line number of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn parse(text: &str) -> Result<OverrideTable, OverrideError> {
        let mut table = OverrideTable::default();
        table.add_file("config/holidays/test.toml", text).map(|()| table)
    }

    #[test]
    fn reads_days_off_and_working_days() {
        let table = parse(
            "[[day_off]]\ndate = 2024-04-29\nreason = \"Nghỉ hoán đổi\"\n\n\
             [[working_day]]\ndate = \"2024-05-04\"\nreason = \"Làm bù\"\n",
        )
        .unwrap();
        let off = table.get(NaiveDate::from_ymd_opt(2024, 4, 29).unwrap()).unwrap();
        assert_eq!(off.kind, OverrideKind::DayOff);
        assert_eq!(off.source, "config/holidays/test.toml:2");
        let worked = table.get(NaiveDate::from_ymd_opt(2024, 5, 4).unwrap()).unwrap();
        assert_eq!(worked.kind, OverrideKind::WorkingDay);
        assert_eq!(worked.reason, "Làm bù");
        assert_eq!(table.iter().count(), 2);
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = parse("[[day_off]]\ndate = 2024-02-30\nreason = \"x\"\n").unwrap_err().to_string();
        assert!(err.starts_with("config/holidays/test.toml:2: "), "{err}");

        let err = parse("[[day_off]]\ndate = 2024-02-03\nreason = \"x\"\n\n[[day_off]]\ndate = \"3/2/2024\"\nreason = \"y\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("config/holidays/test.toml:6: expected a date"), "{err}");

        let err = parse("[[day_off]]\ndate = 2024-02-03\nreasn = \"x\"\n").unwrap_err().to_string();
        assert!(err.starts_with("config/holidays/test.toml:"), "{err}");
        assert!(err.contains("reasn"), "{err}");

        let err = parse("[[day_of]]\ndate = 2024-02-03\n").unwrap_err().to_string();
        assert!(err.contains("day_of"), "{err}");

        let err = parse("[[working_day]]\ndate = 2024-02-03\nreason = \" \"\n").unwrap_err().to_string();
        assert!(err.starts_with("config/holidays/test.toml:1: 2024-02-03: the reason is empty"), "{err}");
    }

    #[test]
    fn a_date_may_be_listed_once() {
        let err = parse("[[day_off]]\ndate = 2024-04-29\nreason = \"a\"\n[[working_day]]\ndate = 2024-04-29\nreason = \"b\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "config/holidays/test.toml:5: 2024-04-29 is already listed at config/holidays/test.toml:2");
    }

    /// The tables shipped in `config/holidays/`, for tests: the files read here, parsed as the
    /// service does.
    pub(crate) fn shipped() -> OverrideTable {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/holidays");
        let mut files: Vec<_> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
        files.sort();
        let mut table = OverrideTable::default();
        for f in files {
            table.add_file(&f.display().to_string(), &std::fs::read_to_string(&f).unwrap()).unwrap_or_else(|e| panic!("{e}"));
        }
        table
    }

    #[test]
    fn the_shipped_tables_load() {
        let table = shipped();
        assert!(table.iter().any(|o| o.kind == OverrideKind::WorkingDay));
        assert!(table.breaks().count() >= 10);
    }

    #[test]
    fn breaks_are_checked_with_file_and_line() {
        let table = parse("# Tết\n[[break]]\nfrom = 2026-02-14\nto = \"2026-02-22\"\nreason = \"Tết\"\n").unwrap();
        let b = table.break_on(NaiveDate::from_ymd_opt(2026, 2, 21).unwrap()).unwrap();
        assert_eq!(
            (b.from.to_string(), b.to.to_string(), b.source.as_str()),
            ("2026-02-14".into(), "2026-02-22".into(), "config/holidays/test.toml:3")
        );
        assert!(table.break_on(NaiveDate::from_ymd_opt(2026, 2, 23).unwrap()).is_none());
        assert!(table.break_on(NaiveDate::from_ymd_opt(2026, 2, 13).unwrap()).is_none());

        let err = parse("[[break]]\nfrom = 2026-02-22\nto = 2026-02-14\nreason = \"x\"\n").unwrap_err().to_string();
        assert_eq!(err, "config/holidays/test.toml:3: the break ends (2026-02-14) before it starts (2026-02-22)");
        let err = parse("[[break]]\nfrom = 2026-02-14\nto = 2027-02-22\nreason = \"x\"\n").unwrap_err().to_string();
        assert!(err.starts_with("config/holidays/test.toml:3: a break of 374 days"), "{err}");
        let err = parse("[[break]]\nfrom = 2026-02-14\nto = 2026-02-22\nreason = \"a\"\n[[break]]\nfrom = 2026-02-22\nto = 2026-02-23\nreason = \"b\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "config/holidays/test.toml:6: the break 2026-02-22 to 2026-02-23 overlaps the one at config/holidays/test.toml:2");
        let err =
            parse("[[working_day]]\ndate = 2026-02-21\nreason = \"w\"\n[[break]]\nfrom = 2026-02-14\nto = 2026-02-22\nreason = \"b\"\n")
                .unwrap_err()
                .to_string();
        assert_eq!(err, "config/holidays/test.toml:2: 2026-02-21 is a worked day inside the break at config/holidays/test.toml:5 (2026-02-14 to 2026-02-22)");
        let err = parse("[[break]]\nfrom = 2026-02-14\nto = 2026-02-15\n").unwrap_err().to_string();
        assert!(err.contains("reason"), "{err}");
    }
}
