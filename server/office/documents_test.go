package office_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"clientportal/server/docstore"
	"clientportal/server/office"
	"clientportal/server/password"
	"clientportal/store"
)

func withDocuments(t *testing.T) (*messageOffice, *docstore.Store) {
	t.Helper()
	m := newMessageOffice(t)
	id, err := docstore.LoadOrCreateKey(filepath.Join(t.TempDir(), "office.key"))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := docstore.Open(filepath.Join(t.TempDir(), "documents"), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	m.o = office.New(m.st, passwords{password.Hasher{Params: password.TestParams}}, office.WithPublisher(m.pub), office.WithDocuments(docs))
	return m, docs
}

func put(t *testing.T, docs *docstore.Store, name string) office.NewDocument {
	t.Helper()
	st, err := docs.Put(ctx, bytes.NewReader([]byte("%PDF-1.7\n"+name)))
	if err != nil {
		t.Fatal(err)
	}
	return office.NewDocument{Stored: st, FileName: name}
}

func count(t *testing.T, dir string) int {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// TestAddDocumentsEvents: who sees the event of an upload.
func TestAddDocumentsEvents(t *testing.T) {
	m, docs := withDocuments(t)
	for _, tc := range []struct {
		name      string
		actor     office.Actor
		portal    bool
		typ       string
		staffOnly bool
	}{
		{"staff, internal", m.staff, false, "document.uploaded", true},
		{"staff, shared", m.staff, true, "document.shared", false},
		{"client", m.ana, false, "document.uploaded", false},
	} {
		m.pub.events = nil
		ds, err := m.o.AddDocuments(ctx, tc.actor, m.anaCase.ID, tc.portal, []office.NewDocument{put(t, docs, "a.pdf")})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if tc.actor.Kind == "client" && !ds[0].Portal {
			t.Errorf("%s: a client's upload is not on the portal", tc.name)
		}
		if len(m.pub.events) != 1 || m.pub.events[0].Type != tc.typ || m.pub.events[0].StaffOnly != tc.staffOnly ||
			(!tc.staffOnly && len(m.pub.events[0].ClientIDs) != 1) {
			t.Errorf("%s: events %+v", tc.name, m.pub.events)
		}
	}
}

// TestFailedRecordRemovesFile: when the record does not commit (a missing
// case, a client writing into another client's case), its file is removed.
func TestFailedRecordRemovesFile(t *testing.T) {
	m, docs := withDocuments(t)
	for _, tc := range []struct {
		name   string
		actor  office.Actor
		caseID uint64
	}{
		{"missing case", m.staff, 9999},
		{"another client's case", m.ana, m.bCase.ID},
	} {
		f := put(t, docs, "x.pdf")
		_, err := m.o.AddDocuments(ctx, tc.actor, tc.caseID, true, []office.NewDocument{f, put(t, docs, "y.pdf")})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: %v, want not found", tc.name, err)
		}
		if n := count(t, docs.Dir()); n != 0 {
			t.Errorf("%s: %d files left", tc.name, n)
		}
	}
}

// TestConcurrentUploads: uploads at once into one case each get their own
// record and file.
func TestConcurrentUploads(t *testing.T) {
	m, docs := withDocuments(t)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := docs.Put(ctx, bytes.NewReader(append([]byte("%PDF-1.7\n"), byte(i))))
			if err == nil {
				_, err = m.o.AddDocuments(ctx, m.staff, m.anaCase.ID, i%2 == 0, []office.NewDocument{{Stored: st, FileName: "f.pdf"}})
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var ds []store.Document
	if err := m.st.View(ctx, func(tx *store.Tx) (err error) { ds, err = tx.CaseDocuments(m.anaCase.ID, false); return err }); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, d := range ds {
		names[d.StoredName] = true
	}
	if len(ds) != n || len(names) != n || count(t, docs.Dir()) != n {
		t.Errorf("%d records, %d names, %d files; want %d", len(ds), len(names), count(t, docs.Dir()), n)
	}
}

func TestSafeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"lease.pdf":                       "lease.pdf",
		"C:\\Users\\ana\\Übersetzung.pdf": "Übersetzung.pdf",
		"../../etc/passwd":                "passwd",
		"...hidden":                       "hidden",
		"a\x00b\u202e\r\n.pdf":            "ab.pdf",
		"\"quoted\".pdf":                  "quoted.pdf",
		"":                                "document",
		"/":                               "document",
		strings.Repeat("é", 300):          strings.Repeat("é", office.MaxFileName),
		"bad\xffutf8.txt":                 "badutf8.txt",
	} {
		if got := office.SafeFileName(in); got != want {
			t.Errorf("SafeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
