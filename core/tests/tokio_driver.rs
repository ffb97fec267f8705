//! The tokio driver under paused time: waits cost no real time, and a pending probe is
//! abandoned at the deadline.
#![cfg(feature = "tokio")]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use liveness::events::event;
use liveness::poll::ReportKind;
use liveness::{
    Error, always, always_async, eventually, eventually_async, eventually_changes, eventually_changes_async,
    eventually_passes, eventually_passes_async, never, never_async, sync_operation, sync_operation_async,
};

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
        tokio::time::sleep(Duration::from_millis(300)).await; // liveness: allow-sleep(the system's latency)
        c.store(1, Ordering::SeqCst);
    });
    let seen = eventually_async(|| {
        let c = counter.clone();
        async move { (c.load(Ordering::SeqCst) == 1).then_some("done") }
    })
    .run_async()
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
    .run_async()
    .await
    .unwrap_err();
    let Error::Timeout { report } = &err else { panic!("{err:?}") };
    assert_eq!(report.kind, ReportKind::StillRunning { evaluation: 3, running_for: Duration::from_millis(800) });
    assert!(err.to_string().contains("evaluation #3 still running after 0.80 s"), "{err}");
    assert_eq!(calls.load(Ordering::SeqCst), 3, "never called again after the deadline");
}

