//! The demo: the seeds' experiments run with the sleeps they start from and with liveness.

pub mod rows;
pub mod scenarios;
pub mod table;
