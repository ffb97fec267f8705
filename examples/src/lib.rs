//! Simulated systems under test from the seeds, shared by the Rust tests and the demo.
//! Their delays are the behaviour under test (a shutdown that finishes later, a buffered write),
//! which is the one place our code may sleep.

pub mod circuit_breaker;
pub mod delayed_writer;
pub mod demo;
pub mod jitter;
pub mod singleton;
