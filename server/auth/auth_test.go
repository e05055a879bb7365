package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clientportal/server/auth"
	"clientportal/server/servertest"
	"clientportal/store"
)

var ctx = context.Background()

func client(t *testing.T, env *servertest.Env, email string) store.Client {
	t.Helper()
	var c store.Client
	if err := env.Store.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.ClientByEmail(email); return err }); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGoodLoginResetsBadAttempts(t *testing.T) {
	env := servertest.Start(t)
	a := env.Server.Auth()
	l := env.Login(t, "client", "amina@example.org")
	for i := 0; i < 4; i++ {
		a.LoginClient(ctx, l.Email, "wrong", "10.0.0.1", "")
	}
	if _, _, err := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", ""); err != nil {
		t.Fatal(err)
	}
	a.LoginClient(ctx, l.Email, "wrong", "10.0.0.1", "")
	if c := client(t, env, l.Email); c.Access.Locked || c.Access.BadLoginAttempts != 1 {
		t.Errorf("attempts must restart after a good login: %+v", c.Access)
	}
}

func TestNotAllowedCannotLogIn(t *testing.T) {
	env := servertest.Start(t)
	// samuel@example.org is in the demo office but not allowed to log on.
	c := client(t, env, "samuel@example.org")
	if c.Access.AllowedToLogOn {
		t.Fatal("demo changed: samuel is allowed")
	}
	if _, _, err := env.Server.Auth().LoginClient(ctx, "samuel@example.org", env.Login(t, "client", "").Password, "10.0.0.1", ""); !errors.Is(err, auth.ErrBadLogin) {
		t.Errorf("login of a client not allowed to log on: %v", err)
	}
}

func TestSessionIdleAndAbsoluteExpiry(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	a := env.Server.Auth()
	l := env.Login(t, "client", "amina@example.org")
	_, login, err := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	// Activity every 20 minutes keeps the session (idle limit 30 minutes)...
	for i := 0; i < 5; i++ {
		env.Clock.Advance(20 * time.Minute)
		if _, err := a.Client(ctx, login.Token); err != nil {
			t.Fatalf("active session ended after %d minutes: %v", (i+1)*20, err)
		}
	}
	// ...and 31 idle minutes end it.
	env.Clock.Advance(31 * time.Minute)
	if _, err := a.Client(ctx, login.Token); !errors.Is(err, auth.ErrNoSession) {
		t.Fatalf("idle session: %v, want ErrNoSession", err)
	}
	// The absolute lifetime (12 hours) ends even an active session.
	_, login, _ = a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", "")
	for elapsed := time.Duration(0); elapsed < 12*time.Hour-20*time.Minute; elapsed += 20 * time.Minute {
		env.Clock.Advance(20 * time.Minute)
		if _, err := a.Client(ctx, login.Token); err != nil {
			t.Fatalf("active session ended after %v: %v", elapsed, err)
		}
	}
	env.Clock.Advance(30 * time.Minute)
	if _, err := a.Client(ctx, login.Token); !errors.Is(err, auth.ErrNoSession) {
		t.Fatalf("session past its lifetime: %v, want ErrNoSession", err)
	}
	if n, err := a.Sweep(ctx); err != nil || n != 2 {
		t.Errorf("Sweep = %d, %v; want the 2 expired sessions removed", n, err)
	}
}

func TestLoginRotatesTheSession(t *testing.T) {
	env := servertest.Start(t)
	a := env.Server.Auth()
	l := env.Login(t, "client", "amina@example.org")
	_, first, err := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	_, second, err := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", first.Token)
	if err != nil {
		t.Fatal(err)
	}
	if second.Token == first.Token {
		t.Fatal("login reused the token")
	}
	if _, err := a.Client(ctx, first.Token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("the session before login still works: %v", err)
	}
	if _, err := a.Client(ctx, second.Token); err != nil {
		t.Errorf("new session: %v", err)
	}
	// A client session is no staff session, and the token is never stored.
	if _, err := a.Staff(ctx, second.Token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("client token accepted as staff: %v", err)
	}
	env.Store.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.Session([]byte(second.Token)); err == nil {
			t.Error("a session is stored under its plain token")
		}
		if _, err := tx.Session(auth.HashToken(second.Token)); err != nil {
			t.Errorf("session not stored under its hash: %v", err)
		}
		return nil
	})
}

func TestTokensAreRandom(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		tok, hash := auth.NewToken()
		if len(tok) < 43 || seen[tok] || len(hash) != 32 {
			t.Fatalf("token %q (hash %d bytes) repeated or short", tok, len(hash))
		}
		seen[tok] = true
	}
}

// TestSessionEndsWhenTheAccountChanges: a session already checked (so its
// session, client or staff record is kept decoded by the store) ends at the
// next request once the account may no longer log in, even when nothing
// deleted the session: the check reads what is stored now.
func TestSessionEndsWhenTheAccountChanges(t *testing.T) {
	tests := []struct {
		name   string
		kind   string
		email  string
		change func(tx *store.Tx, id uint64) error
	}{
		{"client locked by staff", "client", "amina@example.org", func(tx *store.Tx, id uint64) error {
			c, err := tx.Client(id)
			if err != nil {
				return err
			}
			c.Access.Locked = true
			return tx.PutClient(&c)
		}},
		{"client access turned off", "client", "amina@example.org", func(tx *store.Tx, id uint64) error {
			c, err := tx.Client(id)
			if err != nil {
				return err
			}
			c.Access.AllowedToLogOn = false
			return tx.PutClient(&c)
		}},
		{"staff disabled", "staff", "", func(tx *store.Tx, id uint64) error {
			s, err := tx.Staff(id)
			if err != nil {
				return err
			}
			s.Disabled = true
			return tx.PutStaff(&s)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := servertest.Start(t)
			a := env.Server.Auth()
			l := env.Login(t, tt.kind, tt.email)
			var token string
			var id uint64
			check := func() error {
				if tt.kind == "client" {
					_, err := a.Client(ctx, token)
					return err
				}
				_, err := a.Staff(ctx, token)
				return err
			}
			if tt.kind == "client" {
				c, login, err := a.LoginClient(ctx, l.Email, l.Password, "10.0.0.1", "")
				if err != nil {
					t.Fatal(err)
				}
				token, id = login.Token, c.ID
			} else {
				s, login, err := a.LoginStaff(ctx, l.Email, l.Password, "10.0.0.1")
				if err != nil {
					t.Fatal(err)
				}
				token, id = login.Token, s.ID
			}
			for range 2 { // the second check finds the records kept decoded
				if err := check(); err != nil {
					t.Fatalf("new session: %v", err)
				}
			}
			if err := env.Store.Update(ctx, func(tx *store.Tx) error { return tt.change(tx, id) }); err != nil {
				t.Fatal(err)
			}
			if err := check(); !errors.Is(err, auth.ErrNoSession) {
				t.Errorf("session after the change: %v, want ErrNoSession", err)
			}
		})
	}
}
