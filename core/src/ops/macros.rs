//! Assertion macros for the common case in a Rust test: panic with the report on failure.

/// Waits until the condition holds, panicking with the timeout report. The condition's source
/// is the report's message unless `message = ...` is given. Options are the builder's methods
/// written `name = value` (`timeout = Duration::from_secs(2)`, `interval = ...`, `message = ...`);
/// a format string after the condition is the message.
///
/// ```
/// use std::time::Duration;
/// liveness::assert_eventually!(1 + 1 == 2);
/// liveness::assert_eventually!(1 + 1 == 2, timeout = Duration::from_secs(2), interval = Duration::from_millis(5));
/// liveness::assert_eventually!(1 + 1 == 2, "arithmetic works for {}", "everyone");
/// ```
#[macro_export]
macro_rules! assert_eventually {
    ($cond:expr $(,)?) => {{
        let _ = $crate::eventually(|| $cond).message(stringify!($cond)).assert();
    }};
    ($cond:expr, $($option:ident = $value:expr),+ $(,)?) => {{
        let _ = $crate::eventually(|| $cond).message(stringify!($cond))$(.$option($value))+.assert();
    }};
    ($cond:expr, $($msg:tt)+) => {{
        let _ = $crate::eventually(|| $cond).message(format!($($msg)+)).assert();
    }};
}

/// Retries a block of assertions until it passes, panicking with the report. Options as for
/// [`assert_eventually!`].
///
/// ```
/// use std::time::Duration;
/// liveness::assert_eventually_passes!({ assert_eq!(2 + 2, 4) });
/// liveness::assert_eventually_passes!({ assert_eq!(2 + 2, 4) }, timeout = Duration::from_secs(1));
/// ```
#[macro_export]
macro_rules! assert_eventually_passes {
    ($block:block $(,)?) => {{
        let _ = $crate::eventually_passes(|| $block).assert();
    }};
    ($block:block, $($option:ident = $value:expr),+ $(,)?) => {{
        let _ = $crate::eventually_passes(|| $block)$(.$option($value))+.assert();
    }};
}
