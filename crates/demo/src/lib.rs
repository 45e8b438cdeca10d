//! Demo region generator.
