//! One polling operation seen from Python: the core's `Poller` plus Python's verdicts.
//!
//! The synchronous operations call [`Wait::run`], which hands the loop to the core's blocking
//! driver: the probe is called with the interpreter attached, the waits happen detached (other
//! Python threads run) in short slices so Ctrl-C is seen at once. The asynchronous operations
//! (`liveness.aio`) drive the same object step by step from Python with `asyncio.sleep`.

use std::time::{Duration, Instant};

use liveness::events::WakeSubscription;
use liveness::poll::{
    DriveError, Evaluation, Failure, Operation, Outcome, Poller, Report, Spelling, Step, WakeSignal, drive_blocking,
};
use pyo3::exceptions::{PyBaseException, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyInt, PyString};

use crate::errors::{core_error, report_error};
use crate::gate;
use crate::options::{RawOptions, exception_types, operation, patterns, short_repr};
use crate::verdict::{Acceptance, ExceptionPolicy, Raised, rejected_value};

/// How long a wait stays detached before looking for a pending signal (Ctrl-C latency bound).
const SIGNAL_CHECK: Duration = Duration::from_millis(20);

#[pyclass(module = "liveness._native")]
pub struct Wait {
    poller: Poller,
    acceptance: Acceptance,
    policy: ExceptionPolicy,
    /// The exception of the last failed evaluation: the timeout's `__cause__`. Cleared when the
    /// last failure is a rejected value (the report shows the value; there is no exception).
    last_error: Option<PyErr>,
    /// The last accepted value, returned on success.
    accepted: Option<Py<PyAny>>,
    /// Set once the poller said `Done`.
    outcome: Option<Result<(), Report>>,
    /// The last rejected object and how it was described: a probe that keeps returning the same
    /// object (None, False) is described once, not at every evaluation.
    described: Option<(Py<PyAny>, Failure)>,
    /// The operation, as Python spells it.
    name: String,
}

/// What a synchronous operation cannot wait for: a coroutine, any other awaitable, an async
/// generator, a generator. Raises the `TypeError` that points at `liveness.aio` (a coroutine is
/// closed first, so no "never awaited" warning follows).
fn refuse_awaitable<'py>(operation: &str, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
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
        "{operation}: the probe returned {kind}, which a synchronous wait cannot run; use \
         `await liveness.aio.{operation}(...)` for an asynchronous probe"
    )))
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn at(seconds: f64) -> Duration {
    // Host clocks start at zero; a negative or NaN reading (a broken fake clock) counts as zero.
    Duration::try_from_secs_f64(seconds).unwrap_or(Duration::ZERO)
}

/// Python's verdict on one evaluation, shared by the blocking and the step-by-step paths.
fn judge(
    py: Python<'_>,
    op: Operation,
    acceptance: &Acceptance,
    policy: &ExceptionPolicy,
    last_error: &mut Option<PyErr>,
    described: &mut Option<(Py<PyAny>, Failure)>,
    result: PyResult<Bound<'_, PyAny>>,
) -> Evaluation<Py<PyAny>, PyErr> {
    let decided = result.and_then(|value| acceptance.accepts(&value).map(|ok| (value, ok)));
    match decided {
        Ok((value, true)) => {
            let never = matches!(op, Operation::Never { .. });
            if never {
                // `never` fails on this value; an earlier exception is not its cause.
                *last_error = None;
            }
            let text = never.then(|| short_repr(&value));
            Evaluation::Accepted { value: value.unbind(), text }
        }
        Ok((value, false)) => {
            *last_error = None;
            if let Some((object, failure)) = described.as_ref()
                && value.is(object)
            {
                return Evaluation::Rejected(failure.clone());
            }
            let failure = rejected_value(acceptance, &value);
            // Only immutable objects: a list mutated in place must be described afresh.
            if value.is_none()
                || value.is_exact_instance_of::<PyBool>()
                || value.is_exact_instance_of::<PyInt>()
                || value.is_exact_instance_of::<PyString>()
            {
                *described = Some((value.unbind(), failure.clone()));
            }
            Evaluation::Rejected(failure)
        }
        Err(err) => match policy.classify(py, &err) {
            Raised::Stop => Evaluation::Stop(err),
            Raised::Retry(failure) => {
                *last_error = Some(err);
                Evaluation::Rejected(failure)
            }
        },
    }
}

