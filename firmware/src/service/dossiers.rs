//! Tiếp nhận hồ sơ: the counter accepts a dossier, the service allocates its code, computes the
//! appointment date from the procedure's time limit and the working calendar, and prints the
//! citizen's receipt slip (Mẫu 01). Also the public lookup (no personal data), status updates,
//! the one rescheduling with its apology notice (Mẫu 04), and the staff's due-soon list.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::{journal, notices, paper, Place, Service, ServiceError};
use crate::calendar::{self, Appointment, Cutoff};
use crate::dossier::{self, DossierStatus, MalformedCode, Schedule, Timeliness, Title};
use crate::events::{DossierReceived, DossierRescheduled, DossierStatusSet, Event};
use crate::store::dossiers::{self, DossierRow};
use crate::text::nfc;
use crate::time::{self, day_key};
use catalogue::{ChannelKind, Procedure, TimeLimitError, TimeUnit};

/// What dossier commands can refuse.
#[derive(Debug, thiserror::Error)]
pub enum ReceptionError {
    #[error("unknown procedure {0:?}; look it up in /api/v1/procedures")]
    UnknownProcedure(String),
    #[error("procedure {procedure} cannot be filed by {channel:?}; it offers: {offered}")]
    ChannelNotOffered { procedure: String, channel: String, offered: String },
    #[error("unknown channel {0:?}; use \"direct\", \"online\" or \"post\"")]
    UnknownChannel(String),
    #[error("procedure {procedure} has no time-limit variant {variant:?}; {known}")]
    UnknownVariant { procedure: String, variant: String, known: String },
    #[error("{0}")]
    UnknownTitle(dossier::UnknownTitle),
    #[error("the late notice addresses the applicant by their title: give addressee_title \"Ông\" or \"Bà\"")]
    MissingTitle,
    #[error("no dossier with code {0}")]
    UnknownDossier(String),
    #[error("{0}")]
    Malformed(MalformedCode),
    #[error("applicant_name is empty: the receipt slip names who filed the dossier")]
    MissingApplicant,
    #[error("{0}")]
    BadTime(String),
    #[error("status {0} does not exist; use 1 to 10")]
    UnknownStatus(u8),
    #[error("{0}")]
    StatusChangeRefused(String),
    #[error("{0}")]
    RescheduleRefused(dossier::RescheduleRefused),
}

/// The public view of a dossier: procedure, dates, status, steps — never the applicant.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PublicDossier {
    pub code: String,
    pub procedure: String,
    pub procedure_name: String,
    pub status: u8,
    pub status_text: String,
    /// The status in English, for English screens.
    pub status_text_en: String,
    #[serde(with = "time::json")]
    pub received_at: DateTime<FixedOffset>,
    /// The date printed on the receipt slip.
    #[serde(with = "time::json")]
    pub due_at: DateTime<FixedOffset>,
    /// The new date after the one rescheduling, if any.
    #[serde(skip_serializing_if = "Option::is_none", with = "time::json::option")]
    pub new_due_at: Option<DateTime<FixedOffset>>,
    pub timeliness: Option<Timeliness>,
    pub steps: Vec<String>,
}

/// A dossier as staff see it (with the applicant's name) on the due-soon list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StaffDossier {
    #[serde(flatten)]
    pub public: PublicDossier,
    pub applicant_name: String,
    /// "Ông" or "Bà", when recorded.
    pub applicant_title: Option<String>,
    pub counter: Option<u32>,
    pub rescheduled: bool,
}

/// What receiving a dossier returns.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Received {
    pub code: String,
    #[serde(with = "time::json")]
    pub due_at: DateTime<FixedOffset>,
    pub working_days: Option<u32>,
    pub rule: String,
    pub printed: bool,
}

