package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/docstore"
	"clientportal/server/office"
	"clientportal/store"
)

// The kinds of write the crash soak makes, as its figures name them.
const (
	staffMessage = "staff messages"
	clientMsg    = "client messages"
	staffUpload  = "staff uploads"
	clientUpload = "client uploads"
)

var soakKinds = []string{staffMessage, clientMsg, staffUpload, clientUpload}

// soakClient is a demo client signed in to the portal as a browser is: a
// cookie jar whose session outlives the service's restarts (sessions are
// in the store).
type soakClient struct {
	id    uint64
	email string
	cases []uint64
	web   *http.Client
	msgs  int // messages tried (office.ClientMessages in office.ClientMessageWindow, across restarts)
}

// post sends a portal form as the browser does (same origin) and answers
// the status; an error means the service died under it.
func (c *soakClient) post(base, path, contentType string, body io.Reader) (int, error) {
	req, err := http.NewRequest(http.MethodPost, base+path, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.web.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err // cut while answering: not acknowledged
	}
	return resp.StatusCode, nil
}

// soakLedger is what the writers were told: the acknowledged writes, and
// the attempts the kill cut short or the office refused.
type soakLedger struct {
	mu         sync.Mutex
	staffMsgs  map[uint64]soakMessage // note id -> message
	clientMsgs []soakMessage
	staffDocs  map[uint64]soakDoc // document id -> document
	clientDocs []soakDoc
	acked      map[string]int
	cut        map[string]int // no answer: in flight at the kill
	refused    map[string]int // 429: the client's rate
}

type soakMessage struct {
	caseID, clientID uint64
	body             string
}

type soakDoc struct {
	caseID, clientID uint64
	name, sha        string
	size             int64
}

func (l *soakLedger) note(kind string, what map[string]int) {
	l.mu.Lock()
	what[kind]++
	l.mu.Unlock()
}

// soakBody is a message body no other write has: several lines, and
// letters beyond ASCII, so that "exact" means every byte.
func soakBody(kind string, round, n int) string {
	return fmt.Sprintf("%s %d/%d: Résumé, straße, 日本語 %016x\nsecond line\tend", kind, round, n, rand.Uint64())
}

