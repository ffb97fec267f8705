//! One polling operation seen from Python: the core's `Poller` plus Python's judgement of values.
//!
//! The synchronous operations call [`Wait::run`], which hands the wait to the core's blocking
//! driver: the preparation and the probe are called with the interpreter attached, the waits
//! happen detached (other Python threads run) in short slices so Ctrl-C is seen at once.
//! `liveness.aio` drives the same object step by step ([`Wait::next`] and the calls that report
//! back), on asyncio or trio. Every rule of the wait is the Poller's.

use std::time::{Duration, Instant};

use liveness::events::WakeSubscription;
use liveness::poll::{
    DriveError, Driver, Evaluated, Failure, Operation, Outcome, Poller, Probe, Report, Spelling, Step, WakeSignal,
    drive_blocking,
};
use pyo3::exceptions::{PyBaseException, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyInt, PyString, PyWeakrefReference};

use crate::acceptance::{Acceptance, ExceptionPolicy, Raised, rejected_value};
use crate::errors::{core_error, report_error};
use crate::gate;
use crate::options::{RawOptions, exception_types, operation, paths, patterns, short_repr, type_name};
use crate::stepper::signal_slice;
use crate::testing;

/// What an evaluation returned (`value`) or raised (`error`), for `on_evaluation`'s record.
struct Judged {
    value: Option<Py<PyAny>>,
    error: Option<Py<PyAny>>,
}

/// Python's judgement of each evaluation, and what it keeps for the end of the wait.
struct Judge {
    /// Whether the Poller wants the accepted value's repr (`never`, `eventually_settles`, a wait
    /// with `at_least`): an accepted value is then part of a failure's report.
    describe_accepted: bool,
    acceptance: Acceptance,
    policy: ExceptionPolicy,
    /// The exception of the last failed evaluation: the timeout's `__cause__`. Cleared when the
    /// last failure is a rejected value (the report shows the value; there is no exception).
    last_error: Option<PyErr>,
    /// The last accepted value, returned on success.
    accepted: Option<Py<PyAny>>,
    /// The last rejected object and how it was described: a probe that keeps returning the same
    /// object (None, False) is described once, not at every evaluation.
    described: Option<(Py<PyAny>, Failure)>,
    /// The user's `on_evaluation` hook, and what the evaluation judged last returned or raised
    /// (kept only when there is a hook) for the record it receives.
    on_evaluation: Option<Py<PyAny>>,
    just_judged: Option<Judged>,
}

impl Judge {
    /// The preparation's value: `eventually_changes`' baseline (`sync_operation`'s action's value
    /// means nothing).
    fn prepared(&mut self, value: Bound<'_, PyAny>) {
        if let Acceptance::Changed { baseline } = &mut self.acceptance {
            *baseline = Some(value.unbind());
        }
    }

    /// The outcome of one evaluation, or the exception that stops the wait (propagated as itself).
    fn judge(&mut self, py: Python<'_>, result: PyResult<Bound<'_, PyAny>>) -> PyResult<Outcome> {
        if self.on_evaluation.is_some() {
            self.just_judged = Some(match &result {
                Ok(value) => Judged { value: Some(value.clone().unbind()), error: None },
                Err(err) => Judged { value: None, error: Some(err.value(py).clone().into_any().unbind()) },
            });
        }
        let decided = result.and_then(|value| self.acceptance.accepts(&value).map(|ok| (value, ok)));
        if decided.is_err()
            && let Acceptance::Settles { previous } = &mut self.acceptance
        {
            // A raise has no value: the next one is new, whatever it is.
            *previous = None;
        }
        match decided {
            Ok((value, true)) => {
                let text = self.describe_accepted.then(|| short_repr(&value));
                if text.is_some() {
                    // A failure may be this value (`never` held, `at_least` too early, a settles
                    // report): an earlier exception is not its cause.
                    self.last_error = None;
                }
                self.accepted = Some(value.unbind());
                Ok(Outcome::Accepted { text })
            }
            Ok((value, false)) => {
                self.last_error = None;
                if let Some((object, failure)) = self.described.as_ref()
                    && value.is(object)
                {
                    return Ok(Outcome::Rejected(failure.clone()));
                }
                let failure = rejected_value(&self.acceptance, &value);
                // Only immutable objects: a list mutated in place must be described afresh.
                if value.is_none()
                    || value.is_exact_instance_of::<PyBool>()
                    || value.is_exact_instance_of::<PyInt>()
                    || value.is_exact_instance_of::<PyString>()
                {
                    self.described = Some((value.unbind(), failure.clone()));
                }
                Ok(Outcome::Rejected(failure))
            }
            Err(err) => match self.policy.classify(py, &err) {
                Raised::Stop => Err(err),
                Raised::Retry(failure) => {
                    self.last_error = Some(err);
                    Ok(Outcome::Rejected(failure))
                }
            },
        }
    }

