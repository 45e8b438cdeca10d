//! `keepsafe outbox send`: one pass of the outbox — tomorrow's reminders written, every message
//! due sent (or kept unsent with the reason, or cancelled if its appointment moved).

use super::cli_audit;
use crate::cli::{OutboxCommand, OutboxSendArgs};
use anyhow::{anyhow, Result};
use keepsafe_storage::{audit, transaction, Clock, Database};
use keepsafe_web::supervision::delivery::{run_outbox, Delivery, OutboxRun};

pub fn run(database: Database, command: &OutboxCommand, clock: Clock) -> Result<()> {
    match command {
        OutboxCommand::Send(args) => send(database, args, clock),
    }
}

fn send(database: Database, args: &OutboxSendArgs, clock: Clock) -> Result<()> {
    let delivery = Delivery::from_config(&args.delivery.config()).map_err(|e| anyhow!(e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let run = runtime.block_on(run_outbox(&database, clock, &delivery))?;
    let mut conn = database.connection()?;
    transaction::write(&mut conn, |conn| {
        audit::record(conn, &cli_audit("outbox_send", summary(&run)), clock.now())
    })?;
    println!("{}", summary(&run));
    if delivery.email.is_none() || delivery.text.is_none() {
        println!("Sending: {}.", delivery.describe());
    }
    Ok(())
}

/// One line saying what a pass did.
pub fn summary(run: &OutboxRun) -> String {
    format!(
        "Reminders written: {}. Sent: {}. To try again: {}. Failed: {}. Not sent (nothing configured to send them): {}. Cancelled: {}.",
        run.queued, run.sent, run.retried, run.failed, run.not_sent, run.cancelled
    )
}
