package store_test

import (
	"errors"
	"reflect"
	"strconv"
	"sync"
	"testing"

	"clientportal/store"
	"clientportal/store/storetest"
)

func readSettings(t *testing.T, s *store.Store) store.Settings {
	t.Helper()
	var set store.Settings
	if err := s.View(ctx, func(tx *store.Tx) (err error) { set, err = tx.Settings(); return err }); err != nil {
		t.Fatal(err)
	}
	return set
}

func writeOfficeName(t *testing.T, s *store.Store, name string) {
	t.Helper()
	err := s.Update(ctx, func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		set.OfficeName = name
		return tx.PutSettings(set)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSettingsReadsFollowCommitsOnly: the settings a transaction reads are
// those of its own snapshot, whatever the store keeps decoded: a committed
// change is seen at once, a rolled-back one never, and a reader that began
// before a change keeps the old settings.
func TestSettingsReadsFollowCommitsOnly(t *testing.T) {
	s := storetest.New(t)
	if got := readSettings(t, s).OfficeName; got != store.DefaultSettings().OfficeName {
		t.Fatalf("new store: office %q", got)
	}
	writeOfficeName(t, s, "First")
	if got := readSettings(t, s).OfficeName; got != "First" {
		t.Fatalf("after a commit: office %q, want First", got)
	}

	// A write that rolls back, having read its own change.
	errAbort := errors.New("abort")
	err := s.Update(ctx, func(tx *store.Tx) error {
		set, _ := tx.Settings()
		set.OfficeName = "Uncommitted"
		if err := tx.PutSettings(set); err != nil {
			return err
		}
		if got, _ := tx.Settings(); got.OfficeName != "Uncommitted" {
			t.Errorf("inside the writing transaction: office %q, want its own change", got.OfficeName)
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatal(err)
	}
	if got := readSettings(t, s).OfficeName; got != "First" {
		t.Fatalf("after a rollback: office %q, want First", got)
	}

	// A reader that began before a commit sees its snapshot, also after the
	// committed settings were cached.
	started, committed := make(chan struct{}), make(chan struct{})
	var old string
	var wg sync.WaitGroup
	wg.Go(func() {
		s.View(ctx, func(tx *store.Tx) error {
			close(started)
			<-committed
			set, err := tx.Settings()
			if err != nil {
				t.Error(err)
			}
			old = set.OfficeName
			return nil
		})
	})
	<-started
	writeOfficeName(t, s, "Second")
	close(committed)
	wg.Wait()
	if old != "First" {
		t.Errorf("a reader from before the change read office %q, want First", old)
	}
	if got := readSettings(t, s).OfficeName; got != "Second" {
		t.Errorf("after the old reader: office %q, want Second", got)
	}
}

// TestSettingsCopiesAreIndependent: changing the settings one caller got
// does not change what the next caller reads.
func TestSettingsCopiesAreIndependent(t *testing.T) {
	s := storetest.New(t)
	err := s.Update(ctx, func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		set.UploadTypes = []string{"pdf", "jpeg"}
		return tx.PutSettings(set)
	})
	if err != nil {
		t.Fatal(err)
	}
	a := readSettings(t, s)
	a.Statuses[0].Names["en"] = "Scribbled"
	a.Statuses[1].ID = "scribbled"
	a.OfficeName = "Scribbled"
	a.UploadTypes[0] = "scribbled"
	b := readSettings(t, s)
	if b.Statuses[0].Names["en"] == "Scribbled" || b.Statuses[1].ID == "scribbled" || b.OfficeName == "Scribbled" || b.UploadTypes[0] != "pdf" {
		t.Fatalf("a caller's change leaked into the stored settings: %+v, %v", b.Statuses[:2], b.UploadTypes)
	}
}

// TestSettingsCloneCoversEveryField: the cache hands out copies; a field
// that shares memory (slice, map, pointer) must be deep-copied by
// Settings.clone, which knows only these.
func TestSettingsCloneCoversEveryField(t *testing.T) {
	known := map[string]bool{"Statuses": true, "UploadTypes": true}
	typ := reflect.TypeFor[store.Settings]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		switch f.Type.Kind() {
		case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface, reflect.Chan, reflect.Func:
			if !known[f.Name] {
				t.Errorf("Settings.%s (%s) shares memory: copy it in Settings.clone and list it here", f.Name, f.Type)
			}
		}
	}
}

// TestSettingsUnderConcurrentWrites: readers always see a whole, committed
// settings record while writers change it (run with -race).
func TestSettingsUnderConcurrentWrites(t *testing.T) {
	s := storetest.New(t)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := range 50 {
				v := strconv.Itoa(w*1000 + i)
				err := s.Update(ctx, func(tx *store.Tx) error {
					set, err := tx.Settings()
					if err != nil {
						return err
					}
					set.OfficeName, set.OfficePhone = v, v
					return tx.PutSettings(set)
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
					set, err := tx.Settings()
					if err != nil {
						t.Error(err)
					}
					if set.OfficeName != set.OfficePhone && set.OfficePhone != "" {
						t.Errorf("read a torn settings record: name %q, phone %q", set.OfficeName, set.OfficePhone)
					}
					set.Statuses[0].Names["en"] = "mine" // a caller's copy is its own
					return nil
				})
			}
		})
	}
	wg.Wait()
	if got := readSettings(t, s).Statuses[0].Names["en"]; got == "mine" {
		t.Errorf("a reader's change reached the store's settings")
	}
}
