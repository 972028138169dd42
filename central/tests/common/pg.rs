//! A throwaway PostgreSQL server (Debian's `postgresql` package) for the PostgreSQL tests and
//! the fleet benchmark: a temporary directory, a free loopback port, stopped on drop.

use std::path::PathBuf;
use std::process::Command;

/// A PostgreSQL server in a temporary directory, on a free loopback port, stopped on drop.
pub struct Server {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
}

impl Server {
    /// `None` when PostgreSQL is not installed. `durable`: fsync on, as a province runs it (the
    /// benchmark); off for tests, which never survive a power cut anyway.
    pub fn start(durable: bool) -> Option<Server> {
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
        let fsync = if durable { "on" } else { "off" };
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync={fsync} -c max_connections=200",
            server.port,
            server.dir.path().display()
        );
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

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// A new empty database.
    pub fn create_database(&self, name: &str) {
        client(&self.url("postgres")).batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    }

    /// The server's version line.
    pub fn version(&self) -> String {
        client(&self.url("postgres")).query_one("SELECT version()", &[]).unwrap().get(0)
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

pub fn client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}
