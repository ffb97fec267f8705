//! The operations as a Rust user calls them: builders that end in `.run()`.

mod kinds;
mod macros;
mod panics;
mod verdict;
pub(crate) mod wait;

#[cfg(feature = "tokio")]
mod asynchronous;

#[cfg(feature = "tokio")]
pub use asynchronous::eventually_async;
pub use kinds::{
    Always, Eventually, EventuallyChanges, EventuallyPasses, Never, SyncOperation, always, eventually,
    eventually_changes, eventually_passes, never, sync_operation,
};
pub use panics::panic_text;
pub use verdict::{ActionOutcome, Passes, Verdict};
pub use wait::Wait;
