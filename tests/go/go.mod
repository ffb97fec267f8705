module liveness.dev/tests/go

go 1.21
