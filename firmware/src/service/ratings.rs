//! Recording a citizen's rating (`POST /api/v1/ratings`): checked against the ticket or dossier
//! it rates (finished, inside the window, not rated yet), mapped to the official level, chained
//! and signed in the writer's transaction, queued in the outbox for the central service. Also
//! the outbox itself, as the sync task sees it ([`RatingsOutbox`]) and as staff see it.
//!
//! Who may rate ([`Rater`]): ratings grade officers, so only the citizen who was served may
//! give one. Over the network that takes proof of the visit — the ticket's own id (the secret in
//! its QR) or the secret of the dossier's receipt slip — unless the caller is an enrolled rating
//! device (a tablet or second kiosk beside a counter). The ticket's printed number and the
//! dossier's code are public (the hall display, the lookup): alone, they prove nothing.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::dossiers::ReceptionError;
use super::{journal, Place, Service, ServiceError};
use crate::events::{Event, RatingRecorded};
use crate::queue::TicketStatus;
use crate::rating::{chain, Link, Record};
use crate::store::ratings::{self, Indexed};
use crate::store::{dossiers, tickets};
use crate::text::nfc;
use crate::time::{self, day_key};

#[derive(Debug, thiserror::Error)]
pub enum RatingError {
    #[error("give exactly one of ticket_id and dossier_code: the ticket or dossier being rated")]
    MissingSubject,
    #[error("unknown level {0:?}; see /api/v1/ratings/levels")]
    UnknownLevel(String),
    #[error("unknown reason {0:?}; see /api/v1/ratings/levels")]
    UnknownReason(String),
    #[error("no such ticket")]
    UnknownTicket,
    #[error("no such dossier")]
    UnknownDossier,
    #[error("this {0} has already been rated")]
    AlreadyRated(&'static str),
    #[error("this {0} is not finished yet: it can be rated once the transaction is finished")]
    NotFinished(&'static str),
    #[error("the rating window of {0} minutes after the transaction has closed")]
    WindowClosed(u32),
    #[error("rating by ticket number or dossier code alone needs an enrolled rating device; rate from the QR code of the ticket or of the receipt slip")]
    DeviceNotEnrolled,
}

/// Who gives a rating, as far as the service can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rater {
    /// This kiosk's own touchscreen or a rating box wired to it: someone standing at the centre.
    OnSite,
    /// An enrolled rating device (by its name), over the network.
    Device(String),
    /// Anyone else over the network: must prove the visit.
    Network,
}

/// A rating as the citizen gave it.
pub struct Answer {
    pub ticket_id: Option<String>,
    /// Today's ticket by its number ("A025"), as a citizen types it at the kiosk.
    pub ticket_number: Option<String>,
    pub dossier_code: Option<String>,
    /// The secret of the dossier's receipt slip (from its QR), with `dossier_code`.
    pub dossier_key: Option<String>,
    pub level: String,
    pub reasons: Vec<String>,
    pub by: Rater,
}

/// The outbox towards the central service, as `GET /api/v1/sync` shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SyncState {
    pub pending: u32,
    #[serde(with = "time::json::option")]
    pub last_success_at: Option<DateTime<FixedOffset>>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    pub kiosk_id: String,
    pub public_key: String,
    pub central_url: Option<String>,
}

/// Who served what is being rated: the subject's side of the record.
struct Subject {
    ticket_number: Option<String>,
    dossier_code: Option<String>,
    counter: Option<u32>,
    officer: Option<String>,
    service: Option<String>,
    procedure: Option<String>,
    ticket_id: Option<String>,
}

