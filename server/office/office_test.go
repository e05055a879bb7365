package office_test

import (
	"context"
	"errors"
	"testing"

	"clientportal/server/office"
	"clientportal/server/password"
	"clientportal/store"
	"clientportal/store/storetest"
)

var ctx = context.Background()

// passwords is the real argon2id hasher at test cost.
type passwords struct{ h password.Hasher }

func (p passwords) Hash(_ context.Context, pw string) (string, error) { return p.h.Hash(pw) }
func (p passwords) Verify(_ context.Context, enc, pw string) (bool, error) {
	ok, _, err := p.h.Verify(enc, pw)
	return ok, err
}

func newOffice(t *testing.T) (*office.Office, *store.Store) {
	t.Helper()
	st := storetest.New(t)
	return office.New(st, passwords{password.Hasher{Params: password.TestParams}}), st
}

var admin = office.Actor{Kind: "staff", ID: 1, Name: "Admin", IP: "127.0.0.1"}

func auditCount(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	st.View(ctx, func(tx *store.Tx) error {
		log, err := tx.AuditLog(0, 1000)
		n = len(log)
		return err
	})
	return n
}

func ptr[T any](v T) *T { return &v }

func TestSetLanguageWritesOnlyAChange(t *testing.T) {
	o, st := newOffice(t)
	c, err := o.CreateClient(ctx, admin, office.NewClient{ClientFields: office.ClientFields{Name: ptr("Ana"), Email: ptr("ana@example.org")}})
	if err != nil {
		t.Fatal(err)
	}
	me := office.Actor{Kind: "client", ID: c.ID, Name: c.Name}
	before := auditCount(t, st)
	for range 3 {
		if err := o.SetLanguage(ctx, me, c.ID, "es"); err != nil {
			t.Fatal(err)
		}
	}
	if got := auditCount(t, st) - before; got != 1 {
		t.Errorf("three switches to the same language wrote %d changes, want 1", got)
	}
	var e *office.Error
	if err := o.SetLanguage(ctx, me, c.ID, "xx"); !errors.As(err, &e) || e.Field != "lang" {
		t.Errorf("unknown language: %v", err)
	}
}

func TestRevokingAccessEndsSessionsAndUnlockingDoesNotRestoreThem(t *testing.T) {
	o, st := newOffice(t)
	c, err := o.CreateClient(ctx, admin, office.NewClient{ClientFields: office.ClientFields{Name: ptr("Ana"), Email: ptr("ana@example.org")},
		Password: ptr("Qv7!Lm2#Zr9x")})
	if err != nil {
		t.Fatal(err)
	}
	sessions := func() int {
		var n int
		st.View(ctx, func(tx *store.Tx) error {
			for i := byte(0); i < 3; i++ {
				if _, err := tx.Session([]byte{i}); err == nil {
					n++
				}
			}
			return nil
		})
		return n
	}
	open := func() {
		st.Update(ctx, func(tx *store.Tx) error {
			for i := byte(0); i < 3; i++ {
				if err := tx.PutSession(store.Session{Hash: []byte{i}, Kind: store.SessionClient, SubjectID: c.ID}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for _, ch := range []office.AccessChange{{Locked: ptr(true)}, {AllowedToLogOn: ptr(false)}} {
		open()
		if _, err := o.SetAccess(ctx, admin, c.ID, ch); err != nil {
			t.Fatal(err)
		}
		if n := sessions(); n != 0 {
			t.Errorf("%+v left %d sessions", ch, n)
		}
		if _, err := o.SetAccess(ctx, admin, c.ID, office.AccessChange{Locked: ptr(false), AllowedToLogOn: ptr(true)}); err != nil {
			t.Fatal(err)
		}
	}
	open()
	if _, err := o.SetAccess(ctx, admin, c.ID, office.AccessChange{EmailNotice: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if n := sessions(); n != 3 {
		t.Errorf("turning email notice off ended sessions (%d left of 3)", n)
	}
}

func TestNobodyDemotesThemselves(t *testing.T) {
	o, _ := newOffice(t)
	s, err := o.CreateStaff(ctx, admin, office.StaffFields{Email: ptr("dana@example.org"), Name: ptr("Dana"), Role: ptr("admin"),
		Password: ptr("granite lighthouse evening 7")})
	if err != nil {
		t.Fatal(err)
	}
	me := office.Actor{Kind: "staff", ID: s.ID, Name: s.Name}
	for _, f := range []office.StaffFields{{Role: ptr("staff")}, {Disabled: ptr(true)}} {
		var e *office.Error
		if _, err := o.UpdateStaff(ctx, me, s.ID, f); !errors.As(err, &e) || e.Kind != office.Invalid {
			t.Errorf("%+v on oneself: %v, want refused", f, err)
		}
	}
}

func TestNewStaffPasswordLiftsALockout(t *testing.T) {
	o, st := newOffice(t)
	s, err := o.CreateStaff(ctx, admin, office.StaffFields{Email: ptr("lee@example.org"), Name: ptr("Lee"),
		Password: ptr("granite lighthouse evening 7")})
	if err != nil {
		t.Fatal(err)
	}
	st.Update(ctx, func(tx *store.Tx) error {
		m, _ := tx.Staff(s.ID)
		for range 6 {
			m.Lockout.Fail(tx.Now(), 5, store.LockoutTemporary)
		}
		return tx.PutStaff(&m)
	})
	if _, err := o.UpdateStaff(ctx, admin, s.ID, office.StaffFields{Password: ptr("harbour window morning 88")}); err != nil {
		t.Fatal(err)
	}
	st.View(ctx, func(tx *store.Tx) error {
		m, _ := tx.Staff(s.ID)
		if m.Blocks(tx.Now()) || m.BadLoginAttempts != 0 {
			t.Errorf("after a new password: %+v, want the lockout lifted", m.Lockout)
		}
		return nil
	})
}
