package demo

import (
	"context"
	"errors"
	"fmt"

	"clientportal/server/password"
	"clientportal/store"
)

// ErrNotDemo means the store holds an office that Fill did not make.
var ErrNotDemo = errors.New("the data folder holds an office that is not the demo office")

// mark is what Fill records so that Logins can find the demo accounts again.
func mark(logins []Login) store.DemoOffice {
	var m store.DemoOffice
	for _, l := range logins {
		if l.Kind == "staff" {
			m.StaffEmails = append(m.StaffEmails, l.Email)
		} else {
			m.ClientEmails = append(m.ClientEmails, l.Email)
		}
	}
	return m
}

// Logins finds the demo office's logins again, so that `serve --demo` on an
// existing demo folder can repeat them. It returns only the logins that still
// work (the account exists, may log in, and still has its demo password),
// and how many of the demo's logins no longer do. It returns ErrNotDemo for
// an office Fill did not make.
func Logins(ctx context.Context, s *store.Store, h password.Hasher) (logins []Login, changed int, err error) {
	type candidate struct {
		login Login
		hash  string
		ok    bool // may log in at all
	}
	var cands []candidate
	err = s.View(ctx, func(tx *store.Tx) error {
		m, err := tx.DemoOffice()
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotDemo
		} else if err != nil {
			return err
		}
		for _, email := range m.StaffEmails {
			st, err := tx.StaffByEmail(email)
			switch {
			case errors.Is(err, store.ErrNotFound):
				changed++
				continue
			case err != nil:
				return err
			}
			pw := staffPassword
			if st.Role == store.RoleAdmin {
				pw = adminPassword
			}
			cands = append(cands, candidate{Login{Kind: "staff", Email: st.Email, Password: pw, Name: st.Name}, st.PasswordHash, !st.Disabled})
		}
		for _, email := range m.ClientEmails {
			c, err := tx.ClientByEmail(email)
			switch {
			case errors.Is(err, store.ErrNotFound):
				changed++
				continue
			case err != nil:
				return err
			}
			cands = append(cands, candidate{Login{Kind: "client", Email: c.Email, Password: clientPassword, Name: c.Name},
				c.Access.PasswordHash, c.Access.AllowedToLogOn && !c.Access.Locked})
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("demo logins: %w", err)
	}
	// Hashing runs outside the transaction: it is slow on purpose.
	for _, c := range cands {
		match := false
		if c.ok && c.hash != "" {
			if match, _, err = h.Verify(c.hash, c.login.Password); err != nil {
				match = false
			}
		}
		if !match {
			changed++
			continue
		}
		logins = append(logins, c.login)
	}
	return logins, changed, nil
}