impl Wait {
    fn judge(&mut self, py: Python<'_>, result: PyResult<Bound<'_, PyAny>>) -> Evaluation<Py<PyAny>, PyErr> {
        let op = self.poller.operation();
        judge(py, op, &self.acceptance, &self.policy, &mut self.last_error, &mut self.described, result)
    }

    fn record(&mut self, at_: Duration, evaluation: Evaluation<Py<PyAny>, PyErr>) -> Result<bool, PyErr> {
        match evaluation {
            Evaluation::Accepted { value, text } => {
                self.accepted = Some(value);
                self.poller.finished(at_, Outcome::Accepted { text });
                Ok(true)
            }
            Evaluation::Rejected(failure) => {
                self.poller.finished(at_, Outcome::Rejected(failure));
                Ok(false)
            }
            Evaluation::Stop(err) => Err(err),
        }
    }

    fn failure(&mut self, py: Python<'_>, report: &Report) -> PyErr {
        report_error(py, report, self.last_error.take())
    }
}

#[pymethods]
impl Wait {
    #[new]
    #[pyo3(signature = (operation_name, *, during=None, timeout=None, interval=None, min_interval=None,
                        max_interval=None, delay=None, attempts=None, message=None, stable_for=None,
                        wake_on=None, retry_on=None, fail_on=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        operation_name: &str,
        during: Option<Bound<'_, PyAny>>,
        timeout: Option<Bound<'_, PyAny>>,
        interval: Option<Bound<'_, PyAny>>,
        min_interval: Option<Bound<'_, PyAny>>,
        max_interval: Option<Bound<'_, PyAny>>,
        delay: Option<Bound<'_, PyAny>>,
        attempts: Option<Bound<'_, PyAny>>,
        message: Option<Bound<'_, PyAny>>,
        stable_for: Option<Bound<'_, PyAny>>,
        wake_on: Option<Bound<'_, PyAny>>,
        retry_on: Option<Bound<'_, PyAny>>,
        fail_on: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Wait> {
        let op = operation(operation_name, during.as_ref())?;
        let raw = RawOptions {
            timeout: timeout.as_ref(),
            interval: interval.as_ref(),
            min_interval: min_interval.as_ref(),
            max_interval: max_interval.as_ref(),
            delay: delay.as_ref(),
            attempts: attempts.as_ref(),
            message: message.as_ref(),
            stable_for: stable_for.as_ref(),
            wake_on: wake_on.as_ref(),
        };
        // Python's os.environ is the process environment (it writes through with putenv).
        let options = raw.to_core()?.with_env_scale().map_err(core_error)?;
        let policy = ExceptionPolicy {
            retry_on: exception_types("retry_on", retry_on.as_ref())?,
            fail_on: exception_types("fail_on", fail_on.as_ref())?,
        };
        let poller = Poller::new(op, &options, Spelling::Snake).map_err(core_error)?;
        Ok(Wait {
            poller,
            acceptance: Acceptance::for_operation(op),
            policy,
            last_error: None,
            accepted: None,
            outcome: None,
            described: None,
            name: operation_name.to_owned(),
        })
    }

    /// `eventually_changes`: the value later evaluations must differ from.
    fn set_baseline(&mut self, value: Py<PyAny>) {
        self.acceptance = Acceptance::Changed(Some(value));
    }

    /// Runs the whole wait on this thread (the synchronous operations). Returns the accepted value
    /// (`None` for `always`/`never`); raises the probe's stopping exception as itself, or
    /// `liveness.TimeoutError` / `ViolationError` with the last exception as `__cause__`.
    fn run(&mut self, py: Python<'_>, probe: Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let _section = gate::enter(py);
        let op = self.poller.operation();
        let Wait { poller, acceptance, policy, last_error, described, name, .. } = self;
        let evaluate = || {
            let result = match probe.call0().map(|value| refuse_awaitable(name, value)) {
                // Not a value to judge: a mistake in the test, raised at once.
                Ok(Err(mistake)) => return Evaluation::Stop(mistake),
                Ok(Ok(value)) => Ok(value),
                Err(err) => Err(err),
            };
            judge(py, op, acceptance, policy, last_error, described, result)
        };
        let wait = |d: Duration, signal: &WakeSignal| -> Result<(), PyErr> {
            let until = Instant::now() + d;
            loop {
                let slice = until.saturating_duration_since(Instant::now()).min(SIGNAL_CHECK);
                let woken = gate::detach(py, || signal.park(slice));
                // Raises KeyboardInterrupt (from the main thread) as soon as Ctrl-C was pressed.
                py.check_signals()?;
                if woken || Instant::now() >= until {
                    return Ok(());
                }
            }
        };
        match drive_blocking(poller, evaluate, wait) {
            Ok(value) => Ok(value.unwrap_or_else(|| py.None())),
            Err(DriveError::Failed(report)) => Err(self.failure(py, &report)),
            Err(DriveError::Host(err)) => Err(err),
            Err(DriveError::Setup(err)) => Err(core_error(err)),
        }
    }

