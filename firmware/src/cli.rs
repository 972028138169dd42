//! The `kioskd` command line: run the service, hash a staff PIN, or check a configuration file.
//! Kept in the library so the `kiosk` app and the end-to-end tests run exactly the same code.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::clock::{Clock, SystemClock};
use crate::Config;

#[derive(Parser)]
#[command(name = "kioskd", version, about = "Queue and kiosk service for a one-stop public-administration centre")]
pub struct Cli {
    /// Configuration file.
    #[arg(long, default_value = "config/kiosk.toml", global = true)]
    pub config: PathBuf,
    /// Data directory (database, receipts); overrides `[data] dir`.
    #[arg(long, global = true)]
    pub data: Option<PathBuf>,
    /// Listen address; overrides `[http] listen`.
    #[arg(long, global = true)]
    pub listen: Option<std::net::SocketAddr>,
    /// Development: allow the published development PINs (README) and say so on /counter.
    /// Without it, a configuration holding one is refused at start.
    #[arg(long, global = true)]
    pub dev: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Print the hash of a staff PIN, to paste as `pin_hash` in the configuration.
    HashPin { pin: String },
    /// Check the configuration file and report every problem.
    CheckConfig,
    /// Copy the live database to a file (safe while kioskd runs).
    Backup { to: PathBuf },
    /// Put a backup back as the database (kioskd must be stopped); the old one is kept beside it.
    Restore { from: PathBuf },
    /// Print the printer's self-test page (every Vietnamese letter, a QR, the settings) and its status.
    PrintTest,
    /// Check the whole chain of ratings in the database against the kiosk's key, and every
    /// stored column the figures read against the signed records.
    VerifyRatings,
    /// Enrol a device (a rating tablet, a second kiosk that prints on its own printer): prints its
    /// bearer token, once. Works while kioskd runs.
    EnrollDevice { name: String },
    /// Revoke an enrolled rating device: its token no longer rates by ticket number.
    RevokeDevice { name: String },
}

/// Load the configuration named on the command line, with its overrides applied.
pub fn load_config(cli: &Cli) -> Result<Config, String> {
    let mut config = Config::load(&cli.config).map_err(|e| e.to_string())?;
    if let Some(dir) = &cli.data {
        config.data_dir = dir.clone();
    }
    if let Some(listen) = cli.listen {
        config.http.listen = listen;
    }
    config.development_pins_allowed = cli.dev;
    Ok(config)
}

/// Refuse a configuration that holds a published development PIN, unless started with `--dev`
/// (then say so in the log, and `/counter` shows a banner); the message names what holds one.
pub fn refuse_development_pins(config: &mut Config) -> Result<(), String> {
    let holders = config.development_pins();
    if holders.is_empty() {
        config.development_pins_allowed = false;
        return Ok(());
    }
    if config.development_pins_allowed {
        tracing::warn!(holders = %holders.join(", "), "development PINs in use (--dev): never in production");
        return Ok(());
    }
    Err(format!(
        "the configuration holds the published development PINs (README) for: {}. Anyone who read the README could log in. \
         Set new PINs (`kioskd hash-pin <PIN>` prints the pin_hash to paste), or pass --dev on a development machine.",
        holders.join(", ")
    ))
}

/// Logs go to stderr (stdout carries what a subcommand prints, e.g. a PIN hash), coloured only
/// on a terminal: under systemd they land in the journal as plain text.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

pub fn main() -> ExitCode {
    main_with_clock(None)
}

