//! The operations as a Rust user calls them: builders that end in `.run()` or, with the `tokio`
//! feature, `.run_async().await`.

mod acceptance;
mod drive;
mod macros;
mod operations;
mod panics;
pub(crate) mod wait;

#[cfg(feature = "tokio")]
mod asynchronous;
#[cfg(feature = "tokio")]
mod runtime;

pub use acceptance::{ActionOutcome, Passes, Truthy};
#[cfg(feature = "tokio")]
pub use asynchronous::{
    AlwaysAsync, EventuallyAsync, EventuallyChangesAsync, EventuallyPassesAsync, EventuallySettlesAsync, NeverAsync,
    SyncOperationAsync, always_async, eventually_async, eventually_changes_async, eventually_passes_async,
    eventually_settles_async, never_async, sync_operation_async,
};
pub use operations::{
    Always, Eventually, EventuallyChanges, EventuallyPasses, EventuallySettles, Never, SyncOperation, always,
    eventually, eventually_changes, eventually_passes, eventually_settles, never, sync_operation,
};
pub use panics::panic_text;
pub use wait::{Evaluation, Wait};
