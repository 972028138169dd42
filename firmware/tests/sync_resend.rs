//! The push loop when the central service asks for the chain again from an earlier rating
//! (restored from a backup): it resends from the ratings table — those ratings left the outbox
//! long ago — and, asked again without progress, backs off instead of resending at once forever.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use firmware::rating::Link;
use firmware::sync::{CentralConfig, Outbox};
use serde_json::{json, Value};

/// The batches a receiver saw, in order.
type Seen = Arc<Mutex<Vec<Vec<i64>>>>;

/// A chain of `n` links (content does not matter to the loop) and an outbox holding some of them.
#[derive(Clone)]
struct Fake {
    chain: Vec<Link>,
    outbox: Arc<Mutex<Vec<i64>>>,
    acknowledged: Arc<Mutex<Vec<String>>>,
    failures: Arc<Mutex<u32>>,
}

fn link(seq: i64) -> Link {
    Link { id: format!("r{seq}"), seq, prev_hash: String::new(), hash: String::new(), signature: String::new(), record_json: "{}".into() }
}

impl Outbox for Fake {
    fn kiosk_id(&self) -> String {
        "k1".into()
    }
    fn public_key(&self) -> String {
        "00".into()
    }
    async fn pending(&self, from_seq: i64, limit: usize) -> Result<Vec<Link>, String> {
        let waiting = self.outbox.lock().unwrap().clone();
        Ok(self.chain.iter().filter(|l| l.seq >= from_seq && waiting.contains(&l.seq)).take(limit).cloned().collect())
    }
    async fn chain_from(&self, from_seq: i64, limit: usize) -> Result<Vec<Link>, String> {
        Ok(self.chain.iter().filter(|l| l.seq >= from_seq).take(limit).cloned().collect())
    }
    async fn acknowledge(&self, ids: Vec<String>) -> Result<usize, String> {
        self.outbox.lock().unwrap().retain(|seq| !ids.contains(&format!("r{seq}")));
        self.acknowledged.lock().unwrap().extend(ids.clone());
        Ok(ids.len())
    }
    async fn record_failure(&self, _error: String) {
        *self.failures.lock().unwrap() += 1;
    }
    async fn new_rating(&self) {
        std::future::pending::<()>().await
    }
    async fn closed(&self) {
        std::future::pending::<()>().await
    }
}

/// A receiver that wants the chain from #1: a batch starting elsewhere gets 409 `chain_gap`;
/// with `accepts`, a batch from #1 is acknowledged, else asked for again. Records the batches.
async fn receiver(accepts: bool) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route(
            "/api/v1/push/ratings",
            post(|State((seen, accepts)): State<(Seen, bool)>, Json(body): Json<Value>| async move {
                let seqs: Vec<i64> = body["ratings"].as_array().unwrap().iter().map(|r| r["seq"].as_i64().unwrap()).collect();
                seen.lock().unwrap().push(seqs.clone());
                if seqs.first() == Some(&1) && accepts {
                    let ids: Vec<String> = seqs.iter().map(|s| format!("r{s}")).collect();
                    (StatusCode::OK, Json(json!({"acknowledged": ids})))
                } else {
                    (StatusCode::CONFLICT, Json(json!({"error": {"code": "chain_gap", "message": "resend", "expected_seq": 1}})))
                }
            }),
        )
        .with_state((seen.clone(), accepts));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn config(url: String) -> CentralConfig {
    CentralConfig {
        url,
        credential_file: None,
        timeout_secs: 5,
        first_retry_ms: 100,
        max_retry_ms: 60_000,
        heartbeat_seconds: 60,
        catalogue_poll_seconds: 300,
        catalogue_public_key: None,
    }
}

fn fake() -> Fake {
    Fake {
        chain: (1..=3).map(link).collect(),
        // #1 and #2 were acknowledged before central was restored from its backup.
        outbox: Arc::new(Mutex::new(vec![3])),
        acknowledged: Arc::default(),
        failures: Arc::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resend_comes_from_the_ratings_table() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("central.credential"), "token").unwrap();
    let (url, seen) = receiver(true).await;
    let outbox = fake();
    let task = tokio::spawn(firmware::sync::run(outbox.clone(), config(url), dir.path().to_path_buf()));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    task.abort();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.first(), Some(&vec![3]), "the outbox first: {seen:?}");
    assert!(seen.contains(&vec![1, 2, 3]), "then the chain from #1, though #1 and #2 left the outbox: {seen:?}");
    assert!(outbox.outbox.lock().unwrap().is_empty());
    assert!(seen.len() <= 3, "and then quiet: {seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resend_without_progress_backs_off() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("central.credential"), "token").unwrap();
    let (url, seen) = receiver(false).await;
    let outbox = fake();
    let task = tokio::spawn(firmware::sync::run(outbox.clone(), config(url), dir.path().to_path_buf()));
    tokio::time::sleep(Duration::from_millis(2000)).await;
    task.abort();
    let pushes = seen.lock().unwrap().len();
    // 100 ms doubling (with up to +50 % jitter): a handful in 2 s, not hundreds.
    assert!((3..=8).contains(&pushes), "{pushes} pushes in 2 s");
    assert!(*outbox.failures.lock().unwrap() >= 1, "the lack of progress is recorded as a failure");
}
