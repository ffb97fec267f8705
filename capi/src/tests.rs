//! What no C test can reach: a panic inside the core never crosses the C boundary.

use std::ffi::CStr;

use crate::boundary::{boundary, guarded};
use crate::status::liveness_status;
use crate::*;

fn last_error() -> String {
    unsafe { CStr::from_ptr(liveness_last_error_message()) }.to_string_lossy().into_owned()
}

#[test]
fn a_panic_becomes_liveness_internal_with_a_message() {
    let status = guarded(|| panic!("a bug in the core"));
    assert_eq!(status, liveness_status::LIVENESS_INTERNAL);
    assert!(last_error().contains("a bug in the core"), "{}", last_error());
}

#[test]
fn a_panic_in_a_non_status_function_returns_its_fallback() {
    let value: bool = boundary(false, || panic!("boom"));
    assert!(!value);
    assert!(last_error().contains("boom"));
}

#[test]
fn a_success_clears_the_last_error() {
    guarded(|| panic!("first"));
    assert_eq!(guarded(|| Ok(())), liveness_status::LIVENESS_OK);
    assert_eq!(last_error(), "");
}

#[test]
fn every_status_has_its_name() {
    for (code, name) in
        [(0, "LIVENESS_OK"), (3, "LIVENESS_INVALID_ARGUMENT"), (6, "LIVENESS_INTERNAL"), (7, "LIVENESS_UNKNOWN_STATUS")]
    {
        let got = unsafe { CStr::from_ptr(liveness_status_name(code)) };
        assert_eq!(got.to_str().unwrap(), name);
    }
}

#[test]
fn a_panic_inside_the_boundary_is_recorded_by_the_hook_not_printed() {
    // The hook records where the panic happened instead of printing it (only a hook sees the
    // location; the payload alone has none).
    let status = guarded(|| panic!("a silent bug"));
    assert_eq!(status, liveness_status::LIVENESS_INTERNAL);
    assert!(last_error().contains("a silent bug (at capi/src/tests.rs:"), "{}", last_error());
    // Outside a boundary the previous hook is still the one that runs (the test harness's, here:
    // it captures the message as the test's output), and nothing was left recorded.
    let outside = std::panic::catch_unwind(|| panic!("outside"));
    assert!(outside.is_err());
    let status = guarded(|| panic!("again"));
    assert!(last_error().ends_with(&format!("again (at capi/src/tests.rs:{})", line!() - 1)), "{}", last_error());
    assert_eq!(status, liveness_status::LIVENESS_INTERNAL);
}

#[test]
fn the_version_is_the_cores_and_the_headers() {
    let version = unsafe { CStr::from_ptr(liveness_version()) }.to_str().unwrap();
    assert_eq!(version, liveness_core::VERSION);
    // LIVENESS_VERSION in the header is made by build.rs from this package's version.
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}

#[test]
fn an_integer_measurement_emitted_from_rust_reads_back_as_an_integer_through_the_c_api() {
    // Issue 13, point 14: the core keeps `Number::Int`; the capture JSON the C API hands out
    // writes it as an integer, and a float as a float.
    use std::ffi::{CString, c_char};
    let pattern = CString::new("rust.metrics.*").unwrap();
    let patterns = [pattern.as_ptr()];
    let mut cap = std::ptr::null_mut();
    assert_eq!(unsafe { liveness_capture_open(patterns.as_ptr(), 1, &mut cap) }, liveness_status::LIVENESS_OK);
    liveness_core::events::event("rust.metrics.tick").measure("count", 1).measure("ratio", 0.5).emit();
    let mut json: *mut c_char = std::ptr::null_mut();
    assert_eq!(unsafe { liveness_capture_events_json(cap, &mut json) }, liveness_status::LIVENESS_OK);
    let text = unsafe { CStr::from_ptr(json) }.to_str().unwrap().to_owned();
    unsafe { liveness_string_free(json) };
    unsafe { liveness_capture_close(cap) };
    assert!(text.contains(r#""measurements":{"count":1,"ratio":0.5}"#), "{text}");
}
