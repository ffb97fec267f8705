//! The tokio driver: the same decisions as the blocking driver, waiting with `tokio::time`
//! (so `tokio::time::pause` makes tests instant) and a `Notify` for wake hints. A probe still
//! pending at the deadline is abandoned there (SPEC §3), never polled again.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;
use tokio::time::Instant;

use super::blocking::{DriveError, Evaluation};
use super::outcome::Outcome;
use super::poller::{Poller, Step};
use crate::events::WakeSubscription;

/// Runs `poller` to completion, awaiting `evaluate()` at each evaluation.
pub async fn drive_async<T, E, F, Fut>(poller: &mut Poller, mut evaluate: F) -> Result<Option<T>, DriveError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Evaluation<T, E>>,
{
    let start = Instant::now();
    let notify = Arc::new(Notify::new());
    // The flag says whether a permit stored in `notify` is a real hint: hints that arrive during
    // an evaluation (the probe's own emissions) are cleared, the stale permit then ignored.
    let hinted = Arc::new(AtomicBool::new(false));
    // While the probe runs, hints are ignored: they may be the probe's own emissions (same task,
    // so no thread check can tell), and the evaluation in flight looks at the state anyway.
    let evaluating = Arc::new(AtomicBool::new(false));
    let _subscription = if poller.wake_patterns().is_empty() {
        None
    } else {
        let (n, h, busy) = (notify.clone(), hinted.clone(), evaluating.clone());
        let patterns = poller.wake_patterns().to_vec();
        let wake = move || {
            if busy.load(Ordering::Acquire) {
                return;
            }
            h.store(true, Ordering::Release);
            n.notify_one();
        };
        Some(WakeSubscription::new(&patterns, wake).map_err(DriveError::Setup)?)
    };
    let deadline = start + poller.deadline();
    let mut accepted = None;
    loop {
        match poller.next(start.elapsed()) {
            Step::Evaluate => {
                hinted.store(false, Ordering::Release);
                evaluating.store(true, Ordering::Release);
                poller.started(start.elapsed());
                let evaluation = tokio::select! {
                    biased;
                    e = evaluate() => e,
                    _ = tokio::time::sleep_until(deadline), if Instant::now() < deadline => {
                        return Err(DriveError::Failed(Box::new(poller.abandon(start.elapsed()))));
                    }
                };
                evaluating.store(false, Ordering::Release);
                let at = start.elapsed();
                match evaluation {
                    Evaluation::Accepted { value, text } => {
                        accepted = Some(value);
                        poller.finished(at, Outcome::Accepted { text });
                    }
                    Evaluation::Rejected(failure) => poller.finished(at, Outcome::Rejected(failure)),
                    Evaluation::Stop(e) => return Err(DriveError::Host(e)),
                }
            }
            Step::Wait(d) => {
                let until = Instant::now() + d;
                loop {
                    tokio::select! {
                        _ = tokio::time::sleep_until(until) => break,
                        _ = notify.notified() => if hinted.swap(false, Ordering::AcqRel) {
                            poller.wake();
                            break;
                        },
                    }
                }
            }
            Step::Done(Ok(())) => return Ok(accepted),
            Step::Done(Err(report)) => return Err(DriveError::Failed(Box::new(report))),
        }
    }
}
