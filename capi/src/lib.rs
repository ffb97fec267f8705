//! libliveness: the C ABI of liveness (`include/liveness.h`, generated from this crate by cbindgen
//! in `capi/build.rs`), built as `libliveness.so` and `libliveness.a`.
//!
//! A translation layer over the core's public Rust API (the `liveness` crate) only: C arguments
//! become core values, core results become a [`liveness_status`] plus a thread-local message.
//! The rules live in the core.
//!
//! Every `extern "C"` function runs its body inside [`boundary::boundary`], the one place that
//! catches panics, so no panic ever unwinds into C and no bad input aborts the process.
//!
//! The core's poll API is called in two modules only: `driver` (`Poller::new` and
//! `drive_blocking`, for the blocking operations of `ops`, whose C probes it calls through the
//! core's `Probe` trait) and `poller` (the Poller's steps, behind the sans-IO poller handles).
//! `clock` is the test hook over the core's `VirtualClock`.

#![allow(non_camel_case_types)]
// The safety contract of every `unsafe extern "C"` function is the same and is stated in the
// header's preamble (pointers are NULL or valid for the call, strings NUL-terminated, callbacks
// callable with their ctx); repeating it per function would also repeat it in the header.
#![allow(clippy::missing_safety_doc)]

mod args;
mod assertions;
mod boundary;
mod capture;
mod clock;
mod driver;
mod events;
mod handles;
mod hook;
mod json;
mod library;
mod ops;
mod options;
mod poller;
mod probe;
mod status;

pub use assertions::*;
pub use boundary::liveness_last_error_message;
pub use capture::*;
pub use clock::*;
pub use events::*;
pub use hook::*;
pub use library::*;
pub use ops::*;
pub use options::*;
pub use poller::*;
pub use probe::*;
pub use status::*;

#[cfg(test)]
mod tests;
