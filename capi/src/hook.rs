//! `on_evaluation`: the caller's hook, called after each evaluation that returned (SPEC §2,
//! issue 12). The core's drivers call `Probe::evaluated` right after `Poller::finished`; the
//! blocking operations reach the hook through [`Hooked`], the sans-IO poller calls it itself when
//! its host reports an outcome.

use std::ffi::c_void;

use liveness_core::Error;
use liveness_core::poll::{Evaluated, Outcome, Probe};

use crate::args::Ctx;
use crate::probe::call;

/// One evaluation that returned, as the `on_evaluation` hook receives it. Times are milliseconds
/// on the wait's clock, counted from the call (from liveness_poller_new() for a poller).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct liveness_evaluation {
    /// 1-based: the first evaluation is 1 (the baseline read of liveness_eventually_changes()
    /// and the action of liveness_sync_operation() are preparations, not evaluations).
    pub number: i64,
    /// When the evaluation started.
    pub started_ms: f64,
    /// How long it took.
    pub duration_ms: f64,
    /// Whether the operation accepted it (for liveness_eventually_settles(): the value equalled
    /// the previous one; for liveness_never(): the probe held, which violates it).
    pub accepted: bool,
}

/// `liveness_options.on_evaluation`: called on the waiting thread after each evaluation that
/// returned (passed or failed), in order, never for one given up or stopped by
/// liveness_probe_stop(). `evaluation` is valid only during the call. To stop the wait from the
/// hook, call liveness_probe_stop("why") in it: the operation then returns LIVENESS_PROBE_FAILED
/// with that text (liveness_probe_fail() in a hook has no effect).
pub type liveness_evaluation_hook =
    Option<unsafe extern "C" fn(context: *mut c_void, evaluation: *const liveness_evaluation)>;

/// A hook with its context, as read from the options.
#[derive(Clone, Copy)]
pub(crate) struct OnEvaluation {
    hook: unsafe extern "C" fn(*mut c_void, *const liveness_evaluation),
    // `Ctx`: a poller keeps its options in the process-wide handle registry.
    context: Ctx,
}

impl OnEvaluation {
    pub(crate) fn new(hook: liveness_evaluation_hook, context: *mut c_void) -> Option<OnEvaluation> {
        hook.map(|hook| OnEvaluation { hook, context: Ctx::new(context) })
    }

    /// Calls the hook; `Err` is the stop it asked for with liveness_probe_stop().
    pub(crate) fn call(&self, evaluated: Evaluated) -> Result<(), Error> {
        let record = liveness_evaluation {
            number: i64::from(evaluated.number),
            started_ms: millis(evaluated.started),
            duration_ms: millis(evaluated.duration),
            accepted: evaluated.accepted,
        };
        // SAFETY: the caller promised, by setting the options, that the hook may be called with
        // its context. A hook returns nothing: only a stop it noted can come out of `call`.
        call(|| {
            unsafe { (self.hook)(self.context.get(), &record) };
            Some(())
        })?
        .map_err(|failure| Error::Probe { failure })
    }
}

fn millis(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A probe of ops.rs with the options' hook called after each evaluation the driver counted.
pub(crate) struct Hooked<'a, P> {
    pub(crate) probe: &'a mut P,
    pub(crate) on_evaluation: Option<OnEvaluation>,
}

impl<P: Probe<Stop = Error>> Probe for Hooked<'_, P> {
    type Stop = Error;

    fn prepare(&mut self) -> Result<(), Error> {
        self.probe.prepare()
    }

    fn want_accepted_text(&mut self, wanted: bool) {
        self.probe.want_accepted_text(wanted);
    }

    fn evaluate(&mut self) -> Result<Outcome, Error> {
        self.probe.evaluate()
    }

    fn evaluated(&mut self, evaluated: Evaluated) -> Result<(), Error> {
        self.probe.evaluated(evaluated)?;
        self.on_evaluation.map_or(Ok(()), |hook| hook.call(evaluated))
    }

    /// The probes of ops.rs do nothing after an evaluation: only the caller's hook takes time.
    fn evaluated_takes_time(&self) -> bool {
        self.on_evaluation.is_some()
    }
}
