use std::thread;
use std::time::Duration;

/// Production code: a retry backoff.
pub fn backoff(attempt: u32) {
    thread::sleep(Duration::from_millis(10 << attempt)); // near-miss: a sleep in non-test code
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::{self as tt, sleep};

    #[test]
    fn waits() {
        thread::sleep(Duration::from_millis(20)); // expect: rust/thread-sleep
    }

    #[tokio::test]
    async fn waits_async() {
        sleep(Duration::from_millis(20)).await; // expect: rust/async-sleep
        tt::sleep(Duration::from_millis(20)).await; // expect: rust/async-sleep
    }
}

#[test]
fn a_test_outside_a_test_module() {
    std::thread::sleep(Duration::from_millis(1)); // expect: rust/thread-sleep
}
