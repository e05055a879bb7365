package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestWindowFileDialogs drives the real native file dialogs (GTK's file
// chooser, opened by the Wails runtime) in the real window under Xvfb, by
// typing into them through the X server as a person would: "Upload
// files…" on a case's page opens the chooser, the test types a file's
// path, and the file arrives in the service whole; "Download" opens the
// save dialog, the test types where, and the file on disk is the same
// bytes. Cancelling the chooser (Escape) uploads nothing and says nothing
// went wrong.
func TestWindowFileDialogs(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	env := servertest.Start(t)
	dana := staffClient(t, env, "dana@riverside.example")
	caseID := caseByNumber(t, dana, "IMM-2026-0142")

	// A file of 3 MiB: several progress steps, and bytes that must arrive
	// exactly.
	dir := t.TempDir()
	data := make([]byte, 3<<20)
	if _, err := io.ReadFull(rand.Reader, data); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "passport scan.pdf")
	if err := os.WriteFile(src, append([]byte("%PDF-1.7\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(src)

	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)
	l := env.Login(t, "staff", "marcus@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Service address", %q) && __t.fill("Email", %q) && __t.fill("Password", %s) && __t.click("Connect")`,
		env.URL, l.Email, jsString(l.Password)))
	insp.waitTrue(ctx, t, `__t.h1() === "Dashboard"`, "the dashboard")
	insp.must(t, `__t.click("Cases")`)
	insp.waitTrue(ctx, t, `[...document.querySelectorAll(".case-link")].some((b) => b.textContent === "IMM-2026-0142")`, "the case list")
	insp.must(t, `[...document.querySelectorAll(".case-link")].find((b) => b.textContent === "IMM-2026-0142").click(), true`)
	insp.waitTrue(ctx, t, `document.querySelector("#documents-title") !== null`, "the case's documents")

	upload := `document.querySelector("#documents-title").closest("section").querySelector(".upload button").click(), true`

	// Cancelled: Escape closes the chooser; nothing is uploaded, no error.
	insp.must(t, upload)
	dialog := waitDialog(ctx, t, w, "Choose the files to upload")
	screenshot(ctx, t, w, "control-panel-dialog-chooser.png")
	for _, s := range [][]string{{"windowfocus", "--sync", dialog}, {"key", "--clearmodifiers", "Escape"}} {
		if _, err := w.xdo(ctx, s...); err != nil {
			t.Fatal(err)
		}
	}
	insp.waitTrue(ctx, t, `!document.querySelector("#documents-title").closest("section").querySelector(".upload button").disabled`, "the chooser closed")
	insp.waitTrue(ctx, t, `document.querySelector("#documents-title").closest("section").querySelector("[role=alert]") === null`, "no error after cancelling")
	if docs, err := dana.Documents(t.Context(), caseID); err != nil || hasDocument(docs, "passport scan.pdf") {
		t.Fatalf("a cancelled chooser uploaded something: %v", err)
	}

	// Chosen: type the path into GTK's location field and press Enter.
	insp.must(t, upload)
	dialog = waitDialog(ctx, t, w, "Choose the files to upload")
	typeInDialog(ctx, t, w, dialog, src)
	insp.waitTrue(ctx, t, `document.querySelector("#documents-title").closest("section").textContent.includes("Uploaded passport scan.pdf.")`, "the upload announced")
	insp.waitTrue(ctx, t, `[...document.querySelectorAll("ul.documents li")].some((li) => li.textContent.includes("passport scan.pdf"))`, "the document listed")
	insp.must(t, `document.querySelector("#documents-title").scrollIntoView(), true`)
	screenshot(ctx, t, w, "control-panel-dialog-uploaded.png")
	docs, err := dana.Documents(t.Context(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	var id uint64
	for _, d := range docs {
		if d.FileName == "passport scan.pdf" {
			id = d.ID
		}
	}
	if id == 0 {
		t.Fatalf("the service has no passport scan.pdf: %+v", docs)
	}
	resp, err := dana.DocumentContent(t.Context(), id, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("the service holds %d bytes (%v), want the %d bytes chosen", len(got), err, len(want))
	}

	// Saved: the save dialog suggests the name; the test types a full path.
	to := filepath.Join(dir, "saved", "copy of passport.pdf")
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	insp.must(t, `document.querySelector('button[aria-label="Download passport scan.pdf"]').click(), true`)
	dialog = waitDialog(ctx, t, w, "Save passport scan.pdf")
	screenshot(ctx, t, w, "control-panel-dialog-save.png")
	typeInDialog(ctx, t, w, dialog, to)
	if err := poll(ctx, w, 60*time.Second, func() (bool, error) {
		b, err := os.ReadFile(to)
		return err == nil && bytes.Equal(b, want), nil
	}); err != nil {
		b, _ := os.ReadFile(to)
		t.Fatalf("the saved file has %d bytes, want the %d uploaded: %v", len(b), len(want), err)
	}
}

func hasDocument(docs []api.Document, name string) bool {
	for _, d := range docs {
		if d.FileName == name {
			return true
		}
	}
	return false
}

// waitDialog waits for a visible window titled title (a GTK dialog of the
// control panel) and answers its X window id.
func waitDialog(ctx context.Context, t *testing.T, w *window, title string) string {
	t.Helper()
	var id string
	err := poll(ctx, w, 30*time.Second, func() (bool, error) {
		out, err := w.xdo(ctx, "search", "--onlyvisible", "--name", "^"+regexp.QuoteMeta(title)+"$")
		if err != nil || out == "" {
			return false, nil // none yet: xdotool exits 1
		}
		id = out
		return true, nil
	})
	if err != nil {
		t.Fatalf("no dialog %q appeared: %v", title, err)
	}
	return id
}

// typeInDialog types path into a GTK file dialog and confirms it: Ctrl+L
// shows the chooser's location field (a save dialog's name field takes a
// full path as well), Ctrl+A replaces what it holds.
func typeInDialog(ctx context.Context, t *testing.T, w *window, dialog, path string) {
	t.Helper()
	steps := [][]string{
		{"windowfocus", "--sync", dialog},
		{"key", "--clearmodifiers", "ctrl+l"},
		{"key", "--clearmodifiers", "ctrl+a"},
		{"type", "--delay", "20", path},
		{"key", "Return"},
	}
	for _, s := range steps {
		if _, err := w.xdo(ctx, s...); err != nil {
			t.Fatalf("typing into the dialog: %v", err)
		}
		time.Sleep(200 * time.Millisecond) // GTK takes each key before the next
	}
}
