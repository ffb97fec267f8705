//! `fork()` while another thread uses the bus: without care the child inherits the bus's lock
//! in whatever state another thread left it, and the child's first emit or attach hangs (39 of
//! 200 children did). `pthread_atfork` handlers make the forking thread hold the lock across the
//! fork, so the child gets it released and consistent, and the child forgets the handlers that
//! other threads attached or were calling at that moment (they may hold locks that no thread of
//! the child will ever release: a capture's buffer being read, a wake signal). The forking
//! thread's own idle handlers stay attached in the child. Rules for users: tests/c/README.md, "fork".

#[cfg(unix)]
mod imp {
    use std::cell::RefCell;
    use std::sync::RwLockWriteGuard;
    use std::sync::atomic::{AtomicBool, Ordering};

    use crate::events::bus::{Registry, forget_handlers_of_other_threads, lock_for_fork};

    static INSTALLED: AtomicBool = AtomicBool::new(false);

    thread_local! {
        // Held by the forking thread between `prepare` and `parent`/`child`.
        static HELD: RefCell<Option<RwLockWriteGuard<'static, Registry>>> = const { RefCell::new(None) };
    }

    extern "C" fn prepare() {
        let guard = lock_for_fork();
        HELD.with(|h| *h.borrow_mut() = Some(guard));
    }

    extern "C" fn parent() {
        HELD.with(|h| drop(h.borrow_mut().take()));
    }

    extern "C" fn child() {
        HELD.with(|h| {
            if let Some(mut guard) = h.borrow_mut().take() {
                forget_handlers_of_other_threads(&mut guard);
            }
        });
    }

    /// Registers the handlers once, when the bus is first used.
    pub(crate) fn install() {
        if INSTALLED.swap(true, Ordering::SeqCst) {
            return;
        }
        // SAFETY: the three handlers are `extern "C"` functions without arguments, as
        // pthread_atfork wants; they never unwind (no panicking operation on their paths).
        unsafe {
            libc::pthread_atfork(Some(prepare), Some(parent), Some(child));
        }
    }
}

#[cfg(unix)]
pub(crate) use imp::install;

#[cfg(not(unix))]
pub(crate) fn install() {}
