//! The demo: the seeds' experiments run with the sleeps they start from and with liveness.
//! `spec` reads the one scenario file every door reads (demo/scenarios.json), `results` the file
//! each door writes, `run` is the Rust door, `table` and `summary` build what `make demo` prints.

pub mod results;
pub mod run;
pub mod spec;
pub mod summary;
pub mod table;
