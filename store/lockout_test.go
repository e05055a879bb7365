package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"clientportal/store"
)

func TestLockoutGrowsAndCaps(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var l store.Lockout
	for i := 1; i <= 4; i++ {
		if l.Fail(now, 5, store.LockoutTemporary) || l.Blocks(now) {
			t.Fatalf("attempt %d below the threshold locked out: %+v", i, l)
		}
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	for i, w := range want {
		if !l.Fail(now, 5, store.LockoutTemporary) || l.LockedUntil.Sub(now) != w || !l.Blocks(now) || l.Blocks(now.Add(w)) {
			t.Fatalf("attempt %d: %+v, want locked out for %v", 5+i, l, w)
		}
	}
	l.Clear()
	if l != (store.Lockout{}) {
		t.Errorf("cleared: %+v", l)
	}
	for range 3 {
		l.Fail(now, 3, store.LockoutUntilUnlocked)
	}
	if !l.LockedOut || !l.Blocks(now.Add(1000*time.Hour)) {
		t.Errorf("until unlocked: %+v", l)
	}
	var never store.Lockout
	for range 100 {
		never.Fail(now, 0, store.LockoutTemporary)
	}
	if never.Blocks(now) {
		t.Error("threshold 0 locked out")
	}
}

// TestOldRecordsRead: records written before the lockout fields read as
// before (the bad-attempt count is kept), and new fields are omitted when empty.
func TestOldRecordsRead(t *testing.T) {
	var c store.Client
	if err := json.Unmarshal([]byte(`{"id":1,"name":"A","email":"a@x.example","access":{"allowed_to_log_on":true,"locked":true,"bad_login_attempts":3}}`), &c); err != nil {
		t.Fatal(err)
	}
	if !c.Access.Locked || c.Access.BadLoginAttempts != 3 || c.Access.LockedOut || !c.Access.LockedUntil.IsZero() {
		t.Errorf("old client record read as %+v", c.Access)
	}
	c.Access.Unlock()
	if c.Access.Locked || c.Access.BadLoginAttempts != 0 {
		t.Errorf("unlocked: %+v", c.Access)
	}
	var s store.Staff
	if err := json.Unmarshal([]byte(`{"id":2,"email":"s@x.example","name":"S","role":"admin"}`), &s); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(s)
	var m map[string]any
	json.Unmarshal(data, &m)
	for _, k := range []string{"locked_until", "locked_out", "last_login_at", "last_login_ip"} {
		if _, ok := m[k]; ok {
			t.Errorf("empty %s written: %s", k, data)
		}
	}
	var set store.Settings
	json.Unmarshal([]byte(`{"office_name":"O","lockout_threshold":5}`), &set)
	if !set.LockoutMode.Valid() {
		t.Errorf("settings without a lockout mode: %q not valid", set.LockoutMode)
	}
}
