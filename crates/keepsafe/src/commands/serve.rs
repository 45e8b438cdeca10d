//! `keepsafe serve`.

use crate::cli::ServeArgs;
use anyhow::{anyhow, Result};
use keepsafe_storage::{Clock, Database};
use keepsafe_web::{AppState, WebConfig};
use std::net::SocketAddr;

pub fn run(database: Database, args: &ServeArgs, clock: Clock) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(database, args, clock))
}

pub async fn serve(database: Database, args: &ServeArgs, clock: Clock) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|error| bind_error(args.listen, error))?;
    let delivery =
        keepsafe_web::supervision::delivery::Delivery::from_config(&args.delivery.config())
            .map_err(|error| anyhow!(error))?;
    let config = WebConfig {
        secure_cookies: !args.insecure_cookies,
        public_base_url: args
            .base_url
            .as_deref()
            .map(|url| url.trim().trim_end_matches('/').to_owned())
            .filter(|url| !url.is_empty()),
        ..WebConfig::default()
    };
    let description = database.url().describe();
    if clock.is_set() {
        // A set clock is for training and demonstrations: say so where an operator will see it.
        tracing::warn!(now = %clock.now(), "keepsafe is running on a set clock (--now), not the system clock");
    }
    tokio::spawn(partner_reminders_every_hour(database.clone(), clock));
    tokio::spawn(quality_snapshots_every_hour(database.clone(), clock));
    tokio::spawn(quality_indicators_every_few_seconds(
        database.clone(),
        clock,
    ));
    tracing::info!(sending = %delivery.describe(), "appointment reminders");
    tokio::spawn(outbox_every(
        database.clone(),
        clock,
        delivery,
        std::time::Duration::from_secs(args.outbox_interval.max(1)),
    ));
    let (router, routes) = keepsafe_web::build(AppState::new(database, config, clock));
    tracing::info!(routes = routes.len(), database = %description, "keepsafe listening on http://{}", args.listen);
    println!(
        "keepsafe is running at http://{} (press Ctrl+C to stop)",
        args.listen
    );
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// Records the partner reminders and escalations due, at start and then every hour, so they go out
/// without anyone running `keepsafe partner reminders`. Each is recorded once, so the passes never
/// repeat one; a failed pass is logged and tried again next hour.
async fn partner_reminders_every_hour(database: Database, clock: Clock) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        let db = database.clone();
        let pass = tokio::task::spawn_blocking(move || -> Result<_> {
            let now = clock.now();
            Ok(db.write(|conn| {
                let rules = keepsafe_storage::partners::deadline_rules(
                    conn,
                    keepsafe_domain::partner::DeadlineRules::reference(),
                )?;
                keepsafe_storage::partners::run_reminders(conn, &rules, now.date_naive(), now)
            })?)
        })
        .await;
        match pass {
            Ok(Ok(run)) => tracing::info!(
                requests = run.requests,
                partner_reminders = run.partner_reminders,
                escalations = run.escalations,
                "partner reminders recorded"
            ),
            Ok(Err(error)) => {
                tracing::error!(%error, "partner reminders failed; trying again in an hour")
            }
            Err(error) => tracing::error!(%error, "partner reminders task failed"),
        }
    }
}

/// Records this week's automated quality ratings at start and then every hour (each pass replaces
/// the week's earlier one), so the automated trend gains a point every week without anyone
/// running `keepsafe quality snapshot`.
async fn quality_snapshots_every_hour(database: Database, clock: Clock) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        let db = database.clone();
        let pass = tokio::task::spawn_blocking(move || -> Result<_> {
            let today = clock.today();
            Ok(db.write(|conn| {
                keepsafe_storage::quality::snapshots::record_all(
                    conn,
                    today,
                    &keepsafe_domain::quality::IndicatorRules::default(),
                )
            })?)
        })
        .await;
        match pass {
            Ok(Ok(runs)) => tracing::info!(frameworks = runs.len(), "quality snapshots recorded"),
            Ok(Err(error)) => {
                tracing::error!(%error, "quality snapshots failed; trying again in an hour")
            }
            Err(error) => tracing::error!(%error, "quality snapshots task failed"),
        }
    }
}

/// How often the server recomputes the stored quality indicators of changed cases.
const QUALITY_DRAIN_EVERY: std::time::Duration = std::time::Duration::from_secs(3);

/// Keeps the stored automated quality indicators current: every few seconds recomputes the cases
/// changed since (queued by the database in the same transaction as each change), and on the first
/// pass of each day queues every case computed on an earlier day, since the indicators' windows
/// are measured from today. Each batch is its own short transaction, so the writer is never held
/// for long on SQLite, and the pages (which drain a little before they read) stay fast.
async fn quality_indicators_every_few_seconds(database: Database, clock: Clock) {
    use keepsafe_storage::quality::case_indicators;
    let mut every = tokio::time::interval(QUALITY_DRAIN_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut refreshed_for: Option<chrono::NaiveDate> = None;
    loop {
        every.tick().await;
        let db = database.clone();
        let new_day = refreshed_for != Some(clock.today());
        let pass = tokio::task::spawn_blocking(move || -> Result<_> {
            let mut conn = db.connection()?;
            let today = clock.today();
            let rules = keepsafe_domain::quality::IndicatorRules::default();
            let mut stale = 0;
            if new_day {
                stale = keepsafe_storage::transaction::write(&mut conn, |conn| {
                    case_indicators::mark_stale(conn, today, &rules)
                })?;
            }
            let mut refreshed = 0;
            loop {
                let drained = keepsafe_storage::transaction::write(&mut conn, |conn| {
                    case_indicators::drain(conn, today, &rules, case_indicators::BATCH)
                })?;
                refreshed += drained.refreshed;
                if drained.remaining == 0 || drained.refreshed == 0 {
                    return Ok((today, stale, refreshed));
                }
            }
        })
        .await;
        match pass {
            Ok(Ok((today, stale, refreshed))) => {
                refreshed_for = Some(today);
                if stale > 0 || refreshed > 0 {
                    tracing::debug!(stale, refreshed, "quality indicators brought up to date");
                }
            }
            Ok(Err(error)) => {
                tracing::error!(%error, "quality indicators failed; trying again shortly")
            }
            Err(error) => tracing::error!(%error, "quality indicators task failed"),
        }
    }
}

/// Writes tomorrow's appointment reminders and sends the messages due, at start and then every
/// `interval`; a failed pass is logged and tried again next time.
async fn outbox_every(
    database: Database,
    clock: Clock,
    delivery: keepsafe_web::supervision::delivery::Delivery,
    interval: std::time::Duration,
) {
    let mut every = tokio::time::interval(interval);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match keepsafe_web::supervision::delivery::run_outbox(&database, clock, &delivery).await {
            Ok(run) if run == Default::default() => {}
            Ok(run) => tracing::info!("{}", super::outbox::summary(&run)),
            Err(error) => tracing::error!(%error, "the outbox pass failed; trying again later"),
        }
    }
}

fn bind_error(address: SocketAddr, error: std::io::Error) -> anyhow::Error {
    match error.kind() {
        std::io::ErrorKind::AddrInUse => anyhow!(
            "cannot listen on {address}: the port is already in use; stop the other program or choose another address with --listen"
        ),
        std::io::ErrorKind::PermissionDenied => anyhow!(
            "cannot listen on {address}: permission denied; choose a port above 1024 with --listen"
        ),
        _ => anyhow!("cannot listen on {address}: {error}"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
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
