package store_test

import (
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"clientportal/store"
	"clientportal/store/storetest"
)

// decodedFixture is one client, one advocate, one staff case with a current
// status (withdrawn reason included) and a pro bono attorney, and a session.
type decodedFixture struct {
	client store.Client
	staff  store.Staff
	cs     store.Case
	hash   []byte
}

func newDecodedFixture(t *testing.T, s *store.Store) decodedFixture {
	t.Helper()
	var f decodedFixture
	f.hash = []byte("0123456789abcdef0123456789abcdef")
	err := s.Update(ctx, func(tx *store.Tx) error {
		f.client = store.Client{Name: "Ana", Email: "ana@example.org", Access: store.PortalAccess{AllowedToLogOn: true}}
		if err := tx.PutClient(&f.client); err != nil {
			return err
		}
		f.staff = store.Staff{Name: "Dana", Email: "dana@example.org", Role: store.RoleStaff}
		if err := tx.PutStaff(&f.staff); err != nil {
			return err
		}
		f.cs = store.Case{Number: "N1", Title: "Asylum", ClientIDs: []uint64{f.client.ID}, Kind: store.KindStaff,
			AdvocateID: f.staff.ID, Attorney: &store.Attorney{Name: "Outside"}}
		if err := tx.PutCase(&f.cs); err != nil {
			return err
		}
		e := store.StatusEntry{CaseID: f.cs.ID, Date: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Status: "received", Info: "first"}
		if err := tx.AddStatusEntry(&e); err != nil {
			return err
		}
		now := tx.Now()
		return tx.PutSession(store.Session{Hash: f.hash, Kind: store.SessionClient, SubjectID: f.client.ID,
			Created: now, LastSeen: now, Expires: now.Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestDecodedRecordsFollowEveryWrite: a record read (and so kept decoded)
// and then changed reads back changed at once: a lock, access turned off, a
// new password, a disabled advocate, a touched session, a new status, a
// removed client. Without the byte comparison in decodedCache.get the
// second read would answer the first one's record.
func TestDecodedRecordsFollowEveryWrite(t *testing.T) {
	tests := []struct {
		name   string
		read   func(tx *store.Tx, f decodedFixture) (string, error)
		change func(tx *store.Tx, f decodedFixture) error
	}{
		{"client locked",
			func(tx *store.Tx, f decodedFixture) (string, error) {
				c, err := tx.Client(f.client.ID)
				return strconv.FormatBool(c.Access.Locked), err
			},
			func(tx *store.Tx, f decodedFixture) error {
				c, _ := tx.Client(f.client.ID)
				c.Access.Locked = true
				return tx.PutClient(&c)
			}},
		{"client access off (read by email)",
			func(tx *store.Tx, f decodedFixture) (string, error) {
				c, err := tx.ClientByEmail(f.client.Email)
				return strconv.FormatBool(c.Access.AllowedToLogOn), err
			},
			func(tx *store.Tx, f decodedFixture) error {
				c, _ := tx.Client(f.client.ID)
				c.Access.AllowedToLogOn = false
				return tx.PutClient(&c)
			}},
		{"client password set",
			func(tx *store.Tx, f decodedFixture) (string, error) {
				c, err := tx.Client(f.client.ID)
				return c.Access.PasswordHash, err
			},
			func(tx *store.Tx, f decodedFixture) error {
				c, _ := tx.Client(f.client.ID)
				c.Access.PasswordHash = "new"
				return tx.PutClient(&c)
			}},
		{"staff disabled",
			func(tx *store.Tx, f decodedFixture) (string, error) {
				s, err := tx.Staff(f.staff.ID)
				return strconv.FormatBool(s.Disabled), err
			},
			func(tx *store.Tx, f decodedFixture) error {
				s, _ := tx.Staff(f.staff.ID)
				s.Disabled = true
				return tx.PutStaff(&s)
			}},
		{"staff phone (read by email)",
			func(tx *store.Tx, f decodedFixture) (string, error) {
				s, err := tx.StaffByEmail(f.staff.Email)
				return s.Phone, err
			},
			func(tx *store.Tx, f decodedFixture) error {
				s, _ := tx.Staff(f.staff.ID)
				s.Phone = "+1 555 0100"
				return tx.PutStaff(&s)
			}},
		{"session touched",
			func(tx *store.Tx, f decodedFixture) (string, error) {
				s, err := tx.Session(f.hash)
				return s.LastSeen.String(), err
			},
			func(tx *store.Tx, f decodedFixture) error {
				s, _ := tx.Session(f.hash)
				s.LastSeen = s.LastSeen.Add(time.Minute)
				return tx.PutSession(s)
			}},
		{"session ended",
			func(tx *store.Tx, f decodedFixture) (string, error) {
				_, err := tx.Session(f.hash)
				return fmt.Sprint(err), nil
			},
			func(tx *store.Tx, f decodedFixture) error {
				return tx.DeleteSession(f.hash)
			}},
		{"case status",
			func(tx *store.Tx, f decodedFixture) (string, error) {
				c, err := tx.Case(f.cs.ID)
				return c.Current.Status, err
			},
			func(tx *store.Tx, f decodedFixture) error {
				e := store.StatusEntry{CaseID: f.cs.ID, Date: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Status: "accepted"}
				return tx.AddStatusEntry(&e)
			}},
		{"case client removed",
			func(tx *store.Tx, f decodedFixture) (string, error) {
				c, err := tx.Case(f.cs.ID)
				return strconv.FormatBool(c.HasClient(f.client.ID)), err
			},
			func(tx *store.Tx, f decodedFixture) error {
				c, _ := tx.Case(f.cs.ID)
				c.ClientIDs = nil
				return tx.PutCase(&c)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.New(t)
			f := newDecodedFixture(t, s)
			read := func() string {
				t.Helper()
				var got string
				if err := s.View(ctx, func(tx *store.Tx) (err error) { got, err = tt.read(tx, f); return err }); err != nil {
					t.Fatal(err)
				}
				return got
			}
			before := read()
			if again := read(); again != before { // the second read is the kept one
				t.Fatalf("a second read of the same record: %q, first %q", again, before)
			}
			if err := s.Update(ctx, func(tx *store.Tx) error { return tt.change(tx, f) }); err != nil {
				t.Fatal(err)
			}
			if after := read(); after == before {
				t.Errorf("after the change the record still reads %q", after)
			}
		})
	}
}

// TestDecodedCopiesAreIndependent: what a reader changes in a record it got
// does not reach the next reader.
func TestDecodedCopiesAreIndependent(t *testing.T) {
	s := storetest.New(t)
	f := newDecodedFixture(t, s)
	scribble := func() {
		s.View(ctx, func(tx *store.Tx) error {
			c, err := tx.Case(f.cs.ID)
			if err != nil {
				t.Fatal(err)
			}
			c.ClientIDs[0] = 999
			c.Attorney.Name = "scribbled"
			c.Current.Info = "scribbled"
			sess, err := tx.Session(f.hash)
			if err != nil {
				t.Fatal(err)
			}
			sess.Hash[0] = 'X'
			return nil
		})
	}
	scribble() // the first read decodes and keeps the record
	scribble() // the second gets the kept one
	s.View(ctx, func(tx *store.Tx) error {
		c, _ := tx.Case(f.cs.ID)
		if c.ClientIDs[0] != f.client.ID || c.Attorney.Name != "Outside" || c.Current.Info != "first" {
			t.Errorf("a reader's changes reached the next reader: %+v %+v %+v", c.ClientIDs, c.Attorney, c.Current)
		}
		sess, _ := tx.Session(f.hash)
		if string(sess.Hash) != string(f.hash) {
			t.Errorf("session hash changed to %q", sess.Hash)
		}
		return nil
	})
}

// TestDecodedCopiesCoverEveryField: the cache hands out copies; a field
// that shares memory (slice, map, pointer) must be copied by the record's
// copyRecord (decoded.go), which knows only these.
func TestDecodedCopiesCoverEveryField(t *testing.T) {
	refs := map[string]bool{"Session.Hash": true /* not decoded: tx.Session sets a fresh one */, "Case.ClientIDs": true, "Case.Attorney": true, "Case.Current": true,
		"Case.Current.Withdrawn": true}
	var walk func(path string, typ reflect.Type)
	walk = func(path string, typ reflect.Type) {
		if typ == reflect.TypeFor[time.Time]() {
			return // a value; its location is never changed
		}
		switch typ.Kind() {
		case reflect.Struct:
			for i := range typ.NumField() {
				f := typ.Field(i)
				p := path + "." + f.Name
				if f.Anonymous {
					p = path // embedded: its fields read as the record's
				}
				walk(p, f.Type)
			}
		case reflect.Pointer:
			if !refs[path] {
				t.Errorf("%s (%s) shares memory: copy it in copyRecord (decoded.go) and list it here", path, typ)
			}
			walk(path, typ.Elem())
		case reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func:
			if !refs[path] {
				t.Errorf("%s (%s) shares memory: copy it in copyRecord (decoded.go) and list it here", path, typ)
			}
		}
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[store.Session](), reflect.TypeFor[store.Client](),
		reflect.TypeFor[store.Staff](), reflect.TypeFor[store.Case]()} {
		walk(typ.Name(), typ)
	}
}

// TestDecodedUnderConcurrentWrites: readers always see whole, committed
// records while writers change them (run with -race): a writer sets a
// client's name and phone to the same value in one transaction.
func TestDecodedUnderConcurrentWrites(t *testing.T) {
	s := storetest.New(t)
	f := newDecodedFixture(t, s)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := range 50 {
				v := strconv.Itoa(w*1000 + i)
				err := s.Update(ctx, func(tx *store.Tx) error {
					c, err := tx.Client(f.client.ID)
					if err != nil {
						return err
					}
					c.Name, c.Phone = v, v
					return tx.PutClient(&c)
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			for range 300 {
				s.View(ctx, func(tx *store.Tx) error {
					c, err := tx.Client(f.client.ID)
					if err != nil {
						t.Error(err)
					} else if c.Name != c.Phone && c.Phone != "" {
						t.Errorf("a reader saw name %q with phone %q", c.Name, c.Phone)
					}
					return nil
				})
			}
		})
	}
	wg.Wait()
}

// TestKeptRecordsFollowTheTransaction: a transaction that changed a
// record reads its own change, though the store keeps the record as it was
// committed: a client and the session idle limit, read, written and read
// again in one write. Without the byte comparison it would read the kept,
// older ones.
func TestKeptRecordsFollowTheTransaction(t *testing.T) {
	s := storetest.New(t)
	f := newDecodedFixture(t, s)
	s.View(ctx, func(tx *store.Tx) error { // keep them
		tx.Client(f.client.ID)
		tx.SessionIdle()
		return nil
	})
	err := s.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Client(f.client.ID)
		if err != nil {
			return err
		}
		c.Name = "Renamed"
		if err := tx.PutClient(&c); err != nil {
			return err
		}
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		set.SessionIdle = 5 * time.Minute
		if err := tx.PutSettings(set); err != nil {
			return err
		}
		if c, _ := tx.Client(f.client.ID); c.Name != "Renamed" {
			t.Errorf("the writing transaction reads client %q, want its own change", c.Name)
		}
		if idle, _ := tx.SessionIdle(); idle != 5*time.Minute {
			t.Errorf("the writing transaction reads session idle %v, want its own 5m", idle)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx *store.Tx) error {
		if idle, _ := tx.SessionIdle(); idle != 5*time.Minute {
			t.Errorf("after the commit: session idle %v, want 5m", idle)
		}
		return nil
	})
}
