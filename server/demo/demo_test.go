package demo_test

import (
	"context"
	"errors"
	"testing"

	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/store"
	"clientportal/store/storetest"
)

func TestFillMakesAWorkingOffice(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	h := password.Hasher{Params: password.TestParams}
	logins, err := demo.Fill(ctx, s, h)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, l := range logins {
		kinds[l.Kind]++
	}
	if kinds["staff"] < 2 || kinds["client"] < 2 {
		t.Fatalf("logins %v: want staff and clients", kinds)
	}
	err = s.View(ctx, func(tx *store.Tx) error {
		set, _ := tx.Settings()
		var two, proBono, staffCase bool
		for _, l := range logins {
			if l.Kind != "client" {
				continue
			}
			c, err := tx.ClientByEmail(l.Email)
			if err != nil {
				return err
			}
			if ok, _, _ := h.Verify(c.Access.PasswordHash, l.Password); !ok {
				t.Errorf("printed password of %s does not match", l.Email)
			}
			if p := password.Check(set.PasswordPolicy, l.Password); len(p) > 0 {
				t.Errorf("demo password of %s breaks the default policy: %v", l.Email, p)
			}
			cases, _ := tx.CasesOfClient(c.ID)
			two = two || len(cases) == 2
			for _, cs := range cases {
				proBono = proBono || cs.Kind == store.KindProBono
				staffCase = staffCase || cs.Kind == store.KindStaff
				if cs.Current == nil {
					t.Errorf("case %s has no status", cs.Number)
				}
			}
		}
		if !two || !proBono || !staffCase {
			t.Errorf("demo lacks a client with two cases (%v), a pro bono case (%v) or a staff case (%v)", two, proBono, staffCase)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Fill(ctx, s, h); !errors.Is(err, demo.ErrNotEmpty) {
		t.Errorf("second Fill: got %v, want ErrNotEmpty", err)
	}
}
