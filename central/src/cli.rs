//! The `central` command line: serve, re-verify the stored chains, or make credentials.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::api::App;
use crate::config::{token_hash, Overrides};
use crate::{store, verify, Config, Store};

#[derive(Parser)]
#[command(name = "central", version, about = "Reference receiver of satisfaction ratings for a province (docs/sync-protocol.md)")]
pub struct Cli {
    /// Configuration file (central.example.toml shows every key).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Listen address; overrides `listen`. Port 0 picks a free port.
    #[arg(long, global = true)]
    pub listen: Option<SocketAddr>,
    /// Database URL, `sqlite:PATH` or `postgres://USER@HOST/DB`; overrides `database`.
    #[arg(long, global = true)]
    pub db: Option<String>,
    /// Register a kiosk: `ID:TOKEN:PUBLIC_KEY_HEX` (the token in clear; for tests and demos). Repeatable.
    #[arg(long, global = true)]
    pub kiosk: Vec<String>,
    /// The staff's admin token in clear; overrides `admin_token_sha256`.
    #[arg(long, global = true)]
    pub admin_token: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Re-check every stored chain and signature; exit 1 naming the first broken link.
    Verify,
    /// Print the SHA-256 of a token, to paste as `credential_sha256` or `admin_token_sha256`.
    HashToken { token: String },
    /// Print a new random credential for a kiosk (give it to the kiosk) and its hash (keep it here).
    NewCredential,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let overrides = Overrides { listen: cli.listen, database: cli.db, kiosks: cli.kiosk, admin_token: cli.admin_token };
    match cli.command {
        Some(Command::HashToken { token }) => {
            println!("{}", token_hash(&token));
            ExitCode::SUCCESS
        }
        Some(Command::NewCredential) => {
            let bytes = [uuid::Uuid::new_v4().into_bytes(), uuid::Uuid::new_v4().into_bytes()].concat();
            let token = hex::encode(bytes);
            println!("token = \"{token}\"\ncredential_sha256 = \"{}\"", token_hash(&token));
            ExitCode::SUCCESS
        }
        Some(Command::Verify) => match Config::load(cli.config.as_deref(), overrides).and_then(|c| run_verify(&c)) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("central verify: {e}");
                ExitCode::from(2)
            }
        },
        None => {
            init_logging();
            let config = match Config::load(cli.config.as_deref(), overrides) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{e}\ncentral: not starting until the configuration is fixed");
                    return ExitCode::from(2);
                }
            };
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
            match runtime.block_on(serve(config)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("central: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Logs go to stderr: stdout carries only the `listening on` line tests wait for.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

fn run_verify(config: &Config) -> Result<ExitCode, String> {
    let mut conn = store::connect(&config.database, false).map_err(|e| format!("cannot open {}: {e}", config.database))?;
    let registry = (!config.kiosks.is_empty()).then_some(&config.kiosks);
    match store::in_transaction(conn.as_mut(), |sql| verify::verify(sql, registry)).map_err(|e| e.to_string())? {
        Ok(intact) => {
            println!("ok: {} ratings from {} kiosks; every chain and signature verifies", intact.ratings, intact.kiosks);
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            println!("broken: {broken}");
            Ok(ExitCode::FAILURE)
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let store = Store::open(&config.database).map_err(|e| format!("cannot open {}: {e}", config.database))?;
    let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if config.kiosks.is_empty() {
        tracing::warn!("no kiosk is registered: every push will be refused");
    }
    tracing::info!(%addr, database = %config.database, kiosks = config.kiosks.len(), "central ready");
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on {addr}");
    let _ = stdout.flush();
    let app = Arc::new(App { config, store });
    crate::server::serve(app, listener, crate::server::shutdown_signal()).await.map_err(|e| e.to_string())?;
    tracing::info!("central stopped");
    Ok(())
}
