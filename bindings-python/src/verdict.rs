//! Python's side of an evaluation: which returned values an operation accepts (Python truthiness,
//! `is not False`, `!=` the baseline) and which exceptions are retried. These are host-language
//! facts the core cannot know; what follows from a verdict is the core's business.

use liveness::poll::{Failure, Operation};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyTuple};

use crate::options::short_repr;

/// What an operation accepts from a returned value.
pub enum Acceptance {
    /// `eventually`, `sync_operation`, `always`, `never`: a truthy value.
    Truthy,
    /// `eventually_passes`: anything but the boolean `False`.
    NotFalse,
    /// `eventually_changes`: a value `!=` the baseline (set once it was taken).
    Changed(Option<Py<PyAny>>),
}

impl Acceptance {
    pub fn for_operation(op: Operation) -> Acceptance {
        match op {
            Operation::EventuallyPasses => Acceptance::NotFalse,
            Operation::EventuallyChanges => Acceptance::Changed(None),
            _ => Acceptance::Truthy,
        }
    }

    /// Whether `value` is accepted; an `Err` is an exception raised while deciding (a `__bool__`
    /// or `__ne__` that raised), which counts as the evaluation raising.
    pub fn accepts(&self, value: &Bound<'_, PyAny>) -> PyResult<bool> {
        match self {
            Acceptance::Truthy => value.is_truthy(),
            Acceptance::NotFalse => Ok(!value.is_instance_of::<PyBool>() || value.is_truthy()?),
            Acceptance::Changed(None) => Ok(true),
            Acceptance::Changed(Some(baseline)) => value.ne(baseline.bind(value.py())),
        }
    }
}

/// How a returned value that was not accepted is remembered.
pub fn rejected_value(acceptance: &Acceptance, value: &Bound<'_, PyAny>) -> Failure {
    match acceptance {
        Acceptance::Changed(_) => Failure::unchanged(short_repr(value)),
        _ => Failure::returned(short_repr(value), value.is_none()),
    }
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
        if !exc.is_instance_of::<PyException>() {
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

/// `Failure::Raised` with the exception's class name and its `str()`.
fn describe(exc: &Bound<'_, pyo3::exceptions::PyBaseException>) -> Failure {
    let kind = exc.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "Exception".to_owned());
    let text = exc.str().map(|s| s.to_string()).unwrap_or_default();
    Failure::raised(kind, text)
}
