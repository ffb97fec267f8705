use std::thread;
use std::thread::sleep as nap;
use std::time::Duration;
use tokio::time;

#[test]
fn sleeps() {
    std::thread::sleep(Duration::from_millis(50)); // expect: rust/thread-sleep
    thread::sleep(Duration::from_secs(1)); // expect: rust/thread-sleep
    nap(Duration::from_millis(5)); // expect: rust/thread-sleep
    thread::sleep(Duration::ZERO); // near-miss: a yield
    thread::sleep(Duration::from_millis(0)); // near-miss: a yield
    thread::yield_now(); // near-miss
}

#[tokio::test]
async fn async_sleeps() {
    tokio::time::sleep(Duration::from_millis(10)).await; // expect: rust/async-sleep
    time::sleep(Duration::from_millis(10)).await; // expect: rust/async-sleep
    // liveness: allow-sleep(the simulated peer answers after 10 ms)
    time::sleep(Duration::from_millis(10)).await; // near-miss: allowed
    liveness::eventually_passes(|| assert!(done())).await; // near-miss: the replacement
}

struct FakeClock;
impl FakeClock {
    fn sleep(&self, _d: Duration) {}
}

#[test]
fn fake_clock() {
    FakeClock.sleep(Duration::from_secs(5)); // near-miss: a method named sleep
}
