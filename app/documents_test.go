package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// pdfFile writes a file of size bytes that the service takes for a PDF and
// answers its path and SHA-256.
func pdfFile(t *testing.T, dir, name string, size int) (string, string) {
	t.Helper()
	b := make([]byte, size)
	r := rand.NewChaCha8([32]byte{byte(size)})
	r.Read(b)
	copy(b, "%PDF-1.7\n")
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return p, hex.EncodeToString(sum[:])
}

func transfers(rec *recorder) []Transfer {
	var out []Transfer
	for _, e := range rec.all() {
		if t, ok := e.data.(Transfer); ok && e.name == EventTransfer {
			out = append(out, t)
		}
	}
	return out
}

// TestDocumentsUploadDownload: a file of several MB chosen in the (stand-in)
// dialog streams to the service with progress events, is listed, shared and
// withdrawn, and downloads to the chosen place with the same SHA-256.
func TestDocumentsUploadDownload(t *testing.T) {
	env := servertest.Start(t)
	p, rec := connect(t, env, "marcus@riverside.example")
	id := caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "IMM-2026-0142")
	dir := t.TempDir()
	const size = 12 << 20
	path, sum := pdfFile(t, dir, "evidence bundle.pdf", size)
	ask := &fakeSystem{files: []string{path}}
	p.SetSystem(ask)

	before, err := p.Documents.List(id)
	if err != nil {
		t.Fatal(err)
	}
	up, err := p.Documents.Upload(id, false)
	if err != nil {
		t.Fatal(err)
	}
	if up.Cancelled || len(up.Documents) != 1 {
		t.Fatalf("Upload = %+v", up)
	}
	doc := up.Documents[0]
	if doc.Name != "evidence bundle.pdf" || doc.Size != size || doc.SHA256 != sum || doc.Portal || doc.UploaderKind != "staff" || doc.UploaderName == "" {
		t.Errorf("uploaded document = %+v, want the file's name, size and SHA-256, staff only", doc)
	}

	// Progress: a first event at 0, then growing counts, the last one done
	// with every byte; throttled, so far fewer events than 32 KiB reads.
	tr := transfers(rec)
	if len(tr) < 2 || tr[0].Done != 0 || tr[0].State != "running" || tr[0].Total != size || tr[0].Direction != "upload" || tr[0].CaseID != id {
		t.Fatalf("upload progress events = %+v", tr)
	}
	last := tr[len(tr)-1]
	if last.State != "done" || last.Done != size || last.ID != tr[0].ID {
		t.Errorf("last upload event = %+v, want done with %d bytes", last, size)
	}
	for i := 1; i < len(tr); i++ {
		if tr[i].Done < tr[i-1].Done {
			t.Errorf("progress went back: %+v after %+v", tr[i], tr[i-1])
		}
	}
	if len(tr) > size/(32<<10) {
		t.Errorf("%d progress events for %d bytes: not throttled", len(tr), size)
	}
	t.Logf("upload of %d MiB: %d progress events", size>>20, len(tr))

	after, _ := p.Documents.List(id)
	if len(after) != len(before)+1 || after[len(after)-1].ID != doc.ID {
		t.Errorf("List after the upload = %+v", after)
	}

	shared, err := p.Documents.SetPortal(doc.ID, true)
	if err != nil || !shared.Portal {
		t.Errorf("SetPortal(true) = %+v, %v", shared, err)
	}
	hidden, err := p.Documents.SetPortal(doc.ID, false)
	if err != nil || hidden.Portal {
		t.Errorf("SetPortal(false) = %+v, %v", hidden, err)
	}

	to := filepath.Join(t.TempDir(), "copy.pdf")
	ask.save = to
	n := len(transfers(rec))
	got, err := p.Documents.Download(id, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(to)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(data)
	if got.Path != to || got.Size != size || got.SHA256 != sum || hex.EncodeToString(h[:]) != sum {
		t.Errorf("Download = %+v; the saved file's SHA-256 is %x, want %s", got, h, sum)
	}
	down := transfers(rec)[n:]
	if len(down) < 2 || down[0].Direction != "download" || down[len(down)-1].State != "done" || down[len(down)-1].Done != size {
		t.Errorf("download progress events = %+v", down)
	}
	if !strings.Contains(strings.Join(ask.asked, "\n"), "save: Save evidence bundle.pdf as evidence bundle.pdf") {
		t.Errorf("the save dialog was asked %q", ask.asked)
	}

	// Cancelled dialogs do nothing.
	ask.files, ask.save = nil, ""
	if r, err := p.Documents.Upload(id, true); err != nil || !r.Cancelled {
		t.Errorf("Upload with no file chosen = %+v, %v", r, err)
	}
	if r, err := p.Documents.Download(id, doc.ID); err != nil || !r.Cancelled {
		t.Errorf("Download with no place chosen = %+v, %v", r, err)
	}
	if again, _ := p.Documents.List(id); len(again) != len(after) {
		t.Errorf("a cancelled upload changed the list: %d documents", len(again))
	}
}