/// A dossier to receive at a counter.
pub struct Reception {
    pub procedure: String,
    pub received_at: Option<DateTime<FixedOffset>>,
    pub channel: String,
    /// The time-limit case the officer chose (a variant code of the procedure, e.g.
    /// "xac_minh"); `None`: the channel's own limit.
    pub variant: Option<String>,
    pub applicant_name: String,
    /// How letters address the applicant; printed before the name on the slip.
    pub applicant_title: Option<Title>,
    /// Number of sets received (default 1).
    pub sets: u32,
}

fn channel_kind(channel: &str) -> Result<ChannelKind, ReceptionError> {
    match channel {
        "direct" => Ok(ChannelKind::Direct),
        "online" => Ok(ChannelKind::Online),
        "post" => Ok(ChannelKind::Post),
        other => Err(ReceptionError::UnknownChannel(other.to_string())),
    }
}

/// The time limit of `p` through `channel` in the case `variant`, as the catalogue gives it.
fn time_limit<'p>(p: &'p Procedure, channel: &str, variant: Option<&str>) -> Result<&'p catalogue::TimeLimit, ReceptionError> {
    let kind = channel_kind(channel)?;
    p.time_limit(kind, variant).map_err(|e| match e {
        TimeLimitError::NoChannel(_) => ReceptionError::ChannelNotOffered {
            procedure: p.code.clone(),
            channel: channel.to_string(),
            offered: p.channels.iter().map(|c| format!("{:?}", c.kind).to_lowercase()).collect::<Vec<_>>().join(", "),
        },
        TimeLimitError::UnknownVariant(variant) => ReceptionError::UnknownVariant {
            procedure: p.code.clone(),
            variant,
            known: if p.variants.is_empty() {
                "it has only its channels' limits: send no variant".to_string()
            } else {
                format!("use one of: {}", p.variants.iter().map(|v| format!("\"{}\" ({})", v.code, v.label)).collect::<Vec<_>>().join(", "))
            },
        },
    })
}

/// The appointment for `procedure` received at `at` through `channel`, in the case `variant`.
fn appointment(
    service: &Service,
    p: &Procedure,
    channel: &str,
    variant: Option<&str>,
    at: DateTime<FixedOffset>,
) -> Result<Appointment, ReceptionError> {
    let limit = time_limit(p, channel, variant)?;
    let amount = limit.amount.unwrap_or(0);
    let limit = match limit.kind {
        TimeUnit::WorkingDays => calendar::TimeLimit::WorkingDays(amount),
        TimeUnit::CalendarDays => calendar::TimeLimit::CalendarDays(amount),
        TimeUnit::Hours => calendar::TimeLimit::Hours(amount),
        TimeUnit::SameDay => calendar::TimeLimit::SameDay,
    };
    // A procedure with a cut-off (hộ tịch, chứng thực, the child bundle): receipts after it
    // are handled as if received the next working day.
    let cutoff = p.same_day_cutoff.map(|c| Cutoff {
        at: chrono::NaiveTime::from_hms_opt(c.hour as u32, c.minute as u32, 0).expect("validated HH:MM"),
        counting_starts_next_day: true,
    });
    let mut appt = calendar::due_at(service.calendar(), at, limit, cutoff);
    if let Some(v) = variant.and_then(|code| p.variant(code)) {
        appt.rule = format!("{}: {}", v.label, appt.rule);
    }
    Ok(appt)
}

impl Service {
    pub(super) fn procedure(&self, code: &str) -> Result<Procedure, ReceptionError> {
        self.catalog().get(code.trim()).cloned().ok_or_else(|| ReceptionError::UnknownProcedure(code.to_string()))
    }

    /// A stored time in the site's offset.
    fn at(&self, ms: i64) -> DateTime<FixedOffset> {
        time::from_millis(self.config().centre.offset, ms)
    }

