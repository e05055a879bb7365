package app

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// noteRecorder stands in for the operating system's notifications: no
// notification daemon runs inside a unit test (window_notify_test.go shows
// them through a real one, dunst on a D-Bus session bus).
type noteRecorder struct {
	mu    sync.Mutex
	notes []Notification
}

func (r *noteRecorder) Notify(n Notification) error {
	r.mu.Lock()
	r.notes = append(r.notes, n)
	r.mu.Unlock()
	return nil
}

func (r *noteRecorder) all() []Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Notification(nil), r.notes...)
}

// waitNotes waits until n notifications were shown, then one more
// coalescing window, and returns them all (so a test sees any extra one).
func (r *noteRecorder) waitNotes(t *testing.T, p *Panel, n int) []Notification {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for len(r.all()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d notifications within 20s, want %d: %+v", len(r.all()), n, r.all())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(2 * p.link.notes.window)
	return r.all()
}

// notifyPanel is a control panel logged in as Marcus, its notifications
// recorded, its setting in a temporary file, with a coalescing window of
// window.
func notifyPanel(t *testing.T, env *servertest.Env, window time.Duration) (*Panel, *noteRecorder) {
	t.Helper()
	p := New("test")
	p.link.notes.file = filepath.Join(t.TempDir(), "clientportal", "notifications.json")
	p.link.notes.window = window
	notes := &noteRecorder{}
	p.SetNotifier(notes)
	rec := newRecorder()
	p.SetEmitter(rec)
	p.SetHTTPClient(env.HTTP.Client())
	t.Cleanup(p.Close)
	l := env.Login(t, "staff", "marcus@riverside.example")
	if _, err := p.Session.Connect(env.URL, l.Email, l.Password); err != nil {
		t.Fatal(err)
	}
	rec.waitFor(t, "the live state", isState("live"))
	return p, notes
}

// TestNotifyClientMessage: a client's message on the portal raises exactly
// one desktop notification naming the case, not the content; staff
// messages (the person's own and a colleague's) raise none.
func TestNotifyClientMessage(t *testing.T) {
	env := servertest.Start(t)
	p, notes := notifyPanel(t, env, 500*time.Millisecond)
	dana := staffClient(t, env, "dana@riverside.example")
	id := caseByNumber(t, dana, "IMM-2026-0142")

	if _, err := p.CasePage.PostMessage(id, "Your own note", "internal"); err != nil {
		t.Fatal(err)
	}
	if _, err := dana.PostMessage(t.Context(), id, api.MessageInput{Body: "A colleague's message", Visibility: "portal"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * p.link.notes.window)
	if got := notes.all(); len(got) != 0 {
		t.Fatalf("staff messages raised notifications: %+v", got)
	}

	clientPosts(t, env, "amina@example.org", id, "My secret reply about the hearing")
	got := notes.waitNotes(t, p, 1)
	if len(got) != 1 {
		t.Fatalf("%d notifications for one client message, want 1: %+v", len(got), got)
	}
	want := Notification{ID: got[0].ID, Title: "Riverside Legal Aid", Body: "New message from a client in case IMM-2026-0142"}
	if got[0] != want || got[0].ID == "" {
		t.Errorf("notification = %+v, want %+v", got[0], want)
	}
	if strings.Contains(got[0].Title+got[0].Body, "secret") || strings.Contains(got[0].Body, "Amina") {
		t.Errorf("the notification carries the message's content or the client's name: %+v", got[0])
	}
}

// TestNotifyCoalesces: several client messages and uploads within the
// window raise one notification that counts them; the next one, after the
// window, raises its own.
func TestNotifyCoalesces(t *testing.T) {
	env := servertest.Start(t)
	p, notes := notifyPanel(t, env, 2*time.Second)
	dana := staffClient(t, env, "dana@riverside.example")
	id := caseByNumber(t, dana, "IMM-2026-0142")

	clientPosts(t, env, "amina@example.org", id, "one")
	clientPosts(t, env, "amina@example.org", id, "two")
	clientUploads(t, env, "amina@example.org", id, "passport.pdf", "with my passport")
	got := notes.waitNotes(t, p, 1)
	if len(got) != 1 {
		t.Fatalf("%d notifications, want 1 for the burst: %+v", len(got), got)
	}
	// The upload with a message is a message and a document.
	if want := "3 new messages and 1 new document from clients in case IMM-2026-0142"; got[0].Body != want {
		t.Errorf("body = %q, want %q", got[0].Body, want)
	}

	clientUploads(t, env, "amina@example.org", id, "visa.pdf", "")
	got = notes.waitNotes(t, p, 2)
	if len(got) != 2 || got[1].Body != "New document from a client in case IMM-2026-0142" {
		t.Errorf("after the window: %+v, want a second notification for the upload", got)
	}
	if len(got) == 2 && got[0].ID == got[1].ID {
		t.Errorf("two notifications share the id %q: the second would replace the first", got[0].ID)
	}
}

// TestNotifySetting: turned off, nothing is shown; the choice is kept in
// the panel's settings file and read by the next start; a damaged file
// says so and leaves them on.
func TestNotifySetting(t *testing.T) {
	env := servertest.Start(t)
	p, notes := notifyPanel(t, env, 300*time.Millisecond)
	dana := staffClient(t, env, "dana@riverside.example")
	id := caseByNumber(t, dana, "IMM-2026-0142")

	if s, err := p.Notifications.Settings(); err != nil || !s.Enabled {
		t.Fatalf("Settings at first = %+v, %v; want on", s, err)
	}
	if s, err := p.Notifications.SetEnabled(false); err != nil || s.Enabled {
		t.Fatalf("SetEnabled(false) = %+v, %v", s, err)
	}
	clientPosts(t, env, "amina@example.org", id, "while notifications are off")
	time.Sleep(4 * p.link.notes.window)
	if got := notes.all(); len(got) != 0 {
		t.Fatalf("notifications while turned off: %+v", got)
	}

	// The next start of the panel reads the choice.
	file := p.link.notes.file
	next := New("test")
	next.link.notes.file = file
	if s, err := next.Notifications.Settings(); err != nil || s.Enabled {
		t.Errorf("a new panel reads %+v, %v from %s; want off", s, err, file)
	}

	if _, err := p.Notifications.SetEnabled(true); err != nil {
		t.Fatal(err)
	}
	clientPosts(t, env, "amina@example.org", id, "and now they are on")
	if got := notes.waitNotes(t, p, 1); len(got) != 1 {
		t.Errorf("%d notifications once turned on, want 1", len(got))
	}

	// A damaged file: the error says which file and what to do.
	if err := os.WriteFile(file, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	damaged := New("test")
	damaged.link.notes.file = file
	s, err := damaged.Notifications.Settings()
	if err == nil || !s.Enabled || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "turn them off or on again") {
		t.Errorf("damaged file: %+v, %v", s, err)
	}
	if _, err := damaged.Notifications.SetEnabled(false); err != nil {
		t.Fatal(err)
	}
	if s, err := damaged.Notifications.Settings(); err != nil || s.Enabled {
		t.Errorf("after rewriting: %+v, %v", s, err)
	}

	// A folder that cannot be written: the error says so, and the
	// setting stays as it was.
	blocked := New("test")
	blocked.link.notes.file = filepath.Join(file, "below-a-file", "notifications.json")
	if s, err := blocked.Notifications.SetEnabled(false); err == nil || !s.Enabled || !strings.Contains(err.Error(), "could not save") {
		t.Errorf("unwritable folder: %+v, %v", s, err)
	}
}

// TestDescribe: what the notification says for each mix, in English and in
// Spanish (with Spanish plurals: one, many, other).
func TestDescribe(t *testing.T) {
	l := newLink()
	for _, c := range []struct {
		messages, documents int
		cases               []string
		en, es              string
	}{
		{1, 0, []string{"A-1"}, "New message from a client in case A-1", "Nuevo mensaje de un cliente en el caso A-1"},
		{0, 1, []string{"A-1"}, "New document from a client in case A-1", "Nuevo documento de un cliente en el caso A-1"},
		{2, 0, []string{"A-1", "B-2"}, "2 new messages from clients in cases A-1, B-2", "2 mensajes nuevos de clientes en los casos A-1, B-2"},
		{0, 3, []string{"A-1"}, "3 new documents from clients in case A-1", "3 documentos nuevos de clientes en el caso A-1"},
		{1, 1, []string{"A-1"}, "1 new message and 1 new document from clients in case A-1", "1 mensaje nuevo y 1 documento nuevo de clientes en el caso A-1"},
		{2, 1, []string{"A-1", "B-2"}, "2 new messages and 1 new document from clients in cases A-1, B-2", "2 mensajes nuevos y 1 documento nuevo de clientes en los casos A-1, B-2"},
		{1000000, 0, []string{"A-1"}, "1000000 new messages from clients in case A-1", "1000000 de mensajes nuevos de clientes en el caso A-1"},
	} {
		for _, lang := range []string{"en", "es"} {
			if _, err := l.langs.set(lang); err != nil {
				t.Fatal(err)
			}
			want := c.en
			if lang == "es" {
				want = c.es
			}
			if got := l.say(describe(c.messages, c.documents, c.cases)); got != want {
				t.Errorf("%s: describe(%d, %d, %v) = %q, want %q", lang, c.messages, c.documents, c.cases, got, want)
			}
		}
	}
}

// clientUploads logs in to the portal as the demo client email and uploads
// one small PDF on the case's documents page (with a message when body is
// not empty), as the client's browser does.
func clientUploads(t *testing.T, env *servertest.Env, email string, caseID uint64, name, body string) {
	t.Helper()
	b := env.Browser()
	l := env.Login(t, "client", email)
	resp, err := b.PostForm(env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if body != "" {
		_ = mw.WriteField("body", body)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(fw, "%%PDF-1.4\n%% %s\n%%%%EOF\n", name)
	mw.Close()
	resp, err = b.Post(fmt.Sprintf("%s/cases/%d/documents", env.URL, caseID), mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("portal upload as %s: %s", email, resp.Status)
	}
}
