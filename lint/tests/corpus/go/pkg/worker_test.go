package pkg

import (
	"testing"
	tm "time"
)

func TestWorker(t *testing.T) {
	go work()
	tm.Sleep(100 * tm.Millisecond) // expect: go/time-sleep
	<-tm.After(50 * tm.Millisecond) // expect: go/time-after
	select {
	case <-done:
	case <-tm.After(tm.Second): // near-miss: a timeout in a select
		t.Fatal("timeout")
	}
	tm.Sleep(0) // near-miss: a yield
	//liveness: allow-sleep(the fake server's configured latency)
	tm.Sleep(10 * tm.Millisecond) // near-miss: allowed
}