    /// The due date a dossier would get, without receiving it.
    pub fn preview_appointment(
        &self,
        procedure: &str,
        received_at: Option<DateTime<FixedOffset>>,
        channel: &str,
        variant: Option<&str>,
    ) -> Result<Appointment, ServiceError> {
        let p = self.procedure(procedure)?;
        let at = received_at.unwrap_or_else(|| self.now()).with_timezone(&self.config().centre.offset);
        Ok(appointment(self, &p, channel, variant, at)?)
    }

    /// Receive a dossier at `counter`: allocate its code, record it, print the receipt slip.
    pub async fn receive_dossier(&self, counter: u32, officer: Option<String>, r: Reception) -> Result<Received, ServiceError> {
        self.receive_dossier_notifying(counter, officer, r, None).await
    }

    /// [`Service::receive_dossier`], with the applicant's phone number for the SMS when the result
    /// is ready (status 9; kept until then, at most 120 days: docs/PRIVACY.md): 422 `bad_phone`, 409
    /// `notices_off` when this centre sends none.
    pub async fn receive_dossier_notifying(
        &self,
        counter: u32,
        officer: Option<String>,
        r: Reception,
        phone: Option<&str>,
    ) -> Result<Received, ServiceError> {
        let phone = notices::reception_phone(self.config(), phone)?;
        let p = self.procedure(&r.procedure)?;
        let name = nfc(r.applicant_name.trim());
        if name.is_empty() {
            return Err(ReceptionError::MissingApplicant.into());
        }
        let now = self.now();
        let received_at = r.received_at.unwrap_or(now).with_timezone(&self.config().centre.offset);
        let variant = r.variant.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let appt = appointment(self, &p, &r.channel, variant.as_deref(), received_at)?;
        let limit = time_limit(&p, &r.channel, variant.as_deref())?.text.clone();
        let kind = channel_kind(&r.channel)?;
        let scheme = self.config().dossier_codes.clone();
        let agency = self.config().centre.agency_code.clone();
        let row_template = DossierRow {
            code: String::new(),
            compact: String::new(),
            agency: agency.clone(),
            day: day_key(received_at),
            seq: 0,
            procedure: p.code.clone(),
            channel: r.channel.clone(),
            applicant_name: name,
            received_at: received_at.timestamp_millis(),
            due_at: appt.due_at.timestamp_millis(),
            working_days: appt.working_days,
            rule: appt.rule.clone(),
            status: DossierStatus::try_from(2u8).expect("2 is Được tiếp nhận").code(),
            status_at: now.timestamp_millis(),
            new_due_at: None,
            reschedule_reason: None,
            rescheduled_at: None,
            finished_at: None,
            counter: Some(counter),
            officer: officer.clone(),
            printed: None,
            variant: variant.clone(),
            applicant_title: r.applicant_title.map(|t| t.text().to_owned()),
        };
        // The slip's secret: printed in its QR, kept only as a hash.
        let key = crate::auth::new_token()[..32].to_string();
        let key_sha256 = crate::auth::token_hash(&key);
        let (row, event) = self
            .store()
            .write(move |tx| {
                let mut row = row_template;
                row.seq = dossiers::next_sequence(tx, &agency, &row.day)?;
                let code = scheme.format(&agency, received_at.date_naive(), row.seq);
                row.code = code.to_string();
                row.compact = code.compact();
                dossiers::insert(tx, &row)?;
                dossiers::set_key(tx, &row.compact, &key_sha256)?;
                if let Some(phone) = &phone {
                    notices::subscribe_dossier(tx, now, &row.compact, phone)?;
                }
                // The journal never carries the applicant's name.
                let event = Event::DossierReceived(DossierReceived {
                    code: row.code.clone(),
                    procedure: row.procedure.clone(),
                    channel: row.channel.clone(),
                    at: now,
                });
                let event = journal(tx, event, Place { day: &row.day, at: now, ticket_id: None, counter: row.counter })?;
                Ok::<_, ServiceError>((row, event))
            })
            .await?;
        self.publish(event);

        let receipt = paper::Receipt {
            procedure: &p,
            channel: kind,
            variant: variant.as_deref().and_then(|v| p.variant(v)),
            limit,
            title: r.applicant_title,
            sets: r.sets,
            received_at,
            due_at: appt.due_at,
            counter,
            officer: officer.as_deref(),
        };
        let printed = match self.print(printer::Document::DossierReceipt(paper::dossier_receipt(self.config(), &row, receipt, &key))).await
        {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(dossier = %row.code, error = %e, "receipt slip not printed");
                false
            }
        };
        let compact = row.compact.clone();
        if let Err(e) = self.store().write_soon(move |tx| dossiers::set_printed(tx, &compact, printed)).await {
            tracing::warn!(error = %e, "could not record the receipt's print outcome");
        }
        Ok(Received { code: row.code, due_at: self.at(row.due_at), working_days: row.working_days, rule: row.rule, printed })
    }

    /// Print a procedure's document checklist on this kiosk's printer; whether it printed.
    pub async fn print_checklist(&self, code: &str) -> Result<bool, ServiceError> {
        let doc = paper::checklist(self.config(), &self.procedure(code)?, self.now());
        Ok(self.print(printer::Document::Checklist(doc)).await.is_ok())
    }

    /// Find a dossier by a code typed in any case, with or without separators, or scanned.
    async fn find_dossier(&self, typed: &str) -> Result<DossierRow, ServiceError> {
        let code = self.config().dossier_codes.parse(&nfc(typed)).map_err(ReceptionError::Malformed)?;
        let compact = code.compact();
        self.store()
            .read(move |conn| dossiers::get_by_compact(conn, &compact))
            .await?
            .ok_or_else(|| ReceptionError::UnknownDossier(code.to_string()).into())
    }

    fn public(&self, d: &DossierRow) -> PublicDossier {
        let status = DossierStatus::try_from(d.status).ok();
        let timeliness = d.finished_at.map(|f| Schedule::new(self.at(d.due_at)).timeliness(self.at(f)));
        let catalog = self.catalog();
        let procedure = catalog.get(&d.procedure);
        PublicDossier {
            code: d.code.clone(),
            procedure: d.procedure.clone(),
            procedure_name: procedure.map(|p| p.name.clone()).unwrap_or_default(),
            status: d.status,
            status_text: status.map(|s| s.text().to_string()).unwrap_or_default(),
            status_text_en: status.map(|s| s.text_en().to_string()).unwrap_or_default(),
            received_at: self.at(d.received_at),
            due_at: self.at(d.due_at),
            new_due_at: d.new_due_at.map(|t| self.at(t)),
            timeliness,
            steps: procedure.map(|p| p.steps.clone()).unwrap_or_default(),
        }
    }

    /// Whether `key` is the secret printed in the receipt slip of the dossier `typed`.
    pub async fn dossier_key_matches(&self, typed: &str, key: &str) -> Result<bool, ServiceError> {
        let d = self.find_dossier(typed).await?;
        let given = crate::auth::token_hash(key.trim());
        let stored = self.store().read(move |conn| dossiers::key(conn, &d.compact)).await?;
        Ok(stored.is_some_and(|s| s == given))
    }

    /// The public lookup: no name, no ID, no address.
    pub async fn lookup_dossier(&self, typed: &str) -> Result<PublicDossier, ServiceError> {
        let d = self.find_dossier(typed).await?;
        Ok(self.public(&d))
    }

    /// Move a dossier to `status`. Staff follow the allowed transitions; an import from the
    /// province's system (`authoritative`) may set any status.
    pub async fn set_dossier_status(&self, typed: &str, status: u8, authoritative: bool) -> Result<PublicDossier, ServiceError> {
        let d = self.find_dossier(typed).await?;
        let to = DossierStatus::try_from(status).map_err(|_| ReceptionError::UnknownStatus(status))?;
        if !authoritative {
            let from = DossierStatus::try_from(d.status).map_err(|_| ReceptionError::UnknownStatus(d.status))?;
            from.transition(to).map_err(|e| ReceptionError::StatusChangeRefused(e.to_string()))?;
        }
        let now = self.now();
        let finished = matches!(to.code(), 9 | 10);
        let compact = d.compact.clone();
        let config = self.inner.config.clone();
        let event = self
            .store()
            .write(move |tx| {
                let code = dossiers::set_status(tx, &compact, to.code(), now.timestamp_millis(), finished)?;
                // Đã xử lý xong: the result-ready SMS, if the applicant left a number.
                if to.code() == 9 {
                    notices::on_result_ready(tx, &config, now, &compact, &code)?;
                }
                let event = Event::DossierStatus(DossierStatusSet { code, status: to.code(), at: now });
                journal(tx, event, Place { day: &day_key(now), at: now, ticket_id: None, counter: None })
            })
            .await?;
        self.publish(event);
        self.notices_queued();
        self.lookup_dossier(&d.code).await
    }

    /// The one rescheduling: checked against the rules, recorded, and the apology notice printed,
    /// addressed by `title` (or by the title recorded at reception; one of them is needed).
    pub async fn reschedule_dossier(
        &self,
        typed: &str,
        new_due: DateTime<FixedOffset>,
        reason: &str,
        title: Option<Title>,
    ) -> Result<(PublicDossier, bool), ServiceError> {
        let d = self.find_dossier(typed).await?;
        let title = match title.or_else(|| d.applicant_title.as_deref().and_then(|t| Title::parse(t).ok())) {
            Some(t) => t,
            None => return Err(ReceptionError::MissingTitle.into()),
        };
        let mut schedule = Schedule::new(self.at(d.due_at));
        if let (Some(new), Some(at)) = (d.new_due_at, d.rescheduled_at) {
            schedule.rescheduled = Some(dossier::Reschedule {
                new_due: self.at(new),
                reason: d.reschedule_reason.clone().unwrap_or_default(),
                noticed_at: self.at(at),
            });
        }
        let now = self.now();
        let reason = nfc(reason.trim());
        let new_due = new_due.with_timezone(&self.config().centre.offset);
        schedule.reschedule(self.calendar(), new_due, &reason, now).map_err(ReceptionError::RescheduleRefused)?;
        let (compact, why) = (d.compact.clone(), reason.clone());
        let event = self
            .store()
            .write(move |tx| {
                let code = dossiers::reschedule(tx, &compact, new_due.timestamp_millis(), &why, title.text(), now.timestamp_millis())?;
                let event = Event::DossierRescheduled(DossierRescheduled { code, at: now });
                journal(tx, event, Place { day: &day_key(now), at: now, ticket_id: None, counter: None })
            })
            .await?;
        self.publish(event);
        let procedure_name = self.catalog().get(&d.procedure).map(|p| p.name.clone()).unwrap_or_default();
        let notice = paper::late_notice(self.config(), &d, title, procedure_name, new_due, reason);
        let printed = self.print(printer::Document::LateNotice(notice)).await.is_ok();
        Ok((self.lookup_dossier(&d.code).await?, printed))
    }

    /// Unfinished dossiers due within `working_days` working days (and not yet late), for staff.
    pub async fn dossiers_due_soon(&self, working_days: u32) -> Result<Vec<StaffDossier>, ServiceError> {
        let rows = self.store().read(dossiers::open_dossiers).await?;
        let now = self.now();
        Ok(rows
            .iter()
            .filter(|d| dossier::is_due_soon(self.calendar(), self.at(d.new_due_at.unwrap_or(d.due_at)), now, working_days))
            .map(|d| StaffDossier {
                public: self.public(d),
                applicant_name: d.applicant_name.clone(),
                applicant_title: d.applicant_title.clone(),
                counter: d.counter,
                rescheduled: d.new_due_at.is_some(),
            })
            .collect())
    }
}
