package ratelimit_test

import (
	"testing"
	"time"

	"clientportal/server/ratelimit"
)

func TestBurstThenRefuseThenRefill(t *testing.T) {
	l := ratelimit.New(50*time.Millisecond, 3)
	for i := 0; i < 3; i++ {
		if !l.Allow("1.2.3.4") {
			t.Fatalf("event %d of the burst refused", i+1)
		}
	}
	if l.Allow("1.2.3.4") {
		t.Fatal("event past the burst allowed")
	}
	if !l.Allow("5.6.7.8") {
		t.Fatal("another key is limited by the first key's use")
	}
	time.Sleep(120 * time.Millisecond)
	if !l.Allow("1.2.3.4") {
		t.Fatal("bucket did not refill")
	}
}
