//! Core errors → napi errors whose `code` tells the TypeScript layer which JS error class to build.

/// `code` of an error the TypeScript layer turns into a `RangeError` (a value out of range).
pub const INVALID_OPTION: &str = "LIVENESS_INVALID_OPTION";
/// `code` of an error the TypeScript layer turns into a `TypeError` (bad name, pattern, payload).
pub const INVALID_ARGUMENT: &str = "LIVENESS_INVALID_ARGUMENT";

pub fn to_napi(error: liveness::Error) -> napi::Error<&'static str> {
    let code = match &error {
        liveness::Error::InvalidOption { .. } => INVALID_OPTION,
        _ => INVALID_ARGUMENT,
    };
    napi::Error::new(code, error.to_string())
}

pub fn invalid_argument(message: impl Into<String>) -> napi::Error<&'static str> {
    napi::Error::new(INVALID_ARGUMENT, message.into())
}

pub type Result<T> = std::result::Result<T, napi::Error<&'static str>>;
