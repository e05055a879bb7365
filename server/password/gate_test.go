package password_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"clientportal/server/password"
)

// slow hashes take long enough that a second run cannot start within a
// short wait while one holds a one-run budget.
var slow = password.Hasher{Params: password.Params{Memory: 8 << 10, Time: 16, Threads: 1}}

func TestGateSlotsFollowTheBudget(t *testing.T) {
	tests := []struct {
		budget int64
		want   int
	}{
		{0, 4},         // the default, 256 MiB at 64 MiB
		{256 << 20, 4}, // four at once
		{100 << 20, 1}, // what is left over does not make a run
		{1 << 20, 1},   // a budget too small still lets one run
		{1 << 30, 1 << 30 / (64 << 20)},
	}
	for _, tt := range tests {
		if got := password.NewGate(password.Hasher{Params: password.DefaultParams}, tt.budget, 0).Slots(); got != tt.want {
			t.Errorf("budget %d: %d slots, want %d", tt.budget, got, tt.want)
		}
	}
}

// TestGateRefusesWhenFullAndHonoursTheContext: with the budget in use for
// longer than the wait, every kind of run (hash, verify, dummy verify) fails
// with ErrBusy; a cancelled request fails with its own error, not ErrBusy.
func TestGateRefusesWhenFullAndHonoursTheContext(t *testing.T) {
	g := password.NewGate(slow, 8<<20, 20*time.Millisecond)
	hash, err := slow.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	var running sync.WaitGroup
	holding := make(chan struct{})
	running.Go(func() {
		close(holding)
		g.Hash(context.Background(), "held")
	})
	<-holding
	time.Sleep(5 * time.Millisecond) // the held run has taken the budget
	ctx := context.Background()
	if _, err := g.Hash(ctx, "x"); !errors.Is(err, password.ErrBusy) {
		t.Errorf("Hash while full: %v, want ErrBusy", err)
	}
	if _, _, err := g.Verify(ctx, hash, "x"); !errors.Is(err, password.ErrBusy) {
		t.Errorf("Verify while full: %v, want ErrBusy", err)
	}
	if err := g.VerifyDummy(ctx, "x"); !errors.Is(err, password.ErrBusy) {
		t.Errorf("VerifyDummy while full: %v, want ErrBusy", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := g.VerifyDummy(cancelled, "x"); errors.Is(err, password.ErrBusy) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled request: %v, want context.Canceled", err)
	}
	running.Wait()
	if match, _, err := g.Verify(ctx, hash, "correct horse"); err != nil || !match {
		t.Errorf("Verify once free: %v %v", match, err)
	}
}

// TestGateHoldsExactlyTheBudget: with a two-run budget, a second run starts
// beside a first, a third waits and is refused; a stored hash costlier than
// the whole budget still verifies (alone).
func TestGateHoldsExactlyTheBudget(t *testing.T) {
	g := password.NewGate(slow, 16<<20, 20*time.Millisecond)
	ctx := context.Background()
	var running sync.WaitGroup
	for range 2 {
		started := make(chan struct{})
		running.Go(func() {
			close(started)
			if _, err := g.Hash(ctx, "held"); err != nil {
				t.Errorf("a run within the budget: %v", err)
			}
		})
		<-started
		time.Sleep(5 * time.Millisecond)
	}
	if err := g.VerifyDummy(ctx, "x"); !errors.Is(err, password.ErrBusy) {
		t.Errorf("third run in a two-run budget: %v, want ErrBusy", err)
	}
	running.Wait()
	big := password.Hasher{Params: password.Params{Memory: 32 << 10, Time: 1, Threads: 1}}
	enc, err := big.Hash("pw")
	if err != nil {
		t.Fatal(err)
	}
	if match, _, err := g.Verify(ctx, enc, "pw"); err != nil || !match {
		t.Errorf("a hash costlier than the budget: %v %v", match, err)
	}
}
