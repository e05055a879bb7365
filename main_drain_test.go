package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/store"
)

// A stop drains: SIGTERM to the real program while a staff upload is half
// sent and a staff event stream is open. The stream is closed with "going
// away" (1001), the upload finishes and is acknowledged, the program exits
// cleanly, and the document is in the store it closed.
func TestStopDrains(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	dir := t.TempDir()
	sv := startDemo(t, dir)
	staff := sv.login("staff")
	token := staffLogin(t, sv.base, staff[1], staff[2])

	// An open event stream.
	h := http.Header{"Authorization": {"Bearer " + token}}
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(sv.base, "http")+"/api/v1/events", h)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	closed := make(chan error, 1)
	go func() {
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				closed <- err
				return
			}
		}
	}()

	// An upload whose body arrives in two halves, the stop in between.
	content := bytes.Repeat([]byte("drain test line\n"), 64<<10) // 1 MiB of text
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, _ := http.NewRequest("POST", sv.base+"/api/v1/cases/1/documents", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	type answer struct {
		status int
		body   string
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answered <- answer{status: resp.StatusCode, body: string(b)}
	}()
	mw.WriteField("portal", "false")
	part, _ := mw.CreateFormFile("file", "drain.txt")
	half := len(content) / 2
	if _, err := part.Write(content[:half]); err != nil {
		t.Fatal(err)
	}

	exited := make(chan error, 1)
	if err := sv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	go func() { exited <- sv.cmd.Wait() }()

	select {
	case err := <-closed:
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
			t.Errorf("event stream ended with %v, want close code 1001 (going away)", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("the event stream was not closed within 5 s of the stop")
	}

	time.Sleep(500 * time.Millisecond) // the service is draining
	if _, err := part.Write(content[half:]); err != nil {
		t.Fatalf("the rest of the upload: %v", err)
	}
	mw.Close()
	pw.Close()
	a := <-answered
	if a.err != nil || a.status != http.StatusCreated {
		t.Fatalf("upload in flight at the stop: %d %s %v, want 201", a.status, a.body, a.err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the program after SIGTERM: %v\n%s", err, sv.stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the program did not exit within 20 s of SIGTERM")
	}

	// The store was closed (it opens at once) and holds the document.
	st, err := store.Open(dir, store.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("store after the stop: %v", err)
	}
	defer st.Close()
	want := fmt.Sprintf("%x", sha256.Sum256(content))
	err = st.View(context.Background(), func(tx *store.Tx) error {
		list, err := tx.CaseDocuments(1, false)
		if err != nil {
			return err
		}
		for _, d := range list {
			if d.FileName == "drain.txt" && d.SHA256 == want {
				return nil
			}
		}
		return fmt.Errorf("no drain.txt with SHA-256 %s among %d documents", want, len(list))
	})
	if err != nil {
		t.Error(err)
	}
}