impl Service {
    /// Record a rating; returns its id.
    pub async fn rate(&self, answer: Answer) -> Result<String, ServiceError> {
        let scale = &self.config().ratings;
        let level = scale.level(answer.level.trim()).ok_or_else(|| RatingError::UnknownLevel(answer.level.clone()))?.clone();
        let mut reasons = Vec::new();
        for r in &answer.reasons {
            let r = nfc(r.trim());
            scale.reason(&r).ok_or_else(|| RatingError::UnknownReason(r.clone()))?;
            if !reasons.contains(&r) {
                reasons.push(r);
            }
        }
        let trusted = answer.by != Rater::Network;
        let ticket_id = match (answer.ticket_id.filter(|t| !t.is_empty()), answer.ticket_number.filter(|n| !n.trim().is_empty())) {
            (Some(_), Some(_)) => return Err(RatingError::MissingSubject.into()),
            (Some(id), None) => Some(id),
            (None, Some(_)) if !trusted => return Err(RatingError::DeviceNotEnrolled.into()),
            (None, Some(number)) => Some(self.todays_ticket_id(&number).await?.ok_or(RatingError::UnknownTicket)?),
            (None, None) => None,
        };
        let (ticket_id, dossier_typed) = match (ticket_id, answer.dossier_code.filter(|d| !d.is_empty())) {
            (Some(t), None) => (Some(t), None),
            (None, Some(d)) => (None, Some(d)),
            _ => return Err(RatingError::MissingSubject.into()),
        };
        if let Some(d) = &dossier_typed {
            let proven = match answer.dossier_key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
                Some(key) => self.dossier_key_matches(d, key).await?,
                None => false,
            };
            if !trusted && !proven {
                return Err(RatingError::DeviceNotEnrolled.into());
            }
        }
        let device = match &answer.by {
            Rater::Device(name) => Some(name.clone()),
            _ => None,
        };
        let dossier_compact = match &dossier_typed {
            Some(d) => Some(self.config().dossier_codes.parse(&nfc(d)).map_err(ReceptionError::Malformed)?.compact()),
            None => None,
        };
        let window_ms = scale.window_minutes as i64 * 60_000;
        let window = scale.window_minutes;
        let now = self.now();
        let key = self.inner.device_key.clone();
        let (kiosk_id, agency) = (scale.kiosk_id.clone(), self.config().centre.agency_code.clone());
        let catalog = self.catalog();
        let (id, event) = self
            .store()
            .write(move |tx| {
                let at = now.timestamp_millis();
                if let Some(name) = &device {
                    crate::store::devices::touch(tx, name, at)?;
                }
                // What is rated, and who served it.
                let s = if let Some(id) = &ticket_id {
                    let t = tickets::get(tx, id)?.ok_or(RatingError::UnknownTicket)?;
                    if ratings::rated_ticket(tx, id)? {
                        return Err(RatingError::AlreadyRated("ticket").into());
                    }
                    if t.status != TicketStatus::Done {
                        return Err(RatingError::NotFinished("ticket").into());
                    }
                    if t.finished_at.is_some_and(|f| at > f + window_ms) {
                        return Err(RatingError::WindowClosed(window).into());
                    }
                    Subject {
                        ticket_number: Some(t.number.clone()),
                        dossier_code: None,
                        counter: t.counter,
                        officer: tickets::officer_of(tx, id)?,
                        service: Some(t.service.clone()),
                        procedure: None,
                        ticket_id: Some(t.id),
                    }
                } else {
                    let compact = dossier_compact.as_deref().expect("one subject");
                    let d = dossiers::get_by_compact(tx, compact)?.ok_or(RatingError::UnknownDossier)?;
                    if ratings::rated_dossier(tx, &d.code)? {
                        return Err(RatingError::AlreadyRated("dossier").into());
                    }
                    if d.status < 9 {
                        return Err(RatingError::NotFinished("dossier").into());
                    }
                    if at > d.status_at + window_ms {
                        return Err(RatingError::WindowClosed(window).into());
                    }
                    Subject {
                        ticket_number: None,
                        dossier_code: Some(d.code.clone()),
                        counter: d.counter,
                        officer: d.officer.clone(),
                        service: catalog.get(&d.procedure).map(|p| p.service.clone()),
                        procedure: Some(d.procedure.clone()),
                        ticket_id: None,
                    }
                };
                let (last_seq, prev_hash) = ratings::chain_head(tx)?;
                let record = Record {
                    id: uuid::Uuid::new_v4().to_string(),
                    seq: last_seq + 1,
                    kiosk_id: kiosk_id.clone(),
                    agency_code: agency.clone(),
                    ticket_id: s.ticket_id.clone(),
                    ticket_number: s.ticket_number,
                    dossier_code: s.dossier_code.clone(),
                    level: level.code.clone(),
                    official: level.official,
                    reasons,
                    counter: s.counter,
                    officer: s.officer,
                    service: s.service.clone(),
                    procedure: s.procedure.clone(),
                    rated_at: time::rfc3339(now),
                };
                let record_json = record.to_json();
                let hash = chain::link_hash(&prev_hash, &record_json);
                let link = Link {
                    id: record.id.clone(),
                    seq: record.seq,
                    prev_hash,
                    hash: crate::rating::key::hex(&hash),
                    signature: key.sign(&hash),
                    record_json,
                };
                let official = serde_json::to_value(level.official).expect("serialises");
                ratings::append(
                    tx,
                    &link,
                    &Indexed {
                        ticket_id: s.ticket_id.as_deref(),
                        dossier_code: s.dossier_code.as_deref(),
                        official: official.as_str().unwrap_or_default(),
                        counter: s.counter,
                        service: s.service.as_deref(),
                        procedure: s.procedure.as_deref(),
                        rated_at: at,
                    },
                )?;
                let event = Event::RatingRecorded(RatingRecorded {
                    ticket_number: record.ticket_number.clone(),
                    counter: s.counter,
                    official: level.official,
                    at: now,
                });
                let place = Place { day: &day_key(now), at: now, ticket_id: s.ticket_id.as_deref(), counter: s.counter };
                let event = journal(tx, event, place)?;
                Ok::<_, ServiceError>((record.id, event))
            })
            .await?;
        self.publish(event);
        self.inner.sync_wakeup.notify_one();
        Ok(id)
    }

    /// The outbox's state.
    pub async fn sync_state(&self) -> Result<SyncState, ServiceError> {
        let (pending, (last_success, last_error, failures)) =
            self.store().read(|conn| Ok((ratings::pending_count(conn)?, ratings::sync_state(conn)?))).await?;
        Ok(SyncState {
            pending,
            last_success_at: last_success.map(|t| self.at_ms(t)),
            last_error,
            consecutive_failures: failures,
            kiosk_id: self.config().ratings.kiosk_id.clone(),
            public_key: self.inner.device_key.public_hex(),
            central_url: self.config().central.as_ref().map(|c| c.url.clone()),
        })
    }

    fn at_ms(&self, ms: i64) -> DateTime<FixedOffset> {
        time::from_millis(self.config().centre.offset, ms)
    }

    /// The outbox as the sync task uses it.
    pub fn ratings_outbox(&self) -> RatingsOutbox {
        RatingsOutbox { service: self.clone() }
    }
}

