//! The counts an import ends with, per file: every row read is accounted for as written now,
//! already written by an earlier, interrupted run of the same import, or skipped with its reasons.

use std::fmt;

/// One file's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileCount {
    /// The file's name, such as `people.csv`.
    pub file: String,
    /// Data rows in the file (the header is not counted).
    pub read: u64,
    pub written: u64,
    /// Written by an earlier run of this import that was interrupted.
    pub already_present: u64,
    /// Left out because they have problems (only with `--partial`).
    pub skipped: u64,
}

impl FileCount {
    /// Whether every row read is accounted for.
    pub fn balances(&self) -> bool {
        self.read == self.written + self.already_present + self.skipped
    }
}

/// Every file's counts, in the order the files are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reconciliation {
    pub files: Vec<FileCount>,
}

impl Reconciliation {
    pub fn balances(&self) -> bool {
        self.files.iter().all(FileCount::balances)
    }

    pub fn total(&self) -> FileCount {
        self.files.iter().fold(
            FileCount {
                file: "total".to_owned(),
                ..FileCount::default()
            },
            |mut total, count| {
                total.read += count.read;
                total.written += count.written;
                total.already_present += count.already_present;
                total.skipped += count.skipped;
                total
            },
        )
    }
}

impl fmt::Display for Reconciliation {
    /// A table an operator can read and keep with the switch-over's records.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<34} {:>10} {:>10} {:>16} {:>10}",
            "file", "read", "written", "already present", "skipped"
        )?;
        for count in self.files.iter().chain(std::iter::once(&self.total())) {
            writeln!(
                f,
                "{:<34} {:>10} {:>10} {:>16} {:>10}",
                count.file, count.read, count.written, count.already_present, count.skipped
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_balances_when_every_row_read_is_written_present_or_skipped() {
        let count = FileCount {
            file: "people.csv".into(),
            read: 10,
            written: 6,
            already_present: 3,
            skipped: 1,
        };
        assert!(count.balances());
        assert!(!FileCount {
            written: 5,
            ..count
        }
        .balances());
    }
}