// TestCrashSoak kills the real program with SIGKILL at least 50 times
// (CLIENTPORTAL_CRASH_KILLS raises it) at random moments, some just after it
// started serving, while staff post portal messages and upload documents
// through the staff API and clients post messages and upload documents
// through the portal's forms. The sessions of the first start are used
// throughout, as a browser and the control panel would keep them. After
// each kill the store opens, and every acknowledged message is in it with
// its exact body, and every acknowledged document with its SHA-256; every
// document record's file decrypts to its size and SHA-256 with the office
// key (none half written); after each restart the documents folder holds
// exactly the recorded files, no temp file. At the end the service
// serves every acknowledged document with its SHA-256. The figures (kills,
// acknowledged writes by kind, cut and refused attempts, losses) are logged
// and summed up in one line; any loss fails the test.
func TestCrashSoak(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("starts the real program")
	}
	kills := 50
	if v := os.Getenv("CLIENTPORTAL_CRASH_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 50 {
			t.Fatalf("CLIENTPORTAL_CRASH_KILLS=%q: give a number of kills, 50 or more", v)
		}
		kills = n
	}
	began := time.Now()
	ctx := context.Background()
	dir := t.TempDir()
	key := filepath.Join(t.TempDir(), "office.key")
	args := []string{"serve", "--data", dir, "--http", "127.0.0.1:0", "--office-key", key, "--access-log=false"}
	// The program as built for an office: a start of the race-instrumented
	// test binary takes 2 to 4 s here, the built program's 0.3 to 2.6 s.
	bin := buildBinary(t)
	sv := startProgram(t, bin, dir, nil, append(args, "--demo")...)

	// Staff: the demo's first staff login; its token serves every restart.
	staff := sv.login("staff")
	c, err := apiclient.New(sv.base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx, staff[1], staff[2]); err != nil {
		t.Fatalf("staff login: %v", err)
	}
	token := c.Token()
	clientIDs := map[string]uint64{}
	page, err := c.ListClients(ctx, apiclient.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, cl := range page.Items {
		clientIDs[cl.Email] = cl.ID
	}
	cases, err := c.ListCases(ctx, apiclient.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var caseIDs []uint64
	for _, cs := range cases.Items {
		caseIDs = append(caseIDs, cs.ID)
	}
	// Clients: each demo client with a login signs in to the portal once.
	var clients []*soakClient
	for _, l := range sv.logins {
		if l[0] != "client" {
			continue
		}
		jar, _ := cookiejar.New(nil)
		sc := &soakClient{id: clientIDs[l[1]], email: l[1], web: &http.Client{Jar: jar, Timeout: time.Minute,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		for _, cs := range cases.Items {
			if slices.Contains(cs.ClientIDs, sc.id) {
				sc.cases = append(sc.cases, cs.ID)
			}
		}
		status, err := sc.post(sv.base, "/login", "application/x-www-form-urlencoded",
			strings.NewReader(url.Values{"email": {l[1]}, "password": {l[2]}}.Encode()))
		if err != nil || status != http.StatusSeeOther || len(sc.cases) == 0 {
			t.Fatalf("portal login of %s: %d %v (cases %v)", l[1], status, err, sc.cases)
		}
		clients = append(clients, sc)
	}
	if len(clients) < 2 {
		t.Fatalf("the demo office has %d clients with logins; the soak needs two or more", len(clients))
	}

	led := &soakLedger{staffMsgs: map[uint64]soakMessage{}, staffDocs: map[uint64]soakDoc{},
		acked: map[string]int{}, cut: map[string]int{}, refused: map[string]int{}}
	losses := 0
	lost := func(format string, a ...any) {
		t.Helper()
		losses++
		if losses <= 20 {
			t.Errorf(format, a...)
		}
	}
	// unexpected is an answer a healthy service should not give.
	unexpected := func(kind string, status int, err error) {
		t.Errorf("%s: answered %d %v", kind, status, err)
	}

	clientMsgBudget, clientMsgAttempts := office.ClientMessages*len(clients), 0
	// write runs the writers against the service at base until stop closes.
	write := func(round int, base string, stop <-chan struct{}, wg *sync.WaitGroup) {
		sc, err := apiclient.New(base, apiclient.WithToken(token))
		if err != nil {
			t.Fatal(err)
		}
		stopped := func() bool {
			select {
			case <-stop:
				return true
			default:
				return false
			}
		}
		// Staff post portal messages.
		wg.Go(func() {
			for n := 0; !stopped(); n++ {
				caseID := caseIDs[rand.IntN(len(caseIDs))]
				body := soakBody("staff", round, n)
				m, err := sc.PostMessage(ctx, caseID, api.MessageInput{Body: body, Visibility: "portal"})
				var ae *api.Error
				switch {
				case errors.As(err, &ae):
					unexpected(staffMessage, ae.Status, err)
					return
				case err != nil:
					led.note(staffMessage, led.cut)
					return
				}
				led.mu.Lock()
				led.staffMsgs[m.ID] = soakMessage{caseID: caseID, body: body}
				led.acked[staffMessage]++
				led.mu.Unlock()
			}
		})
		// Staff upload documents, two at once: small files, now and then a
		// larger one, so a kill finds some in the middle of their stream.
		for u := range 2 {
			wg.Go(func() {
				for n := 0; !stopped(); n++ {
					caseID := caseIDs[rand.IntN(len(caseIDs))]
					name := fmt.Sprintf("staff-r%d-u%d-%d.pdf", round, u, n)
					size := 1_000 + rand.IntN(32_000)
					if rand.IntN(10) == 0 {
						size = 200_000 + rand.IntN(300_000)
					}
					content := pdfOf(name, size)
					docs, err := sc.UploadDocuments(ctx, caseID, rand.IntN(2) == 0, apiclient.UploadFile{Name: name, Content: bytes.NewReader(content)})
					var ae *api.Error
					switch {
					case errors.As(err, &ae):
						unexpected(staffUpload, ae.Status, err)
						return
					case err != nil:
						led.note(staffUpload, led.cut)
						return
					case len(docs) != 1:
						t.Errorf("an upload of one file answered %d documents", len(docs))
						return
					}
					led.mu.Lock()
					led.staffDocs[docs[0].ID] = soakDoc{caseID: caseID, name: name, sha: sum(content), size: int64(size)}
					led.acked[staffUpload]++
					led.mu.Unlock()
				}
			})
		}
		// Each client uploads through the portal's Documents form (the office
		// allows 10 uploads at once per client, then one every 30 seconds:
		// a 429 ends the client's uploads for the round).
		for _, cl := range clients {
			wg.Go(func() {
				for n := 0; !stopped(); n++ {
					caseID := cl.cases[rand.IntN(len(cl.cases))]
					name := fmt.Sprintf("client%d-r%d-%d.pdf", cl.id, round, n)
					content := pdfOf(name, 1_000+rand.IntN(32_000))
					var form bytes.Buffer
					mw := multipart.NewWriter(&form)
					part, _ := mw.CreateFormFile("file", name)
					part.Write(content)
					mw.Close()
					status, err := cl.post(base, fmt.Sprintf("/cases/%d/documents", caseID), mw.FormDataContentType(), &form)
					switch {
					case err != nil:
						led.note(clientUpload, led.cut)
						return
					case status == http.StatusTooManyRequests:
						led.note(clientUpload, led.refused)
						return
					case status != http.StatusSeeOther:
						unexpected(clientUpload, status, nil)
						return
					}
					led.mu.Lock()
					led.clientDocs = append(led.clientDocs, soakDoc{caseID: caseID, clientID: cl.id, name: name, sha: sum(content), size: int64(len(content))})
					led.acked[clientUpload]++
					led.mu.Unlock()
				}
			})
		}
		// Clients post messages through the Messages form, taking turns. The
		// office takes 20 a client in 10 minutes, counted in the store across
		// restarts: the attempts are spread over the rounds so that each
		// round has some and none is refused.
		wg.Go(func() {
			for n := 0; clientMsgAttempts < clientMsgBudget*(round+1)/kills; n++ {
				select {
				case <-stop:
					return
				case <-time.After(time.Duration(rand.IntN(150)) * time.Millisecond):
				}
				cl := clients[(round+n)%len(clients)]
				if cl.msgs >= office.ClientMessages {
					continue
				}
				cl.msgs++
				clientMsgAttempts++
				caseID := cl.cases[rand.IntN(len(cl.cases))]
				body := soakBody("client", round, n)
				status, err := cl.post(base, fmt.Sprintf("/cases/%d/messages", caseID), "application/x-www-form-urlencoded",
					strings.NewReader(url.Values{"body": {body}}.Encode()))
				switch {
				case err != nil:
					led.note(clientMsg, led.cut)
					return
				case status == http.StatusTooManyRequests:
					led.note(clientMsg, led.refused)
					continue
				case status != http.StatusSeeOther:
					unexpected(clientMsg, status, nil)
					return
				}
				led.mu.Lock()
				led.clientMsgs = append(led.clientMsgs, soakMessage{caseID: caseID, clientID: cl.id, body: body})
				led.acked[clientMsg]++
				led.mu.Unlock()
			}
		})
	}

	id, err := docstore.LoadOrCreateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := docstore.Open(filepath.Join(dir, "documents"), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	// whole holds the files found whole (decrypted to their record's size
	// and SHA-256) as they were then; a later round decrypts a file again only
	// when it is not that same file any more (size, time, inode).
	whole := map[string]os.FileInfo{}
	// check reads the store of the killed service: every acknowledged write
	// is there, every record's file decrypts whole. It answers the files the
	// records name.
	check := func(round int) map[string]bool {
		t.Helper()
		st, err := store.Open(dir, store.Options{LockTimeout: 10 * time.Second})
		if err != nil {
			t.Fatalf("round %d: the store does not open after the kill: %v", round, err)
		}
		defer st.Close()
		notes := map[uint64]store.Note{}
		records := map[uint64]store.Document{}
		byCase := map[uint64][]store.Note{}
		var recorded map[string]bool
		err = st.View(ctx, func(tx *store.Tx) error {
			for _, caseID := range caseIDs {
				list, err := tx.Notes(caseID, 0, 1<<30, false)
				if err != nil {
					return err
				}
				for _, n := range list {
					notes[n.ID] = n
				}
				byCase[caseID] = list
				ds, err := tx.CaseDocuments(caseID, false)
				if err != nil {
					return err
				}
				for _, d := range ds {
					records[d.ID] = d
				}
			}
			recorded, err = tx.DocumentFiles()
			return err
		})
		if err != nil {
			t.Fatalf("round %d: read the store: %v", round, err)
		}
		led.mu.Lock()
		defer led.mu.Unlock()
		for id, m := range led.staffMsgs {
			if n, ok := notes[id]; !ok || n.CaseID != m.caseID || n.Body != m.body || n.AuthorKind != "staff" || n.Visibility != store.Portal {
				lost("round %d: acknowledged staff message %d of case %d lost or changed: stored %+v", round, id, m.caseID, n)
			}
		}
		for _, m := range led.clientMsgs {
			if !slices.ContainsFunc(byCase[m.caseID], func(n store.Note) bool {
				return n.AuthorKind == "client" && n.AuthorID == m.clientID && n.Body == m.body
			}) {
				lost("round %d: acknowledged client message of client %d in case %d lost or changed: %q", round, m.clientID, m.caseID, m.body)
			}
		}
		for id, d := range led.staffDocs {
			if r, ok := records[id]; !ok || r.CaseID != d.caseID || r.FileName != d.name || r.SHA256 != d.sha || r.Size != d.size {
				lost("round %d: acknowledged staff upload %s (document %d) lost or changed: record %+v", round, d.name, id, r)
			}
		}
		byName := map[string]store.Document{} // the clients' file names are unique
		for _, r := range records {
			if r.UploaderKind == "client" {
				byName[r.FileName] = r
			}
		}
		for _, d := range led.clientDocs {
			if r, ok := byName[d.name]; !ok || r.CaseID != d.caseID || r.UploaderID != d.clientID || r.SHA256 != d.sha || r.Size != d.size {
				lost("round %d: acknowledged client upload %s of case %d lost or changed: record %+v", round, d.name, d.caseID, r)
			}
		}
		// Every record's file is whole: it decrypts to its size and SHA-256.
		for _, r := range records {
			if !recorded[r.StoredName] {
				t.Errorf("round %d: document %d's file %s is not among the recorded files", round, r.ID, r.StoredName)
			}
			fi, err := os.Stat(filepath.Join(dir, "documents", r.StoredName))
			if err == nil && whole[r.StoredName] != nil && os.SameFile(fi, whole[r.StoredName]) &&
				fi.Size() == whole[r.StoredName].Size() && fi.ModTime().Equal(whole[r.StoredName].ModTime()) {
				continue
			}
			f, err := docs.Open(r.StoredName)
			if err != nil {
				lost("round %d: document %d (%s): %v", round, r.ID, r.FileName, err)
				continue
			}
			h := sha256.New()
			n, err := io.Copy(h, f)
			f.Close()
			if got := hex.EncodeToString(h.Sum(nil)); err != nil || got != r.SHA256 || n != r.Size {
				lost("round %d: document %d (%s) decrypts to %d bytes, SHA-256 %s, %v; its record says %d, %s", round, r.ID, r.FileName, n, got, err, r.Size, r.SHA256)
				continue
			}
			whole[r.StoredName] = fi
		}
		return recorded
	}

	for round := range kills {
		// Kill soon after the start in a quarter of the rounds, else within
		// 30 to 700 ms of writing.
		delay := time.Duration(30+rand.IntN(670)) * time.Millisecond
		if rand.IntN(4) == 0 {
			delay = time.Duration(rand.IntN(30)) * time.Millisecond
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		write(round, sv.base, stop, &wg)
		time.Sleep(delay)
		close(stop) // no new writes; those in flight meet the kill
		if err := sv.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		sv.cmd.Wait()
		wg.Wait()
		t0 := time.Now()
		recorded := check(round)
		t1 := time.Now()
		sv = startProgram(t, bin, dir, nil, args...)
		stored, temp := docFolder(t, dir)
		if len(temp) != 0 {
			t.Errorf("round %d: temp files left after the restart: %q", round, temp)
		}
		if slices.Sort(stored); !slices.Equal(stored, slices.Sorted(maps.Keys(recorded))) {
			t.Errorf("round %d: after the restart the folder holds %d files, the records name %d", round, len(stored), len(recorded))
		}
		led.mu.Lock()
		t.Logf("kill %d after %v of writing: acknowledged so far %v; cut %v; refused %v; %d files; checked in %v, restarted in %v",
			round+1, delay, led.acked, led.cut, led.refused, len(stored), t1.Sub(t0).Round(time.Millisecond), time.Since(t1).Round(time.Millisecond))
		led.mu.Unlock()
		if t.Failed() && losses > 20 {
			t.FailNow()
		}
	}

	// The last start serves every acknowledged document whole.
	c, err = apiclient.New(sv.base, apiclient.WithToken(token))
	if err != nil {
		t.Fatal(err)
	}
	served := func(id uint64, d soakDoc) {
		resp, err := c.DocumentContent(ctx, id, "")
		if err != nil {
			lost("download of %s (document %d) after the last restart: %v", d.name, id, err)
			return
		}
		h := sha256.New()
		_, err = io.Copy(h, resp.Body)
		resp.Body.Close()
		if got := hex.EncodeToString(h.Sum(nil)); err != nil || got != d.sha {
			lost("%s (document %d) downloads with SHA-256 %s, %v; want %s", d.name, id, got, err, d.sha)
		}
	}
	for id, d := range led.staffDocs {
		served(id, d)
	}
	byName := map[string]uint64{}
	for _, caseID := range caseIDs {
		list, err := c.Documents(ctx, caseID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			byName[d.FileName] = d.ID
		}
	}
	for _, d := range led.clientDocs {
		served(byName[d.name], d)
	}
	sv.stop(t)

	total := 0
	var parts []string
	for _, k := range soakKinds {
		total += led.acked[k]
		parts = append(parts, fmt.Sprintf("%s %d", k, led.acked[k]))
	}
	for _, k := range soakKinds {
		if led.acked[k] == 0 {
			t.Errorf("no %s were acknowledged: the soak did not exercise them", k)
		}
	}
	t.Logf("attempts cut by a kill: %v; refused by a client's rate: %v", led.cut, led.refused)
	summary := fmt.Sprintf("crash soak: %d SIGKILLs, %d acknowledged writes (%s), %d cut in flight, %d losses, in %v",
		kills, total, strings.Join(parts, ", "), sumOf(led.cut), losses, time.Since(began).Round(time.Second))
	t.Log(summary)
	fmt.Println(summary)
}

func sumOf(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
