//! A realistic demo probation region, generated deterministically from a seed.
//!
//! Pure: no clock, no I/O. `generate(&DemoSpec)` returns plain records; storage writes them.

mod model;

pub use model::*;
