//! # liveness
//!
//! Drop the sleeps from your tests. Instead of `sleep(250)` and hope, say what you wait for:
//!
//! ```
//! use std::time::Duration;
//! use liveness::eventually;
//!
//! let v = eventually(|| Some("ready")).timeout(Duration::from_secs(2)).run()?;
//! assert_eq!(v, "ready");
//! # Ok::<(), liveness::Error>(())
//! ```
//!
//! Three primitives, the same in Rust, C, Python and Node (see SPEC.md):
//! - **polling**: [`eventually`], [`eventually_passes`], [`always`], [`never`],
//!   [`eventually_changes`], [`eventually_settles`];
//! - **sync operation**: [`sync_operation`] fires an action once, then polls for its effect;
//! - **emitted capture**: [`events::emitted`] and friends assert on the events a block emitted,
//!   after it completed. Events verify; they never synchronise.
//!
//! The engine is the sans-IO [`poll::Poller`]: it decides every rule of a wait, and each driver
//! (blocking, tokio, and the other bindings' event loops) only executes its steps.
//! [`testing::VirtualClock`] makes blocking waits take no real time in tests.

pub mod error;
pub mod events;
pub mod ops;
pub mod policy;
pub mod poll;
pub mod testing;
#[cfg(feature = "tracing")]
pub mod tracing;

pub use error::Error;
pub use events::{Event, Value, emitted, emitted_in_order, not_emitted};
pub use ops::{
    Evaluation, always, eventually, eventually_changes, eventually_passes, eventually_settles, never, sync_operation,
};
#[cfg(feature = "tokio")]
pub use ops::{
    always_async, eventually_async, eventually_changes_async, eventually_passes_async, eventually_settles_async,
    never_async, sync_operation_async,
};
pub use policy::{FOREVER, Options};
pub use poll::Failure;

/// The crate version, shared by every binding.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