    /// After the Poller counted an evaluation that returned: the user's `on_evaluation` hook,
    /// whose exception propagates as itself (the wait stops there).
    fn evaluated(&mut self, py: Python<'_>, evaluated: Evaluated) -> PyResult<()> {
        static EVALUATION: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let Some(hook) = &self.on_evaluation else { return Ok(()) };
        let Judged { value, error } = self.just_judged.take().unwrap_or(Judged { value: None, error: None });
        let record = EVALUATION.import(py, "liveness._hooks", "Evaluation")?.call1((
            evaluated.number,
            secs(evaluated.started),
            secs(evaluated.duration),
            evaluated.accepted,
            value,
            error,
        ))?;
        hook.call1(py, (record,))?;
        Ok(())
    }
}

/// What a synchronous operation cannot wait for: a coroutine, any other awaitable, an async
/// generator, a generator. Raises the `TypeError` that points at `liveness.aio` (a coroutine is
/// closed first, so no "never awaited" warning follows).
fn refuse_awaitable<'py>(operation: &str, role: &str, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    static KINDS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = value.py();
    if value.is_none()
        || value.is_instance_of::<PyBool>()
        || value.is_instance_of::<PyInt>()
        || value.is_instance_of::<PyString>()
    {
        return Ok(value);
    }
    let describe = KINDS.import(py, "liveness._ops", "_awaitable_kind")?;
    let kind = describe.call1((&value,))?;
    if kind.is_none() {
        return Ok(value);
    }
    Err(PyTypeError::new_err(format!(
        "{operation}: the {role} returned {kind}, which a synchronous wait cannot run; use \
         `await liveness.aio.{operation}(...)` for an asynchronous {role}"
    )))
}

/// The synchronous operations' probe as the blocking driver calls it. The driver runs detached
/// (see [`Wait::run`]): each call re-takes the GIL, so the evaluation's measured duration, which
/// the core's cost rule reads, includes the wait for the GIL when other threads hold it.
struct SyncProbe<'a> {
    judge: &'a mut Judge,
    name: &'a str,
    probe: &'a Py<PyAny>,
    /// `sync_operation`'s action (`eventually_changes` prepares by calling the probe).
    action: Option<&'a Py<PyAny>>,
}

