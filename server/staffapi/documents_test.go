package staffapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/docstore"
	"clientportal/server/servertest"
	"clientportal/store"
)

const staffEmail = "marcus@riverside.example"

// docEnv is the real service with a 1 MB upload limit, and where it keeps
// its documents.
func docEnv(t *testing.T) (env *servertest.Env, dir, keyPath string) {
	t.Helper()
	env = servertest.Start(t, servertest.WithConfig(func(c *server.Config) {
		c.MaxDocument = 1 << 20
		keyPath = c.OfficeKey
	}))
	return env, filepath.Join(filepath.Dir(env.Store.Path()), "documents"), keyPath
}

func firstCase(t *testing.T, env *servertest.Env) store.Case {
	t.Helper()
	var c store.Case
	err := env.Store.View(context.Background(), func(tx *store.Tx) error {
		cs, err := tx.SearchCases("", 0, 1)
		if err != nil || len(cs) == 0 {
			return fmt.Errorf("no case: %v", err)
		}
		c = cs[0]
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pdfBytes is n bytes of a PDF-looking file with a recognisable text.
func pdfBytes(n int) []byte {
	b := []byte("%PDF-1.7\n")
	for i := 0; len(b) < n; i++ {
		b = fmt.Appendf(b, "line %d of the lease agreement\n", i)
	}
	return b[:n]
}

func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestDocumentRoundTrip(t *testing.T) {
	env, dir, _ := docEnv(t)
	ctx := context.Background()
	c := firstCase(t, env)
	staff := staffClient(t, env, staffEmail)
	data := pdfBytes(700 << 10)
	sum := sha256.Sum256(data)
	docs := ok[[]api.Document](t, "upload")(staff.UploadDocuments(ctx, c.ID, false,
		apiclient.UploadFile{Name: `..\..\Windows\"lease"` + "\t\u202e.pdf", Content: bytes.NewReader(data)},
		apiclient.UploadFile{Name: "note.txt", Content: strings.NewReader("Call me after 5.\n")}))
	if len(docs) != 2 {
		t.Fatalf("uploaded %+v", docs)
	}
	d := docs[0]
	if d.SHA256 != hex.EncodeToString(sum[:]) || d.Size != int64(len(data)) || d.ContentType != "application/pdf" || d.Portal || d.UploaderName != "Marcus Oyelaran" {
		t.Errorf("document %+v", d)
	}
	if d.FileName != "lease.pdf" {
		t.Errorf("file name %q, want lease.pdf", d.FileName)
	}

	// On disk: two files under the store's names, neither holds the plaintext.
	names := dirFiles(t, dir)
	if len(names) != 2 {
		t.Fatalf("documents folder holds %v", names)
	}
	for _, n := range names {
		raw, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("lease agreement")) || bytes.Contains(raw, []byte("Call me")) || strings.Contains(n, "lease") {
			t.Errorf("%s holds the plaintext or the uploader's name", n)
		}
	}

	// The whole file: same SHA-256, an attachment with a safe name.
	resp := ok[*http.Response](t, "download")(staff.DocumentContent(ctx, d.ID, ""))
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if gs := sha256.Sum256(got); gs != sum {
		t.Errorf("downloaded %d bytes, SHA-256 differs", len(got))
	}
	disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != "lease.pdf" {
		t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}

	// A range across age's 64 KiB chunks, and a resumed tail.
	for _, r := range []struct {
		header     string
		start, end int
	}{{"bytes=100000-299999", 100000, 300000}, {"bytes=716000-", 716000, len(data)}} {
		resp := ok[*http.Response](t, "range")(staff.DocumentContent(ctx, d.ID, r.header))
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(got, data[r.start:r.end]) {
			t.Errorf("Range %s: %d, %d bytes, want 206 with bytes %d-%d", r.header, resp.StatusCode, len(got), r.start, r.end)
		}
	}

	// Sharing, and the audit of the download.
	if s := ok[api.Document](t, "share")(staff.SetDocumentPortal(ctx, d.ID, true)); !s.Portal {
		t.Error("not shared")
	}
	var downloads int
	err = env.Store.View(ctx, func(tx *store.Tx) error {
		entries, err := tx.AuditLog(0, 1000)
		for _, e := range entries {
			if e.Action == "document.download" && e.Target == fmt.Sprintf("document:%d", d.ID) {
				downloads++
			}
		}
		return err
	})
	if err != nil || downloads != 3 {
		t.Errorf("download audit entries: %d (%v), want 3", downloads, err)
	}
}

// TestRefusedUploadsLeaveNothing: a file over the limit, an executable
// named .pdf, a good file followed by a refused one, and a cut connection
// each leave no record and no file.
func TestRefusedUploadsLeaveNothing(t *testing.T) {
	env, dir, _ := docEnv(t)
	ctx := context.Background()
	c := firstCase(t, env)
	staff := staffClient(t, env, staffEmail)
	before := snapshot(t, env.Store)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"), make([]byte, 8000)...)
	for _, tc := range []struct {
		name   string
		files  []apiclient.UploadFile
		status int
		code   string
	}{
		{"over the limit", []apiclient.UploadFile{{Name: "big.pdf", Content: bytes.NewReader(pdfBytes(1<<20 + 1))}}, http.StatusRequestEntityTooLarge, "too_large"},
		{"executable named .pdf", []apiclient.UploadFile{{Name: "invoice.pdf", Content: bytes.NewReader(elf)}}, http.StatusUnsupportedMediaType, "unsupported_type"},
		{"good then refused", []apiclient.UploadFile{{Name: "a.pdf", Content: bytes.NewReader(pdfBytes(200 << 10))}, {Name: "b.pdf", Content: bytes.NewReader(elf)}}, http.StatusUnsupportedMediaType, "unsupported_type"},
		{"empty", []apiclient.UploadFile{{Name: "e.pdf", Content: bytes.NewReader(nil)}}, http.StatusUnprocessableEntity, "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := staff.UploadDocuments(ctx, c.ID, true, tc.files...)
			wantCode(t, tc.name, err, tc.status, tc.code)
			if e, _ := err.(*api.Error); e != nil && !strings.Contains(e.Message, tc.files[len(tc.files)-1].Name) {
				t.Errorf("message %q does not name the file", e.Message)
			}
			if names := dirFiles(t, dir); len(names) != 0 {
				t.Errorf("left in the documents folder: %v", names)
			}
		})
	}

	// A part header net/textproto refuses (a control character in the
	// file name) is the sender's error, not the service's.
	t.Run("malformed part", func(t *testing.T) {
		body := "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\x07.pdf\"\r\n\r\n%PDF-1.7\n\r\n--B--\r\n"
		req, _ := http.NewRequest("POST", env.URL+fmt.Sprintf("/api/v1/cases/%d/documents", c.ID), strings.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
		req.Header.Set("Authorization", "Bearer "+staff.Token())
		resp, err := env.HTTP.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("malformed part: %d, want 400", resp.StatusCode)
		}
	})

	// A connection cut in the middle of a file.
	t.Run("cut connection", func(t *testing.T) {
		token := staff.Token()
		conn, err := net.Dial("tcp", strings.TrimPrefix(env.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		head := "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.pdf\"\r\n\r\n"
		fmt.Fprintf(conn, "POST /api/v1/cases/%d/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
			"Content-Type: multipart/form-data; boundary=B\r\nContent-Length: %d\r\n\r\n%s", c.ID, token, len(head)+600<<10, head)
		conn.Write(pdfBytes(300 << 10))
		// Wait until the service has written some of it, then cut.
		deadline := time.Now().Add(10 * time.Second)
		for len(dirFiles(t, dir)) == 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if len(dirFiles(t, dir)) == 0 {
			t.Fatal("the upload never reached the documents folder")
		}
		conn.Close()
		for len(dirFiles(t, dir)) != 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if names := dirFiles(t, dir); len(names) != 0 {
			t.Errorf("left in the documents folder after a cut: %v", names)
		}
	})
	if snapshot(t, env.Store) != before {
		t.Error("refused uploads changed the store")
	}
	if docs := ok[[]api.Document](t, "list")(staff.Documents(ctx, c.ID)); len(docs) != 0 {
		t.Errorf("records after refusals: %+v", docs)
	}
}

// TestUnreadableDocument: a file encrypted to another key, or not
// encrypted at all, is a clear error, never garbage.
func TestUnreadableDocument(t *testing.T) {
	env, dir, _ := docEnv(t)
	ctx := context.Background()
	c := firstCase(t, env)
	staff := staffClient(t, env, staffEmail)
	otherKey, err := docstore.LoadOrCreateKey(filepath.Join(t.TempDir(), "other.key"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := docstore.Open(dir, otherKey, 0)
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := other.Put(ctx, bytes.NewReader(pdfBytes(5000)))
	if err != nil {
		t.Fatal(err)
	}
	plainName := "00112233445566778899aabbccddeeff.age"
	if err := os.WriteFile(filepath.Join(dir, plainName), pdfBytes(5000), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, stored := range []string{foreign.Name, plainName} {
		d := store.Document{CaseID: c.ID, StoredName: stored, FileName: "x.pdf", ContentType: "application/pdf", Size: 5000,
			SHA256: "00", UploaderKind: "staff", UploaderID: 1, UploaderName: "S"}
		if err := env.Store.Update(ctx, func(tx *store.Tx) error { return tx.AddDocument(&d) }); err != nil {
			t.Fatal(err)
		}
		_, err := staff.DocumentContent(ctx, d.ID, "")
		wantCode(t, stored, err, http.StatusInternalServerError, "unreadable")
		if err != nil && !strings.Contains(err.Error(), "office key") {
			t.Errorf("%s: %v does not say what to do", stored, err)
		}
	}
}
