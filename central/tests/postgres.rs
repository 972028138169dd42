//! The same scenarios on PostgreSQL: a throwaway server started by the test (Debian's
//! `postgresql` package), one fresh database per scenario. Without PostgreSQL installed the
//! test says so and passes without checking anything.
#![cfg(feature = "postgres")]

mod common;

use common::pg::{client, Server};
use common::{fleet_scenarios, scenarios, Db};

struct PgDb {
    url: String,
}

impl Db for PgDb {
    fn url(&self) -> String {
        self.url.clone()
    }

    fn execute(&self, sql: &str) {
        client(&self.url).batch_execute(sql).unwrap();
    }

    fn count(&self, sql: &str) -> i64 {
        client(&self.url).query_one(sql, &[]).unwrap().get(0)
    }
}

type Scenario = fn(&dyn Db);

/// A new empty database on `server`.
fn database(server: &Server, name: &str) -> PgDb {
    server.create_database(name);
    PgDb { url: server.url(name) }
}

#[test]
fn every_scenario_holds_on_postgresql() {
    let Some(server) = Server::start(false) else {
        let why = "PostgreSQL is not installed (apt-get install postgresql); the PostgreSQL engine was not tested";
        // scripts/test-all installs it, so there a missing server is a failure, not a skip.
        assert!(std::env::var_os("KIOSK_TESTS_REQUIRE_ALL").is_none(), "{why}");
        eprintln!("SKIPPED: {why}");
        return;
    };
    let all: [(&str, Scenario); 16] = [
        ("stored_once", scenarios::a_batch_is_stored_once_however_often_it_is_sent),
        ("altered", scenarios::an_altered_record_is_refused_and_nothing_stored),
        ("signature", scenarios::a_wrong_signature_is_refused),
        ("credential", scenarios::a_wrong_credential_is_refused),
        ("gap", scenarios::a_gap_names_the_seq_to_resend_from),
        ("conflict", scenarios::a_different_rating_at_a_stored_seq_is_a_conflict),
        ("malformed", scenarios::malformed_batches_are_refused_with_a_reason),
        ("verify", scenarios::verify_catches_a_row_altered_in_the_database),
        ("staff", scenarios::staff_see_ratings_and_satisfaction_per_centre),
        ("fleet", fleet_scenarios::heartbeats_make_the_fleet_view),
        ("replay", fleet_scenarios::heartbeats_are_replay_safe),
        ("bad_heartbeat", fleet_scenarios::bad_heartbeats_are_refused),
        ("catalogue", fleet_scenarios::a_published_catalogue_reaches_kiosks_conditionally),
        ("satisfaction", fleet_scenarios::satisfaction_per_centre_service_and_month),
        ("headers", fleet_scenarios::every_response_carries_the_security_headers),
        ("migration", fleet_scenarios::a_protocol_1_database_is_migrated),
    ];
    for (name, scenario) in all {
        eprintln!("postgres: {name}");
        scenario(&database(&server, name));
    }
}
