//! Assertion macros for the common case in a Rust test: panic with the report on failure.

/// Waits until the condition holds (default options), panicking with the timeout report.
///
/// ```
/// liveness::assert_eventually!(1 + 1 == 2);
/// ```
#[macro_export]
macro_rules! assert_eventually {
    ($cond:expr $(,)?) => {
        if let Err(e) = $crate::eventually(|| $cond).message(stringify!($cond)).run() {
            panic!("{}", e);
        }
    };
    ($cond:expr, $($msg:tt)+) => {
        if let Err(e) = $crate::eventually(|| $cond).message(format!($($msg)+)).run() {
            panic!("{}", e);
        }
    };
}

/// Retries a block of assertions until it passes (default options), panicking with the report.
///
/// ```
/// liveness::assert_eventually_passes!({ assert_eq!(2 + 2, 4) });
/// ```
#[macro_export]
macro_rules! assert_eventually_passes {
    ($block:block) => {
        if let Err(e) = $crate::eventually_passes(|| $block).run() {
            panic!("{}", e);
        }
    };
}
