// Package ratelimit limits how often one key (an address, an account) may do
// something, with a token bucket per key from golang.org/x/time/rate.
package ratelimit

import (
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter holds one token bucket per key. Buckets unused for a while are
// dropped, so memory stays bounded by the keys active recently.
type Limiter struct {
	every time.Duration
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New allows burst events at once per key, refilled one per every.
func New(every time.Duration, burst int) *Limiter {
	return &Limiter{every: every, burst: burst, buckets: map[string]*bucket{}}
}

// Allow takes one event from key's bucket and reports whether there was one.
func (l *Limiter) Allow(key string) bool {
	ok, _ := l.Take(key)
	return ok
}

// Take takes one event from key's bucket. When there is none it takes
// nothing, and says how long until there is one: the Retry-After to answer.
func (l *Limiter) Take(key string) (ok bool, retryAfter time.Duration) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, found := l.buckets[key]
	if !found {
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, l.every
	}
	wait := r.DelayFrom(now)
	if wait == 0 {
		return true, 0
	}
	r.CancelAt(now) // a refused event must not use up the token it waited for
	return false, wait
}

// sweep drops buckets idle long enough to be full again.
func (l *Limiter) sweep(now time.Time) {
	full := l.every * time.Duration(l.burst)
	if now.Sub(l.swept) < full {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if now.Sub(b.seen) > full {
			delete(l.buckets, k)
		}
	}
}

// AddressKey is the key under which a client address is limited: an IPv4
// address as itself, an IPv6 address by its /64, since one subscriber is
// usually given a whole /64 and could otherwise take a fresh bucket per
// address. Anything that is not an address is its own key.
func AddressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.WithZone("").Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return a.String()
	}
	return p.String()
}
