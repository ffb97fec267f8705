import static java.util.concurrent.TimeUnit.MILLISECONDS;
import java.util.concurrent.TimeUnit;

class WorkerTest {
    @Test
    void sleeps() throws Exception {
        Thread.sleep(100); // expect: java/thread-sleep
        java.lang.Thread.sleep(5); // expect: java/thread-sleep
        TimeUnit.SECONDS.sleep(1); // expect: java/timeunit-sleep
        MILLISECONDS.sleep(20); // expect: java/timeunit-sleep
        Thread.sleep(0); // near-miss: a yield
        clock.sleep(100); // near-miss: a fake clock
        await().atMost(5, SECONDS).until(() -> done()); // near-miss: Awaitility, the replacement
    }
}
