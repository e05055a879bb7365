package mail_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/demo"
	"clientportal/server/mail"
	"clientportal/server/mail/mailtest"
	"clientportal/server/password"
	"clientportal/server/servertest"
	"clientportal/store"
)

var ctx = context.Background()

// Test timing: the clock is the store's and is moved by the tests, so the
// quiet period, the window and the backoff are passed by moving it, not by
// waiting. The sender's own timer is an hour: it sends only when something
// wakes it (a test after moving the clock, the service after a settings
// change), so a missing wake-up shows.
const (
	quiet  = time.Minute
	window = 5 * time.Minute
	retry  = 30 * time.Second
)

// service is the real portal service (store, server.New, Serve on a
// loopback listener, so its mail sender runs) over a data folder.
type service struct {
	dir    string
	clock  *servertest.Clock
	store  *store.Store
	srv    *server.Server
	url    string
	logins []demo.Login
	stop   func()
}

var hasher = password.Hasher{Params: password.TestParams}

// startService runs the service on dir (filled with the demo office when
// empty) with its mail going to smtp, until stop or the test's end.
func startService(t *testing.T, dir string, clk *servertest.Clock, smtp *mailtest.Server) *service {
	t.Helper()
	st, err := store.Open(dir, store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	svc := &service{dir: dir, clock: clk, store: st}
	if svc.logins, err = demo.Fill(ctx, st, hasher); err != nil && !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatal(err)
	}
	var logOut io.Writer = io.Discard
	if testing.Verbose() {
		logOut = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc.srv, err = server.New(server.Config{Store: st, Logger: log, Hasher: hasher, Version: "test", OfficeKey: t.TempDir() + "/office.key",
		Mail: mail.Options{RootCAs: smtp.RootCAs(), Quiet: quiet, Window: window, Retry: retry, Poll: time.Hour, Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	svc.url = "http://" + ln.Addr().String()
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.srv.Serve(sctx, ln) }()
	var once sync.Once
	svc.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
			if err := st.Close(); err != nil {
				t.Errorf("close store: %v", err)
			}
		})
	}
	t.Cleanup(svc.stop)
	return svc
}

// staff logs in as the demo staff member with email.
func (s *service) staff(t *testing.T, email string) *apiclient.Client {
	t.Helper()
	c, err := apiclient.New(s.url)
	if err != nil {
		t.Fatal(err)
	}
	// The demo logins are the same in every demo office.
	pw := map[string]string{"dana@riverside.example": "Harbor-Lantern-42!Qz", "marcus@riverside.example": "Maple-Orchard-73!Kw",
		"lucia@riverside.example": "Maple-Orchard-73!Kw"}[email]
	if _, err := c.Login(ctx, email, pw); err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return c
}

const (
	admin  = "dana@riverside.example"
	marcus = "marcus@riverside.example"
	lucia  = "lucia@riverside.example"
)

// Demo office cases: 1 is Amina's (English, advocate Marcus), 2 José's
// (Spanish, advocate Lucía), 3 José's pro bono case, 4 Li Wei's pro bono.
var caseContent = []string{
	"Asylum application", "IMM-2026-0142", "Eviction defense", "HOU-2026-0317", "Family petition",
	"Accepted", "Aceptado", "Under review", "En revisión", "In progress", "En curso", "Closed", "Cerrado",
	"accepted", "under_review", "in_progress", "closed", "Secret detail",
}

func str(s string) *string { return &s }
func boolp(b bool) *bool   { return &b }
func intp(i int) *int      { return &i }

// configure points the office's mail settings at smtp.
func configure(t *testing.T, c *apiclient.Client, smtp *mailtest.Server, mutate func(*api.MailSettingsInput)) api.MailSettings {
	t.Helper()
	in := api.MailSettingsInput{Host: str(smtp.Host), Port: intp(smtp.Port), Security: str("starttls"), Username: str(smtp.Username),
		Password: str(smtp.Password), From: str("portal@riverside.example")}
	if smtp.ImplicitTLS {
		in.Security = str("tls")
	}
	if mutate != nil {
		mutate(&in)
	}
	m, err := c.PutMailSettings(ctx, in)
	if err != nil {
		t.Fatalf("PutMailSettings: %v", err)
	}
	return m
}

func addStatus(t *testing.T, c *apiclient.Client, caseID uint64, status string) {
	t.Helper()
	if _, err := c.AddStatusEntry(ctx, caseID, api.StatusEntryInput{Status: status, Info: "Secret detail about the hearing"}); err != nil {
		t.Fatalf("AddStatusEntry case %d: %v", caseID, err)
	}
}

// outbox reads the whole outbox from the store.
func outbox(t *testing.T, s *service, state string) []store.OutboxEntry {
	t.Helper()
	var out []store.OutboxEntry
	err := s.store.View(ctx, func(tx *store.Tx) (err error) { out, err = tx.OutboxInState(state, 0, 1000); return err })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// waitOutbox waits until ok holds of the whole outbox.
func waitOutbox(t *testing.T, s *service, what string, ok func([]store.OutboxEntry) bool) []store.OutboxEntry {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		all := outbox(t, s, "")
		if ok(all) {
			return all
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox never %s: %+v", what, all)
		}
		s.srv.Mail().Wake()
		time.Sleep(10 * time.Millisecond)
	}
}

// settle gives the sender time to send anything it wrongly would.
func settle(s *service) {
	for range 10 {
		s.srv.Mail().Wake()
		time.Sleep(20 * time.Millisecond)
	}
}

// email is a received message, parsed.
type email struct {
	h           gomail.Header
	messageID   string
	subject     string
	plain, html string
	mediaType   string
}

func parse(t *testing.T, m mailtest.Message) email {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, m.Data)
	}
	e := email{h: r.Header}
	e.messageID, _ = r.Header.MessageID()
	e.subject, _ = r.Header.Subject()
	e.mediaType, _, _ = r.Header.ContentType()
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		ih, ok := p.Header.(*gomail.InlineHeader)
		if !ok {
			t.Fatalf("part %T is not inline", p.Header)
		}
		body, _ := io.ReadAll(p.Body)
		switch ct, _, _ := ih.ContentType(); ct {
		case "text/plain":
			e.plain = string(body)
		case "text/html":
			e.html = string(body)
		}
	}
	return e
}

// noCaseContent fails when the email names anything of a case.
func noCaseContent(t *testing.T, e email) {
	t.Helper()
	for _, part := range []string{e.subject, e.plain, e.html} {
		for _, c := range caseContent {
			if strings.Contains(part, c) {
				t.Errorf("email %q carries case content %q:\n%s", e.subject, c, part)
			}
		}
	}
}