/// `main`, with the service's clock starting at `start` (running at real speed) instead of the
/// system's: the end-to-end tests' `kioskd-e2e` runs on a fixed working day this way.
pub fn main_with_clock(start: Option<chrono::DateTime<chrono::FixedOffset>>) -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::HashPin { pin }) => {
            if pin.len() < 4 || !pin.chars().all(|c| c.is_ascii_digit()) {
                eprintln!("a PIN is at least 4 digits");
                return ExitCode::from(2);
            }
            println!("{}", crate::auth::hash_pin(pin));
            ExitCode::SUCCESS
        }
        Some(Command::CheckConfig) => match load_config(&cli) {
            Ok(_) => {
                println!("{}: ok", cli.config.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprint!("{e}");
                ExitCode::from(2)
            }
        },
        Some(Command::Backup { to }) | Some(Command::Restore { from: to }) => {
            let config = match load_config(&cli) {
                Ok(c) => c,
                Err(e) => {
                    eprint!("{e}");
                    return ExitCode::from(2);
                }
            };
            let db = config.database_path();
            let result = match &cli.command {
                Some(Command::Backup { .. }) => {
                    crate::backup::backup(&db, to).map(|bytes| format!("backed up {} to {} ({bytes} bytes)", db.display(), to.display()))
                }
                _ => crate::backup::restore(to, &db, &db.with_extension("lock")).map(|kept| match kept {
                    Some(k) => format!("restored {} from {}; the previous database is kept as {}", db.display(), to.display(), k.display()),
                    None => format!("restored {} from {}", db.display(), to.display()),
                }),
            };
            match result {
                Ok(msg) => {
                    println!("{msg}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("kioskd: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::PrintTest) => {
            let config = match load_config(&cli) {
                Ok(c) => c,
                Err(e) => {
                    eprint!("{e}");
                    return ExitCode::from(2);
                }
            };
            match print_test(&config, SystemClock { offset: config.centre.offset }.now()) {
                Ok(msg) => {
                    println!("{msg}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("print-test: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::VerifyRatings) => {
            let config = match load_config(&cli) {
                Ok(c) => c,
                Err(e) => {
                    eprint!("{e}");
                    return ExitCode::from(2);
                }
            };
            match verify_ratings(&config) {
                Ok(n) => {
                    println!("{n} ratings: the chain is intact, every signature verifies, and the stored figures match the signed records");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("verify-ratings: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::EnrollDevice { name }) | Some(Command::RevokeDevice { name }) => {
            let config = match load_config(&cli) {
                Ok(c) => c,
                Err(e) => {
                    eprint!("{e}");
                    return ExitCode::from(2);
                }
            };
            let name = crate::text::nfc(name.trim());
            if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
                eprintln!("a device name is 1 to 64 printable characters");
                return ExitCode::from(2);
            }
            let (db, now) = (config.database_path(), crate::auth::unix_ms());
            let enrol = matches!(cli.command, Some(Command::EnrollDevice { .. }));
            let result = if enrol {
                crate::service::enroll_device_beside(&db, &name, now).map(|token| match token {
                    Some(token) => Ok(format!(
                        "{token}\n(the bearer token of device {name:?}: a second kiosk keeps it in <its data dir>/device-token (docs/DEPLOY.md, \"Adding a kiosk\"), a rating screen takes `--device-token-file FILE`; it is shown only now)"
                    )),
                    None => Err(format!("a device named {name:?} is already enrolled; revoke it first")),
                })
            } else {
                crate::service::revoke_device_beside(&db, &name, now).map(|found| {
                    if found {
                        Ok(format!("revoked {name:?}"))
                    } else {
                        Err(format!("no enrolled device is named {name:?}"))
                    }
                })
            };
            match result {
                Ok(Ok(msg)) => {
                    println!("{msg}");
                    ExitCode::SUCCESS
                }
                Ok(Err(msg)) => {
                    eprintln!("kioskd: {msg}");
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!("kioskd: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        None => {
            init_logging();
            let mut config = match load_config(&cli) {
                Ok(c) => c,
                Err(e) => {
                    eprint!("{e}");
                    eprintln!("kioskd: not starting until the configuration is fixed");
                    return ExitCode::from(2);
                }
            };
            if let Err(e) = refuse_development_pins(&mut config) {
                eprintln!("kioskd: {e}");
                return ExitCode::from(2);
            }
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
            let clock: Arc<dyn Clock> = match start {
                Some(at) => Arc::new(crate::clock::StartedClock::new(at)),
                None => Arc::new(SystemClock { offset: config.centre.offset }),
            };
            match runtime.block_on(run(config, clock)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!("{e}");
                    eprintln!("kioskd: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Print the self-test page on the configured printer, dated `now`; says where it went and the
/// printer's state.
pub fn print_test(config: &Config, now: chrono::DateTime<chrono::FixedOffset>) -> Result<String, String> {
    let mut cfg = config.printer.clone().ok_or("no [printer] in the configuration")?;
    if cfg.virtual_dir.is_none() {
        cfg.virtual_dir = Some(config.data_dir.join("receipts"));
    }
    let mut printer = printer::Printer::open(&cfg).map_err(|e| e.to_string())?;
    let page = printer::SelfTest {
        kiosk_name: config.centre.name.clone(),
        printed_at: crate::time::clock_and_date(now),
        check_url: format!("{}/healthz", config.centre.public_url),
    };
    let outcome = printer.print(&printer::Document::SelfTest(page)).map_err(|e| e.to_string())?;
    let state = crate::printing::state_name(printer.status());
    Ok(match outcome.saved_to {
        Some(path) => format!("self-test page printed ({} bytes) to {}; printer state: {state}", outcome.bytes, path.display()),
        None => format!("self-test page sent ({} bytes) to {}; printer state: {state}", outcome.bytes, cfg.transport),
    })
}

/// Walk the ratings chain of the configured database, then compare every stored column the
/// figures and the CSV export read with the signed records; the number of ratings, or the first
/// broken link or edited column.
pub fn verify_ratings(config: &Config) -> Result<usize, String> {
    let db = config.database_path();
    let (links, columns) =
        crate::store::read_beside(&db, |conn| Ok((crate::store::ratings::all_links(conn)?, crate::store::ratings::all_columns(conn)?)))
            .map_err(|e| e.to_string())?;
    let key = crate::rating::DeviceKey::load(&config.data_dir.join("device.key")).map_err(|e| e.to_string())?;
    crate::rating::verify_chain(&links, &key.public()).map_err(|e| e.to_string())?;
    crate::rating::verify_columns(&links, &columns).map_err(|e| e.to_string())?;
    Ok(links.len())
}

/// Start the service (with its tasks and devices) and serve until SIGTERM / Ctrl-C.
pub async fn run(config: Config, clock: Arc<dyn Clock>) -> Result<(), String> {
    let listen = config.http.listen;
    let db = config.database_path();
    let service = crate::server::start(config, clock).await.map_err(|e| format!("cannot open {}: {e}", db.display()))?;
    if let Some(devices) = service.config().devices.clone() {
        crate::server::devices::start_configured(&service, devices).map_err(|e| format!("devices: {e}"))?;
    }
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    tracing::info!(%listen, db = %db.display(), centre = %service.config().centre.name, "kioskd ready");
    crate::systemd::notify("READY=1");
    tokio::spawn(crate::systemd::watchdog(service.clone()));
    crate::server::serve(service, listener, crate::server::shutdown_signal()).await.map_err(|e| e.to_string())?;
    crate::systemd::notify("STOPPING=1");
    tracing::info!("kioskd stopped");
    Ok(())
}
