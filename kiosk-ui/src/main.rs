//! `kiosk`: the whole kiosk in one process — the firmware service with its HTTP API (for the
//! counters and the hall display) on a tokio runtime in the background, and the touchscreen
//! window on the main thread. `--server URL` makes it a second kiosk that uses a main kiosk's
//! service over HTTP instead. Same `--config`, `--data` and `--listen` flags as `kioskd`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use firmware::audio::{Speaker, SpeakerSettings};
use firmware::clock::SystemClock;
use firmware::devices::DevicesConfig;
use firmware::Service;
use kiosk_ui::backend::{Backend, KioskInfo};
use kiosk_ui::glue::{Kiosk, Runner};
use kiosk_ui::local::LocalBackend;
use kiosk_ui::remote::RemoteBackend;
use slint::ComponentHandle;

mod render_home;

#[derive(Parser)]
#[command(name = "kiosk", version, about = "The touchscreen kiosk of a one-stop public-administration centre, with its queue service")]
struct Args {
    /// Configuration file.
    #[arg(long, default_value = "config/kiosk.toml")]
    config: PathBuf,
    /// Data directory (database, receipts, announcements written to files); overrides `[data] dir`.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Listen address of the HTTP API; overrides `[http] listen`.
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// Be a second kiosk using the main kiosk's service at URL (e.g. http://192.168.1.10:8080).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// Be the rating screen beside counter N: the rating opens when its officer finishes a ticket.
    #[arg(long, value_name = "N")]
    counter: Option<u32>,
    /// Cover the whole screen (a kiosk in service); otherwise a window.
    #[arg(long)]
    fullscreen: bool,
    /// A second kiosk rating tickets by number: the file holding its token from
    /// `kioskd enroll-device NAME` on the main kiosk (or set KIOSK_DEVICE_TOKEN).
    #[arg(long, value_name = "FILE")]
    device_token_file: Option<PathBuf>,
    /// Development: allow the published development PINs (README); /counter says so.
    #[arg(long)]
    dev: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Draw the home screen to a PNG with the software renderer (no display needed), then exit.
    RenderHome(render_home::Options),
}

/// Why no window can open here, if none can: a Pi's kiosk draws through DRM/KMS (`linuxkms`), a
/// developer's in an X11 window (`desktop`, which `scripts/run-kiosk` switches on) when DISPLAY
/// is set.
fn no_window() -> Option<&'static str> {
    if cfg!(feature = "linuxkms") {
        None
    } else if !cfg!(feature = "desktop") {
        Some(
            "built without a window (neither the `desktop` nor the `linuxkms` feature; scripts/run-kiosk builds with `--features desktop`)",
        )
    } else if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        None
    } else {
        Some("no display (DISPLAY is not set)")
    }
}