    /// Step-by-step driving (asyncio, virtual clocks): what to do at `at` seconds since the start.
    /// Returns `("evaluate", 0.0)`, `("wait", seconds)` or `("done", 0.0)`.
    fn next(&mut self, at_: f64) -> (&'static str, f64) {
        match self.poller.next(at(at_)) {
            Step::Evaluate => ("evaluate", 0.0),
            Step::Wait(d) => ("wait", secs(d)),
            Step::Done(result) => {
                self.outcome = Some(result);
                ("done", 0.0)
            }
        }
    }

    /// An evaluation starts at `at`; returns its number (1-based).
    fn started(&mut self, at_: f64) -> u32 {
        self.poller.started(at(at_))
    }

    /// The evaluation returned `value` at `at`. Returns whether it was accepted.
    fn returned(&mut self, py: Python<'_>, at_: f64, value: Bound<'_, PyAny>) -> PyResult<bool> {
        let _section = gate::enter(py);
        let evaluation = self.judge(py, Ok(value));
        self.record(at(at_), evaluation)
    }

    /// The evaluation raised `exc` at `at`. Returns `True` when the exception must propagate as
    /// itself (the caller re-raises it), `False` when it was recorded as a failure to retry.
    fn raised(&mut self, py: Python<'_>, at_: f64, exc: Bound<'_, PyBaseException>) -> PyResult<bool> {
        let evaluation = self.judge(py, Err(PyErr::from_value(exc.into_any())));
        match self.record(at(at_), evaluation) {
            Ok(_) => Ok(false),
            Err(_) => Ok(true),
        }
    }

    /// A wake hint arrived: the next `next` says evaluate.
    fn wake(&mut self) {
        self.poller.wake();
    }

    /// Asynchronous hosts: the evaluation in flight is still pending at `at` (the deadline).
    /// Raises the timeout error that says so.
    fn abandon(&mut self, py: Python<'_>, at_: f64) -> PyResult<()> {
        let report = self.poller.abandon(at(at_));
        Err(self.failure(py, &report))
    }

    /// After `next` said done: the accepted value, or raises the failure.
    fn result(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self.outcome.take() {
            Some(Ok(())) => Ok(self.accepted.take().unwrap_or_else(|| py.None())),
            Some(Err(report)) => Err(self.failure(py, &report)),
            None => Err(PyRuntimeError::new_err("the wait is not done yet")),
        }
    }

    /// Seconds from the start at which the deadline falls (scaled by LIVENESS_TIMEOUT_SCALE).
    #[getter]
    fn deadline(&self) -> f64 {
        secs(self.poller.deadline())
    }

    #[getter]
    fn evaluations(&self) -> u32 {
        self.poller.evaluations()
    }

    #[getter]
    fn wake_patterns(&self) -> Vec<String> {
        self.poller.wake_patterns().to_vec()
    }
}

/// Asynchronous waits' wake hints: calls `callback()` (from the emitting thread, interpreter
/// attached) for each matching event until closed.
#[pyclass(module = "liveness._native")]
pub struct WakeHint {
    subscription: Option<WakeSubscription>,
}

#[pymethods]
impl WakeHint {
    #[new]
    fn new(wake_on: Bound<'_, PyAny>, callback: Py<PyAny>) -> PyResult<WakeHint> {
        let patterns = patterns("wake_on", Some(&wake_on))?;
        let subscription = WakeSubscription::new(&patterns, move || {
            gate::attach(|py| {
                if let Err(err) = callback.call0(py) {
                    // A hint is advice: a failing callback must not detach the hint or disturb
                    // the emitter, so it is reported like any unraisable error.
                    err.write_unraisable(py, None);
                }
            })
        })
        .map_err(core_error)?;
        Ok(WakeHint { subscription: Some(subscription) })
    }

    fn close(&mut self) {
        self.subscription = None;
    }
}
