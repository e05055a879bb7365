package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"clientportal/server/auth"
	"clientportal/server/password"
	"clientportal/server/servertest"
	"clientportal/store"
)

func setSettings(t *testing.T, env *servertest.Env, fn func(*store.Settings)) {
	t.Helper()
	err := env.Store.Update(ctx, func(tx *store.Tx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		fn(&s)
		return tx.PutSettings(s)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func staffByEmail(t *testing.T, env *servertest.Env, email string) store.Staff {
	t.Helper()
	var s store.Staff
	if err := env.Store.View(ctx, func(tx *store.Tx) (err error) { s, err = tx.StaffByEmail(email); return err }); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTemporaryLockoutKeepsTheSessionAndGrows: bad guesses lock new logins
// out for a minute at the threshold, doubling with each further bad guess up
// to an hour; the right password is refused with the same answer as an
// unknown email while locked out; the client already signed in stays signed in.
func TestTemporaryLockoutKeepsTheSessionAndGrows(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	a := env.Server.Auth()
	l := env.Login(t, "client", "amina@example.org")
	_, signedIn, err := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, _, err := a.LoginClient(ctx, l.Email, "wrong password", "10.6.6.6", ""); !errors.Is(err, auth.ErrBadLogin) {
			t.Fatalf("bad attempt %d: %v", i, err)
		}
	}
	c := client(t, env, l.Email)
	if c.Access.Locked || c.Access.BadLoginAttempts != 5 || !c.Access.LockedUntil.Equal(env.Clock.Now().Add(time.Minute)) {
		t.Fatalf("after 5 bad attempts: %+v; want locked out for a minute, not locked by staff", c.Access)
	}
	if _, err := a.Client(ctx, signedIn.Token); err != nil {
		t.Fatalf("the signed-in client's session ended because someone else guessed: %v", err)
	}
	_, _, errLocked := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", "")
	_, _, errUnknown := a.LoginClient(ctx, "nobody@example.org", l.Password, "10.0.0.1", "")
	if !errors.Is(errLocked, auth.ErrBadLogin) || errLocked.Error() != errUnknown.Error() {
		t.Fatalf("locked out %v / unknown %v: want the same ErrBadLogin", errLocked, errUnknown)
	}
	if n := client(t, env, l.Email).Access.BadLoginAttempts; n != 5 {
		t.Fatalf("attempts during a lockout counted: %d", n)
	}
	// Each further bad guess, made after the lockout ended, doubles it, up to an hour.
	want := time.Minute
	for i := 6; i <= 14; i++ {
		env.Clock.Advance(want + time.Second)
		want = min(2*want, store.LockoutMax)
		a.LoginClient(ctx, l.Email, "wrong again", "10.6.6.6", "")
		c := client(t, env, l.Email)
		if got := c.Access.LockedUntil.Sub(env.Clock.Now()); c.Access.BadLoginAttempts != i || got != want {
			t.Fatalf("bad attempt %d: attempts %d, locked out for %v; want %v", i, c.Access.BadLoginAttempts, got, want)
		}
	}
	env.Clock.Advance(store.LockoutMax + time.Second)
	if _, _, err := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.9", ""); err != nil {
		t.Fatalf("right password after the lockout ended: %v", err)
	}
	if c := client(t, env, l.Email); c.Access.Lockout != (store.Lockout{}) || c.Access.LastLoginIP != "10.0.0.9" || !c.Access.Activated {
		t.Errorf("after a good login: %+v; want the lockout cleared and the login recorded", c.Access)
	}
}

// TestUntilUnlockedModeWaitsForStaff: the office setting keeps the old
// behaviour (locked out until staff unlock) but still without ending the
// signed-in session.
func TestUntilUnlockedModeWaitsForStaff(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	setSettings(t, env, func(s *store.Settings) { s.LockoutMode = store.LockoutUntilUnlocked; s.LockoutThreshold = 3 })
	a := env.Server.Auth()
	l := env.Login(t, "client", "amina@example.org")
	_, signedIn, err := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		a.LoginClient(ctx, l.Email, "wrong password", "10.6.6.6", "")
	}
	if c := client(t, env, l.Email); !c.Access.LockedOut || c.Access.Locked {
		t.Fatalf("after 3 bad attempts: %+v; want locked out until unlocked", c.Access)
	}
	if _, err := a.Client(ctx, signedIn.Token); err != nil {
		t.Fatalf("the signed-in client's session ended: %v", err)
	}
	env.Clock.Advance(24 * time.Hour)
	if _, _, err := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", ""); !errors.Is(err, auth.ErrBadLogin) {
		t.Fatalf("right password a day later, not unlocked: %v", err)
	}
	err = env.Store.Update(ctx, func(tx *store.Tx) error {
		c, _ := tx.ClientByEmail(l.Email)
		c.Access.Unlock()
		return tx.PutClient(&c)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", ""); err != nil {
		t.Fatalf("login after staff unlock: %v", err)
	}
}

// TestStaffLockout: staff accounts count bad attempts and are locked out for
// a while too (never until unlocked, whatever the client setting).
func TestStaffLockout(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	setSettings(t, env, func(s *store.Settings) { s.LockoutMode = store.LockoutUntilUnlocked })
	a := env.Server.Auth()
	l := env.Login(t, "staff", "marcus@riverside.example")
	for i := 1; i <= 5; i++ {
		if _, _, err := a.LoginStaff(ctx, l.Email, "wrong password", "10.6.6.6"); !errors.Is(err, auth.ErrBadLogin) {
			t.Fatalf("bad attempt %d: %v", i, err)
		}
	}
	if s := staffByEmail(t, env, l.Email); s.BadLoginAttempts != 5 || s.LockedOut || !s.LockedUntil.After(env.Clock.Now()) {
		t.Fatalf("staff after 5 bad attempts: %+v; want a temporary lockout", s.Lockout)
	}
	if _, _, err := a.LoginStaff(ctx, l.Email, l.Password, "10.0.0.1"); !errors.Is(err, auth.ErrBadLogin) {
		t.Fatalf("right staff password during the lockout: %v", err)
	}
	env.Clock.Advance(store.LockoutFirst + time.Second)
	if _, _, err := a.LoginStaff(ctx, l.Email, l.Password, "10.0.0.1"); err != nil {
		t.Fatalf("right staff password after the lockout: %v", err)
	}
	if s := staffByEmail(t, env, l.Email); s.Lockout != (store.Lockout{}) || s.LastLoginIP != "10.0.0.1" {
		t.Errorf("after a good staff login: %+v, last IP %q", s.Lockout, s.LastLoginIP)
	}
}

// TestStaleHashesAreUpgraded: a hash made with weaker parameters than the
// service's is replaced at the next good login, for clients and staff.
func TestStaleHashesAreUpgraded(t *testing.T) {
	env := servertest.Start(t)
	a := env.Server.Auth()
	weak := password.Hasher{Params: password.Params{Memory: 512, Time: 1, Threads: 1}}
	cl, st := env.Login(t, "client", "amina@example.org"), env.Login(t, "staff", "marcus@riverside.example")
	err := env.Store.Update(ctx, func(tx *store.Tx) error {
		c, _ := tx.ClientByEmail(cl.Email)
		s, _ := tx.StaffByEmail(st.Email)
		var err error
		if c.Access.PasswordHash, err = weak.Hash(cl.Password); err != nil {
			return err
		}
		if s.PasswordHash, err = weak.Hash(st.Password); err != nil {
			return err
		}
		if err := tx.PutClient(&c); err != nil {
			return err
		}
		return tx.PutStaff(&s)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.LoginClient(ctx, cl.Email, cl.Password, "10.0.0.1", ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.LoginStaff(ctx, st.Email, st.Password, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	want := "$m=1024,"
	if h := client(t, env, cl.Email).Access.PasswordHash; !strings.Contains(h, want) {
		t.Errorf("client hash not upgraded: %s", h)
	}
	if h := staffByEmail(t, env, st.Email).PasswordHash; !strings.Contains(h, want) {
		t.Errorf("staff hash not upgraded: %s", h)
	}
	if _, _, err := a.LoginStaff(ctx, st.Email, st.Password, "10.0.0.1"); err != nil {
		t.Errorf("login with the upgraded staff hash: %v", err)
	}
}

// TestConcurrentLoginsDuringAnUpgradeAllSucceed: when one login upgrades a
// stale hash, the others in flight with the right password (checked against
// the old hash) still get in, instead of being refused as if the password
// had been changed.
func TestConcurrentLoginsDuringAnUpgradeAllSucceed(t *testing.T) {
	env := servertest.Start(t)
	a := env.Server.Auth()
	weak := password.Hasher{Params: password.Params{Memory: 512, Time: 1, Threads: 1}}
	cl := env.Login(t, "client", "amina@example.org")
	err := env.Store.Update(ctx, func(tx *store.Tx) error {
		c, _ := tx.ClientByEmail(cl.Email)
		var err error
		if c.Access.PasswordHash, err = weak.Hash(cl.Password); err != nil {
			return err
		}
		return tx.PutClient(&c)
	})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	start := make(chan struct{})
	for range 8 {
		go func() {
			<-start
			_, _, err := a.LoginClient(ctx, cl.Email, cl.Password, "10.0.0.1", "")
			errs <- err
		}()
	}
	close(start)
	for range 8 {
		if err := <-errs; err != nil {
			t.Errorf("a right-password login during a hash upgrade: %v", err)
		}
	}
}
