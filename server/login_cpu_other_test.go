//go:build !unix

package server_test

import (
	"testing"
	"time"
)

// processCPU is not measured here (getrusage is Unix's): BenchmarkLoginTiming
// then reports CPU medians of 0.
func processCPU(testing.TB) time.Duration { return 0 }
