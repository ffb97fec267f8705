//! `liveness.testing.VirtualClock`'s native half: the core's `VirtualClock`, installed on the
//! calling thread while a `with` block lasts. The synchronous waits started there use it: their
//! waits advance it instead of sleeping (the core's blocking driver reads it).

use liveness::testing::{Installed, VirtualClock as CoreClock};
use pyo3::prelude::*;

use crate::options::seconds as duration;

/// Whether a virtual clock is installed on this thread (the core knows): a synchronous wait
/// started then waits in one step (the clock jumps) instead of in slices of real time.
pub fn installed_here() -> bool {
    CoreClock::installed().is_some()
}

/// A clock that moves only when told to; shared by every thread that holds it.
#[pyclass(module = "liveness._native", frozen)]
pub struct VirtualClock {
    clock: CoreClock,
}

#[pymethods]
impl VirtualClock {
    #[new]
    fn new() -> VirtualClock {
        VirtualClock { clock: CoreClock::new() }
    }

    /// Seconds since the clock was made, plus every advance.
    fn now(&self) -> f64 {
        self.clock.now().as_secs_f64()
    }

    /// Moves the clock forward by `seconds` (a number, not negative).
    fn advance(&self, seconds: Bound<'_, PyAny>) -> PyResult<()> {
        let by = duration("seconds", Some(&seconds))?.unwrap_or_default();
        self.clock.advance(by);
        Ok(())
    }

    /// Installs the clock on this thread until the returned guard is uninstalled (guards nest).
    fn install(&self) -> InstalledClock {
        InstalledClock { guard: Some(self.clock.install()) }
    }
}

/// The installation of a [`VirtualClock`] on one thread; only that thread may uninstall it.
#[pyclass(module = "liveness._native", unsendable)]
pub struct InstalledClock {
    guard: Option<Installed>,
}

#[pymethods]
impl InstalledClock {
    /// Restores the thread's previous clock (a second call does nothing).
    fn uninstall(&mut self) {
        self.guard = None;
    }
}

impl Drop for InstalledClock {
    fn drop(&mut self) {
        self.uninstall();
    }
}
