//! `liveness._native`: the thin pyo3 layer over the core. It translates Python values, options and
//! exceptions into the core's vocabulary and waits the way Python needs (interpreter detached,
//! signals checked); every decision about schedules, failures and events is the core's.

use pyo3::prelude::*;

mod acceptance;
mod errors;
mod events;
mod gate;
mod lint;
mod options;
mod stepper;
mod testing;
mod wait;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    refuse_subinterpreters(m.py())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The core's default timeout, for the pytest-timeout cooperation in Python.
    m.add("DEFAULT_TIMEOUT", liveness::policy::Options::default().timeout.as_secs_f64())?;
    m.add("DEFAULT_LATE_CHECK", liveness::policy::DEFAULT_LATE_CHECK.as_secs_f64())?;
    m.add_class::<wait::Wait>()?;
    m.add_class::<wait::WakeHint>()?;
    m.add_class::<stepper::BlockingClock>()?;
    m.add_function(wrap_pyfunction!(stepper::monotonic, m)?)?;
    m.add_class::<testing::VirtualClock>()?;
    m.add_class::<testing::InstalledClock>()?;
    m.add_class::<errors::Report>()?;
    m.add_class::<events::Event>()?;
    m.add_class::<events::Capture>()?;
    m.add_class::<events::Scope>()?;
    m.add("current_scope", events::scope_var(m.py())?)?;
    m.add_function(wrap_pyfunction!(gate::_close_gate, m)?)?;
    m.add_function(wrap_pyfunction!(options::timeout_scale, m)?)?;
    m.add_function(wrap_pyfunction!(lint::lint_main, m)?)?;
    m.add_function(wrap_pyfunction!(options::validate_options, m)?)?;
    m.add_function(wrap_pyfunction!(events::emit, m)?)?;
    m.add_function(wrap_pyfunction!(events::attach, m)?)?;
    m.add_function(wrap_pyfunction!(events::detach, m)?)?;
    m.add_function(wrap_pyfunction!(events::has_subscribers, m)?)?;
    m.add_function(wrap_pyfunction!(events::any_attached, m)?)?;
    m.add_function(wrap_pyfunction!(events::bridge_name, m)?)?;
    m.add_function(wrap_pyfunction!(events::check_emitted, m)?)?;
    m.add_function(wrap_pyfunction!(events::check_not_emitted, m)?)?;
    m.add_function(wrap_pyfunction!(events::check_emitted_in_order, m)?)?;
    Ok(())
}

/// The module keeps process-wide state (the exception classes it raises, the handlers' Python
/// objects, the GIL gate) that belongs to one interpreter, so it is only importable in the main
/// interpreter. CPython 3.11 initialises a multi-phase module afresh in each sub-interpreter and
/// pyo3's own check does not run on that path, so the check is here.
fn refuse_subinterpreters(py: Python<'_>) -> PyResult<()> {
    // SAFETY: called with the GIL held (module initialisation); both calls only read the state of
    // the current interpreter.
    let id = unsafe { pyo3::ffi::PyInterpreterState_GetID(pyo3::ffi::PyInterpreterState_Get()) };
    if id == 0 {
        return Ok(());
    }
    if id < 0 {
        return Err(PyErr::fetch(py));
    }
    Err(pyo3::exceptions::PyImportError::new_err(format!(
        "liveness cannot be imported in a sub-interpreter (this is interpreter #{id}): its native module keeps \
         process-wide state tied to the main interpreter; use liveness from the main interpreter"
    )))
}