// TestDocumentsDownloadChecked: a copy whose SHA-256 is not the record's
// is not saved, and leaves no partial file behind.
func TestDocumentsDownloadChecked(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	id := caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "IMM-2026-0142")
	path, _ := pdfFile(t, t.TempDir(), "a.pdf", 300<<10)
	up, err := p.Documents.upload(id, false, []string{path})
	if err != nil {
		t.Fatal(err)
	}
	doc := up.Documents[0]
	doc.SHA256 = strings.Repeat("0", 64) // the record the window holds differs from what arrives
	dir := t.TempDir()
	_, err = p.Documents.download(doc, filepath.Join(dir, "a.pdf"))
	if err == nil || !strings.Contains(err.Error(), "does not match") || !strings.Contains(err.Error(), "not saved") {
		t.Errorf("download of a copy that does not match = %v, want it refused in words", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the folder holds %v after a refused download", left)
	}
}

// TestDocumentsRefused: a file the service does not accept comes back in
// plain words naming the file, and nothing is stored; several files go in
// one upload.
func TestDocumentsRefused(t *testing.T) {
	env := servertest.Start(t)
	p, rec := connect(t, env, "marcus@riverside.example")
	id := caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "IMM-2026-0142")
	dir := t.TempDir()
	exe := filepath.Join(dir, "invoice.pdf")
	os.WriteFile(exe, append([]byte{0x7F, 'E', 'L', 'F', 2, 1, 1, 0}, bytes.Repeat([]byte{0x90}, 4000)...), 0o600)
	good, _ := pdfFile(t, dir, "good.pdf", 1000)
	p.SetSystem(&fakeSystem{files: []string{good, exe}})
	before, _ := p.Documents.List(id)

	_, err := p.Documents.Upload(id, true)
	if err == nil {
		t.Fatal("an executable named .pdf was accepted")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "could not upload 2 files: invoice.pdf: ") || strings.Contains(msg, "/api/") {
		t.Errorf("refusal = %q, want the file named in plain words", msg)
	}
	t.Logf("refusal: %s", msg)
	if after, _ := p.Documents.List(id); len(after) != len(before) {
		t.Errorf("a refused upload kept %d documents", len(after)-len(before))
	}
	tr := transfers(rec)
	if len(tr) == 0 || tr[len(tr)-1].State != "failed" || tr[len(tr)-1].Detail != msg {
		t.Errorf("the last progress event = %+v, want failed with the refusal", tr)
	}

	// A file over the office's limit is refused while it streams.
	dana := staffClient(t, env, "dana@riverside.example")
	one := 1
	if _, err := dana.UpdateSettings(t.Context(), api.SettingsInput{UploadMaxMB: &one}); err != nil {
		t.Fatal(err)
	}
	big, _ := pdfFile(t, dir, "scan.pdf", 3<<20)
	p.SetSystem(&fakeSystem{files: []string{big}})
	if _, err := p.Documents.Upload(id, false); err == nil || !strings.HasPrefix(err.Error(), "could not upload scan.pdf: scan.pdf: ") || !strings.Contains(err.Error(), "smaller file") {
		t.Errorf("upload over the limit: %v", err)
	} else {
		t.Logf("over the limit: %s", err)
	}
	if after, _ := p.Documents.List(id); len(after) != len(before) {
		t.Errorf("a refused upload kept %d documents", len(after)-len(before))
	}

	// A folder is not a file.
	p.SetSystem(&fakeSystem{files: []string{dir}})
	if _, err := p.Documents.Upload(id, false); err == nil || !strings.Contains(err.Error(), "is not a file") {
		t.Errorf("upload of a folder: %v", err)
	}

	// Several files at once.
	other, _ := pdfFile(t, dir, "other.pdf", 2000)
	p.SetSystem(&fakeSystem{files: []string{good, other}})
	up, err := p.Documents.Upload(id, true)
	if err != nil || len(up.Documents) != 2 || !up.Documents[0].Portal || up.Documents[1].Name != "other.pdf" {
		t.Errorf("upload of two files = %+v, %v", up, err)
	}
}

// clientUploadsToItem logs in to the portal as the demo client email and sends a
// file into a checklist item, as the client's browser does.
func clientUploadsToItem(t *testing.T, env *servertest.Env, email string, caseID, item uint64, name string, data []byte) {
	t.Helper()
	b := env.Browser()
	l := env.Login(t, "client", email)
	resp, err := b.PostForm(env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", name)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/cases/%d/requests/%d", env.URL, caseID, item), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err = b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("portal upload as %s: %s", email, resp.Status)
	}
}