/// The narrow handle the sync task gets: read the oldest waiting ratings, mark what the central
/// service acknowledged or why a push failed, and hear when a new rating waits.
#[derive(Clone)]
pub struct RatingsOutbox {
    service: Service,
}

impl crate::sync::Outbox for RatingsOutbox {
    fn kiosk_id(&self) -> String {
        self.service.config().ratings.kiosk_id.clone()
    }

    fn public_key(&self) -> String {
        self.service.inner.device_key.public_hex()
    }

    async fn pending(&self, from_seq: i64, limit: usize) -> Result<Vec<Link>, String> {
        self.service.store().read(move |c| ratings::pending(c, from_seq, limit)).await.map_err(|e| e.to_string())
    }

    async fn chain_from(&self, from_seq: i64, limit: usize) -> Result<Vec<Link>, String> {
        self.service.store().read(move |c| ratings::chain_from(c, from_seq, limit)).await.map_err(|e| e.to_string())
    }

    async fn acknowledge(&self, ids: Vec<String>) -> Result<usize, String> {
        let now = self.service.now().timestamp_millis();
        self.service.store().write(move |tx| ratings::acknowledge(tx, &ids, now)).await.map_err(|e: crate::store::StoreError| e.to_string())
    }

    async fn record_failure(&self, error: String) {
        let _ = self.service.store().write(move |tx| ratings::record_failure(tx, &error)).await;
    }

    async fn new_rating(&self) {
        self.service.inner.sync_wakeup.notified().await
    }

    async fn closed(&self) {
        self.service.events().closed().await
    }
}
