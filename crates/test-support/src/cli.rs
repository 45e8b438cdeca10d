//! The `keepsafe` command run as an operator runs it: with a database URL, its output captured,
//! and the clock set to the tests' moment (`KEEPSAFE_NOW`), so what it computes does not depend
//! on the day.
//!
//! The binary's path is known only to its own crate's tests, which pass
//! `env!("CARGO_BIN_EXE_keepsafe")`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `keepsafe` binary under test.
#[derive(Debug, Clone, Copy)]
pub struct Keepsafe {
    pub binary: &'static str,
}

impl Keepsafe {
    /// The command with the tests' clock and quiet logging, and no database option.
    pub fn command(&self) -> Command {
        let mut command = Command::new(self.binary);
        command
            .env("KEEPSAFE_LOG", "warn")
            .env("KEEPSAFE_NOW", crate::clock::start().to_rfc3339());
        command
    }

    /// Runs `keepsafe --database-url DATABASE ARGS…` with no input.
    pub fn run(&self, database: &str, args: &[&str]) -> Output {
        self.run_with_input(database, args, None)
    }

    /// Runs `keepsafe --database-url DATABASE ARGS…`, writing `input` to its standard input.
    pub fn run_with_input(&self, database: &str, args: &[&str], input: Option<&str>) -> Output {
        let mut child = self
            .command()
            .arg("--database-url")
            .arg(database)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run keepsafe");
        let mut stdin = child.stdin.take().unwrap();
        let input = input.unwrap_or_default().to_owned();
        // Written from another thread so a large input cannot deadlock against a full stdout pipe.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        output
    }

    /// A fresh folder whose SQLite database holds the small demo region, loaded by
    /// `keepsafe demo`; and the database's URL.
    pub fn small_demo(&self) -> (tempfile::TempDir, String) {
        let folder = tempfile::tempdir().unwrap();
        let url = sqlite_url(folder.path());
        succeeded(self.run(&url, &["demo", "--scale", "small", "--no-serve"]));
        (folder, url)
    }
}

/// Where `sqlite_url(folder)` keeps its database.
pub fn database_path(folder: &Path) -> PathBuf {
    folder.join("keepsafe.db")
}

/// A SQLite database URL in `folder`.
pub fn sqlite_url(folder: &Path) -> String {
    format!("sqlite://{}", database_path(folder).display())
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The standard output of a command that must have succeeded (its errors shown if not).
pub fn succeeded(output: Output) -> String {
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}
