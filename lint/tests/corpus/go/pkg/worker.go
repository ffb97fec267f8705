package pkg

import "time"

func work() {
	time.Sleep(time.Second) // near-miss: a sleep in non-test code
}
