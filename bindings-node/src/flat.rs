//! The flat payload of `emitFlat`, read with raw napi calls from the call's arguments (one
//! `napi_get_cb_info` for all of them; an array would cost a `napi_get_element` per value): a
//! captured emit is about a microsecond, so each napi call and allocation saved is visible. Strings are
//! read into a stack buffer first (one napi call, no allocation for the name, one for a key);
//! napi-rs's `String` conversion asks for the length and then copies, two calls and a heap buffer.

use liveness::events::{FieldMap, Number};
use napi::sys;

use crate::errors::{Result, invalid_argument};

/// Longer strings take napi-rs's conversion (rare for event names and payload keys).
const INLINE: usize = 128;

fn bug(what: &str) -> napi::Error<&'static str> {
    invalid_argument(format!("emitFlat: {what} (a liveness bug)"))
}

fn ok(status: sys::napi_status, what: &str) -> Result<()> {
    if status == sys::Status::napi_ok { Ok(()) } else { Err(bug(what)) }
}

/// Calls `f` with the string `value`, copied into a stack buffer when it is short.
pub fn with_str<T>(env: sys::napi_env, value: sys::napi_value, f: impl FnOnce(&str) -> T) -> Result<T> {
    let mut buf = [0u8; INLINE];
    let mut len = 0usize;
    // SAFETY: `buf` is writable for its length; napi writes at most `len - 1` bytes and a NUL.
    let status = unsafe { sys::napi_get_value_string_utf8(env, value, buf.as_mut_ptr().cast(), INLINE, &mut len) };
    ok(status, "a string was expected")?;
    // napi writes whole characters only (at most 4 bytes each): with 4 bytes of room left after
    // them, nothing was cut off.
    if len + 5 <= INLINE {
        let text = std::str::from_utf8(&buf[..len]).map_err(|_| bug("a string is not UTF-8"))?;
        return Ok(f(text));
    }
    // SAFETY: `value` is a string of this env (checked by the call above).
    let long: String = unsafe { <String as napi::bindgen_prelude::FromNapiValue>::from_napi_value(env, value) }
        .map_err(|e| invalid_argument(e.reason.clone()))?;
    Ok(f(&long))
}

/// Arguments at most this many take no allocation (3 + 8 key-value pairs).
const INLINE_ARGS: usize = 19;

/// The arguments of the napi call `info`, all of them.
pub fn arguments(env: sys::napi_env, info: sys::napi_callback_info) -> Result<smallargs::Args> {
    let mut inline = [std::ptr::null_mut(); INLINE_ARGS];
    let mut argc = INLINE_ARGS;
    let get = |argc: &mut usize, argv: *mut sys::napi_value| {
        // SAFETY: `argv` is writable for `*argc` values; `info` is the current call's.
        ok(
            unsafe { sys::napi_get_cb_info(env, info, argc, argv, std::ptr::null_mut(), std::ptr::null_mut()) },
            "no arguments",
        )
    };
    get(&mut argc, inline.as_mut_ptr())?;
    if argc <= INLINE_ARGS {
        return Ok(smallargs::Args::Inline(inline, argc));
    }
    let mut all = vec![std::ptr::null_mut(); argc];
    get(&mut argc, all.as_mut_ptr())?;
    Ok(smallargs::Args::Heap(all))
}

mod smallargs {
    use napi::sys::napi_value;

    /// Arguments on the stack when few, else on the heap.
    pub enum Args {
        Inline([napi_value; super::INLINE_ARGS], usize),
        Heap(Vec<napi_value>),
    }

    impl Args {
        pub fn as_slice(&self) -> &[napi_value] {
            match self {
                Args::Inline(values, len) => &values[..*len],
                Args::Heap(values) => values,
            }
        }
    }
}

/// A count or id argument (a non-negative integer number); `what` names it in the error.
pub fn whole_number(env: sys::napi_env, value: sys::napi_value, what: &str) -> Result<u32> {
    let mut n = 0u32;
    // SAFETY: `value` is a live value of `env`; a non-number fails the call.
    ok(unsafe { sys::napi_get_value_uint32(env, value, &mut n) }, what)?;
    Ok(n)
}

fn type_of(env: sys::napi_env, value: sys::napi_value) -> Result<sys::napi_valuetype> {
    let mut kind = 0;
    // SAFETY: `value` is a live value of `env`.
    ok(unsafe { sys::napi_typeof(env, value, &mut kind) }, "an entry's type is unknown")?;
    Ok(kind)
}

fn number(env: sys::napi_env, value: sys::napi_value) -> Result<f64> {
    let mut n = 0.0;
    // SAFETY: `value` is a live value of `env`; a non-number fails the call.
    ok(unsafe { sys::napi_get_value_double(env, value, &mut n) }, "a number was expected")?;
    Ok(n)
}

/// The payload of one emit: `entries` is `[key, value, key, value, …]`, the first
/// `measurement_count` pairs the measurements (numbers), the rest the metadata (strings, numbers,
/// booleans, null or undefined).
pub type Payload = (FieldMap<Number>, FieldMap<liveness::Value>);

pub fn payload(env: sys::napi_env, entries: &[sys::napi_value], measurement_count: usize) -> Result<Payload> {
    if !entries.len().is_multiple_of(2) || measurement_count > entries.len() / 2 {
        return Err(bug("entries are not key-value pairs"));
    }
    let (measured, described) = entries.split_at(2 * measurement_count);
    // A key is copied straight from the stack buffer into the event's key (inline when short).
    let key = |entry: &[sys::napi_value]| with_str(env, entry[0], |k| liveness::events::FieldKey::new(k));
    let measurements = measured
        .chunks_exact(2)
        .map(|entry| Ok((key(entry)?, measurement(number(env, entry[1])?))))
        .collect::<Result<_>>()?;
    let metadata =
        described.chunks_exact(2).map(|entry| Ok((key(entry)?, flat_value(env, entry[1])?))).collect::<Result<_>>()?;
    Ok((measurements, metadata))
}

/// A primitive metadata value. undefined is null, as in the JSON encoding.
fn flat_value(env: sys::napi_env, value: sys::napi_value) -> Result<liveness::Value> {
    let mut flag = false;
    Ok(match type_of(env, value)? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => liveness::Value::Null,
        sys::ValueType::napi_boolean => {
            // SAFETY: `value` is a boolean of `env`.
            ok(unsafe { sys::napi_get_value_bool(env, value, &mut flag) }, "a boolean was expected")?;
            liveness::Value::Bool(flag)
        }
        sys::ValueType::napi_string => liveness::Value::Str(with_str(env, value, str::to_owned)?),
        sys::ValueType::napi_number => json_rule_number(number(env, value)?),
        other => return Err(bug(&format!("a value of napi type {other} is not a flat value"))),
    })
}

/// The JSON path's rule (values.rs), so both paths give the same value: a whole number whose
/// JSON text (JavaScript's shortest digits, zero-padded below 1e21) fits an i64 is that integer.
fn as_integer(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: below it the digits are the value
    if n.fract() != 0.0 || !n.is_finite() || n.abs() >= 1e21 {
        return None;
    }
    if n.abs() < EXACT {
        return Some(n as i64);
    }
    // Rust prints the same shortest digits as JavaScript, zero-padded: 2^60 is 1152921504606847000.
    format!("{n}").parse().ok()
}

fn json_rule_number(n: f64) -> liveness::Value {
    as_integer(n).map_or(liveness::Value::Float(n), liveness::Value::Int)
}

fn measurement(n: f64) -> Number {
    as_integer(n).map_or(Number::Float(n), Number::Int)
}
