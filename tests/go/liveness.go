// Package livenesscgo is a thin Go wrapper over the liveness C ABI (include/liveness.h), used by
// this directory's `go test` to show that Go test suites can drop their sleeps through cgo.
// It finds the library with pkg-config (`make install` writes liveness.pc).
package livenesscgo

/*
#cgo pkg-config: liveness
#include <stdlib.h>
#include <liveness.h>

extern bool goProbe(void *ctx);
extern void goBlock(void *ctx);
*/
import "C"

import (
	"runtime/cgo"
	"time"
	"unsafe"
)

// Error is a non-OK liveness status with its message (the timeout report, the listed events).
type Error struct {
	Status  string
	Message string
}

func (e *Error) Error() string { return e.Status + ": " + e.Message }

// cgo gives C functions returning an enum a uint32 result.
func check(status uint32) error {
	if status == uint32(C.LIVENESS_OK) {
		return nil
	}
	return &Error{
		Status:  C.GoString(C.liveness_status_name(C.int32_t(status))),
		Message: C.GoString(C.liveness_last_error_message()),
	}
}

// Options of the polling operations; zero fields keep liveness's defaults.
type Options struct {
	Timeout  time.Duration
	Interval time.Duration
	Attempts int
	Message  string
}

func ms(d time.Duration) C.double { return C.double(float64(d) / float64(time.Millisecond)) }

// cOptions converts opts; the returned function frees what it allocated.
func cOptions(opts *Options) (*C.liveness_options, func()) {
	if opts == nil {
		return nil, func() {}
	}
	o := (*C.liveness_options)(C.malloc(C.sizeof_liveness_options))
	*o = C.liveness_options_default()
	if opts.Timeout > 0 {
		o.timeout_ms = ms(opts.Timeout)
	}
	if opts.Interval > 0 {
		o.interval_ms = ms(opts.Interval)
	}
	if opts.Attempts > 0 {
		o.attempts = C.int64_t(opts.Attempts)
	}
	if opts.Message != "" {
		o.message = C.CString(opts.Message)
	}
	return o, func() {
		C.free(unsafe.Pointer(o.message))
		C.free(unsafe.Pointer(o))
	}
}

// A probe returns nil when the condition holds, or an error saying why it does not (yet).
type probe func() error

//export goProbe
func goProbe(ctx unsafe.Pointer) C.bool {
	p := (*cgo.Handle)(ctx).Value().(probe)
	if err := p(); err != nil {
		text := C.CString(err.Error())
		defer C.free(unsafe.Pointer(text))
		return C.liveness_probe_fail(text)
	}
	return true
}

//export goBlock
func goBlock(ctx unsafe.Pointer) {
	(*cgo.Handle)(ctx).Value().(func())()
}

// Eventually waits until check returns nil; the timeout error shows check's last error.
func Eventually(condition func() error, opts *Options) error {
	h := cgo.NewHandle(probe(condition))
	defer h.Delete()
	o, free := cOptions(opts)
	defer free()
	// &h points to Go memory without Go pointers, used by C only during the call.
	return check(C.liveness_eventually(C.liveness_probe(C.goProbe), unsafe.Pointer(&h), o))
}

// Emit emits an event with numeric measurements and metadata given as a JSON object ("" for none).
func Emit(name string, measurements map[string]float64, metadataJSON string) error {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	n := len(measurements)
	var names **C.char
	var values *C.double
	if n > 0 {
		names = (**C.char)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(uintptr(0)))))
		values = (*C.double)(C.malloc(C.size_t(n) * C.sizeof_double))
		defer C.free(unsafe.Pointer(names))
		defer C.free(unsafe.Pointer(values))
		nameSlice := unsafe.Slice(names, n)
		valueSlice := unsafe.Slice(values, n)
		i := 0
		for k, v := range measurements {
			nameSlice[i] = C.CString(k)
			defer C.free(unsafe.Pointer(nameSlice[i]))
			valueSlice[i] = C.double(v)
			i++
		}
	}
	var meta *C.char
	if metadataJSON != "" {
		meta = C.CString(metadataJSON)
		defer C.free(unsafe.Pointer(meta))
	}
	return check(C.liveness_emit(cname, names, values, C.size_t(n), meta))
}

// HasSubscribers tells whether emitting name would reach anyone now.
func HasSubscribers(name string) bool {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	return bool(C.liveness_has_subscribers(cname))
}

// AnyCount asks AssertEmitted for at least one matching event.
const AnyCount = -1

// AssertEmitted runs block, then checks that events matching pattern (and the metadata in
// whereJSON, "" for any) were emitted during it: at least one, or exactly count.
func AssertEmitted(pattern, whereJSON string, count int, block func()) error {
	cpattern := C.CString(pattern)
	defer C.free(unsafe.Pointer(cpattern))
	var where *C.char
	if whereJSON != "" {
		where = C.CString(whereJSON)
		defer C.free(unsafe.Pointer(where))
	}
	h := cgo.NewHandle(block)
	defer h.Delete()
	return check(C.liveness_assert_emitted(cpattern, where, C.int64_t(count), C.liveness_block(C.goBlock), unsafe.Pointer(&h)))
}

// Version is the library's version.
func Version() string { return C.GoString(C.liveness_version()) }