#[tokio::test]
async fn a_blocking_run_on_a_runtime_thread_fails_at_once_naming_run_async() {
    let err = eventually_passes(|| assert_eq!(1, 2)).timeout(Duration::from_secs(60)).run().unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
    assert!(text.contains("eventually_passes(..).run_async().await"), "{text}");
    // The async probes' blocking finisher too.
    let err = eventually_async(|| async { true }).run().unwrap_err();
    assert!(err.to_string().contains("eventually(..).run_async().await"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocking_run_where_blocking_is_allowed_still_works() {
    let v = tokio::task::spawn_blocking(|| eventually(|| Some(7)).run()).await.unwrap().unwrap();
    assert_eq!(v, 7);
    let v = tokio::task::block_in_place(|| eventually(|| Some(8)).run()).unwrap();
    assert_eq!(v, 8);
}

#[test]
fn an_async_probe_run_outside_a_runtime_blocks_on_a_runtime_of_its_own() {
    let n = AtomicU32::new(0);
    let v = eventually_async(|| {
        let k = n.fetch_add(1, Ordering::SeqCst);
        async move { (k >= 2).then_some(k) }
    })
    .interval(Duration::from_millis(1))
    .run()
    .unwrap();
    assert_eq!(v, 2);
}

#[tokio::test(start_paused = true)]
async fn a_panicking_assertion_in_an_async_probe_is_retried() {
    let n = Arc::new(AtomicU32::new(0));
    let c = n.clone();
    let v = eventually_passes_async(move || {
        let k = c.fetch_add(1, Ordering::SeqCst);
        async move {
            tokio::task::yield_now().await; // the panic happens in a later poll
            assert_eq!(k, 3, "not yet");
            Ok::<u32, String>(k)
        }
    })
    .run_async()
    .await
    .unwrap();
    assert_eq!(v, 3);
    let err = eventually_async(|| async { panic!("still broken") as bool })
        .timeout(Duration::from_millis(50))
        .run_async()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("last: panic: still broken"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn every_operation_runs_async_with_either_kind_of_probe() {
    let ms = Duration::from_millis;
    let n = AtomicU32::new(0);
    let tick = || n.fetch_add(1, Ordering::SeqCst);
    assert!(eventually(|| tick() >= 2).run_async().await.unwrap());
    assert_eq!(eventually_passes(|| assert!(tick() >= 4)).run_async().await.unwrap(), ());
    always(|| true, ms(30)).run_async().await.unwrap();
    never(|| false, ms(30)).run_async().await.unwrap();
    assert!(eventually_changes(|| tick() / 3).run_async().await.unwrap() > 0);
    assert!(sync_operation(|| (), || Some(tick())).run_async().await.unwrap() > 0);
    let flag = Arc::new(AtomicU32::new(0));
    let f = flag.clone();
    let set = move || {
        let f = f.clone();
        async move { f.store(1, Ordering::SeqCst) }
    };
    let read = || {
        let f = flag.clone();
        async move { f.load(Ordering::SeqCst) }
    };
    assert_eq!(sync_operation_async(set, || async { Some(read().await) }).run_async().await.unwrap(), 1);
    assert_eq!(eventually_async(|| async { Some(read().await) }).run_async().await.unwrap(), 1);
    eventually_passes_async(|| async { assert_eq!(read().await, 1) }).run_async().await.unwrap();
    always_async(|| async { read().await == 1 }, ms(30)).run_async().await.unwrap();
    never_async(|| async { read().await == 2 }, ms(30)).run_async().await.unwrap();
    let err = eventually_changes_async(read).timeout(ms(20)).run_async().await.unwrap_err();
    assert!(err.to_string().contains("last: returned 1 (unchanged)"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn an_async_action_still_running_at_the_deadline_is_abandoned() {
    let err = sync_operation_async(std::future::pending::<()>, || async { true })
        .timeout(Duration::from_millis(200))
        .run_async()
        .await
        .unwrap_err();
    assert!(err.to_string().ends_with("(0 evaluations); the action still running after 0.20 s"), "{err}");
}

/// A sync probe whose own wake hint makes two evaluations follow each other at once: the driver
/// yields in between, so the runtime's other tasks (here, the one the test waits for) still run.
#[tokio::test(start_paused = true)]
async fn back_to_back_evaluations_let_the_runtime_turn() {
    let turns = Arc::new(AtomicU32::new(0));
    let poke = Arc::new(tokio::sync::Notify::new());
    let (t, p) = (turns.clone(), poke.clone());
    let ticker = tokio::spawn(async move {
        loop {
            p.notified().await;
            t.fetch_add(1, Ordering::SeqCst);
        }
    });
    let seen = std::sync::Mutex::new(Vec::new());
    let _ = eventually(|| {
        seen.lock().unwrap().push(turns.load(Ordering::SeqCst));
        poke.notify_one();
        event("tokio.yield.self").emit();
        false
    })
    .interval(Duration::from_secs(10))
    .timeout(Duration::from_secs(10))
    .late_check(Duration::ZERO)
    .wake_on("tokio.yield.**")
    .run_async()
    .await;
    ticker.abort();
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen, vec![0, 1, 2], "the ticker ran between every two evaluations");
}

/// A hint from another task ends the Wait step in progress, and the wait's timer, re-armed
/// after a step that a hint cut short, still keeps the schedule: evaluations at 0, at the first
/// hint (1 s), at the second (3 s), none at the 10 s period in between.
#[tokio::test(start_paused = true)]
async fn a_hint_from_another_task_cuts_each_wait_step_short() {
    let ready = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let system = {
        let ready = ready.clone();
        // The system under test: it changes its state in (paused) time and says so.
        tokio::spawn(async move {
            // liveness: allow-sleep(the simulated system's delay, on tokio's paused clock)
            tokio::time::sleep(Duration::from_secs(1)).await;
            event("tokio.hint.cut").emit();
            // liveness: allow-sleep(the simulated system's delay, on tokio's paused clock)
            tokio::time::sleep(Duration::from_secs(2)).await;
            ready.store(true, Ordering::SeqCst);
            event("tokio.hint.cut").emit();
        })
    };
    let start = tokio::time::Instant::now();
    let starts = std::sync::Mutex::new(Vec::new());
    eventually(|| {
        starts.lock().unwrap().push(start.elapsed());
        ready.load(Ordering::SeqCst)
    })
    .interval(Duration::from_secs(10))
    .timeout(Duration::from_secs(100))
    .wake_on("tokio.hint.**")
    .run_async()
    .await
    .unwrap();
    system.await.unwrap();
    let secs = |s: u64| Duration::from_secs(s);
    assert_eq!(starts.into_inner().unwrap(), vec![secs(0), secs(1), secs(3)]);
}
