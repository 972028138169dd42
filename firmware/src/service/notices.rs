//! SMS / Zalo notices (issue 19), the use cases: a citizen leaves a phone number for their ticket
//! (by its secret id: only the holder can) or, at dossier reception, for the dossier's result;
//! and the notices queued in the same transaction as the change that triggers them — when
//! `ahead` falls to `[notify] ahead` (a call, a cancel or a transfer moved the queue; or at once
//! when subscribing that close), when the number is called, when the dossier reaches status 9 —
//! at most once per kind and subscription, so a `kill -9` can neither lose nor repeat one. The
//! sender task (`sync::notices`) reads the outbox through [`NoticeOutboxHandle`]. Phone numbers
//! go into no event, journal row or log, and are deleted at the rollover (docs/PRIVACY.md).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{Service, ServiceError};
use crate::config::Config;
use crate::notice::{self, Notice, NoticeKind, PhoneError, PhoneNumber};
use crate::queue::QueueError;
use crate::store::notices::{self, NewNotice, Subject, Unsent};
use crate::store::tickets::{self, Ticket};
use crate::store::{Conn, StoreError};
use crate::sync::notices::Outgoing;
use crate::time::day_key;

/// A ticket's subscription to notices, as the kiosk and the API show it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NoticeSubscription {
    /// The ticket's id.
    pub ticket: String,
    /// The phone number, masked: "0912 *** 678".
    pub phone: String,
    /// People ahead now (while the ticket waits).
    pub ahead: Option<u32>,
    /// The approaching notice goes when this many or fewer are ahead.
    pub notify_ahead: u32,
}

/// What subscribing can refuse.
#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error("{0}")]
    BadPhone(#[from] PhoneError),
    #[error("this centre sends no SMS notices ([notify] is not configured)")]
    Off,
    #[error("this ticket no longer waits (called, finished or cancelled): there is nothing to announce")]
    TicketNotWaiting,
}

impl Service {
    /// Whether this centre sends notices (`[notify]` configured): the kiosk offers its keypad
    /// and the ticket page its form only then.
    pub fn notices_enabled(&self) -> bool {
        self.config().notify.is_some()
    }

    /// Leave `phone` for the ticket `ticket_id` (its secret id): the approaching notice when
    /// `ahead` falls to `[notify] ahead` (at once if it already has), the called notice when it
    /// is called. Subscribing again replaces the number; each notice still goes once.
    pub async fn subscribe_notices(&self, ticket_id: &str, phone: &str) -> Result<NoticeSubscription, ServiceError> {
        let notify_ahead = self.config().notify.as_ref().ok_or(NoticeError::Off)?.ahead;
        let phone = PhoneNumber::parse(phone).map_err(NoticeError::BadPhone)?;
        let masked = phone.masked();
        let config = self.inner.config.clone();
        let now = self.now();
        let id = ticket_id.trim().to_string();
        let (ticket, ahead) = self
            .store()
            .write(move |tx| {
                let t = tickets::get(tx, &id)?.ok_or(QueueError::UnknownTicket)?;
                if !t.status.is_queued() {
                    return Err(ServiceError::from(NoticeError::TicketNotWaiting));
                }
                notices::subscribe(tx, &t.day, Subject::Ticket(&t.id), phone.international())?;
                let ahead = tickets::ahead_of(tx, &t)?;
                warn_if_close(tx, &config, now, &t, ahead)?;
                Ok((t.id, ahead))
            })
            .await?;
        self.inner.notice_wakeup.notify_one();
        Ok(NoticeSubscription { ticket, phone: masked, ahead: Some(ahead), notify_ahead })
    }

    /// The outbox as the sender task uses it.
    pub fn notice_outbox(&self) -> NoticeOutboxHandle {
        NoticeOutboxHandle { service: self.downgrade() }
    }

    /// Wake the sender after a commit that may have queued a notice.
    pub(super) fn notices_queued(&self) {
        if self.notices_enabled() {
            self.inner.notice_wakeup.notify_one();
        }
    }
}

/// Read a phone number given at dossier reception (`None`: none given).
pub(super) fn reception_phone(config: &Config, phone: Option<&str>) -> Result<Option<PhoneNumber>, ServiceError> {
    let Some(phone) = phone.map(str::trim).filter(|p| !p.is_empty()) else { return Ok(None) };
    config.notify.as_ref().ok_or(NoticeError::Off)?;
    Ok(Some(PhoneNumber::parse(phone).map_err(NoticeError::BadPhone)?))
}

/// Subscribe `phone` to the result of the dossier `compact`, inside the reception's transaction.
pub(super) fn subscribe_dossier(tx: &Conn, now: DateTime<FixedOffset>, compact: &str, phone: &PhoneNumber) -> Result<(), StoreError> {
    notices::subscribe(tx, &day_key(now), Subject::Dossier(compact), phone.international())
}

/// Queue `notice` for the subscription `sub`, inside the caller's transaction.
fn queue(tx: &Conn, config: &Config, now: DateTime<FixedOffset>, sub: &Unsent, notice: Notice) -> Result<(), StoreError> {
    let Some(notify) = &config.notify else { return Ok(()) };
    let text = notice::text(&notify.texts, &notice, &config.centre.name, notify.encoding);
    let values: serde_json::Map<String, serde_json::Value> =
        notice.values(&config.centre.name).into_iter().map(|(k, v)| (k.to_string(), serde_json::Value::String(v))).collect();
    let key = uuid::Uuid::new_v4().to_string();
    notices::enqueue(
        tx,
        &NewNotice {
            subscription: sub.id,
            key: &key,
            day: &day_key(now),
            kind: notice.kind().as_str(),
            phone: &sub.phone,
            text: &text,
            values: &serde_json::Value::Object(values).to_string(),
            at: now.timestamp_millis(),
        },
    )
}

