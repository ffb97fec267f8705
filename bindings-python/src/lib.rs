//! `liveness._native`: the thin pyo3 layer over the core. It translates Python values, options and
//! exceptions into the core's vocabulary and waits the way Python needs (interpreter detached,
//! signals checked); every decision about schedules, failures and events is the core's.

use pyo3::prelude::*;

mod errors;
mod events;
mod options;
mod verdict;
mod wait;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The core's default timeout, for the pytest-timeout cooperation in Python.
    m.add("DEFAULT_TIMEOUT", liveness::policy::Options::default().timeout.as_secs_f64())?;
    m.add_class::<wait::Wait>()?;
    m.add_class::<wait::WakeHint>()?;
    m.add_class::<errors::Report>()?;
    m.add_class::<events::Event>()?;
    m.add_class::<events::Capture>()?;
    m.add_function(wrap_pyfunction!(options::timeout_scale, m)?)?;
    m.add_function(wrap_pyfunction!(options::validate_options, m)?)?;
    m.add_function(wrap_pyfunction!(events::emit, m)?)?;
    m.add_function(wrap_pyfunction!(events::attach, m)?)?;
    m.add_function(wrap_pyfunction!(events::detach, m)?)?;
    m.add_function(wrap_pyfunction!(events::has_subscribers, m)?)?;
    m.add_function(wrap_pyfunction!(events::check_emitted, m)?)?;
    m.add_function(wrap_pyfunction!(events::check_not_emitted, m)?)?;
    m.add_function(wrap_pyfunction!(events::check_emitted_in_order, m)?)?;
    Ok(())
}
