//! Python's side of an evaluation: which returned values an operation accepts (SPEC §1, §4: a
//! truthy value, a block that passes, a value that changed) and which exceptions are retried.
//! These are facts of the host language the core cannot know; what follows from an outcome is
//! the core's business (the Poller words a value seen again by `eventually_changes` too).

use liveness::poll::{Failure, Operation};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyTuple};

use crate::options::short_repr;

/// What an operation accepts from a returned value.
pub enum Acceptance {
    /// `eventually`, `sync_operation`'s `until`, `always`, `never`: a truthy value.
    Truthy,
    /// `eventually_passes`: the block passes, i.e. returns anything but the boolean `False`.
    Passes,
    /// `eventually_changes`: a value `!=` the baseline (which the preparation takes).
    Changed { baseline: Option<Py<PyAny>> },
    /// `eventually_settles`: a value `==` the previous evaluation's; `previous` is `None` at the
    /// start and after an evaluation that raised (which has no value to compare with).
    Settles { previous: Option<Py<PyAny>> },
}

impl Acceptance {
    pub fn for_operation(op: Operation) -> Acceptance {
        match op {
            Operation::EventuallyPasses => Acceptance::Passes,
            Operation::EventuallyChanges => Acceptance::Changed { baseline: None },
            Operation::EventuallySettles { .. } => Acceptance::Settles { previous: None },
            _ => Acceptance::Truthy,
        }
    }

    /// Whether `value` is accepted; an `Err` is an exception raised while deciding (a `__bool__`
    /// or `__ne__` that raised), which counts as the evaluation raising.
    pub fn accepts(&mut self, value: &Bound<'_, PyAny>) -> PyResult<bool> {
        match self {
            Acceptance::Settles { previous } => {
                // Taken first: an `__eq__` that raises leaves no previous value, like a raise.
                let same = match previous.take() {
                    Some(before) => value.eq(before.bind(value.py()))?,
                    None => false,
                };
                *previous = Some(value.clone().unbind());
                Ok(same)
            }
            Acceptance::Truthy => value.is_truthy(),
            Acceptance::Passes => Ok(!value.is_instance_of::<PyBool>() || value.is_truthy()?),
            Acceptance::Changed { baseline: None } => Ok(true),
            Acceptance::Changed { baseline: Some(baseline) } => value.ne(baseline.bind(value.py())),
        }
    }
}

/// A returned value that was not accepted. For `eventually_changes` it is the baseline seen
/// again, which the Poller words "(unchanged)"; only `None` is nullish (the hint for a block of
/// assertions passed to `eventually`).
pub fn rejected_value(acceptance: &Acceptance, value: &Bound<'_, PyAny>) -> Failure {
    // `None` from a probe of `eventually_changes`/`_settles` is a value like any other.
    let nullish = value.is_none() && matches!(acceptance, Acceptance::Truthy | Acceptance::Passes);
    Failure::returned(short_repr(value), nullish)
}

/// What to do with an exception the probe raised.
pub enum Raised {
    /// Retry: an ordinary exception, allowed by `retry_on` / `fail_on`.
    Retry(Failure),
    /// Propagate at once, as itself: a `BaseException` that is not an `Exception`
    /// (KeyboardInterrupt, SystemExit, CancelledError…), or a `fail_on` / non-`retry_on` error.
    Stop,
}

pub struct ExceptionPolicy {
    pub retry_on: Option<Py<PyTuple>>,
    pub fail_on: Option<Py<PyTuple>>,
}

impl ExceptionPolicy {
    pub fn classify(&self, py: Python<'_>, err: &PyErr) -> Raised {
        let exc = err.value(py);
        let ordinary = match framework_outcome(py, exc) {
            Framework::Failure => true,
            Framework::Control => false,
            Framework::Neither => exc.is_instance_of::<PyException>(),
        };
        if !ordinary {
            return Raised::Stop;
        }
        if let Some(fail_on) = &self.fail_on
            && exc.is_instance(fail_on.bind(py).as_any()).unwrap_or(false)
        {
            return Raised::Stop;
        }
        if let Some(retry_on) = &self.retry_on
            && !exc.is_instance(retry_on.bind(py).as_any()).unwrap_or(false)
        {
            return Raised::Stop;
        }
        Raised::Retry(describe(exc))
    }
}

/// What a test framework means by an exception, beyond its place in the class tree.
enum Framework {
    /// An assertion failure by intent, though not an `Exception`: `pytest.fail()` raises
    /// `_pytest.outcomes.Failed`, a `BaseException`. Retried like an `AssertionError`.
    Failure,
    /// The framework's control flow, though possibly an `Exception`: `pytest.skip`/`xfail`/`exit`
    /// (`XFailed` is a `Failed`), `unittest.SkipTest`. Propagated at once, never retried.
    Control,
    Neither,
}

/// Looks the frameworks up in `sys.modules`, so none is imported: a framework that is not
/// loaded raised nothing. Only failed evaluations get here, so the look-up costs nothing on the
/// way to an accepted one.
fn framework_outcome(py: Python<'_>, exc: &Bound<'_, pyo3::exceptions::PyBaseException>) -> Framework {
    let Ok(modules) = py.import("sys").and_then(|sys| sys.getattr("modules")) else { return Framework::Neither };
    let class =
        |module: &str, name: &str| -> Option<Bound<'_, PyAny>> { modules.get_item(module).ok()?.getattr(name).ok() };
    let is = |module: &str, name: &str| class(module, name).is_some_and(|c| exc.is_instance(&c).unwrap_or(false));
    if is("_pytest.outcomes", "XFailed")
        || is("_pytest.outcomes", "Skipped")
        || is("_pytest.outcomes", "Exit")
        || is("unittest", "SkipTest")
    {
        return Framework::Control;
    }
    if is("_pytest.outcomes", "Failed") {
        return Framework::Failure;
    }
    Framework::Neither
}

/// `Failure::Raised` with the exception's class name and its `str()`.
fn describe(exc: &Bound<'_, pyo3::exceptions::PyBaseException>) -> Failure {
    let kind = exc.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "Exception".to_owned());
    let text = exc.str().map(|s| s.to_string()).unwrap_or_default();
    Failure::raised(kind, text)
}
