//! `keepsafe bench-sql`: the raw-SQL floor of a page for `scripts/bench`. Runs a script of SQL
//! statements — the statements one view of the page sends, with their values written in — over
//! and over on several connections for a fixed time, and prints the throughput and latency
//! percentiles as one line of JSON. No HTTP, no sessions, no rendering: what is left is what the
//! database itself costs, so a page can be compared with the cheapest it could ever be.

use crate::cli::BenchSqlArgs;
use anyhow::{bail, Context, Result};
use diesel::connection::SimpleConnection;
use keepsafe_storage::connection::WriterQueue;
use keepsafe_storage::{AnyConnection, DatabaseUrl};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One pass of the script: its statements in order, one round trip each, as the page sends them.
fn statements(script: &str) -> Vec<String> {
    script
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("--"))
        .map(str::to_owned)
        .collect()
}

/// Whether a statement opens a writing transaction on SQLite, which waits its turn behind the
/// other connections' writers in the same queue as the server's writers (`Database::write`).
fn takes_write_turn(statement: &str) -> bool {
    statement.eq_ignore_ascii_case("BEGIN IMMEDIATE")
}

fn ends_transaction(statement: &str) -> bool {
    statement.eq_ignore_ascii_case("COMMIT") || statement.eq_ignore_ascii_case("ROLLBACK")
}

/// Runs the script once, returning how long it took.
fn run_once(
    conn: &mut AnyConnection,
    script: &[String],
    writers: &WriterQueue,
) -> Result<Duration> {
    let started = Instant::now();
    let mut turn = None;
    for statement in script {
        if takes_write_turn(statement) {
            turn = Some(writers.wait_turn());
        }
        conn.batch_execute(statement)
            .with_context(|| format!("the statement failed: {statement}"))?;
        if ends_transaction(statement) {
            turn = None;
        }
    }
    drop(turn);
    Ok(started.elapsed())
}

pub fn run(database_url: &str, args: &BenchSqlArgs) -> Result<()> {
    let url = DatabaseUrl::parse(database_url)?;
    let text = std::fs::read_to_string(&args.script)
        .with_context(|| format!("could not read {}", args.script.display()))?;
    let script = Arc::new(statements(&text));
    if script.is_empty() {
        bail!("{} holds no statements", args.script.display());
    }
    let writers = Arc::new(WriterQueue::default());
    let warm_up = Duration::from_secs_f64(args.warm_up);
    let measure = Duration::from_secs_f64(args.seconds);
    let threads: Vec<_> = (0..args.connections.max(1))
        .map(|_| {
            let url = url.clone();
            let script = Arc::clone(&script);
            let writers = Arc::clone(&writers);
            std::thread::spawn(move || -> Result<Vec<Duration>> {
                let mut conn = url.connect()?;
                let started = Instant::now();
                while started.elapsed() < warm_up {
                    run_once(&mut conn, &script, &writers)?;
                }
                let measuring = Instant::now();
                let mut latencies = Vec::new();
                while measuring.elapsed() < measure {
                    latencies.push(run_once(&mut conn, &script, &writers)?);
                }
                Ok(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for thread in threads {
        let measured = thread
            .join()
            .map_err(|_| anyhow::anyhow!("a benchmark connection panicked"))??;
        latencies.extend(measured);
    }
    if latencies.is_empty() {
        bail!(
            "no pass of the script finished within {} seconds",
            args.seconds
        );
    }
    latencies.sort();
    let percentile = |p: f64| {
        let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index].as_secs_f64() * 1000.0
    };
    println!(
        "{}",
        serde_json::json!({
            "statements": script.len(),
            "requests": latencies.len(),
            "requests_per_second": latencies.len() as f64 / args.seconds,
            "p50_ms": percentile(0.50),
            "p99_ms": percentile(0.99),
        })
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_is_its_statement_lines_without_comments_or_blanks() {
        let script = "-- case record\nBEGIN IMMEDIATE\n\nSELECT 1\nCOMMIT\n";
        assert_eq!(
            statements(script),
            ["BEGIN IMMEDIATE", "SELECT 1", "COMMIT"]
        );
    }
}
