package backup_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/backup"
	"clientportal/server/docstore"
	"clientportal/server/servertest"
	"clientportal/store"
)

var ctx = context.Background()

// office is a running service (the demo office) whose office key the test
// knows.
type office struct {
	env *servertest.Env
	key string
	dir string
}

func startOffice(t *testing.T) *office {
	key := filepath.Join(t.TempDir(), "office.key")
	env := servertest.Start(t, servertest.WithConfig(func(c *server.Config) { c.OfficeKey = key }))
	return &office{env: env, key: key, dir: filepath.Dir(env.Store.Path())}
}

func (o *office) staff(t *testing.T) *apiclient.Client {
	t.Helper()
	l := o.env.Login(t, "staff", "")
	c, err := apiclient.New(o.env.URL, apiclient.WithHTTPClient(o.env.HTTP.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx, l.Email, l.Password); err != nil {
		t.Fatal(err)
	}
	return c
}

func (o *office) source() backup.Source {
	return backup.Source{Store: o.env.Store, DataDir: o.dir, Version: "test"}
}

// upload sends a document of n bytes (unique content) to case 1 and returns
// its content.
func upload(t *testing.T, c *apiclient.Client, i, n int) ([]byte, api.Document, error) {
	content := bytes.Repeat([]byte(fmt.Sprintf("document %d line\n", i)), n/20+1)
	docs, err := c.UploadDocuments(ctx, 1, false, apiclient.UploadFile{Name: fmt.Sprintf("doc%d.txt", i), Content: bytes.NewReader(content)})
	if err != nil {
		return nil, api.Document{}, err
	}
	return content, docs[0], nil
}

// readDocuments decrypts every document the store in dir records, with the
// office key, and returns SHA-256 -> file name; any record whose file is
// missing, unreadable or different fails the test.
func readDocuments(t *testing.T, dir, keyPath string) map[string]string {
	t.Helper()
	id, err := docstore.LoadOrCreateKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatalf("open the restored store: %v", err)
	}
	defer st.Close()
	out := map[string]string{}
	err = st.View(ctx, func(tx *store.Tx) error {
		docs, err := tx.CaseDocuments(1, false)
		if err != nil {
			return err
		}
		for _, d := range docs {
			f, err := os.Open(filepath.Join(dir, "documents", d.StoredName))
			if err != nil {
				return fmt.Errorf("document %d (%s): %w", d.ID, d.FileName, err)
			}
			r, err := age.Decrypt(f, id)
			if err != nil {
				f.Close()
				return fmt.Errorf("document %d: %w", d.ID, err)
			}
			h := sha256.New()
			io.Copy(h, r)
			f.Close()
			if got := fmt.Sprintf("%x", h.Sum(nil)); got != d.SHA256 {
				return fmt.Errorf("document %d (%s): SHA-256 %s, the record says %s", d.ID, d.FileName, got, d.SHA256)
			}
			out[d.SHA256] = d.FileName
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A hot backup while staff keep uploading: the archive verifies, restores
// into an empty folder, and every document the restored store records is
// there and decrypts to its recorded SHA-256; the restored store holds every
// document acknowledged before the backup began.
func TestHotBackupDuringUploadsRestores(t *testing.T) {
	o := startOffice(t)
	c := o.staff(t)
	before := map[string]bool{}
	for i := 0; i < 5; i++ {
		content, _, err := upload(t, c, i, 200<<10)
		if err != nil {
			t.Fatal(err)
		}
		before[fmt.Sprintf("%x", sha256.Sum256(content))] = true
	}
	// Uploads keep coming while the backup runs.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var uploaded atomic.Int64
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, _, err := upload(t, c, 1000*(w+1)+i, 100<<10); err != nil {
					t.Errorf("upload during the backup: %v", err)
					return
				}
				uploaded.Add(1)
			}
		}(w)
	}
	time.Sleep(200 * time.Millisecond)
	archive := filepath.Join(t.TempDir(), "office.tar")
	size, err := backup.WriteFile(ctx, archive, o.source())
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("archive %d bytes; %d uploads during the test", size, uploaded.Load())
	f, _ := os.Open(archive)
	m, err := backup.Verify(f)
	f.Close()
	if err != nil {
		t.Fatalf("the archive does not verify: %v", err)
	}

	restored := filepath.Join(t.TempDir(), "restored", "data")
	f, _ = os.Open(archive)
	res, err := backup.Restore(f, restored)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res.Previous != "" || len(res.Manifest.Files) != len(m.Files) {
		t.Errorf("restore into an empty folder: %+v", res)
	}
	docs := readDocuments(t, restored, o.key)
	for sum := range before {
		if docs[sum] == "" {
			t.Errorf("a document acknowledged before the backup is missing from the restored office (SHA-256 %s)", sum)
		}
	}
	if len(docs) < len(before) {
		t.Errorf("%d documents restored, want at least %d", len(docs), len(before))
	}
}

// restoreDir makes a data folder with a known content and returns its
// listing (path, size, SHA-256 of every file).
func tree(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%s %d %x", rel, len(b), sha256.Sum256(b)))
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// rewrite copies the archive at src with each entry's content passed
// through edit (nil: unchanged) and returns the new archive's bytes.
func rewrite(t *testing.T, src string, edit func(name string, b []byte) []byte) []byte {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	tr, tw := tar.NewReader(f), tar.NewWriter(&out)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		if edit != nil {
			b = edit(h.Name, b)
		}
		if b == nil {
			continue
		}
		h.Size = int64(len(b))
		tw.WriteHeader(h)
		tw.Write(b)
	}
	tw.Close()
	return out.Bytes()
}

// A damaged, cut short or foreign archive is refused, naming what is wrong,
// and the data folder it was to replace is left exactly as it was.
func TestBadArchiveChangesNothing(t *testing.T) {
	o := startOffice(t)
	c := o.staff(t)
	for i := 0; i < 3; i++ {
		if _, _, err := upload(t, c, i, 50<<10); err != nil {
			t.Fatal(err)
		}
	}
	archive := filepath.Join(t.TempDir(), "office.tar")
	if _, err := backup.WriteFile(ctx, archive, o.source()); err != nil {
		t.Fatal(err)
	}
	whole, _ := os.ReadFile(archive)
	var aDoc string
	for _, e := range func() []backup.Entry { m, _ := backup.Verify(bytes.NewReader(whole)); return m.Files }() {
		if strings.HasPrefix(e.Path, "documents/") {
			aDoc = e.Path
			break
		}
	}

	// The target: a stopped office's data folder (another office's).
	target := filepath.Join(t.TempDir(), "data")
	{
		st, err := store.Open(target, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
		os.MkdirAll(filepath.Join(target, "documents"), 0o700)
		os.WriteFile(filepath.Join(target, "documents", strings.Repeat("ab", 16)+".age"), []byte("old document"), 0o600)
	}
	want := tree(t, target)
	flip := func(b []byte) []byte { c := bytes.Clone(b); c[len(c)/2] ^= 0x01; return c }

	for _, tc := range []struct {
		name    string
		archive []byte
		says    string
	}{
		{"a document's byte flipped", rewrite(t, archive, func(n string, b []byte) []byte {
			if n == aDoc {
				return flip(b)
			}
			return b
		}), aDoc + " does not match its checksum"},
		{"the store's byte flipped", rewrite(t, archive, func(n string, b []byte) []byte {
			if n == store.FileName {
				return flip(b)
			}
			return b
		}), store.FileName + " does not match its checksum"},
		{"a document left out", rewrite(t, archive, func(n string, b []byte) []byte {
			if n == aDoc {
				return nil
			}
			return b
		}), aDoc + " is listed in the manifest but missing"},
		{"no manifest", rewrite(t, archive, func(n string, b []byte) []byte {
			if n == backup.ManifestName {
				return nil
			}
			return b
		}), backup.ManifestName + " is missing"},
		{"cut in the middle", whole[:len(whole)/2], "cut short"},
		{"cut before the manifest", whole[:len(whole)-1500], "cut short"},
		{"not an archive", []byte("hello, this is not a backup"), "not a clientportal backup"},
		{"an empty file", nil, "is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := backup.Restore(bytes.NewReader(tc.archive), target)
			var ae *backup.ArchiveError
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), tc.says) || !strings.Contains(err.Error(), "nothing was changed") {
				t.Errorf("restore: %v, want an archive error saying %q", err, tc.says)
			}
			if got := tree(t, target); got != want {
				t.Errorf("the data folder changed:\n%s\nwant\n%s", got, want)
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(target), ".data.restore-*")); len(left) > 0 {
				t.Errorf("restore left %v behind", left)
			}
		})
	}

	// An archive with a path outside the data folder is refused, and
	// nothing is written anywhere.
	var evil bytes.Buffer
	tw := tar.NewWriter(&evil)
	tw.WriteHeader(&tar.Header{Name: "../../escaped", Mode: 0o600, Size: 3, Typeflag: tar.TypeReg})
	tw.Write([]byte("bad"))
	tw.Close()
	_, err := backup.Restore(&evil, target)
	if err == nil || !strings.Contains(err.Error(), "../../escaped is not a file a clientportal backup holds") {
		t.Errorf("restore of a path outside: %v", err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(target), "..", "escaped")); err == nil {
		t.Error("a file was written outside the data folder")
	}

	// The whole archive restores over it, keeping the old data beside.
	res, err := backup.Restore(bytes.NewReader(whole), target)
	if err != nil {
		t.Fatal(err)
	}
	if got := tree(t, res.Previous); got != want {
		t.Errorf("the replaced data was not kept whole in %s:\n%s", res.Previous, got)
	}
	// Byte for byte: every restored file is the archive's (its SHA-256),
	// and every document file is the source office's own.
	for _, e := range res.Manifest.Files {
		b, err := os.ReadFile(filepath.Join(target, filepath.FromSlash(e.Path)))
		if err != nil || fmt.Sprintf("%x", sha256.Sum256(b)) != e.SHA256 || int64(len(b)) != e.Size {
			t.Errorf("restored %s differs from the archive (%v)", e.Path, err)
		}
		if strings.HasPrefix(e.Path, "documents/") {
			orig, _ := os.ReadFile(filepath.Join(o.dir, filepath.FromSlash(e.Path)))
			if !bytes.Equal(orig, b) {
				t.Errorf("restored %s differs from the office's file", e.Path)
			}
		}
	}
	if docs := readDocuments(t, target, o.key); len(docs) != 3 {
		t.Errorf("%d documents restored, want 3", len(docs))
	}
}

