package store_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"clientportal/store"
	"clientportal/store/storetest"
)

func TestSetupCodeSurvivesReopenAndDeletes(t *testing.T) {
	s := storetest.New(t)
	dir := filepath.Dir(s.Path())
	exp := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
	if err := s.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.SetupCode(); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("new store: setup code err %v, want ErrNotFound", err)
		}
		if tx.HasStaff() {
			t.Error("new store has staff")
		}
		return tx.PutSetupCode(store.SetupCode{Hash: []byte("0123456789abcdef"), Expires: exp})
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.SetupCode()
		if err != nil {
			return err
		}
		if !bytes.Equal(c.Hash, []byte("0123456789abcdef")) || !c.Expires.Equal(exp) || c.Created.IsZero() {
			t.Errorf("setup code after reopen: %+v", c)
		}
		if err := tx.DeleteSetupCode(); err != nil {
			return err
		}
		if _, err := tx.SetupCode(); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: %v, want ErrNotFound", err)
		}
		if err := tx.PutSetupCode(store.SetupCode{}); err == nil {
			t.Error("a setup code without hash and expiry was stored")
		}
		st := store.Staff{Email: "a@example.org", Name: "A", Role: store.RoleAdmin}
		if err := tx.PutStaff(&st); err != nil {
			return err
		}
		if !tx.HasStaff() {
			t.Error("HasStaff false with one staff member")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDemoOfficeMark(t *testing.T) {
	s := storetest.New(t)
	err := s.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.DemoOffice(); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("new store is marked as the demo: %v", err)
		}
		return tx.MarkDemoOffice(store.DemoOffice{StaffEmails: []string{"s@example.org"}, ClientEmails: []string{"c@example.org"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx *store.Tx) error {
		d, err := tx.DemoOffice()
		if err != nil || len(d.StaffEmails) != 1 || d.ClientEmails[0] != "c@example.org" || d.Created.IsZero() {
			t.Errorf("demo mark: %+v, %v", d, err)
		}
		return nil
	})
}

func TestIsInUse(t *testing.T) {
	s := storetest.New(t)
	_, err := store.Open(filepath.Dir(s.Path()), store.Options{LockTimeout: 50 * time.Millisecond})
	if !store.IsInUse(err) {
		t.Errorf("second Open: %v; IsInUse false, want true", err)
	}
	if store.IsInUse(errors.New("other")) || store.IsInUse(nil) {
		t.Error("IsInUse true for an unrelated error")
	}
}
