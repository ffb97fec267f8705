//! `LIVENESS_TIMEOUT_SCALE` is process-wide state, so its tests live in their own test binary
//! (their own process) and run one after another inside a single test.

use std::time::Duration;

use liveness::testing::VirtualClock;
use liveness::{Error, always, eventually};

#[test]
fn the_scale_is_read_at_each_call_and_validated() {
    // SAFETY: this test binary has a single test, so no other thread reads the environment.
    unsafe { std::env::set_var("LIVENESS_TIMEOUT_SCALE", "3") };
    let err = eventually(|| false).timeout(Duration::from_millis(20)).run().unwrap_err();
    let report = err.report().unwrap();
    assert!(report.elapsed >= Duration::from_millis(60), "timeout scaled ×3: {err}");
    // Counting evaluations is exact only on a virtual clock: on the real one a loaded machine
    // (2 cores, parallel builds) skips a scheduled start, which is not what this test is about.
    let clock = VirtualClock::new();
    let installed = clock.install();
    let mut evaluations = 0;
    always(
        || {
            evaluations += 1;
            true
        },
        Duration::from_millis(10),
    )
    .interval(Duration::from_millis(10))
    .run()
    .unwrap();
    assert_eq!(evaluations, 4, "during scaled to 30 ms, the interval not scaled: 0, 10, 20, 30");
    drop(installed);

    for bad in ["0", "-2", "fast", "inf"] {
        unsafe { std::env::set_var("LIVENESS_TIMEOUT_SCALE", bad) };
        let err = eventually(|| true).run().unwrap_err();
        assert!(
            matches!(err, Error::InvalidOption { ref option, .. } if option == "LIVENESS_TIMEOUT_SCALE"),
            "{bad}: {err}"
        );
    }
    unsafe { std::env::remove_var("LIVENESS_TIMEOUT_SCALE") };
    assert!(eventually(|| true).run().unwrap());
}
