//! The `central` command line: serve, re-verify the stored chains, make credentials, make the
//! province's catalogue key and publish a catalogue signed with it.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use ed25519_dalek::SigningKey;

use crate::api::App;
use crate::config::{token_hash, Overrides};
use crate::{bundles, store, verify, Config, Store};

#[derive(Parser)]
#[command(
    name = "central",
    version,
    about = "The province side of the kiosk protocol (docs/sync-protocol.md): ratings, heartbeats, fleet, catalogue bundles"
)]
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
    /// Create the province's Ed25519 catalogue key at PATH (owner-only, never overwritten) and
    /// print its public key for the kiosks' `catalogue_public_key`.
    NewProvinceKey { path: PathBuf },
    /// Validate the catalogue files of DIR with the kiosk's rules, sign them with the province
    /// key as the next version and store them for the kiosks to fetch.
    PublishCatalogue {
        /// The province key made by `new-province-key`.
        #[arg(long)]
        key: PathBuf,
        /// A catalogue directory (`*.toml`, `*.json`), as `config/catalog`.
        dir: PathBuf,
    },
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
        Some(Command::NewProvinceKey { path }) => match new_province_key(&path) {
            Ok(public) => {
                println!("{public}");
                eprintln!(
                    "central: province catalogue key written to {} (keep it offline, owner-only; see docs/FLEET.md).\n\
                     Give every kiosk: [central] catalogue_public_key = \"{public}\"",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("central new-province-key: {e}");
                ExitCode::FAILURE
            }
        },
        Some(Command::PublishCatalogue { key, dir }) => {
            match Config::load(cli.config.as_deref(), overrides).map_err(Published::Failed).and_then(|c| publish_catalogue(&c, &key, &dir))
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(Published::Invalid(e)) => {
                    eprintln!("central publish-catalogue: {}: nothing was published.\n{e}", dir.display());
                    ExitCode::FAILURE
                }
                Err(Published::Failed(e)) => {
                    eprintln!("central publish-catalogue: {e}");
                    ExitCode::from(2)
                }
            }
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

/// Write a new random Ed25519 key to `path` (created, never replaced; mode 0600) and return
/// its public key in hex.
fn new_province_key(path: &Path) -> Result<String, String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness: {e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!("{} exists: a province key is never overwritten", path.display()),
        _ => format!("{}: {e}", path.display()),
    })?;
    file.write_all(&seed).and_then(|()| file.sync_all()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(hex::encode(SigningKey::from_bytes(&seed).verifying_key().as_bytes()))
}

/// Read a province key written by `new-province-key`.
pub fn read_province_key(path: &Path) -> Result<SigningKey, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let seed: [u8; 32] =
        bytes.try_into().map_err(|_| format!("{} is not a province key (32 bytes, made by central new-province-key)", path.display()))?;
    Ok(SigningKey::from_bytes(&seed))
}

enum Published {
    /// The catalogue breaks the rules: every error, located.
    Invalid(catalogue::CatalogError),
    Failed(String),
}

fn publish_catalogue(config: &Config, key_path: &Path, dir: &Path) -> Result<(), Published> {
    let key = read_province_key(key_path).map_err(Published::Failed)?;
    let public = hex::encode(key.verifying_key().as_bytes());
    if let Some(expected) = &config.catalogue_public_key {
        if expected.as_bytes() != key.verifying_key().as_bytes() {
            return Err(Published::Failed(format!(
                "{} holds key {public}, but catalogue_public_key is {}: kiosks would refuse this bundle; nothing was published",
                key_path.display(),
                hex::encode(expected.as_bytes())
            )));
        }
    }
    let (files, procedures) = bundles::read_and_validate(dir).map_err(Published::Invalid)?;
    let published_at = chrono::Utc::now().with_timezone(&crate::chain::vietnam()).to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let mut conn =
        store::connect(&config.database, true).map_err(|e| Published::Failed(format!("cannot open {}: {e}", config.database)))?;
    let published = store::in_transaction(conn.as_mut(), |sql| bundles::publish(sql, files, procedures, &key, &published_at))
        .map_err(|e| Published::Failed(e.to_string()))?;
    println!(
        "published catalogue version {}: {} procedures in {} files, signed by {public}, ETag {}",
        published.version, published.procedures, published.files, published.etag
    );
    Ok(())
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
    let app = Arc::new(App::new(config, store));
    crate::server::serve(app, listener, crate::server::shutdown_signal()).await.map_err(|e| e.to_string())?;
    tracing::info!("central stopped");
    Ok(())
}
