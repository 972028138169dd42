//! The same scenarios on PostgreSQL: a throwaway server started by the test (Debian's
//! `postgresql` package), one fresh database per scenario. Without PostgreSQL installed the
//! test says so and passes without checking anything.
#![cfg(feature = "postgres")]

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{fleet_scenarios, scenarios, Db};

/// A PostgreSQL server in a temporary directory, on a free loopback port, stopped on drop.
struct Server {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl Server {
    fn start() -> Option<Server> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| Some(e.ok()?.path().join("bin")))
            .filter(|b| b.join("initdb").exists())
            .max()?;
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let server = Server { bin, dir, port };
        // PostgreSQL refuses to run as root: as root, run it as the `postgres` user.
        if is_root() {
            assert!(Command::new("chown").args(["-R", "postgres:"]).arg(server.dir.path()).status().unwrap().success());
        }
        let data = server.dir.path().join("data");
        server.run("initdb", &["-D", data.to_str()?, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", server.port, server.dir.path().display());
        let log = server.dir.path().join("log");
        server.run("pg_ctl", &["-D", data.to_str()?, "-o", &options, "-l", log.to_str()?, "-w", "start"]);
        Some(server)
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        let out = cmd.args(args).output().unwrap();
        assert!(out.status.success(), "{tool} {args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// A new empty database.
    fn database(&self, name: &str) -> PgDb {
        client(&self.url("postgres")).batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        PgDb { url: self.url(name) }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        self.run("pg_ctl", &["-D", &data.display().to_string(), "-m", "immediate", "stop"]);
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

fn client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

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

#[test]
fn every_scenario_holds_on_postgresql() {
    let Some(server) = Server::start() else {
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
        scenario(&server.database(name));
    }
}
