//! Recording a citizen's rating (`POST /api/v1/ratings`): checked against the ticket or dossier
//! it rates (finished, inside the window, not rated yet), mapped to the official level, chained
//! and signed in the writer's transaction, queued in the outbox for the central service.

use serde::Serialize;
use serde_json::json;

use crate::rating::{chain, Record};
use crate::service::{Service, ServiceError};
use crate::store::ratings::{self, Indexed};
use crate::store::tickets::{self, day_key, rfc3339};
use crate::store::{dossiers, journal, StoreError};
use crate::text::nfc;

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
}

/// A rating as the citizen gave it.
pub struct Answer {
    pub ticket_id: Option<String>,
    /// Today's ticket by its number ("A025"), as a citizen types it at the kiosk.
    pub ticket_number: Option<String>,
    pub dossier_code: Option<String>,
    pub level: String,
    pub reasons: Vec<String>,
}

/// The outbox towards the central service, as `GET /api/v1/sync` shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SyncState {
    pub pending: u32,
    pub last_success_at: Option<String>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    pub kiosk_id: String,
    pub public_key: String,
    pub central_url: Option<String>,
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
        let ticket_id = match (answer.ticket_id.filter(|t| !t.is_empty()), answer.ticket_number.filter(|n| !n.trim().is_empty())) {
            (Some(_), Some(_)) => return Err(RatingError::MissingSubject.into()),
            (Some(id), None) => Some(id),
            (None, Some(number)) => Some(self.todays_ticket_id(&number).await?.ok_or(RatingError::UnknownTicket)?),
            (None, None) => None,
        };
        let (ticket_id, dossier_typed) = match (ticket_id, answer.dossier_code.filter(|d| !d.is_empty())) {
            (Some(t), None) => (Some(t), None),
            (None, Some(d)) => (None, Some(d)),
            _ => return Err(RatingError::MissingSubject.into()),
        };
        let dossier_compact = match &dossier_typed {
            Some(d) => Some(self.config().dossier_codes.parse(&nfc(d)).map_err(crate::reception::ReceptionError::Malformed)?.compact()),
            None => None,
        };
        let window_ms = scale.window_minutes as i64 * 60_000;
        let window = scale.window_minutes;
        let now = self.now();
        let key = self.device_key().clone();
        let (kiosk_id, agency) = (scale.kiosk_id.clone(), self.config().centre.agency_code.clone());
        let offset = self.config().centre.offset;
        let catalog = self.catalog().clone();
        let (id, event) = self
            .store()
            .write(move |tx| {
                let at = now.timestamp_millis();
                // What is rated, and who served it.
                let (ticket_number, dossier_code, counter, officer, service, procedure, subject_ticket) = if let Some(id) = &ticket_id {
                    let t = tickets::get(tx, id)?.ok_or(RatingError::UnknownTicket)?;
                    if ratings::rated_ticket(tx, id)? {
                        return Err(RatingError::AlreadyRated("ticket").into());
                    }
                    if t.status != crate::queue::TicketStatus::Done {
                        return Err(RatingError::NotFinished("ticket").into());
                    }
                    if t.finished_at.is_some_and(|f| at > f + window_ms) {
                        return Err(RatingError::WindowClosed(window).into());
                    }
                    let officer: Option<String> =
                        tx.query_row("SELECT officer FROM tickets WHERE id = ?1", [id], |r| r.get(0)).map_err(StoreError::from)?;
                    (Some(t.number.clone()), None, t.counter, officer, Some(t.service.clone()), None, Some(t.id))
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
                    let service = catalog.get(&d.procedure).map(|p| p.service.clone());
                    (None, Some(d.code.clone()), d.counter, d.officer.clone(), service, Some(d.procedure.clone()), None)
                };
                let (last_seq, prev_hash) = ratings::chain_head(tx)?;
                let record = Record {
                    id: uuid::Uuid::new_v4().to_string(),
                    seq: last_seq + 1,
                    kiosk_id: kiosk_id.clone(),
                    agency_code: agency.clone(),
                    ticket_id: subject_ticket.clone(),
                    ticket_number,
                    dossier_code: dossier_code.clone(),
                    level: level.code.clone(),
                    official: level.official,
                    reasons,
                    counter,
                    officer,
                    service: service.clone(),
                    procedure: procedure.clone(),
                    rated_at: rfc3339(at, offset),
                };
                let record_json = record.to_json();
                let hash = chain::link_hash(&prev_hash, &record_json);
                let link = crate::rating::Link {
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
                        ticket_id: subject_ticket.as_deref(),
                        dossier_code: dossier_code.as_deref(),
                        official: official.as_str().unwrap_or_default(),
                        counter,
                        service: service.as_deref(),
                        procedure: procedure.as_deref(),
                        rated_at: at,
                    },
                )?;
                let event = journal::append(
                    tx,
                    at,
                    &day_key(now),
                    "rating_recorded",
                    subject_ticket.as_deref(),
                    counter,
                    json!({"ticket_number": record.ticket_number, "counter": counter, "official": official, "at": record.rated_at}),
                )?;
                Ok::<_, ServiceError>((record.id, event))
            })
            .await?;
        self.events().publish(event);
        self.wake_sync();
        Ok(id)
    }

    /// The id of today's ticket with this number (the latest, if it was issued twice across a
    /// restart of numbering — it cannot be within one day).
    pub async fn todays_ticket_id(&self, number: &str) -> Result<Option<String>, ServiceError> {
        let number = nfc(number.trim()).to_uppercase();
        let day = day_key(self.now());
        Ok(self
            .store()
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT id FROM tickets WHERE day = ?1 AND number = ?2 ORDER BY issued_at DESC LIMIT 1",
                        [&day, &number],
                        |r| r.get(0),
                    )
                    .ok())
            })
            .await?)
    }

    /// The ticket this counter finished last today, for a rating button beside the counter.
    pub async fn last_finished_ticket(&self, counter: u32) -> Result<Option<String>, ServiceError> {
        let day = day_key(self.now());
        Ok(self
            .store()
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT id FROM tickets WHERE day = ?1 AND counter = ?2 AND status = 'done' ORDER BY finished_at DESC LIMIT 1",
                        rusqlite::params![day, counter],
                        |r| r.get(0),
                    )
                    .ok())
            })
            .await?)
    }

    /// A citizen pressed the hall's help button: staff see `help_requested`.
    pub async fn request_help(&self) -> Result<(), ServiceError> {
        let now = self.now();
        let offset = self.config().centre.offset;
        let event = self
            .store()
            .write(move |tx| {
                let at = now.timestamp_millis();
                journal::append(tx, at, &day_key(now), "help_requested", None, None, json!({"at": rfc3339(at, offset)}))
            })
            .await?;
        self.events().publish(event);
        Ok(())
    }

    /// The outbox's state.
    pub async fn sync_state(&self) -> Result<SyncState, ServiceError> {
        let offset = self.config().centre.offset;
        let (pending, (last_success, last_error, failures)) =
            self.store().read(|conn| Ok((ratings::pending_count(conn)?, ratings::sync_state(conn)?))).await?;
        Ok(SyncState {
            pending,
            last_success_at: last_success.map(|t| rfc3339(t, offset)),
            last_error,
            consecutive_failures: failures,
            kiosk_id: self.config().ratings.kiosk_id.clone(),
            public_key: self.device_key().public_hex(),
            central_url: self.config().central.as_ref().map(|c| c.url.clone()),
        })
    }
}
