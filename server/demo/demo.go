// Package demo fills an empty store with a demo office: staff, clients with one
// and with two cases, staff and pro bono cases, and status histories, so a new
// user sees a working portal at once. It also grows a store to benchmark size.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"clientportal/server/password"
	"clientportal/store"
)

// ErrNotEmpty means the store already holds an office.
var ErrNotEmpty = errors.New("the data folder already holds an office; use an empty folder for the demo")

// Login is one demo account.
type Login struct {
	Kind     string // "staff" or "client"
	Email    string
	Password string
	Name     string
}

// Print writes the logins one per line as `KIND EMAIL PASSWORD`.
func Print(w io.Writer, logins []Login) {
	for _, l := range logins {
		fmt.Fprintf(w, "%s %s %s\n", l.Kind, l.Email, l.Password)
	}
}

// Passwords of the demo accounts. They are public: the demo office is for
// trying the product, never for real clients.
const (
	adminPassword  = "Harbor-Lantern-42!Qz"
	staffPassword  = "Maple-Orchard-73!Kw"
	clientPassword = "Sunny-Meadow-58!Rt"
)

// Fill writes the demo office into s, which must hold no staff yet, and
// returns its logins.
func Fill(ctx context.Context, s *store.Store, h password.Hasher) ([]Login, error) {
	hashes := map[string]string{}
	for _, pw := range []string{adminPassword, staffPassword, clientPassword} {
		enc, err := h.Hash(pw)
		if err != nil {
			return nil, err
		}
		hashes[pw] = enc
	}
	var logins []Login
	err := s.Update(ctx, func(tx *store.Tx) error {
		if staff, err := tx.ListStaff(); err != nil {
			return err
		} else if len(staff) > 0 {
			return ErrNotEmpty
		}
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		set.OfficeName = "Riverside Legal Aid"
		set.OfficePhone = "+1 555 0100"
		set.OfficeEmail = "help@riverside.example"
		set.OfficeAddress = "12 Harbor Street, Suite 300, Riverside"
		if err := tx.PutSettings(set); err != nil {
			return err
		}
		addStaff := func(name, title, email string, role store.Role, phone, pw string) (store.Staff, error) {
			st := store.Staff{Name: name, Title: title, Email: email, Role: role, Phone: phone,
				Address: set.OfficeAddress, PasswordHash: hashes[pw]}
			if err := tx.PutStaff(&st); err != nil {
				return st, err
			}
			logins = append(logins, Login{Kind: "staff", Email: email, Password: pw, Name: name})
			return st, nil
		}
		if _, err := addStaff("Dana Whitfield", "Office administrator", "dana@riverside.example", store.RoleAdmin, "+1 555 0101", adminPassword); err != nil {
			return err
		}
		marcus, err := addStaff("Marcus Oyelaran", "Immigration attorney", "marcus@riverside.example", store.RoleStaff, "+1 555 0102", staffPassword)
		if err != nil {
			return err
		}
		lucia, err := addStaff("Lucía Fernández", "Housing advocate", "lucia@riverside.example", store.RoleStaff, "+1 555 0103", staffPassword)
		if err != nil {
			return err
		}
		addClient := func(name, email, phone, lang string, allowed bool) (store.Client, error) {
			c := store.Client{Name: name, Email: email, Phone: phone, Language: lang,
				Access: store.PortalAccess{PasswordHash: hashes[clientPassword], PasswordSet: tx.Now(), AllowedToLogOn: allowed, EmailNotice: true}}
			if err := tx.PutClient(&c); err != nil {
				return c, err
			}
			if allowed {
				logins = append(logins, Login{Kind: "client", Email: email, Password: clientPassword, Name: name})
			}
			return c, nil
		}
		amina, err := addClient("Amina Haddad", "amina@example.org", "+1 555 0142", "en", true)
		if err != nil {
			return err
		}
		jose, err := addClient("José Ramírez", "jose@example.org", "+1 555 0177", "es", true)
		if err != nil {
			return err
		}
		li, err := addClient("Li Wei", "li.wei@example.org", "+1 555 0190", "", true)
		if err != nil {
			return err
		}
		if _, err := addClient("Samuel Okoro", "samuel@example.org", "+1 555 0111", "en", false); err != nil {
			return err
		}
		start := tx.Now().Truncate(24*time.Hour).AddDate(0, -4, 0)
		type step struct {
			days   int
			status string
			info   string
			by     store.Staff
		}
		addCase := func(c store.Case, steps []step) error {
			if err := tx.PutCase(&c); err != nil {
				return err
			}
			for _, st := range steps {
				e := store.StatusEntry{CaseID: c.ID, Date: start.AddDate(0, 0, st.days), Status: st.status, Info: st.info, SetByID: st.by.ID, SetByName: st.by.Name}
				if err := tx.AddStatusEntry(&e); err != nil {
					return err
				}
			}
			return nil
		}
		if err := addCase(store.Case{Number: "IMM-2026-0142", Title: "Asylum application", ClientIDs: []uint64{amina.ID}, Kind: store.KindStaff, AdvocateID: marcus.ID}, []step{
			{0, "received", "We have your application and the documents you brought.", marcus},
			{9, "under_review", "", marcus},
			{21, "accepted", "The office will represent you.", marcus},
			{23, "assigned", "Marcus Oyelaran is your attorney.", marcus},
			{40, "in_progress", "We filed form I-589 with the court.", marcus},
			{95, "hearing_scheduled", "Your hearing is at the Immigration Court, room 4, at 9:00. Bring your passport and arrive 30 minutes early.", marcus},
		}); err != nil {
			return err
		}
		if err := addCase(store.Case{Number: "HOU-2026-0317", Title: "Eviction defense", ClientIDs: []uint64{jose.ID}, Kind: store.KindStaff, AdvocateID: lucia.ID}, []step{
			{30, "received", "", lucia},
			{31, "accepted", "", lucia},
			{33, "assigned", "Lucía Fernández is your advocate.", lucia},
			{60, "waiting_documents", "Please bring your lease and the last three rent receipts.", lucia},
		}); err != nil {
			return err
		}
		if err := addCase(store.Case{Number: "FAM-2026-0058", Title: "Family petition", ClientIDs: []uint64{jose.ID}, Kind: store.KindProBono,
			Attorney: &store.Attorney{Name: "Helen Park", Firm: "Park & Rowe LLP", Phone: "+1 555 0200", Email: "hpark@parkrowe.example"}}, []step{
			{10, "received", "", marcus},
			{25, "assigned", "A volunteer attorney from Park & Rowe LLP takes your case.", marcus},
			{50, "in_progress", "", marcus},
		}); err != nil {
			return err
		}
		if err := addCase(store.Case{Number: "IMM-2026-0190", Title: "Work permit renewal", ClientIDs: []uint64{li.ID}, Kind: store.KindProBono,
			Attorney: &store.Attorney{Name: "Daniel Okafor", Firm: "Okafor Immigration Law", Phone: "+1 555 0300", Email: "daniel@okaforlaw.example"}}, []step{
			{70, "received", "", lucia},
			{72, "waiting_documents", "We need a copy of your current work permit (both sides).", lucia},
		}); err != nil {
			return err
		}
		if err := tx.MarkDemoOffice(mark(logins)); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: "system", Action: "demo.fill", Detail: "demo office created"})
	})
	if err != nil {
		return nil, fmt.Errorf("fill demo office: %w", err)
	}
	return logins, nil
}

