package docstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"clientportal/server/docstore"
)

func open(t *testing.T, max int64) (*docstore.Store, string) {
	t.Helper()
	dir := t.TempDir()
	id, err := docstore.LoadOrCreateKey(filepath.Join(t.TempDir(), "keys", "office.key"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := docstore.Open(filepath.Join(dir, "documents"), id, max)
	if err != nil {
		t.Fatal(err)
	}
	return s, s.Dir()
}

func pdf(n int) []byte {
	b := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("stream of the case file\n"), n/24+1)...)
	return b[:max(n, 9)]
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

type cutReader struct {
	data []byte
	n    int
}

func (c *cutReader) Read(p []byte) (int, error) {
	if c.n >= len(c.data) {
		return 0, io.ErrUnexpectedEOF
	}
	k := copy(p, c.data[c.n:])
	c.n += k
	return k, nil
}

func TestPutRefusalsLeaveNothing(t *testing.T) {
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 4000)...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		r    io.Reader
		want error
	}{
		{"too large", context.Background(), bytes.NewReader(pdf(1<<20 + 1)), docstore.ErrTooLarge},
		{"executable", context.Background(), bytes.NewReader(elf), docstore.ErrType},
		{"empty", context.Background(), bytes.NewReader(nil), docstore.ErrEmpty},
		{"cut", context.Background(), &cutReader{data: pdf(200 << 10)}, io.ErrUnexpectedEOF},
		{"cancelled", ctx, bytes.NewReader(pdf(10 << 10)), context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, dir := open(t, 1<<20)
			_, err := s.Put(tc.ctx, tc.r)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Put: %v, want %v", err, tc.want)
			}
			if got := files(t, dir); len(got) != 0 {
				t.Errorf("left in the folder: %v", got)
			}
		})
	}
}

func TestPutAtLimitAndRoundTrip(t *testing.T) {
	s, dir := open(t, 1<<20)
	data := pdf(1 << 20)
	st, err := s.Put(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if st.Size != int64(len(data)) || st.SHA256 != hex.EncodeToString(sum[:]) || st.ContentType != "application/pdf" {
		t.Errorf("stored %+v", st)
	}
	onDisk, err := os.ReadFile(filepath.Join(dir, st.Name))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(onDisk, []byte("stream of the case file")) || bytes.Contains(onDisk, []byte("%PDF")) {
		t.Error("the plaintext is on disk")
	}
	f, err := s.Open(st.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, err %v", len(got), err)
	}
	// A range in the middle, across age's 64 KiB chunks.
	part := make([]byte, 100000)
	if _, err := f.ReadAt(part, 500000); err != nil || !bytes.Equal(part, data[500000:600000]) {
		t.Errorf("ReadAt: %v", err)
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("folder holds %v", got)
	}
}

func TestTypes(t *testing.T) {
	s, _ := open(t, 0)
	for _, tc := range []struct {
		name string
		head []byte
		want string
	}{
		{"jpeg", append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 100)...), "image/jpeg"},
		{"png", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...), "image/png"},
		{"text", []byte("Dear office,\nhere is my lease.\n"), "text/plain; charset=utf-8"},
		{"heic", append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 100)...), "image/heic"},
	} {
		st, err := s.Put(context.Background(), bytes.NewReader(tc.head))
		if err != nil || st.ContentType != tc.want {
			t.Errorf("%s: %+v, %v; want %s", tc.name, st, err, tc.want)
		}
	}
	for _, bad := range [][]byte{[]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), []byte("<html><script>alert(1)</script></html>"), []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")} {
		if _, err := s.Put(context.Background(), bytes.NewReader(bad)); !errors.Is(err, docstore.ErrType) {
			t.Errorf("%q: %v, want ErrType", bad[:4], err)
		}
	}
}

func TestWrongKeyAndPlaintext(t *testing.T) {
	s, dir := open(t, 0)
	st, err := s.Put(context.Background(), bytes.NewReader(pdf(5000)))
	if err != nil {
		t.Fatal(err)
	}
	other, err := docstore.LoadOrCreateKey(filepath.Join(t.TempDir(), "other.key"))
	if err != nil {
		t.Fatal(err)
	}
	s2, err := docstore.Open(dir, other, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Open(st.Name); !errors.Is(err, docstore.ErrUnreadable) {
		t.Errorf("wrong key: %v, want ErrUnreadable", err)
	}
	plain := "0123456789abcdef0123456789abcdef.age"
	if err := os.WriteFile(filepath.Join(dir, plain), pdf(5000), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(plain); !errors.Is(err, docstore.ErrUnreadable) {
		t.Errorf("plaintext file: %v, want ErrUnreadable", err)
	}
	if _, err := s.Open("../office.key"); !errors.Is(err, docstore.ErrName) {
		t.Errorf("path name: %v, want ErrName", err)
	}
}

func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "etc", "office.key")
	a, err := docstore.LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", fi.Mode(), err)
	}
	b, err := docstore.LoadOrCreateKey(path)
	if err != nil || a.String() != b.String() {
		t.Fatalf("second load gave another key (%v)", err)
	}
	if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := docstore.LoadOrCreateKey(path); err == nil {
		t.Error("a broken key file loaded")
	}
}