// Backups asked for at once (staff, the command line, the night) run one
// after another while uploads go on: each succeeds, in a file of its own,
// and the folder keeps N.
func TestConcurrentBackups(t *testing.T) {
	o := startOffice(t)
	c := o.staff(t)
	svc := backup.New(o.source(), slog.New(slog.DiscardHandler))
	folder, keep := filepath.Join(t.TempDir(), "b"), 4
	if _, err := svc.PutSettings(ctx, store.AuditEntry{ActorKind: "system"}, api.BackupSettingsInput{Folder: &folder, Retention: &keep}); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var up sync.WaitGroup
	up.Add(1)
	go func() {
		defer up.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, _, err := upload(t, c, i, 20<<10); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var wg sync.WaitGroup
	files := make(chan string, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rec, err := svc.Backup(ctx, i%2 == 0)
			if err != nil {
				t.Error(err)
				return
			}
			files <- rec.File
		}(i)
	}
	wg.Wait()
	close(stop)
	up.Wait()
	close(files)
	seen := map[string]bool{}
	for f := range files {
		if seen[f] {
			t.Errorf("two backups wrote %s", f)
		}
		seen[f] = true
	}
	rep, _ := svc.Status(ctx)
	if len(seen) != 6 || len(rep.Files) != keep {
		t.Errorf("%d backups made, %d kept; want 6 and %d", len(seen), len(rep.Files), keep)
	}
	for _, f := range rep.Files {
		fh, _ := os.Open(filepath.Join(folder, f.Name))
		if _, err := backup.Verify(fh); err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
		fh.Close()
	}
}

