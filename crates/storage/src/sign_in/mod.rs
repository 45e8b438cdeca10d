//! Signing in: proving who someone is and remembering it, without the database holding anything
//! that would let a copy of it be used to sign in.
//!
//! - [`sessions`]: server-side sessions, stored by token hash.
//! - [`attempts`]: sign-in attempts, for throttling across restarts and servers.
//! - [`passwords`]: Argon2id password hashing.
//! - [`throttles`]: locks on usernames no account has, and counts of refusals while throttled.

pub mod attempts;
pub mod passwords;
pub mod sessions;
pub mod throttles;