impl Probe for SyncProbe<'_> {
    type Stop = PyErr;

    fn prepare(&mut self) -> PyResult<()> {
        let (callable, role) = match self.action {
            Some(action) => (action, "action"),
            None => (self.probe, "probe"),
        };
        gate::reattach(|py| {
            let value = refuse_awaitable(self.name, role, callable.bind(py).call0()?)?;
            self.judge.prepared(value);
            Ok(())
        })
    }

    fn evaluate(&mut self) -> PyResult<Outcome> {
        gate::reattach(|py| {
            let result = match self.probe.bind(py).call0() {
                // Not a value to judge: a mistake in the test, raised at once.
                Ok(value) => Ok(refuse_awaitable(self.name, "probe", value)?),
                Err(err) => Err(err),
            };
            self.judge.judge(py, result)
        })
    }

    fn evaluated(&mut self, evaluated: Evaluated) -> PyResult<()> {
        if self.judge.on_evaluation.is_none() {
            return Ok(()); // no hook: no need of the GIL
        }
        gate::reattach(|py| self.judge.evaluated(py, evaluated))
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn at(seconds: f64) -> Duration {
    // Clocks start at zero; a negative or NaN reading (a broken fake clock) counts as zero.
    Duration::try_from_secs_f64(seconds).unwrap_or(Duration::ZERO)
}

#[pyclass(module = "liveness._native")]
pub struct Wait {
    poller: Poller,
    judge: Judge,
    /// Set once the poller said `Done`.
    outcome: Option<Result<(), Report>>,
    /// The operation, as Python spells it.
    name: String,
    /// The failure this wait raised (a `TimeoutError` or `ViolationError`), so that Python can
    /// tell it from a probe's exception of the same class propagating through (`on_timeout` and
    /// the notes are for the wait's own failure only). Weak: the failure's traceback holds the
    /// frames that hold this wait, and a cycle would keep them all until the garbage collector.
    failure: Option<Py<PyWeakrefReference>>,
}

impl Wait {
    fn failure(&mut self, py: Python<'_>, report: &Report) -> PyErr {
        let err = report_error(py, report, self.judge.last_error.take());
        // The failure classes are Python classes, which take weak references.
        self.failure = PyWeakrefReference::new(err.value(py)).ok().map(Bound::unbind);
        err
    }
}

#[pymethods]
impl Wait {
    /// `event_loop`: the wait is driven step by step on an event loop (`liveness.aio`), which
    /// gets `yield` steps between evaluations that follow each other at once.
    #[new]
    #[pyo3(signature = (operation_name, *, event_loop=false, during=None, quiet=None, timeout=None,
                        interval=None, intervals=None, backoff=None, min_interval=None, max_interval=None,
                        delay=None, attempts=None, message=None, stable_for=None, at_least=None, late_check=None,
                        wake_on=None, wake_on_path=None,
                        retry_on=None, fail_on=None, on_evaluation=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        operation_name: &str,
        event_loop: bool,
        during: Option<Bound<'_, PyAny>>,
        quiet: Option<Bound<'_, PyAny>>,
        timeout: Option<Bound<'_, PyAny>>,
        interval: Option<Bound<'_, PyAny>>,
        intervals: Option<Bound<'_, PyAny>>,
        backoff: Option<Bound<'_, PyAny>>,
        min_interval: Option<Bound<'_, PyAny>>,
        max_interval: Option<Bound<'_, PyAny>>,
        delay: Option<Bound<'_, PyAny>>,
        attempts: Option<Bound<'_, PyAny>>,
        message: Option<Bound<'_, PyAny>>,
        stable_for: Option<Bound<'_, PyAny>>,
        at_least: Option<Bound<'_, PyAny>>,
        late_check: Option<Bound<'_, PyAny>>,
        wake_on: Option<Bound<'_, PyAny>>,
        wake_on_path: Option<Bound<'_, PyAny>>,
        retry_on: Option<Bound<'_, PyAny>>,
        fail_on: Option<Bound<'_, PyAny>>,
        on_evaluation: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Wait> {
        let op = operation(operation_name, during.as_ref(), quiet.as_ref())?;
        let on_evaluation = on_evaluation.filter(|hook| !hook.is_none());
        if let Some(hook) = &on_evaluation
            && !hook.is_callable()
        {
            return Err(PyTypeError::new_err(format!(
                "invalid option `on_evaluation`: expected a function of one argument, got {} ({})",
                short_repr(hook),
                type_name(hook)
            )));
        }
        let raw = RawOptions {
            timeout: timeout.as_ref(),
            interval: interval.as_ref(),
            intervals: intervals.as_ref(),
            backoff: backoff.as_ref(),
            min_interval: min_interval.as_ref(),
            max_interval: max_interval.as_ref(),
            delay: delay.as_ref(),
            attempts: attempts.as_ref(),
            message: message.as_ref(),
            stable_for: stable_for.as_ref(),
            at_least: at_least.as_ref(),
            late_check: late_check.as_ref(),
            wake_on: wake_on.as_ref(),
            wake_on_path: wake_on_path.as_ref(),
        };
        // Python's os.environ is the process environment (it writes through with putenv).
        let options = raw.to_core()?.with_env_scale().map_err(core_error)?;
        let policy = ExceptionPolicy {
            retry_on: exception_types("retry_on", retry_on.as_ref())?,
            fail_on: exception_types("fail_on", fail_on.as_ref())?,
        };
        let driver = if event_loop { Driver::EventLoop } else { Driver::Blocking };
        let mut poller = Poller::new(op, &options, Spelling::Snake, driver).map_err(core_error)?;
        // A sync wait stepped from Python (`liveness.attempts`) on a virtual clock counts in that
        // clock's budget, as `drive_blocking` gives a `run` one (SPEC §2, one budget per clock).
        if driver == Driver::Blocking {
            poller.set_budget(liveness::poll::Budget::for_this_thread());
        }
        Ok(Wait {
            judge: Judge {
                describe_accepted: poller.wants_accepted_text(),
                acceptance: Acceptance::for_operation(op),
                policy,
                last_error: None,
                accepted: None,
                described: None,
                on_evaluation: on_evaluation.map(Bound::unbind),
                just_judged: None,
            },
            poller,
            outcome: None,
            name: operation_name.to_owned(),
            failure: None,
        })
    }

    /// Runs the whole wait on this thread (the synchronous operations): `sync_operation`'s
    /// `action` and `eventually_changes`' baseline (a call of `probe`) are its first step.
    /// Returns the accepted value (`None` for `always`/`never`); raises the preparation's or the
    /// probe's stopping exception as itself, or `liveness.TimeoutError` / `ViolationError` with
    /// the last exception as `__cause__`.
    #[pyo3(signature = (probe, action=None))]
    fn run(
        &mut self,
        py: Python<'_>,
        probe: Bound<'_, PyAny>,
        action: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let _section = gate::enter(py);
        if self.poller.operation() == Operation::SyncOperation && action.is_none() {
            return Err(PyTypeError::new_err("sync_operation: the action is missing"));
        }
        let (probe, action) = (probe.unbind(), action.map(Bound::unbind));
        let Wait { poller, judge, name, .. } = self;
        let mut adapter = SyncProbe { judge, name, probe: &probe, action: action.as_ref() };
        let virtual_clock = testing::installed_here();
        // Only the main thread pauses in slices (to see Ctrl-C); another stays detached throughout.
        let check = signal_slice(py)?;
        // Raises KeyboardInterrupt as soon as Ctrl-C was pressed (only ever on the main thread).
        let check_signals = || if check.is_some() { gate::attach(|py| py.check_signals()) } else { Ok(()) };
        let wait = |d: Duration, signal: &WakeSignal| -> PyResult<()> {
            if virtual_clock {
                // The virtual clock jumps ahead (or a pending hint ends the wait at once).
                signal.park(d);
                return check_signals();
            }
            let until = Instant::now() + d;
            loop {
                let left = until.saturating_duration_since(Instant::now());
                let slice = check.map_or(left, |check| left.min(check));
                let woken = signal.park(slice);
                check_signals()?;
                if woken || Instant::now() >= until {
                    return Ok(());
                }
            }
        };
        // The whole drive runs without the GIL: pauses never hold it, and each step that runs
        // Python re-takes it (in turn with the other waiting threads) inside its measured time.
        let driven = gate::detach(py, || drive_blocking(poller, &mut adapter, wait));
        match driven {
            Ok(()) => Ok(self.judge.accepted.take().unwrap_or_else(|| py.None())),
            Err(DriveError::Failed(report)) => Err(self.failure(py, &report)),
            Err(DriveError::Host(err)) => Err(err),
            Err(DriveError::Setup(err)) => Err(core_error(err)),
        }
    }

    /// Step-by-step driving (`liveness.aio`): what to do at `at_` seconds since the start.
    /// Returns `("prepare", abandon_at)`, `("evaluate", abandon_at)` (`abandon_at`: seconds
    /// since the start at which an awaitable still pending is given up, or `None` to let it
    /// finish), `("yield", None)`, `("wait", seconds)` or `("done", None)`.
    fn next(&mut self, at_: f64) -> (&'static str, Option<f64>) {
        match self.poller.next(at(at_)) {
            Step::Prepare { abandon_at } => ("prepare", abandon_at.map(secs)),
            Step::Evaluate { abandon_at } => ("evaluate", abandon_at.map(secs)),
            Step::Yield => ("yield", None),
            Step::Wait(d) => ("wait", Some(secs(d))),
            Step::Done(result) => {
                self.outcome = Some(result.map_err(|report| *report));
                ("done", None)
            }
        }
    }

    /// The preparation or an evaluation starts at `at_`; returns the evaluation's number
    /// (1-based; 0 for the preparation).
    fn started(&mut self, at_: f64) -> u32 {
        self.poller.started(at(at_))
    }

    /// The preparation returned `value` at `at_` (an exception of it propagates instead).
    fn prepared(&mut self, at_: f64, value: Bound<'_, PyAny>) {
        self.judge.prepared(value);
        self.poller.prepared(at(at_));
    }

    /// The evaluation returned `value` at `at_`. Returns whether it was accepted. Raises what
    /// the `on_evaluation` hook raised.
    fn returned(&mut self, py: Python<'_>, at_: f64, value: Bound<'_, PyAny>) -> PyResult<bool> {
        let _section = gate::enter(py);
        let outcome = self.judge.judge(py, Ok(value))?;
        let evaluated = self.poller.finished(at(at_), outcome);
        self.judge.evaluated(py, evaluated)?;
        Ok(evaluated.accepted)
    }

    /// The evaluation raised `exc` at `at_`. Returns `True` when the exception must propagate as
    /// itself (the caller re-raises it), `False` when it was recorded as a failure to retry.
    /// Raises what the `on_evaluation` hook raised.
    fn raised(&mut self, py: Python<'_>, at_: f64, exc: Bound<'_, PyBaseException>) -> PyResult<bool> {
        match self.judge.judge(py, Err(PyErr::from_value(exc.into_any()))) {
            Ok(outcome) => {
                let evaluated = self.poller.finished(at(at_), outcome);
                self.judge.evaluated(py, evaluated)?;
                Ok(false)
            }
            Err(_) => Ok(true),
        }
    }

    /// A wake hint: a matching event was emitted at `at_` seconds since the start (the Poller
    /// decides what it means).
    fn wake(&mut self, at_: f64) {
        self.poller.wake(at(at_));
    }

    /// The host stopped stepping this wait (it ended, or an exception propagated out of it): it
    /// leaves its clock's polling budget now, not when this object is freed, which a traceback
    /// that refers to it can delay indefinitely.
    fn leave_budget(&mut self) {
        self.poller.leave_budget();
    }

    /// The preparation or evaluation in flight is still pending at `at_`, its step's
    /// `abandon_at`. Raises the timeout error that says so.
    fn abandon(&mut self, py: Python<'_>, at_: f64) -> PyResult<()> {
        let report = self.poller.abandon(at(at_));
        Err(self.failure(py, &report))
    }

    /// After `next` said done: the accepted value, or raises the failure.
    fn result(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self.outcome.take() {
            Some(Ok(())) => Ok(self.judge.accepted.take().unwrap_or_else(|| py.None())),
            Some(Err(report)) => Err(self.failure(py, &report)),
            None => Err(PyRuntimeError::new_err("the wait is not done yet")),
        }
    }

    /// Seconds from the start at which the deadline falls (scaled by LIVENESS_TIMEOUT_SCALE).
    #[getter]
    fn deadline(&self) -> f64 {
        secs(self.poller.deadline())
    }

    /// The operation, as Python spells it.
    #[getter]
    fn operation(&self) -> &str {
        &self.name
    }

    #[getter]
    fn evaluations(&self) -> u32 {
        self.poller.evaluations()
    }

    /// What the core calls the operation's preparation ("the action", "the baseline"), if any.
    #[getter]
    fn preparation(&self) -> Option<&'static str> {
        self.poller.operation().preparation()
    }

    #[getter]
    fn wake_patterns(&self) -> Vec<String> {
        self.poller.wake_patterns().to_vec()
    }

    /// The wait's `wake_on_path`, validated (absolute or as given).
    #[getter]
    fn wake_paths(&self) -> Vec<std::path::PathBuf> {
        self.poller.wake_paths().to_vec()
    }

    /// The failure this wait raised, once it raised one (`None` before, and when it succeeded
    /// or a probe's exception propagated).
    #[getter(failure)]
    fn failure_raised<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyAny>> {
        self.failure.as_ref().and_then(|f| f.bind(py).upgrade())
    }
}

