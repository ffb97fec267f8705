//! Generation-checked handles for the objects C holds (captures, pollers), and the set of strings
//! liveness handed out.
//!
//! The pointer a C caller holds is not an address: it encodes a slot of a [`Registry`] and the
//! slot's generation (plus a tag and the kind of handle). Closing a handle bumps its slot's
//! generation, so a handle used after it was freed (or freed twice, or of the wrong kind, or
//! never made by liveness) is recognised and answers LIVENESS_INVALID_ARGUMENT instead of reading
//! freed memory. A slot is reused only with a new generation; the same handle value comes back
//! after 2^24 reuses of one slot (2^12 on 32-bit targets), the only case left undetected.
//!
//! Why a registry rather than real pointers checked against a set of live addresses: a freed
//! address is soon reused by the allocator for the next handle, so a stale pointer would pass the
//! check and silently act on somebody else's capture. The encoded values have the top bit set, so
//! they are never NULL, never below 4096, and never inside a Go heap (cgo callers scan them).
//!
//! Cost (measured with a C loop of next/started/raised, see tests/c/README.md "Handles"): one
//! uncontended read lock, one reference-count increment and decrement per call.
//!
//! The values are reference-counted: closing a capture while another thread is still reading it
//! is safe (the reader finishes, the capture ends when the last user lets go).

use std::collections::HashSet;
use std::ffi::c_char;
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockWriteGuard};

use liveness_core::Error;
use once_cell::sync::Lazy;

#[cfg(target_pointer_width = "64")]
mod layout {
    pub(super) const INDEX_BITS: u32 = 32;
    pub(super) const GENERATION_BITS: u32 = 24;
}
#[cfg(not(target_pointer_width = "64"))]
mod layout {
    pub(super) const INDEX_BITS: u32 = 16;
    pub(super) const GENERATION_BITS: u32 = 12;
}
use layout::{GENERATION_BITS, INDEX_BITS};

const KIND_SHIFT: u32 = INDEX_BITS + GENERATION_BITS;
const TAG: usize = 1 << (usize::BITS - 1);
const KIND_MASK: usize = 0b11;
const INDEX_MASK: usize = (1 << INDEX_BITS) - 1;
const GENERATION_MASK: usize = (1 << GENERATION_BITS) - 1;

struct Entry<T> {
    generation: usize,
    value: Option<Arc<T>>,
}

struct Slots<T> {
    entries: Vec<Entry<T>>,
    free: Vec<usize>,
}

/// The live handles of one kind.
pub(crate) struct Registry<T> {
    kind: usize,
    /// What a handle of this kind is called in messages, e.g. "capture".
    noun: &'static str,
    slots: RwLock<Slots<T>>,
}

