package password

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/semaphore"
)

// ErrBusy means the hashing budget stayed in use for the whole wait: the
// caller should answer "busy, try again" (HTTP 503) rather than queue more
// work.
var ErrBusy = errors.New("too many password checks at once; try again in a moment")

// Gate defaults.
const (
	// DefaultBudget is the memory that argon2id runs may use at once: four
	// runs at DefaultParams' 64 MiB.
	DefaultBudget = 256 << 20
	// DefaultWait is how long a run waits for room before ErrBusy.
	DefaultWait = 2 * time.Second
	// RetryBusy is what a caller refused with ErrBusy is told to wait.
	RetryBusy = 2 * time.Second
)

// Gate runs every hash and verification of a Hasher within a memory budget.
// Each argon2id run reserves its memory (in KiB) from a weighted semaphore,
// so however many logins arrive at once, only as many hashes run as the
// budget holds; the others wait briefly, then fail with ErrBusy.
type Gate struct {
	hasher Hasher
	sem    *semaphore.Weighted
	budget int64 // KiB
	wait   time.Duration
}

// NewGate bounds h's runs to budget bytes at once (zero: DefaultBudget; at
// least one run of h always fits), waiting at most wait (zero: DefaultWait)
// for room.
func NewGate(h Hasher, budget int64, wait time.Duration) *Gate {
	if budget <= 0 {
		budget = DefaultBudget
	}
	if wait <= 0 {
		wait = DefaultWait
	}
	kib := max(budget>>10, int64(h.Params.Memory))
	return &Gate{hasher: h, sem: semaphore.NewWeighted(kib), budget: kib, wait: wait}
}

// Hasher is the hasher the gate runs.
func (g *Gate) Hasher() Hasher { return g.hasher }

// Slots is how many runs at h's parameters fit in the budget at once.
func (g *Gate) Slots() int { return int(g.budget / int64(g.hasher.Params.Memory)) }

// acquire reserves memory KiB for one run. A run larger than the whole budget
// (a hash stored with bigger parameters) takes the whole budget.
func (g *Gate) acquire(ctx context.Context, memory uint32) (release func(), err error) {
	w := min(int64(memory), g.budget)
	wctx, cancel := context.WithTimeout(ctx, g.wait)
	defer cancel()
	if err := g.sem.Acquire(wctx, w); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("wait to hash a password: %w", ctx.Err())
		}
		return nil, ErrBusy
	}
	return func() { g.sem.Release(w) }, nil
}

// Hash is Hasher.Hash within the budget.
func (g *Gate) Hash(ctx context.Context, pw string) (string, error) {
	release, err := g.acquire(ctx, g.hasher.Params.Memory)
	if err != nil {
		return "", err
	}
	defer release()
	return g.hasher.Hash(pw)
}

// Verify is Hasher.Verify within the budget, reserving what the stored
// hash's own parameters need.
func (g *Gate) Verify(ctx context.Context, encoded, pw string) (match, stale bool, err error) {
	p, _, _, err := decode(encoded)
	if err != nil {
		return false, false, err
	}
	release, err := g.acquire(ctx, p.Memory)
	if err != nil {
		return false, false, err
	}
	defer release()
	return g.hasher.Verify(encoded, pw)
}

// VerifyDummy is Hasher.VerifyDummy within the budget: an unknown account
// waits and costs exactly what a known one does.
func (g *Gate) VerifyDummy(ctx context.Context, pw string) error {
	release, err := g.acquire(ctx, g.hasher.Params.Memory)
	if err != nil {
		return err
	}
	defer release()
	g.hasher.VerifyDummy(pw)
	return nil
}
