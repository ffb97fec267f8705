// The seeds' scenarios in Go, through cgo: no sleeps in the tests, only in the simulated
// services, whose delays are the behaviour under test.
package livenesscgo

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// background runs goroutines of a simulated service; Wait waits for them through liveness
// (the house rule: no sleeps and no joins with timeouts in tests).
type background struct{ pending atomic.Int32 }

func (b *background) Go(f func()) {
	b.pending.Add(1)
	go func() {
		defer b.pending.Add(-1)
		f()
	}()
}

func (b *background) Wait(t *testing.T) {
	t.Helper()
	err := Eventually(func() error {
		if n := b.pending.Load(); n > 0 {
			return fmt.Errorf("%d goroutines still running", n)
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
}

// ---- seed 004: the restart race ----

// adder is a singleton registered under a name; stopping it takes 5-30 ms on another goroutine,
// and starting the next one fails until the name is free.
type adder struct {
	mu         sync.Mutex
	registered bool
	stopping   background
	rng        *rand.Rand
}

var errAlreadyStarted = errors.New("already started: the previous adder is still terminating")

func (a *adder) start() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.registered {
		return errAlreadyStarted
	}
	a.registered = true
	return nil
}

func (a *adder) add(x, y int) int { return x + y }

func (a *adder) stopAsync() {
	delay := time.Duration(5+a.rng.Intn(26)) * time.Millisecond
	a.stopping.Go(func() {
		time.Sleep(delay) // liveness: allow-sleep(the simulated terminate: its duration is the race)
		a.mu.Lock()
		a.registered = false
		a.mu.Unlock()
	})
}

func TestRestartRace100Tests(t *testing.T) {
	a := &adder{rng: rand.New(rand.NewSource(3))}
	for n := 1; n <= 100; n++ {
		if err := Eventually(a.start, nil); err != nil {
			t.Fatalf("test %d: %v", n, err)
		}
		if got := a.add(n, 0); got != n {
			t.Fatalf("add(%d, 0) = %d", n, got)
		}
		a.stopAsync()
	}
	a.stopping.Wait(t)
}

// ---- seed 004: the delayed file write ----

func TestDelayedFileWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sum")
	var job background
	job.Go(func() { // the job: the result is flushed 30 ms after the call
		// liveness: allow-sleep(the simulated job flushes its result 30 ms after the call)
		time.Sleep(30 * time.Millisecond)
		_ = os.WriteFile(path, []byte("3"), 0o644)
	})
	defer job.Wait(t)
	err := Eventually(func() error {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if string(b) != "3" {
			return fmt.Errorf("file holds %q", b)
		}
		return nil
	}, &Options{Message: "file holds 3"})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTimeoutReportShowsTheLastError(t *testing.T) {
	err := Eventually(func() error { return errors.New("queue has 2 items, expected 3") },
		&Options{Attempts: 3, Message: "the queue fills up"})
	var lerr *Error
	if !errors.As(err, &lerr) || lerr.Status != "LIVENESS_TIMEOUT" {
		t.Fatalf("expected a timeout, got %v", err)
	}
	for _, want := range []string{`eventually "the queue fills up"`, "3 evaluations", "queue has 2 items, expected 3"} {
		if !strings.Contains(lerr.Message, want) {
			t.Errorf("report lacks %q:\n%s", want, lerr.Message)
		}
	}
}

// ---- seed 000: the circuit breaker ----

type breaker struct {
	mu        sync.Mutex
	failures  int
	threshold int
	open      bool
}

func (b *breaker) recordFailure() {
	b.mu.Lock()
	b.failures++
	opened := !b.open && b.failures >= b.threshold
	if opened {
		b.open = true
	}
	n := b.failures
	b.mu.Unlock()
	if opened && HasSubscribers("breaker.state_change") {
		_ = Emit("breaker.state_change", map[string]float64{"failures": float64(n)}, `{"from":"closed","to":"open"}`)
	}
}

func (b *breaker) isOpen() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.open
}

func TestCircuitBreakerOpensAfter3Failures(t *testing.T) {
	b := &breaker{threshold: 3}
	err := AssertEmitted("breaker.state_change", `{"to":"open"}`, 1, func() {
		for i := 0; i < 3; i++ {
			b.recordFailure()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !b.isOpen() {
		t.Fatal("the breaker is not open")
	}
}

func TestCircuitBreakerAsyncFailuresWithEventually(t *testing.T) {
	b := &breaker{threshold: 3}
	var casts background
	err := AssertEmitted("breaker.state_change", `{"to":"open"}`, 1, func() {
		for i := 0; i < 3; i++ { // fire and forget, like a GenServer cast
			casts.Go(b.recordFailure)
		}
		// Open, and every cast processed: the state flips before the event is emitted, so the
		// state alone could end the block before the event.
		if err := Eventually(func() error {
			if n := casts.pending.Load(); n > 0 {
				return fmt.Errorf("%d failures still being processed", n)
			}
			if !b.isOpen() {
				return errors.New("still closed")
			}
			return nil
		}, nil); err != nil {
			t.Error(err)
		}
	})
	casts.Wait(t)
	if err != nil {
		t.Fatal(err)
	}
}

func TestAWrongEventExpectationListsTheEvents(t *testing.T) {
	err := AssertEmitted("breaker.state_change", `{"to":"half_open"}`, AnyCount, func() {
		_ = Emit("breaker.state_change", nil, `{"to":"open"}`)
	})
	var lerr *Error
	if !errors.As(err, &lerr) || lerr.Status != "LIVENESS_EVENT_ASSERTION" {
		t.Fatalf("expected an event assertion failure, got %v", err)
	}
	if !strings.Contains(lerr.Message, "half_open") || !strings.Contains(lerr.Message, `"open"`) {
		t.Errorf("the report should show the expectation and what was emitted:\n%s", lerr.Message)
	}
}

func TestBadInputIsAnErrorNotACrash(t *testing.T) {
	if err := Emit("not a name", nil, ""); err == nil {
		t.Error("an invalid name was accepted")
	}
	if err := Emit("job.done", nil, `{"id":`); err == nil || !strings.Contains(err.Error(), "LIVENESS_INVALID_ARGUMENT") {
		t.Errorf("malformed metadata: %v", err)
	}
	if err := Eventually(func() error { return nil }, &Options{Timeout: -time.Second}); err != nil {
		t.Errorf("a zero/negative Timeout keeps the default in this wrapper, got %v", err)
	}
	if Version() == "" {
		t.Error("no version")
	}
}
