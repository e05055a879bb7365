package demo_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/store"
	"clientportal/store/storetest"
)

func TestLoginsAgain(t *testing.T) {
	ctx := context.Background()
	h := password.Hasher{Params: password.TestParams}

	other := storetest.New(t)
	if err := other.Update(ctx, func(tx *store.Tx) error {
		return tx.PutStaff(&store.Staff{Email: "boss@office.example", Name: "Boss", Role: store.RoleAdmin})
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := demo.Logins(ctx, other, h); !errors.Is(err, demo.ErrNotDemo) {
		t.Errorf("Logins on a real office: %v, want ErrNotDemo", err)
	}

	s := storetest.New(t)
	want, err := demo.Fill(ctx, s, h)
	if err != nil {
		t.Fatal(err)
	}
	got, changed, err := demo.Logins(ctx, s, h)
	if err != nil || changed != 0 || !slices.Equal(got, want) {
		t.Fatalf("Logins on the untouched demo: %v, %d changed, %v; want %v", got, changed, err, want)
	}

	// Someone changed one client's password and locked another: only the
	// logins that still work are repeated.
	newHash, _ := h.Hash("Another-Secret-99!!")
	if err := s.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.ClientByEmail(want[len(want)-1].Email)
		if err != nil {
			return err
		}
		c.Access.PasswordHash = newHash
		if err := tx.PutClient(&c); err != nil {
			return err
		}
		c, err = tx.ClientByEmail(want[len(want)-2].Email)
		if err != nil {
			return err
		}
		c.Access.Locked = true
		return tx.PutClient(&c)
	}); err != nil {
		t.Fatal(err)
	}
	got, changed, err = demo.Logins(ctx, s, h)
	if err != nil || changed != 2 || !slices.Equal(got, want[:len(want)-2]) {
		t.Errorf("after changes: %v, %d changed, %v; want %v and 2 changed", got, changed, err, want[:len(want)-2])
	}
}