// Restore refuses the data folder of a running service (its store is open),
// and changes nothing there.
func TestRestoreRefusesARunningService(t *testing.T) {
	o := startOffice(t)
	archive := filepath.Join(t.TempDir(), "office.tar")
	if _, err := backup.WriteFile(ctx, archive, o.source()); err != nil {
		t.Fatal(err)
	}
	want := tree(t, o.dir)
	f, _ := os.Open(archive)
	defer f.Close()
	if _, err := backup.Restore(f, o.dir); !errors.Is(err, backup.ErrRunning) {
		t.Fatalf("restore into a running service's folder: %v, want ErrRunning", err)
	}
	if got := tree(t, o.dir); got != want {
		t.Error("the running service's data folder changed")
	}
}

// Backups into the folder keep the newest N, and the report says what the
// last one did and when the next runs; a folder that cannot be written is
// refused when set, and a failed backup is reported with what to do.
func TestRetentionAndReport(t *testing.T) {
	o := startOffice(t)
	svc := backup.New(o.source(), slog.New(slog.DiscardHandler))
	folder := filepath.Join(t.TempDir(), "backups")
	keep := 3
	by := store.AuditEntry{ActorKind: "staff", ActorID: 1, ActorName: "test"}
	if _, err := svc.PutSettings(ctx, by, api.BackupSettingsInput{Folder: &folder, Retention: &keep}); err != nil {
		t.Fatal(err)
	}
	// A file of the office's own in the folder is never touched.
	os.WriteFile(filepath.Join(folder, "notes.txt"), []byte("mine"), 0o600)
	var made []string
	for i := 0; i < 5; i++ {
		rec, err := svc.Backup(ctx, i%2 == 0)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, filepath.Base(rec.File))
	}
	rep, err := svc.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, f := range rep.Files {
		kept = append(kept, f.Name)
	}
	if want := []string{made[4], made[3], made[2]}; strings.Join(kept, ",") != strings.Join(want, ",") {
		t.Errorf("kept %v, want the newest three %v", kept, want)
	}
	if _, err := os.Stat(filepath.Join(folder, "notes.txt")); err != nil {
		t.Error("a file that is not a backup was deleted")
	}
	if rep.Last == nil || !rep.Last.OK || filepath.Base(rep.Last.File) != made[4] || rep.Last.Size == 0 || rep.Next == nil || !rep.Next.After(time.Now()) {
		t.Errorf("report %+v", rep)
	}

	// Refused settings, with the field.
	rel, bad, tooMany := "backups", "25:00", 0
	for _, in := range []api.BackupSettingsInput{{Folder: &rel}, {Time: &bad}, {Retention: &tooMany}, {Folder: &o.dir}} {
		var se *backup.SettingsError
		if _, err := svc.PutSettings(ctx, by, in); !errors.As(err, &se) {
			t.Errorf("PutSettings(%+v): %v, want a settings error", in, err)
		}
	}
	// A folder that went away (a USB disk unplugged) fails the backup,
	// reported with what to do.
	gone := filepath.Join(t.TempDir(), "usb")
	if _, err := svc.PutSettings(ctx, by, api.BackupSettingsInput{Folder: &gone}); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(gone)
	os.WriteFile(gone, []byte("a file where the folder was"), 0o600)
	if _, err := svc.Backup(ctx, true); err == nil {
		t.Fatal("a backup into a file succeeded")
	}
	rep, _ = svc.Status(ctx)
	if rep.Last == nil || rep.Last.OK || !strings.Contains(rep.Last.Error, "check that the backup folder") {
		t.Errorf("report after a failed backup: %+v", rep.Last)
	}
}