/// Asynchronous waits' wake hints: calls `callback()` (from the emitting thread, or the file-system
/// watcher's, interpreter attached) for each matching event and each change of a `wake_on_path`
/// until closed.
#[pyclass(module = "liveness._native")]
pub struct WakeHint {
    subscription: Option<WakeSubscription>,
}

#[pymethods]
impl WakeHint {
    #[new]
    #[pyo3(signature = (wake_on, callback, wake_on_path=None))]
    fn new(
        py: Python<'_>,
        wake_on: Bound<'_, PyAny>,
        callback: Py<PyAny>,
        wake_on_path: Option<Bound<'_, PyAny>>,
    ) -> PyResult<WakeHint> {
        let patterns = patterns("wake_on", Some(&wake_on))?;
        let paths = paths("wake_on_path", wake_on_path.as_ref())?;
        // Detached: watching a path waits for the watcher's thread, which may be inside this
        // callback of another hint, waiting for the GIL.
        let subscription = gate::detach(py, || {
            WakeSubscription::for_sources(&patterns, &paths, "wake_on_path", move || {
                gate::attach(|py| {
                    if let Err(err) = callback.call0(py) {
                        // A hint is advice: a failing callback must not detach the hint or disturb
                        // the emitter, so it is reported like any unraisable error.
                        err.write_unraisable(py, None);
                    }
                })
            })
        })
        .map_err(core_error)?;
        Ok(WakeHint { subscription: Some(subscription) })
    }

    fn close(&mut self, py: Python<'_>) {
        // Detached, as in `new`: unwatching a path waits for the watcher's thread.
        let subscription = self.subscription.take();
        gate::detach(py, || drop(subscription));
    }
}