/// The approaching notice of `t`, if it is subscribed, not yet warned and `ahead` is close enough.
fn warn_if_close(tx: &Conn, config: &Config, now: DateTime<FixedOffset>, t: &Ticket, ahead: u32) -> Result<(), StoreError> {
    let Some(notify) = &config.notify else { return Ok(()) };
    if ahead > notify.ahead || !t.status.is_queued() {
        return Ok(());
    }
    if let Some(sub) = notices::unsent_for(tx, Subject::Ticket(&t.id), NoticeKind::Approaching.as_str())? {
        let counters = config.counter_names_serving(&t.service).join(", ");
        queue(tx, config, now, &sub, Notice::Approaching { number: t.number.clone(), ahead, counters })?;
    }
    Ok(())
}

/// After a change that moves a queue (a call, a cancel, a transfer), inside its transaction:
/// the approaching notice of every subscribed waiting ticket now close enough.
pub(super) fn after_queue_change(tx: &Conn, config: &Config, now: DateTime<FixedOffset>) -> Result<(), StoreError> {
    if config.notify.is_none() {
        return Ok(());
    }
    for sub in notices::waiting_unwarned(tx, &day_key(now))? {
        let Some(t) = sub.ticket_id.as_deref().map(|id| tickets::get(tx, id)).transpose()?.flatten() else { continue };
        let ahead = tickets::ahead_of(tx, &t)?;
        warn_if_close(tx, config, now, &t, ahead)?;
    }
    Ok(())
}

/// The called notice of `t`, called to `counter`, inside the call's transaction.
pub(super) fn on_called(tx: &Conn, config: &Config, now: DateTime<FixedOffset>, t: &Ticket, counter: u32) -> Result<(), StoreError> {
    if config.notify.is_none() {
        return Ok(());
    }
    if let Some(sub) = notices::unsent_for(tx, Subject::Ticket(&t.id), NoticeKind::Called.as_str())? {
        queue(tx, config, now, &sub, Notice::Called { number: t.number.clone(), counter: config.counter_name(counter) })?;
    }
    Ok(())
}

/// The result-ready notice of the dossier `compact` (printed `code`), inside the status change's
/// transaction.
pub(super) fn on_result_ready(tx: &Conn, config: &Config, now: DateTime<FixedOffset>, compact: &str, code: &str) -> Result<(), StoreError> {
    if config.notify.is_none() {
        return Ok(());
    }
    if let Some(sub) = notices::unsent_for(tx, Subject::Dossier(compact), NoticeKind::ResultReady.as_str())? {
        queue(tx, config, now, &sub, Notice::ResultReady { dossier: code.to_string() })?;
    }
    Ok(())
}

/// The narrow handle the sender task gets: today's notices to send, their outcomes, and a wake-up
/// when one is queued. Holds the service weakly: the task ends with it.
#[derive(Clone)]
pub struct NoticeOutboxHandle {
    service: super::WeakService,
}

impl NoticeOutboxHandle {
    fn service(&self) -> Result<Service, String> {
        self.service.upgrade().ok_or_else(|| "the service has stopped".to_string())
    }

    async fn write(&self, f: impl FnOnce(&Conn) -> Result<(), StoreError> + Send + 'static) {
        if let Ok(service) = self.service() {
            if let Err(e) = service.store().write(move |tx| f(tx)).await {
                tracing::error!(error = %e, "cannot record a notice's outcome");
            }
        }
    }
}

impl crate::sync::notices::NoticeOutbox for NoticeOutboxHandle {
    async fn pending(&self, limit: usize) -> Result<Vec<Outgoing>, String> {
        let service = self.service()?;
        let day = day_key(service.now());
        let rows = service.store().read(move |c| notices::pending(c, &day, limit)).await.map_err(|e| e.to_string())?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let values: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&r.values).unwrap_or_default();
                Some(Outgoing {
                    id: r.id,
                    key: r.key,
                    kind: NoticeKind::parse(&r.kind)?,
                    phone: r.phone,
                    text: r.text,
                    values: values.into_iter().map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string())).collect(),
                })
            })
            .collect())
    }

    async fn sent(&self, id: i64) {
        let Ok(service) = self.service() else { return };
        let at = service.now().timestamp_millis();
        self.write(move |tx| notices::sent(tx, id, at)).await
    }

    async fn failed(&self, id: i64, error: String) {
        self.write(move |tx| notices::failed(tx, id, &error)).await
    }

    async fn attempt_failed(&self, id: i64, error: String) {
        self.write(move |tx| notices::attempt_failed(tx, id, &error)).await
    }

    async fn new_notice(&self) {
        match self.service() {
            // Not holding the service while waiting (its store keeps the data directory locked).
            Ok(service) => {
                let wakeup = std::sync::Arc::clone(&service.inner.notice_wakeup);
                drop(service);
                wakeup.notified().await
            }
            Err(_) => std::future::pending().await,
        }
    }

    async fn closed(&self) {
        // Resolves on shutdown, and when the service is dropped (its event bus with it).
        if let Ok(service) = self.service() {
            let closed = service.events().closed();
            drop(service);
            closed.await
        }
    }
}
