//! The clock seam for C tests: the core's `VirtualClock` installed on the calling thread, so that
//! the blocking waits of that thread (liveness_eventually() and the other operations) take no real
//! time. A stable test hook, as `liveness::testing` is for Rust.

use std::cell::RefCell;
use std::mem::ManuallyDrop;

use liveness_core::Error;
use liveness_core::policy::duration_from_millis;
use liveness_core::testing::{Installed, VirtualClock};

use crate::args::out_arg;
use crate::boundary::guarded;
use crate::status::liveness_status;

/// The clock C installed on this thread, and the core's guard that keeps it installed.
struct Seam {
    clock: VirtualClock,
    // Dropped only by liveness_virtual_clock_uninstall(). At thread exit it is forgotten instead:
    // its drop would reach into the core's own thread-local slot, which may already be gone then
    // (a panic in a thread-local destructor aborts); that slot is torn down on its own.
    installed: ManuallyDrop<Installed>,
}

thread_local! {
    static SEAM: RefCell<Option<Seam>> = const { RefCell::new(None) };
}

fn not_installed() -> Error {
    Error::invalid_argument("no virtual clock is installed on this thread: call liveness_virtual_clock_install() first")
}

fn with_clock<T>(body: impl FnOnce(&VirtualClock) -> Result<T, Error>) -> Result<T, Error> {
    SEAM.with(|slot| match slot.borrow().as_ref() {
        Some(seam) => body(&seam.clock),
        None => Err(not_installed()),
    })
}

/// Test hook (stable): installs a virtual clock at 0 ms on the calling thread. Until
/// liveness_virtual_clock_uninstall(), every blocking wait that starts on this thread
/// (liveness_eventually(), _always(), ... ) runs on it: its waits advance the clock instead of
/// sleeping, and a probe "takes" time by calling liveness_virtual_clock_advance(). Other threads
/// keep the real clock; the sans-IO poller always takes its times from the caller.
/// LIVENESS_INVALID_ARGUMENT when this thread already has one (uninstall it first).
#[unsafe(no_mangle)]
pub extern "C" fn liveness_virtual_clock_install() -> liveness_status {
    guarded(|| {
        SEAM.with(|slot| {
            let mut slot = slot.borrow_mut();
            if slot.is_some() {
                return Err(Error::invalid_argument(
                    "a virtual clock is already installed on this thread: call liveness_virtual_clock_uninstall() first",
                ));
            }
            let clock = VirtualClock::new();
            let installed = ManuallyDrop::new(clock.install());
            *slot = Some(Seam { clock, installed });
            Ok(())
        })
    })
}

/// Test hook (stable): moves this thread's virtual clock forward by `ms` milliseconds (a probe
/// taking that long, another part of the test passing time). A wait in progress on this thread
/// sees the new time at once. LIVENESS_INVALID_ARGUMENT for a negative, NaN or infinite `ms`, or
/// when no virtual clock is installed on this thread.
#[unsafe(no_mangle)]
pub extern "C" fn liveness_virtual_clock_advance(ms: f64) -> liveness_status {
    guarded(|| {
        let by = duration_from_millis("ms", ms)?;
        with_clock(|clock| {
            clock.advance(by);
            Ok(())
        })
    })
}

/// Test hook (stable): stores in `*out_ms` the time of this thread's virtual clock, in
/// milliseconds since it was installed. LIVENESS_INVALID_ARGUMENT (and `*out_ms` untouched) for a
/// NULL `out_ms`, or when no virtual clock is installed on this thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_virtual_clock_now_ms(out_ms: *mut f64) -> liveness_status {
    guarded(|| {
        let out = unsafe { out_arg("out_ms", out_ms) }?;
        // From nanoseconds: whole and binary-fraction milliseconds come out exact.
        *out = with_clock(|clock| Ok(clock.now().as_nanos() as f64 / 1e6))?;
        Ok(())
    })
}

/// Test hook (stable): removes this thread's virtual clock; waits that start afterwards use the
/// real clock again (one already running keeps the clock it started with).
/// LIVENESS_INVALID_ARGUMENT when none is installed on this thread.
#[unsafe(no_mangle)]
pub extern "C" fn liveness_virtual_clock_uninstall() -> liveness_status {
    guarded(|| {
        let seam = SEAM.with(|slot| slot.borrow_mut().take()).ok_or_else(not_installed)?;
        // Restores the clock this thread had before (none, from C).
        drop(ManuallyDrop::into_inner(seam.installed));
        Ok(())
    })
}
