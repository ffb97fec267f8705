//! The C ABI (`include/liveness.h`, generated from this module by cbindgen in `capi/build.rs`).
//!
//! A translation layer only: C arguments become core values, core results become a
//! [`liveness_status`] plus a thread-local message. The rules live in the rest of the core.
//!
//! Every `extern "C"` function runs its body inside [`boundary::boundary`], the one place that
//! catches panics, so no panic ever unwinds into C and no bad input aborts the process.
//! `capi/` links these functions into `libliveness.so` and `libliveness.a`.

#![allow(non_camel_case_types)]

mod args;
mod assertions;
mod boundary;
mod capture;
mod events;
mod json;
mod library;
mod ops;
mod options;
mod probe;
mod status;

pub use assertions::*;
pub use boundary::liveness_last_error_message;
pub use capture::*;
pub use events::*;
pub use library::*;
pub use ops::*;
pub use options::*;
pub use probe::*;
pub use status::*;

#[cfg(test)]
mod tests;