// Grow adds clients and cases (with entries status entries each) to a store,
// in batches, for benchmarks. Every client shares one password hash, since
// hashing thousands of passwords would measure argon2, not the portal.
// progress, when not nil, is called after each batch.
func Grow(ctx context.Context, s *store.Store, h password.Hasher, clients, cases, entries int, progress func(done, total int)) error {
	hash, err := h.Hash(clientPassword)
	if err != nil {
		return err
	}
	var staffID uint64
	var statuses []string
	var clientIDs []uint64
	err = s.View(ctx, func(tx *store.Tx) error {
		staff, err := tx.ListStaff()
		if err != nil || len(staff) == 0 {
			return fmt.Errorf("grow needs a filled demo office: %w", err)
		}
		staffID = staff[len(staff)-1].ID
		set, err := tx.Settings()
		for _, st := range set.Statuses {
			statuses = append(statuses, st.ID)
		}
		return err
	})
	if err != nil {
		return err
	}
	const batch = 500
	total := clients + cases
	for i := 0; i < clients; i += batch {
		err := s.Update(ctx, func(tx *store.Tx) error {
			for j := i; j < min(i+batch, clients); j++ {
				c := store.Client{Name: fmt.Sprintf("Client %05d", j), Email: fmt.Sprintf("client%05d@bulk.example", j),
					Access: store.PortalAccess{PasswordHash: hash, AllowedToLogOn: true}}
				if err := tx.PutClient(&c); err != nil {
					return err
				}
				clientIDs = append(clientIDs, c.ID)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("grow clients: %w", err)
		}
		if progress != nil {
			progress(min(i+batch, clients), total)
		}
	}
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < cases; i += batch {
		err := s.Update(ctx, func(tx *store.Tx) error {
			for j := i; j < min(i+batch, cases); j++ {
				c := store.Case{Number: fmt.Sprintf("BULK-%06d", j), Title: fmt.Sprintf("Bulk matter %d", j),
					ClientIDs: []uint64{clientIDs[j%len(clientIDs)]}, Kind: store.KindStaff, AdvocateID: staffID}
				if err := tx.PutCase(&c); err != nil {
					return err
				}
				for k := 0; k < entries; k++ {
					e := store.StatusEntry{CaseID: c.ID, Date: day.AddDate(0, 0, k*7), Status: statuses[k%len(statuses)],
						Info: "Routine update for the benchmark.", SetByID: staffID, SetByName: "Bulk"}
					if err := tx.AddStatusEntry(&e); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("grow cases: %w", err)
		}
		if progress != nil {
			progress(clients+min(i+batch, cases), total)
		}
	}
	return nil
}