// The nightly time is the office's time of day, the next one after now,
// across a daylight saving change.
func TestNext(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	set := store.BackupSettings{Time: "02:30", Retention: 7}
	for _, tc := range []struct {
		from, want time.Time
	}{
		{time.Date(2026, 11, 25, 1, 0, 0, 0, ny), time.Date(2026, 11, 25, 2, 30, 0, 0, ny)},
		{time.Date(2026, 11, 25, 2, 30, 0, 0, ny), time.Date(2026, 11, 26, 2, 30, 0, 0, ny)},
		{time.Date(2026, 11, 25, 23, 0, 0, 0, ny), time.Date(2026, 11, 26, 2, 30, 0, 0, ny)},
		// 1 November 2026: clocks go back at 02:00, so 02:30 happens once.
		{time.Date(2026, 10, 31, 12, 0, 0, 0, ny), time.Date(2026, 11, 1, 2, 30, 0, 0, ny)},
	} {
		if got, ok := backup.Next(set, ny, tc.from); !ok || !got.Equal(tc.want) {
			t.Errorf("Next from %s = %s, want %s", tc.from, got, tc.want)
		}
	}
	set.Off = true
	if _, ok := backup.Next(set, ny, time.Now()); ok {
		t.Error("Next with nightly backups off")
	}
}