impl<T> Registry<T> {
    pub(crate) const fn new(kind: usize, noun: &'static str) -> Registry<T> {
        Registry { kind, noun, slots: RwLock::new(Slots { entries: Vec::new(), free: Vec::new() }) }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Slots<T>> {
        self.slots.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Slots<T>> {
        self.slots.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn encode(&self, index: usize, generation: usize) -> usize {
        TAG | (self.kind << KIND_SHIFT) | (generation << INDEX_BITS) | index
    }

    /// Stores `value` and returns its handle.
    pub(crate) fn insert(&self, value: T) -> Result<usize, Error> {
        fork::install();
        let mut slots = self.write();
        let index = match slots.free.pop() {
            Some(index) => index,
            None => {
                if slots.entries.len() > INDEX_MASK {
                    return Err(Error::invalid_argument(format!(
                        "too many open {}s ({}): close some first",
                        self.noun,
                        slots.entries.len()
                    )));
                }
                slots.entries.push(Entry { generation: 1, value: None });
                slots.entries.len() - 1
            }
        };
        let entry = &mut slots.entries[index];
        entry.value = Some(Arc::new(value));
        Ok(self.encode(index, entry.generation))
    }

    fn decode(&self, arg: &str, handle: usize) -> Result<(usize, usize), Error> {
        if handle == 0 {
            return Err(Error::invalid_argument(format!("`{arg}` is NULL")));
        }
        if handle & TAG == 0 || (handle >> KIND_SHIFT) & KIND_MASK != self.kind {
            return Err(Error::invalid_argument(format!(
                "`{arg}` is not a liveness_{} handle (not made by liveness_{}_{}())",
                self.noun,
                self.noun,
                if self.noun == "capture" { "open" } else { "new" }
            )));
        }
        Ok((handle & INDEX_MASK, (handle >> INDEX_BITS) & GENERATION_MASK))
    }

    fn stale(&self, arg: &str) -> Error {
        Error::invalid_argument(format!(
            "`{arg}` is a liveness_{} that was already freed (a handle used after liveness_{}_{}())",
            self.noun,
            self.noun,
            if self.noun == "capture" { "close" } else { "free" }
        ))
    }

    /// The live value behind `handle`, or why there is none.
    pub(crate) fn get(&self, arg: &str, handle: usize) -> Result<Arc<T>, Error> {
        let (index, generation) = self.decode(arg, handle)?;
        let slots = self.read();
        match slots.entries.get(index) {
            Some(Entry { generation: g, value: Some(value) }) if *g == generation => Ok(Arc::clone(value)),
            _ => Err(self.stale(arg)),
        }
    }

    /// Takes the value out (the handle is dead from now on); the caller drops it outside the lock.
    pub(crate) fn remove(&self, arg: &str, handle: usize) -> Result<Arc<T>, Error> {
        let (index, generation) = self.decode(arg, handle)?;
        let mut slots = self.write();
        let Some(entry) = slots.entries.get_mut(index) else {
            return Err(self.stale(arg));
        };
        if entry.generation != generation || entry.value.is_none() {
            return Err(self.stale(arg));
        }
        let value = entry.value.take().expect("checked above");
        // Never 0: a generation of 0 would make slot 0's handle of kind 0 look like NULL's bits.
        entry.generation = if entry.generation >= GENERATION_MASK { 1 } else { entry.generation + 1 };
        slots.free.push(index);
        Ok(value)
    }
}

/// The strings liveness handed to C (liveness_capture_events_json()), by address, so that
/// liveness_string_free() recognises a string freed twice, liveness_version()'s static string or
/// a string from elsewhere, and leaves it alone. A freed address that a newer liveness string
/// reuses is still "live": freeing the old pointer twice then frees the newer string.
static STRINGS: Lazy<Mutex<HashSet<usize>>> = Lazy::new(|| Mutex::new(HashSet::new()));

pub(crate) fn strings() -> std::sync::MutexGuard<'static, HashSet<usize>> {
    fork::install();
    STRINGS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Hands a string to C, remembering it.
pub(crate) fn give_string(text: std::ffi::CString) -> *mut c_char {
    let mut live = strings();
    let ptr = text.into_raw();
    live.insert(ptr as usize);
    ptr
}

/// Whether `ptr` is a string liveness handed out and nobody freed yet; forgets it if so.
pub(crate) fn take_string(ptr: *mut c_char) -> bool {
    strings().remove(&(ptr as usize))
}

/// `fork()` while another thread holds one of these locks would leave it locked forever in the
/// child: the forking thread takes them all before the fork and releases them after, in both
/// processes (pthread_atfork; the bus does the same for its own lock).
mod fork {
    #[cfg(unix)]
    pub(super) fn install() {
        use std::sync::Once;
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            // SAFETY: argument-less extern "C" functions that never unwind.
            unsafe {
                libc::pthread_atfork(Some(prepare), Some(release), Some(release));
            }
        });
    }

    #[cfg(not(unix))]
    pub(super) fn install() {}

    #[cfg(unix)]
    mod held {
        use std::cell::RefCell;
        use std::collections::HashSet;
        use std::sync::{MutexGuard, RwLockWriteGuard};

        use crate::capture::liveness_capture;
        use crate::handles::{CAPTURES, POLLERS, Slots, strings};
        use crate::poller::PollerState;

        pub(super) struct Held {
            _captures: RwLockWriteGuard<'static, Slots<liveness_capture>>,
            _pollers: RwLockWriteGuard<'static, Slots<std::sync::Mutex<PollerState>>>,
            _strings: MutexGuard<'static, HashSet<usize>>,
        }

        thread_local! {
            pub(super) static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
        }

        pub(super) fn take_all() -> Held {
            // Always in this order (no other code path holds two of them).
            Held { _captures: CAPTURES.write(), _pollers: POLLERS.write(), _strings: strings() }
        }
    }

    #[cfg(unix)]
    extern "C" fn prepare() {
        let held = held::take_all();
        let _ = held::HELD.try_with(|h| *h.borrow_mut() = Some(held));
    }

    #[cfg(unix)]
    extern "C" fn release() {
        let _ = held::HELD.try_with(|h| drop(h.borrow_mut().take()));
    }
}

pub(crate) static CAPTURES: Registry<crate::capture::liveness_capture> = Registry::new(1, "capture");
pub(crate) static POLLERS: Registry<std::sync::Mutex<crate::poller::PollerState>> = Registry::new(2, "poller");
