//! The backend of the main kiosk: the firmware `Service` running in this process, called on
//! its tokio runtime from the UI's worker threads.

use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::runtime::Handle;

use crate::backend::{
    Backend, CardScan, Dossier, Failure, Field, Finished, Found, KioskInfo, NoticeSubscription, Procedure, QueueService, Result, Ticket,
};
use firmware::{Service, ServiceError};

pub struct LocalBackend {
    service: Service,
    runtime: Handle,
    info: KioskInfo,
}

impl LocalBackend {
    pub fn new(service: Service, runtime: Handle) -> LocalBackend {
        let info = KioskInfo::from_config(service.config());
        LocalBackend { service, runtime, info }
    }
}

/// The error code of a service error, exactly as the HTTP API reports it.
fn failure(e: ServiceError) -> Failure {
    Failure::new(e.code(), e.public_message())
}

/// Through the API's JSON shape, so the local and remote kiosks read the same fields.
fn reshape<T: Serialize, U: DeserializeOwned>(value: &T) -> Result<U> {
    serde_json::to_value(value).and_then(serde_json::from_value).map_err(|e| Failure::new("internal", e.to_string()))
}

impl Backend for LocalBackend {
    fn info(&self) -> KioskInfo {
        self.info.clone()
    }

    fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.service.now()
    }

    fn services(&self) -> Result<Vec<QueueService>> {
        self.runtime.block_on(self.service.services()).map_err(failure)
    }

    fn issue(&self, service: &str, priority: Option<&str>, card: Option<&CardScan>) -> Result<Ticket> {
        self.runtime.block_on(self.service.issue_scanned(service, priority, card)).map_err(failure)
    }

    fn fields(&self) -> Result<Vec<Field>> {
        reshape(&self.service.catalog().fields())
    }

    fn search(&self, query: &str, field: Option<&str>, limit: usize) -> Result<Found> {
        let catalog = self.service.catalog();
        let found = catalog.search(&catalogue::nfc(query), field, limit);
        let results = found
            .results
            .iter()
            .map(|p| crate::backend::ProcedureSummary {
                code: p.code.clone(),
                public_code: p.public_code().map(str::to_owned),
                name: p.name.clone(),
                field: p.field.clone(),
            })
            .collect();
        Ok(Found {
            results,
            total: found.total,
            outcome: reshape(&found.outcome)?,
            unmatched: found.unmatched,
            fields: reshape(&found.fields)?,
        })
    }

    fn procedure(&self, code: &str) -> Result<Procedure> {
        self.service
            .catalog()
            .get(code)
            .cloned()
            .ok_or_else(|| Failure::new("unknown_procedure", format!("no procedure with code {code:?}")))
    }

    fn print_checklist(&self, code: &str) -> Result<bool> {
        self.runtime.block_on(self.service.print_checklist(code)).map_err(failure)
    }

    fn dossier(&self, typed_code: &str) -> Result<Dossier> {
        reshape(&self.runtime.block_on(self.service.lookup_dossier(typed_code)).map_err(failure)?)
    }

    fn rate(&self, number: &str, level: &str, reasons: &[String]) -> Result<()> {
        let answer = firmware::service::Answer {
            ticket_id: None,
            ticket_number: Some(number.to_string()),
            dossier_code: None,
            dossier_key: None,
            level: level.to_string(),
            reasons: reasons.to_vec(),
            // This kiosk's own touchscreen: the citizen is standing at it.
            by: firmware::service::Rater::OnSite,
        };
        self.runtime.block_on(self.service.rate(answer)).map(|_| ()).map_err(failure)
    }

    fn ticket_announcement(&self, number: &str) -> Result<firmware::voice::Announcement> {
        self.service.config().voice.ticket(number).map_err(|e| Failure::new("malformed_number", e.to_string()))
    }

    fn request_help(&self) -> Result<()> {
        self.runtime.block_on(self.service.request_help(firmware::events::HelpFrom::Kiosk)).map(|_| ()).map_err(failure)
    }

    fn subscribe_notices(&self, ticket_id: &str, phone: &str) -> Result<NoticeSubscription> {
        self.runtime.block_on(self.service.subscribe_notices(ticket_id, phone)).map_err(failure)
    }

    fn watch_finished(&self, counter: u32, on_finished: Box<dyn Fn(Finished) + Send>) {
        let mut events = self.service.events().subscribe();
        self.runtime.spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match events.recv().await {
                    Ok(e) => {
                        if let Some(f) = crate::backend::finished_at(&e.event, counter) {
                            on_finished(f);
                        }
                    }
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                }
            }
        });
    }
}
