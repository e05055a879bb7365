package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/apiclient"
	"clientportal/store"
)

// pdfOf is a PDF-looking file of n bytes whose content is marked by seed.
func pdfOf(seed string, n int) []byte {
	b := append([]byte("%PDF-1.7\n% "+seed+"\n"), bytes.Repeat([]byte("stream of "+seed+" \n"), n/(len(seed)+11)+1)...)
	return b[:n]
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// docFolder lists the documents folder: stored files and temp files.
func docFolder(t *testing.T, dir string) (stored, temp []string) {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, "documents"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		switch n := e.Name(); {
		case strings.HasPrefix(n, ".upload-"):
			temp = append(temp, n)
		case strings.HasSuffix(n, ".age"):
			stored = append(stored, n)
		default:
			t.Errorf("documents folder holds %s", n)
		}
	}
	return stored, temp
}

// waitFolder polls the documents folder until ok holds of it.
func waitFolder(t *testing.T, dir, what string, ok func(stored, temp []string) bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		stored, temp := docFolder(t, dir)
		if ok(stored, temp) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the documents folder never %s: stored %q, temp %q", what, stored, temp)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stalled yields its data, then blocks until done closes: an upload whose
// sender is still sending when the service dies.
type stalled struct {
	data []byte
	done chan struct{}
}

func (s *stalled) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		<-s.done
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

// TestUploadCrash runs the built program as its own process and SIGKILLs it
// in the two places an upload can be cut short on disk: between its file
// and its record (deterministically: the test aid server.HoldEnv holds the
// upload with a chosen content after its file is renamed and fsynced, and
// before the handler can record it; the test kills once the folder shows
// that file under its final name), and in the middle of the stream (once
// the temp file is on disk and the sender has sent only part of the file).
// After each restart, the start-up sweep has removed what the crash left:
// no record without its file, no file without its record, no temp file;
// and every upload acknowledged before the crashes is there, downloading
// with its SHA-256.
func TestUploadCrash(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("starts the real program")
	}
	ctx := context.Background()
	dir := t.TempDir()
	held := pdfOf("held", 300_000)
	env := []string{server.HoldEnv + "=" + sum(held)}
	args := []string{"serve", "--data", dir, "--http", "127.0.0.1:0"}
	sv := startServeEnv(t, dir, env, append(args, "--demo")...)
	staff := sv.login("staff")
	client := func() *apiclient.Client {
		t.Helper()
		c, err := apiclient.New(sv.base)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Login(ctx, staff[1], staff[2]); err != nil {
			t.Fatalf("staff login: %v", err)
		}
		return c
	}
	kill := func() {
		t.Helper()
		if err := sv.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		sv.cmd.Wait()
	}
	var logs []string // the stderr of each run that ended
	restart := func() {
		t.Helper()
		sv = startServeEnv(t, dir, env, args...)
	}

	// Acknowledged uploads: one request of three files, and one of one.
	c := client()
	acked := map[string][]byte{ // file name -> content
		"lease.pdf": pdfOf("lease", 10_000), "payslip.pdf": pdfOf("payslip", 1<<20),
		"passport.pdf": pdfOf("passport", 3<<20), "letter.pdf": pdfOf("letter", 70_000),
	}
	if _, err := c.UploadDocuments(ctx, 1, false, apiclient.UploadFile{Name: "lease.pdf", Content: bytes.NewReader(acked["lease.pdf"])},
		apiclient.UploadFile{Name: "payslip.pdf", Content: bytes.NewReader(acked["payslip.pdf"])},
		apiclient.UploadFile{Name: "passport.pdf", Content: bytes.NewReader(acked["passport.pdf"])}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UploadDocuments(ctx, 2, true, apiclient.UploadFile{Name: "letter.pdf", Content: bytes.NewReader(acked["letter.pdf"])}); err != nil {
		t.Fatal(err)
	}
	base, _ := docFolder(t, dir)
	if len(base) != 4 {
		t.Fatalf("4 uploads, %d stored files: %q", len(base), base)
	}

	// 1. Killed between the file and the record: a request of two files,
	// the first stored, the second (held) stored and renamed, neither
	// recorded.
	answered := make(chan error, 1)
	go func() {
		_, err := c.UploadDocuments(ctx, 1, false, apiclient.UploadFile{Name: "first.pdf", Content: bytes.NewReader(pdfOf("first", 200_000))},
			apiclient.UploadFile{Name: "held.pdf", Content: bytes.NewReader(held)})
		answered <- err
	}()
	waitFolder(t, dir, "held both files of the cut request under their final names", func(stored, temp []string) bool {
		return len(stored) == 6 && len(temp) == 0
	})
	kill()
	if err := <-answered; err == nil {
		t.Fatal("the upload killed before its record was acknowledged")
	}
	logs = append(logs, sv.stderr.String())
	restart()

	// 2. Killed in the middle of the stream: the temp file is on disk.
	c = client()
	stall := &stalled{data: pdfOf("cut", 2<<20), done: make(chan struct{})}
	go func() {
		_, err := c.UploadDocuments(ctx, 1, false, apiclient.UploadFile{Name: "cut.pdf", Content: stall})
		answered <- err
	}()
	waitFolder(t, dir, "held the temp file of the cut upload", func(_, temp []string) bool { return len(temp) == 1 })
	kill()
	close(stall.done) // the sender gives up too, so its request returns
	if err := <-answered; err == nil {
		t.Fatal("the upload killed in the middle was acknowledged")
	}
	logs = append(logs, sv.stderr.String())
	restart()

	// After the restart: the acknowledged uploads, and nothing else.
	c = client()
	var docs []string
	for _, caseID := range []uint64{1, 2} {
		list, err := c.Documents(ctx, caseID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			docs = append(docs, d.FileName)
			want, ok := acked[d.FileName]
			if !ok {
				t.Errorf("case %d has a record of %s, an upload that was never acknowledged", caseID, d.FileName)
				continue
			}
			if d.SHA256 != sum(want) || d.Size != int64(len(want)) {
				t.Errorf("%s: record says %d bytes, SHA-256 %s; want %d, %s", d.FileName, d.Size, d.SHA256, len(want), sum(want))
			}
			resp, err := c.DocumentContent(ctx, d.ID, "")
			if err != nil {
				t.Fatalf("download %s: %v", d.FileName, err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || sum(got) != sum(want) {
				t.Errorf("download %s: %d bytes, SHA-256 %s, %v; want %s", d.FileName, len(got), sum(got), err, sum(want))
			}
		}
	}
	if slices.Sort(docs); !slices.Equal(docs, slices.Sorted(maps.Keys(acked))) {
		t.Errorf("records after the crashes: %q; want the acknowledged %q", docs, slices.Sorted(maps.Keys(acked)))
	}
	sv.stop(t)
	logs = append(logs, sv.stderr.String())

	// No file without its record, no record without its file.
	stored, temp := docFolder(t, dir)
	if len(temp) != 0 {
		t.Errorf("temp files left: %q", temp)
	}
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var recorded map[string]bool
	if err := st.View(ctx, func(tx *store.Tx) (err error) { recorded, err = tx.DocumentFiles(); return err }); err != nil {
		t.Fatal(err)
	}
	if slices.Sort(stored); !slices.Equal(stored, slices.Sorted(maps.Keys(recorded))) {
		t.Errorf("files %q, records name %q", stored, slices.Sorted(maps.Keys(recorded)))
	}
	if !slices.Equal(stored, slices.Sorted(slices.Values(base))) {
		t.Errorf("files %q after the crashes; the acknowledged uploads' files were %q", stored, base)
	}
	// Each start that found leftovers said what it removed.
	for i, want := range []string{"count=2", "count=1"} {
		if l := logs[i+1]; !strings.Contains(l, "documents folder: removed") || !strings.Contains(l, want) {
			t.Errorf("start %d's log does not say it removed the leftovers (%s):\n%s", i+2, want, l)
		}
	}
}

// TestUploadCrashAtRandomPoints adds chance to TestUploadCrash's fixed
// points: uploaders keep sending while the service is SIGKILLed at a
// random moment (in a stream, between a file and its record, in a commit,
// after a commit but before the answer), three times. After each restart
// every acknowledged upload is there with its SHA-256, every record's file
// decrypts to its SHA-256, and the folder holds exactly the files the
// records name.
func TestUploadCrashAtRandomPoints(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("starts the real program")
	}
	ctx := context.Background()
	dir := t.TempDir()
	args := []string{"serve", "--data", dir, "--http", "127.0.0.1:0"}
	sv := startServeEnv(t, dir, nil, append(args, "--demo")...)
	staff := sv.login("staff")
	acked := map[string]string{} // file name -> SHA-256
	var mu sync.Mutex
	for round := range 3 {
		c, err := apiclient.New(sv.base)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Login(ctx, staff[1], staff[2]); err != nil {
			t.Fatalf("staff login: %v", err)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for u := range 4 {
			wg.Go(func() {
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					name := fmt.Sprintf("r%d-u%d-%d.pdf", round, u, n)
					content := pdfOf(name, 100_000+rand.IntN(3<<20))
					if _, err := c.UploadDocuments(ctx, uint64(1+u%2), false, apiclient.UploadFile{Name: name, Content: bytes.NewReader(content)}); err != nil {
						return // the service died
					}
					mu.Lock()
					acked[name] = sum(content)
					mu.Unlock()
				}
			})
		}
		time.Sleep(time.Duration(300+rand.IntN(900)) * time.Millisecond)
		if err := sv.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		sv.cmd.Wait()
		close(stop)
		wg.Wait()
		sv = startServeEnv(t, dir, nil, args...)
		c, _ = apiclient.New(sv.base)
		if _, err := c.Login(ctx, staff[1], staff[2]); err != nil {
			t.Fatalf("staff login: %v", err)
		}
		records := map[string]string{}
		for _, caseID := range []uint64{1, 2} {
			list, err := c.Documents(ctx, caseID)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range list {
				records[d.FileName] = d.SHA256
				resp, err := c.DocumentContent(ctx, d.ID, "")
				if err != nil {
					t.Fatalf("round %d: download %s: %v", round, d.FileName, err)
				}
				h := sha256.New()
				_, err = io.Copy(h, resp.Body)
				resp.Body.Close()
				if got := hex.EncodeToString(h.Sum(nil)); err != nil || got != d.SHA256 {
					t.Errorf("round %d: %s downloads with SHA-256 %s, %v; its record says %s", round, d.FileName, got, err, d.SHA256)
				}
			}
		}
		mu.Lock()
		for name, want := range acked {
			if got, ok := records[name]; !ok || got != want {
				t.Errorf("round %d: acknowledged %s lost or changed: record %q, want SHA-256 %s", round, name, got, want)
			}
		}
		t.Logf("round %d: %d uploads acknowledged so far, %d records", round, len(acked), len(records))
		mu.Unlock()
		stored, temp := docFolder(t, dir)
		if len(temp) != 0 || len(stored) != len(records) {
			t.Errorf("round %d: the folder holds %d files and %d temp files for %d records", round, len(stored), len(temp), len(records))
		}
	}
}
