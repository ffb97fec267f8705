//! The tokio side of the blocking finisher: `.run()` must not block a thread that drives a
//! runtime (its other tasks, the ones the probe waits for, would starve), and `.run()` of an
//! async probe outside a runtime runs it on a small runtime of its own.

use std::future::Future;

use crate::error::Error;
use crate::poll::{Operation, Spelling};

/// Fails when this thread drives a tokio runtime, naming `.run_async()`. A thread that may block
/// (no runtime, `spawn_blocking`, `block_in_place`) passes.
pub(crate) fn refuse_to_block(operation: Operation) -> Result<(), Error> {
    if tokio::runtime::Handle::try_current().is_err() || blocking_allowed() {
        return Ok(());
    }
    let name = operation.name(Spelling::Snake);
    Err(Error::InvalidArgument {
        message: format!(
            "{name}(..).run() would block a thread that drives a tokio runtime, starving the tasks the probe \
             waits for: use `{name}(..).run_async().await` in async code"
        ),
    })
}

/// tokio's own rule for "may this thread block?": a blocking receive answers at once where
/// blocking is allowed and panics on a runtime's thread (caught here, quietly). tokio has no
/// public predicate for it, and `Handle::try_current()` alone is also true in `spawn_blocking`.
fn blocking_allowed() -> bool {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
    let _ = tx.try_send(());
    super::panics::catch(|| Ok(rx.blocking_recv())).is_ok()
}

/// Runs an async wait to completion on a current-thread runtime made for it.
pub(crate) fn block_on<T>(operation: Operation, wait: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    refuse_to_block(operation)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().map_err(|e| {
        Error::InvalidArgument { message: format!("could not start a tokio runtime for the wait: {e}") }
    })?;
    runtime.block_on(wait)
}
