//! The core's errors as Python exceptions. The exception classes users catch live in Python
//! (`liveness._errors`) so they are ordinary classes; this module fills them from the core's report.

use liveness::Error;
use liveness::poll::{Report as CoreReport, ReportKind, RunOutcome};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

static TIMEOUT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static VIOLATION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static EVENT_ASSERTION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
pub static HANDLER_WARNING: PyOnceLock<Py<PyType>> = PyOnceLock::new();

const ERRORS_MODULE: &str = "liveness._errors";

/// Any core error that is not a timeout/violation with a cause: bad input becomes `ValueError`.
pub fn core_error(err: Error) -> PyErr {
    Python::attach(|py| match err {
        Error::InvalidOption { .. } | Error::InvalidArgument { .. } => PyValueError::new_err(err.to_string()),
        Error::Timeout { report } | Error::Violated { report } => report_error(py, &report, None),
        Error::EventAssertion { .. } => match EVENT_ASSERTION_ERROR.import(py, ERRORS_MODULE, "EventAssertionError") {
            Ok(cls) => match cls.call1((err.to_string(),)) {
                Ok(instance) => PyErr::from_value(instance),
                Err(e) => e,
            },
            Err(e) => e,
        },
        Error::Probe { .. } => PyRuntimeError::new_err(err.to_string()),
    })
}

/// `liveness.TimeoutError` (or `ViolationError` for a violated `always`/`never`) carrying the
/// report, with the last exception of the probe as `__cause__`.
pub fn report_error(py: Python<'_>, report: &CoreReport, cause: Option<PyErr>) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = if report.is_violation() {
            VIOLATION_ERROR.import(py, ERRORS_MODULE, "ViolationError")?
        } else {
            TIMEOUT_ERROR.import(py, ERRORS_MODULE, "TimeoutError")?
        };
        let fields = Report::from_core(report);
        let instance = cls.call1((fields.text.clone(), Py::new(py, fields)?))?;
        let err = PyErr::from_value(instance);
        if let Some(cause) = cause {
            err.set_cause(py, Some(cause));
        }
        Ok(err)
    };
    build().unwrap_or_else(|e| e)
}

/// The fields of a failure report (SPEC §3), exposed on the exception as `.report`.
#[pyclass(module = "liveness._native", frozen, get_all)]
pub struct Report {
    /// The operation, as Python spells it (`eventually_passes`).
    pub operation: String,
    pub message: Option<String>,
    /// Why it ended: "not_met", "attempts_exhausted", "not_stable", "not_settled"
    /// (`eventually_settles`), "overran", "still_running" (an awaitable evaluation or preparation
    /// abandoned at the deadline), "violated", "too_early" (held before `at_least`).
    pub reason: &'static str,
    /// Seconds waited.
    pub elapsed: f64,
    pub evaluations: u32,
    /// The last failure as text (`AssertionError: assert 1 == 2`, or `returned None`).
    pub last: Option<String>,
    /// Runs of identical outcomes: (label, count, first start in s, last start in s).
    pub history: Vec<(String, u32, f64, f64)>,
    /// Runs left out between the first and the most recent ones.
    pub omitted_runs: usize,
    pub hint: Option<String>,
    /// The whole message, as every binding prints it.
    pub text: String,
}

impl Report {
    pub fn from_core(r: &CoreReport) -> Report {
        let reason = match r.kind {
            ReportKind::NotMet => "not_met",
            ReportKind::AttemptsExhausted { .. } => "attempts_exhausted",
            ReportKind::NotStable { .. } => "not_stable",
            ReportKind::Overran { .. } => "overran",
            ReportKind::StillRunning { .. } | ReportKind::PreparationStillRunning { .. } => "still_running",
            ReportKind::Violated { .. } => "violated",
            ReportKind::TooEarly { .. } => "too_early",
            ReportKind::NotSettled { .. } => "not_settled",
        };
        Report {
            operation: r.operation.clone(),
            message: r.message.clone(),
            reason,
            elapsed: r.elapsed.as_secs_f64(),
            evaluations: r.evaluations,
            last: r.last.as_ref().map(|f| f.to_string()),
            history: r
                .history
                .iter()
                .map(|run| {
                    let label = match &run.outcome {
                        RunOutcome::Accepted => "accepted".to_owned(),
                        RunOutcome::Failed(f) => f.to_string(),
                    };
                    (label, run.count, run.first.as_secs_f64(), run.last.as_secs_f64())
                })
                .collect(),
            omitted_runs: r.omitted_runs,
            hint: r.hint.clone(),
            text: r.to_string(),
        }
    }
}

#[pymethods]
impl Report {
    fn __repr__(&self) -> String {
        format!("<liveness report: {}>", self.text.lines().next().unwrap_or(""))
    }

    /// Whether `always`/`never` was violated, or the condition held before `at_least` (as
    /// opposed to a wait that timed out).
    #[getter]
    fn is_violation(&self) -> bool {
        matches!(self.reason, "violated" | "too_early")
    }
}
