//! Facts about the library itself, and freeing what it handed out.

use std::ffi::{CStr, CString, c_char};

use crate::boundary::{boundary, clear_last_error, set_last_error};
use crate::handles::take_string;

/// Frees a string that liveness handed to the caller (liveness_capture_events_json()). NULL is
/// allowed. A pointer that is not such a string still unfreed (a string freed twice,
/// liveness_version(), liveness_last_error_message(), a string from elsewhere) is left alone and
/// liveness_last_error_message() says so; only a double free after liveness handed out a new
/// string at the same address goes unnoticed (it frees that newer string).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liveness_string_free(text: *mut c_char) {
    boundary((), || {
        clear_last_error();
        if text.is_null() {
            return;
        }
        if take_string(text) {
            // SAFETY: `text` came from `CString::into_raw` in this library (it was in the set of
            // strings handed out) and is freed once (it was taken out of the set).
            drop(unsafe { CString::from_raw(text) });
        } else {
            set_last_error(
                "liveness_string_free: not a string liveness handed out and not yet freed \
                 (freed twice, liveness_version(), liveness_last_error_message(), or foreign): left alone",
            );
        }
    })
}

/// The version of the library, e.g. "0.1.0" (compare with LIVENESS_VERSION from the header).
/// Static: never free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn liveness_version() -> *const c_char {
    boundary(c"".as_ptr(), || VERSION.as_ptr())
}

/// The core's version (one version for every binding), with the NUL C needs.
const VERSION_BYTES: [u8; liveness_core::VERSION.len() + 1] = {
    let text = liveness_core::VERSION.as_bytes();
    let mut bytes = [0u8; liveness_core::VERSION.len() + 1];
    let mut i = 0;
    while i < text.len() {
        bytes[i] = text[i];
        i += 1;
    }
    bytes
};

static VERSION: &CStr = match CStr::from_bytes_with_nul(&VERSION_BYTES) {
    Ok(v) => v,
    Err(_) => c"",
};
