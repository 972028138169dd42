//! The receiver on SQLite (the default engine): real process, real HTTP on loopback, real file.

mod common;

use common::{fleet_scenarios, scenarios, SqliteDb};

#[test]
fn a_batch_is_stored_once_however_often_it_is_sent() {
    scenarios::a_batch_is_stored_once_however_often_it_is_sent(&SqliteDb::new());
}

#[test]
fn an_altered_record_is_refused_and_nothing_stored() {
    scenarios::an_altered_record_is_refused_and_nothing_stored(&SqliteDb::new());
}

#[test]
fn a_wrong_signature_is_refused() {
    scenarios::a_wrong_signature_is_refused(&SqliteDb::new());
}

#[test]
fn a_wrong_credential_is_refused() {
    scenarios::a_wrong_credential_is_refused(&SqliteDb::new());
}

#[test]
fn a_gap_names_the_seq_to_resend_from() {
    scenarios::a_gap_names_the_seq_to_resend_from(&SqliteDb::new());
}

#[test]
fn a_different_rating_at_a_stored_seq_is_a_conflict() {
    scenarios::a_different_rating_at_a_stored_seq_is_a_conflict(&SqliteDb::new());
}

#[test]
fn malformed_batches_are_refused_with_a_reason() {
    scenarios::malformed_batches_are_refused_with_a_reason(&SqliteDb::new());
}

#[test]
fn verify_catches_a_row_altered_in_the_database() {
    scenarios::verify_catches_a_row_altered_in_the_database(&SqliteDb::new());
}

#[test]
fn staff_see_ratings_and_satisfaction_per_centre() {
    scenarios::staff_see_ratings_and_satisfaction_per_centre(&SqliteDb::new());
}

#[test]
fn heartbeats_make_the_fleet_view() {
    fleet_scenarios::heartbeats_make_the_fleet_view(&SqliteDb::new());
}

#[test]
fn heartbeats_are_replay_safe() {
    fleet_scenarios::heartbeats_are_replay_safe(&SqliteDb::new());
}

#[test]
fn bad_heartbeats_are_refused() {
    fleet_scenarios::bad_heartbeats_are_refused(&SqliteDb::new());
}

#[test]
fn a_published_catalogue_reaches_kiosks_conditionally() {
    fleet_scenarios::a_published_catalogue_reaches_kiosks_conditionally(&SqliteDb::new());
}

#[test]
fn satisfaction_per_centre_service_and_month() {
    fleet_scenarios::satisfaction_per_centre_service_and_month(&SqliteDb::new());
}

#[test]
fn every_response_carries_the_security_headers() {
    fleet_scenarios::every_response_carries_the_security_headers(&SqliteDb::new());
}

#[test]
fn a_protocol_1_database_is_migrated() {
    fleet_scenarios::a_protocol_1_database_is_migrated(&SqliteDb::new());
}
