//! The tokio driver under paused time: waits cost no real time, and a pending probe is
//! abandoned at the deadline.
#![cfg(feature = "tokio")]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use liveness::poll::ReportKind;
use liveness::{Error, eventually, eventually_async};

#[tokio::test(start_paused = true)]
async fn waits_follow_tokio_time() {
    let calls = AtomicU32::new(0);
    let start = tokio::time::Instant::now();
    let v = eventually(|| calls.fetch_add(1, Ordering::SeqCst) >= 4)
        .interval(Duration::from_secs(10))
        .timeout(Duration::from_secs(100))
        .run_async()
        .await
        .unwrap();
    assert!(v);
    assert_eq!(start.elapsed(), Duration::from_secs(40), "four waits of 10 s on the paused clock");
}

#[tokio::test(start_paused = true)]
async fn an_async_probe_sees_state_changed_by_another_task() {
    let counter = Arc::new(AtomicU32::new(0));
    let c = counter.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await; // the system's latency
        c.store(1, Ordering::SeqCst);
    });
    let seen = eventually_async(|| {
        let c = counter.clone();
        async move { (c.load(Ordering::SeqCst) == 1).then_some("done") }
    })
    .run()
    .await
    .unwrap();
    assert_eq!(seen, "done");
}

#[tokio::test(start_paused = true)]
async fn a_probe_still_pending_at_the_deadline_is_abandoned() {
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    let err = eventually_async(move || {
        let n = c.fetch_add(1, Ordering::SeqCst);
        async move {
            if n >= 2 {
                std::future::pending::<()>().await; // hangs forever
            }
            false
        }
    })
    .interval(Duration::from_millis(100))
    .timeout(Duration::from_secs(1))
    .run()
    .await
    .unwrap_err();
    let Error::Timeout { report } = &err else { panic!("{err:?}") };
    assert_eq!(report.kind, ReportKind::StillRunning { evaluation: 3, running_for: Duration::from_millis(800) });
    assert!(err.to_string().contains("evaluation #3 still running after 0.80 s"), "{err}");
    assert_eq!(calls.load(Ordering::SeqCst), 3, "never called again after the deadline");
}
