//! Async waits on tokio (feature `tokio`): the same decisions, waiting with `tokio::time`.

use std::future::Future;

use super::panics::catch;
use super::verdict::Verdict;
use super::wait::{Wait, into_error};
use crate::error::Error;
use crate::poll::{Operation, Poller, Spelling, drive_async};

pub struct EventuallyAsync<F>(F);

/// Awaits `probe()` until its output is accepted; a probe still pending at the deadline is
/// dropped there and reported as still running.
pub fn eventually_async<F, Fut, R>(probe: F) -> Wait<EventuallyAsync<F>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = R>,
    R: Verdict,
{
    Wait::new(EventuallyAsync(probe))
}

impl<F, Fut, R> Wait<EventuallyAsync<F>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = R>,
    R: Verdict,
{
    pub async fn run(self) -> Result<R::Value, Error> {
        let Wait { kind: EventuallyAsync(mut probe), options, rules } = self;
        let options = options.with_env_scale()?;
        let mut poller = Poller::new(Operation::Eventually, &options, Spelling::Snake)?;
        let rules = &rules;
        let found = drive_async(&mut poller, || {
            let pending = probe();
            async move {
                // A panic while polling the future is not caught here: catch_unwind needs the
                // future to be UnwindSafe; a probe that panics should return Err instead.
                let verdict = pending.await.verdict();
                rules.classify(catch(|| verdict), |_| None)
            }
        })
        .await
        .map_err(into_error)?;
        Ok(found.expect("an accepted evaluation carries its value"))
    }
}

impl<P: FnMut() -> R, R: Verdict> Wait<super::kinds::Eventually<P>> {
    /// Like `run`, but waits with `tokio::time` instead of parking the thread.
    pub async fn run_async(self) -> Result<R::Value, Error> {
        let Wait { kind, options, rules } = self;
        let options = options.with_env_scale()?;
        let mut probe = kind.into_probe();
        let mut poller = Poller::new(Operation::Eventually, &options, Spelling::Snake)?;
        let rules = &rules;
        let found = drive_async(&mut poller, || {
            let evaluation = rules.classify(catch(|| probe().verdict()), |_| None);
            async move { evaluation }
        })
        .await
        .map_err(into_error)?;
        Ok(found.expect("an accepted evaluation carries its value"))
    }
}
