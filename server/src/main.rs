//! `nimo_server`: serves the platform at `LEPTOS_SITE_ADDR`.

use leptos::config::get_configuration;
use nimo_server::{build_state, config::Settings, router_with, serve::serve};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let configuration = get_configuration(None)?;
    let leptos_options = configuration.leptos_options;
    let address = leptos_options.site_addr;
    let settings = Settings::from_env(address)?;
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if let [command, email, name] = &arguments[..]
        && command == "invite-secretariat"
    {
        // The first account of a fresh install: an invitation link, e-mailed
        // (or written to the outbox) and printed for the operator.
        let platform = nimo_server::start_platform(&settings).await?;
        let link = nimo_server::invite_first_secretariat(&platform, email, name).await?;
        use std::io::Write;
        writeln!(std::io::stdout(), "招待リンク（72時間有効・1回限り）: {link}")?;
        return Ok(());
    }
    if !arguments.is_empty() {
        return Err("usage: nimo_server [invite-secretariat EMAIL NAME]".into());
    }
    let mut settings = settings;
    settings.limits.max_connections = fit_open_file_limit(settings.limits.max_connections);
    let state = build_state(&settings, leptos_options).await?;
    let listener = tokio::net::TcpListener::bind(address).await?;
    tracing::info!(public_url = %settings.public_url, limits = ?settings.limits, "listening on http://{address}");
    let mut router = router_with(state, &settings.limits);
    if settings.test_clock {
        tracing::warn!("NIMO_TEST_CLOCK=1: POST /test-clock/advance?minutes=N moves the clock; never in production");
        router = router.merge(nimo_server::routes::test_clock_router());
    }
    serve(listener, router, settings.limits, shutdown_signal()).await?;
    Ok(())
}

/// Raises the soft limit on open files to the hard one (service managers
/// often start at 1024) and returns the connection cap that fits under it,
/// keeping 256 descriptors for the database, files and mail.
fn fit_open_file_limit(wanted: usize) -> usize {
    use rustix::process::{Resource, getrlimit, setrlimit};
    const RESERVE: u64 = 256;
    let limit = getrlimit(Resource::Nofile);
    let hard = limit.maximum;
    if limit.current != hard {
        let _ = setrlimit(Resource::Nofile, rustix::process::Rlimit { current: hard, maximum: hard });
    }
    let Some(available) = getrlimit(Resource::Nofile).current else { return wanted };
    let fits = usize::try_from(available.saturating_sub(RESERVE).max(16)).unwrap_or(wanted);
    if fits < wanted {
        tracing::warn!(wanted, fits, "MAX_CONNECTIONS lowered to fit the open-file limit");
    }
    wanted.min(fits)
}

/// Stops on Ctrl-C or SIGTERM (what service managers and cargo-leptos send),
/// letting requests in flight finish; SQLite commits are already durable.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
