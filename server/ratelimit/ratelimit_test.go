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

// TestTakeSaysHowLongToWait: a refused event learns when the next token is
// there (not a constant), and refusals do not push that time further out.
func TestTakeSaysHowLongToWait(t *testing.T) {
	l := ratelimit.New(10*time.Second, 2)
	l.Take("k")
	l.Take("k")
	ok, wait := l.Take("k")
	if ok || wait <= 9*time.Second || wait > 10*time.Second {
		t.Fatalf("third event: ok %v, wait %v; want refused with about 10s", ok, wait)
	}
	for range 100 {
		l.Take("k")
	}
	if ok, again := l.Take("k"); ok || again > wait {
		t.Fatalf("after 100 refusals: ok %v, wait %v; want refused, wait at most %v", ok, again, wait)
	}
	l2 := ratelimit.New(time.Second, 1)
	l2.Take("k")
	time.Sleep(600 * time.Millisecond)
	if _, wait := l2.Take("k"); wait > 500*time.Millisecond || wait <= 0 {
		t.Fatalf("wait %v after 0.6 s of a 1 s refill, want about 0.4 s", wait)
	}
}

func TestAddressKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"2001:db8:1:2:aaaa::1", "2001:db8:1:2:bbbb:cccc:dddd:eeee"},
		{"2001:db8:1:2::1", "2001:db8:1:2::1%eth0"},
		{"::ffff:192.0.2.7", "192.0.2.7"},
	}
	for _, tt := range tests {
		if ratelimit.AddressKey(tt.a) != ratelimit.AddressKey(tt.b) {
			t.Errorf("%s and %s have different keys: %q, %q", tt.a, tt.b, ratelimit.AddressKey(tt.a), ratelimit.AddressKey(tt.b))
		}
	}
	different := []struct{ a, b string }{
		{"2001:db8:1:2::1", "2001:db8:1:3::1"},
		{"192.0.2.7", "192.0.2.8"},
	}
	for _, tt := range different {
		if ratelimit.AddressKey(tt.a) == ratelimit.AddressKey(tt.b) {
			t.Errorf("%s and %s share the key %q", tt.a, tt.b, ratelimit.AddressKey(tt.a))
		}
	}
	l := ratelimit.New(time.Hour, 1)
	l.Allow(ratelimit.AddressKey("2001:db8:1:2::1"))
	if l.Allow(ratelimit.AddressKey("2001:db8:1:2::ffff")) {
		t.Error("another address of the same /64 got its own budget")
	}
}