/// A second kiosk (`--server`) is only a window: without one there is nothing to run.
fn window_for_second_kiosk() -> Result<(), ExitCode> {
    match no_window() {
        Some(why) => {
            eprintln!("kiosk: {why}: a second kiosk (--server) is only a window, so there is nothing to run");
            Err(ExitCode::from(2))
        }
        None => Ok(()),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    firmware::cli::init_logging();
    if let Some(Command::RenderHome(options)) = &args.command {
        return match render_home::run(&args.config, args.server.as_deref(), options) {
            Ok(done) => {
                println!("{done}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("kiosk render-home: {e}");
                ExitCode::FAILURE
            }
        };
    }
    // A second kiosk's own small file (`[kiosk]`, its `[printer]`): the centre comes from the server.
    if let Some(url) = &args.server {
        let text = std::fs::read_to_string(&args.config).unwrap_or_default();
        if kiosk_ui::station::is_station_file(&text) {
            return station(&args, url);
        }
    }
    let cli =
        firmware::cli::Cli { config: args.config.clone(), data: args.data.clone(), listen: args.listen, dev: args.dev, command: None };
    let config = firmware::cli::load_config(&cli);
    match (&args.server, config) {
        (Some(url), Ok(config)) => {
            let speaker = own_speaker(&config.kiosk_speaker, &config.data_dir, config.centre.offset);
            second_kiosk(&args, url, Ok(KioskInfo::from_config(&config)), speaker, config.devices.as_ref(), config.identity.scanner.clone())
        }
        // A second kiosk needs no configuration of its own: it asks the server what it can.
        (Some(url), Err(e)) => {
            eprintln!(
                "kiosk: {} not loaded ({}); using the server's rating scale, without centre name or priority question",
                args.config.display(),
                e.trim()
            );
            let data = args.data.clone().unwrap_or_else(|| PathBuf::from("var"));
            let speaker = own_speaker(&SpeakerSettings::default(), &data, firmware::calendar::vietnam_offset());
            second_kiosk(&args, url, RemoteBackend::info_from_server(url), speaker, None, None)
        }
        (None, Ok(config)) => main_kiosk(&args, config),
        (None, Err(e)) => {
            eprint!("{e}");
            eprintln!("kiosk: not starting until the configuration is fixed");
            ExitCode::from(2)
        }
    }
}

/// This kiosk's speaker (`[voice.kiosk]`): the words of each ticket it issues, on its own sound.
fn own_speaker(settings: &SpeakerSettings, data_dir: &std::path::Path, offset: chrono::FixedOffset) -> Speaker {
    kiosk_ui::speech::speaker(settings, data_dir, Arc::new(SystemClock { offset }))
}

/// Show the window over `backend` until it is closed; the audio guide's GPIO buttons of
/// `devices` are watched.
fn run_window(
    args: &Args,
    backend: Arc<dyn Backend>,
    speaker: Speaker,
    devices: Option<&DevicesConfig>,
    scanner: Option<PathBuf>,
) -> Result<(), slint::PlatformError> {
    let kiosk = Kiosk::new(backend, Runner::Threads)?;
    kiosk.speak_with(speaker);
    if let Some(port) = scanner {
        kiosk.watch_scanner(port);
    }
    if let Some(devices) = devices {
        let watched = firmware::devices::open_board(devices.board).and_then(|board| kiosk.watch_buttons(devices, board));
        if let Err(e) = watched {
            tracing::error!(error = %e, "the audio guide's buttons are not watched");
        }
    }
    if let Some(counter) = args.counter {
        kiosk.watch_counter(counter);
    }
    kiosk.app.window().set_fullscreen(args.fullscreen);
    kiosk.app.run()
}

fn second_kiosk(
    args: &Args,
    url: &str,
    info: kiosk_ui::backend::Result<KioskInfo>,
    speaker: Speaker,
    devices: Option<&DevicesConfig>,
    scanner: Option<PathBuf>,
) -> ExitCode {
    if let Err(refused) = window_for_second_kiosk() {
        return refused;
    }
    let info = match info {
        Ok(i) => i,
        Err(e) => {
            eprintln!("kiosk: cannot reach the main kiosk at {url}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let token = match &args.device_token_file {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("kiosk: cannot read the device token {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => std::env::var("KIOSK_DEVICE_TOKEN").ok(),
    };
    if token.is_none() && args.counter.is_some() {
        eprintln!("kiosk: no device token (--device-token-file): the main kiosk will refuse ratings by ticket number from this screen");
    }
    match run_window(args, Arc::new(RemoteBackend::new(url, info).with_device_token(token)), speaker, devices, scanner) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kiosk: cannot open the window: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A second kiosk with its own configuration file: its own printer (as an enrolled kiosk), its
/// language and idle time; says so on screen while the main service is unreachable, and
/// recovers by itself.
fn station(args: &Args, url: &str) -> ExitCode {
    use kiosk_ui::station::{read_token, OwnPrinter, StationConfig};
    let data = args.data.clone().unwrap_or_else(|| PathBuf::from("var"));
    let config = match StationConfig::load(&args.config, &data) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("kiosk: {e}");
            return ExitCode::from(2);
        }
    };
    let token_file = args.device_token_file.clone().unwrap_or_else(|| config.device_token_file.clone());
    let token = match read_token(&token_file) {
        Ok(t) => t.or_else(|| std::env::var("KIOSK_DEVICE_TOKEN").ok()),
        Err(e) => {
            eprintln!("kiosk: {e}");
            return ExitCode::from(2);
        }
    };
    if config.printer.is_some() && token.is_none() {
        eprintln!(
            "kiosk: {} gives this kiosk its own [printer], but it has no device token ({} does not exist): on the main kiosk run \
             `kioskd enroll-device \"<this kiosk's name>\"` and put the token it prints in that file; until then the main \
             kiosk's printer would print this kiosk's tickets",
            args.config.display(),
            token_file.display()
        );
        return ExitCode::from(2);
    }
    if let Err(refused) = window_for_second_kiosk() {
        return refused;
    }
    let info = RemoteBackend::info_from_server(url).unwrap_or_else(|e| {
        eprintln!("kiosk: cannot reach the main kiosk at {url} yet ({e}); the screen says so and this kiosk keeps trying");
        KioskInfo::default()
    });
    let mut backend = RemoteBackend::new(url, info).with_device_token(token);
    if let Some(printer) = &config.printer {
        match OwnPrinter::start(printer) {
            Ok(p) => backend = backend.with_own_printer(p),
            Err(e) => {
                eprintln!("kiosk: {}: {e}", args.config.display());
                return ExitCode::from(2);
            }
        }
    }
    let backend = Arc::new(backend);
    let speaker = own_speaker(&SpeakerSettings::default(), &data, firmware::calendar::vietnam_offset());
    let opened = Kiosk::new(backend.clone(), Runner::Threads).and_then(|kiosk| {
        kiosk.speak_with(speaker);
        if let Some(port) = config.scanner.clone() {
            kiosk.watch_scanner(port);
        }
        let api = kiosk.api();
        api.set_english_first(config.english_first);
        api.set_english(config.english_first);
        api.set_idle_limit(config.idle_seconds as i32);
        if let Some(counter) = args.counter {
            kiosk.watch_counter(counter);
        }
        kiosk_ui::station::follow(&kiosk, backend.clone());
        kiosk.app.window().set_fullscreen(args.fullscreen);
        kiosk.app.run()
    });
    match opened {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kiosk: cannot open the window: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main_kiosk(args: &Args, mut config: firmware::Config) -> ExitCode {
    if let Err(e) = firmware::cli::refuse_development_pins(&mut config) {
        eprintln!("kiosk: {e}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kiosk: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listen = config.http.listen;
    let devices = config.devices.clone();
    let scanner = config.identity.scanner.clone();
    let db = Service::database_path(&config);
    let clock = Arc::new(SystemClock { offset: config.centre.offset });
    let speaker = kiosk_ui::speech::speaker(&config.kiosk_speaker, &config.data_dir, clock.clone());
    let started = runtime.block_on(async {
        let service = firmware::server::start(config, clock).await.map_err(|e| format!("cannot open {}: {e}", db.display()))?;
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        Ok::<_, String>((service, listener))
    });
    let (service, listener) = match started {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kiosk: {e}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(%listen, db = %db.display(), centre = %service.config().centre.name, "kiosk service ready");

    // The service stops on SIGTERM / Ctrl-C, or when the window is closed.
    let (closed_tx, closed_rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        tokio::select! {
            _ = firmware::server::shutdown_signal() => {
                let _ = slint::invoke_from_event_loop(|| {
                    let _ = slint::quit_event_loop();
                });
            }
            _ = closed_rx => {}
        }
    };
    let server = runtime.spawn(firmware::server::serve(service.clone(), listener, shutdown));

    const SERVICE_ONLY: &str = "so there is no touchscreen window; running the service and its HTTP API only";
    match no_window() {
        None => {
            let backend = Arc::new(LocalBackend::new(service, runtime.handle().clone()));
            match run_window(args, backend, speaker, devices.as_ref(), scanner) {
                Ok(()) => {
                    let _ = closed_tx.send(());
                }
                Err(e) => eprintln!("kiosk: the window could not open ({e}), {SERVICE_ONLY}"),
            }
        }
        Some(why) => eprintln!("kiosk: {why}, {SERVICE_ONLY}"),
    }
    match runtime.block_on(server) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("kiosk: {e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("kiosk: {e}");
            ExitCode::FAILURE
        }
    }
}
