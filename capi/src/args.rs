//! Reading C arguments: every pointer is checked for NULL and every string for UTF-8 before
//! use, so that bad input becomes LIVENESS_INVALID_ARGUMENT naming the argument, never a crash.

use std::ffi::{CStr, c_char};

use liveness_core::Error;

/// A required string argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn str_arg<'a>(name: &str, ptr: *const c_char) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!("`{name}` is NULL")));
    }
    // SAFETY: non-NULL, and the caller promises a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map_err(|e| {
        Error::invalid_argument(format!("`{name}` is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()))
    })
}

/// An optional string argument: NULL means "not given".
///
/// # Safety
/// As [`str_arg`].
pub(crate) unsafe fn opt_str_arg<'a>(name: &str, ptr: *const c_char) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() { Ok(None) } else { unsafe { str_arg(name, ptr) }.map(Some) }
}

/// An array of `len` strings. NULL is allowed only with `len == 0`.
///
/// # Safety
/// `ptr` is NULL or points to `len` string pointers, each as in [`str_arg`].
pub(crate) unsafe fn str_array_arg<'a>(
    name: &str,
    ptr: *const *const c_char,
    len: usize,
) -> Result<Vec<&'a str>, Error> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!("`{name}` is NULL but its length is {len}")));
    }
    (0..len)
        // SAFETY: the caller promises `len` readable pointers.
        .map(|i| unsafe { str_arg(&format!("{name}[{i}]"), *ptr.add(i)) })
        .collect()
}

/// A required non-empty list of event patterns (the pattern syntax itself is checked by the core).
///
/// # Safety
/// As [`str_array_arg`].
pub(crate) unsafe fn patterns_arg<'a>(
    name: &str,
    ptr: *const *const c_char,
    len: usize,
) -> Result<Vec<&'a str>, Error> {
    let patterns = unsafe { str_array_arg(name, ptr, len) }?;
    if patterns.is_empty() {
        return Err(Error::invalid_argument(format!("`{name}` is empty: at least one event pattern is needed")));
    }
    Ok(patterns)
}

/// A required callback.
pub(crate) fn callback_arg<F>(name: &str, f: Option<F>) -> Result<F, Error> {
    f.ok_or_else(|| Error::invalid_argument(format!("`{name}` is NULL: a function is needed")))
}

/// A required out-pointer.
///
/// # Safety
/// `ptr` is NULL or valid for writes of a `T`.
pub(crate) unsafe fn out_arg<'a, T>(name: &str, ptr: *mut T) -> Result<&'a mut T, Error> {
    // SAFETY: non-NULL is checked by `as_mut`; validity is the caller's promise.
    unsafe { ptr.as_mut() }.ok_or_else(|| Error::invalid_argument(format!("`{name}` is NULL")))
}

/// A `void *ctx` carried to a callback that may run on another thread (event handlers). The C
/// caller promises, by attaching, that its handler and context may be used from any thread.
#[derive(Clone, Copy)]
pub(crate) struct Ctx(*mut std::ffi::c_void);

// SAFETY: the pointer is only handed back to the C code that provided it; thread-safety of what
// it points to is the C caller's documented responsibility.
unsafe impl Send for Ctx {}
unsafe impl Sync for Ctx {}

impl Ctx {
    pub(crate) fn new(ptr: *mut std::ffi::c_void) -> Ctx {
        Ctx(ptr)
    }

    /// A method, not a field access: closures must capture the whole `Ctx` (which is `Send`),
    /// not its raw-pointer field (which is not).
    pub(crate) fn get(self) -> *mut std::ffi::c_void {
        self.0
    }
}
