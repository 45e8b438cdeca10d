//! What keepsafe's test suites share, so each behaviour is specified once and no test depends on
//! the day it runs.
//!
//! - [`clock`]: the fixed moment every test runs at, and the [`Clock`](keepsafe_storage::Clock)
//!   the application under test reads.

pub mod clock;
