package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// emitted is one event the Go side sent the frontend.
type emitted struct {
	name string
	data any
}

// recorder is the frontend, as far as the Go side can tell: it records
// what Emit sends.
type recorder struct {
	mu     sync.Mutex
	events []emitted
	added  chan struct{}
}

func newRecorder() *recorder { return &recorder{added: make(chan struct{}, 1)} }

func (r *recorder) Emit(name string, data any) {
	r.mu.Lock()
	r.events = append(r.events, emitted{name, data})
	r.mu.Unlock()
	select {
	case r.added <- struct{}{}:
	default:
	}
}

func (r *recorder) all() []emitted {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]emitted(nil), r.events...)
}

// waitFor waits until an event matching ok has been emitted (at any time
// since the recorder was made) and returns it.
func (r *recorder) waitFor(t *testing.T, what string, ok func(emitted) bool) emitted {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		for _, e := range r.all() {
			if ok(e) {
				return e
			}
		}
		select {
		case <-r.added:
		case <-deadline:
			t.Fatalf("no %s emitted within 15s; emitted: %+v", what, r.all())
		}
	}
}

// count counts the emitted events matching ok.
func (r *recorder) count(ok func(emitted) bool) int {
	n := 0
	for _, e := range r.all() {
		if ok(e) {
			n++
		}
	}
	return n
}

func isLive(typ string, caseID uint64) func(emitted) bool {
	return func(e emitted) bool {
		ev, ok := e.data.(LiveEvent)
		return e.name == EventLive && ok && ev.Type == typ && ev.CaseID == caseID
	}
}

func isState(state string) func(emitted) bool {
	return func(e emitted) bool {
		s, ok := e.data.(LiveState)
		return e.name == EventLiveState && ok && s.State == state
	}
}

// connect starts a control panel's Go side logged in to env as the demo
// staff member email, following the live stream into a recorder.
func connect(t *testing.T, env *servertest.Env, email string) (*Panel, *recorder) {
	t.Helper()
	p := New("test")
	rec := newRecorder()
	p.SetEmitter(rec)
	p.SetHTTPClient(env.HTTP.Client())
	t.Cleanup(p.Close)
	l := env.Login(t, "staff", email)
	if _, err := p.Session.Connect(env.URL, l.Email, l.Password); err != nil {
		t.Fatalf("Connect as %s: %v", email, err)
	}
	return p, rec
}

// staffClient is another staff member's API client, for changes made
// elsewhere than in the control panel under test.
func staffClient(t *testing.T, env *servertest.Env, email string) *apiclient.Client {
	t.Helper()
	c, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if err != nil {
		t.Fatal(err)
	}
	l := env.Login(t, "staff", email)
	if _, err := c.Login(context.Background(), l.Email, l.Password); err != nil {
		t.Fatalf("log in as %s: %v", email, err)
	}
	return c
}

// caseByNumber finds a demo case's id through the API.
func caseByNumber(t *testing.T, c *apiclient.Client, number string) uint64 {
	t.Helper()
	page, err := c.ListCases(context.Background(), apiclient.ListOptions{Q: number})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("find case %s: %+v, %v", number, page, err)
	}
	return page.Items[0].ID
}

// clientPosts logs in to the portal as the demo client email and posts a
// message on the case's page, as the client's browser does.
func clientPosts(t *testing.T, env *servertest.Env, email string, caseID uint64, body string) {
	t.Helper()
	b := env.Browser()
	l := env.Login(t, "client", email)
	resp, err := b.PostForm(env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("portal login as %s: %s", email, resp.Status)
	}
	resp, err = b.PostForm(fmt.Sprintf("%s/cases/%d/messages", env.URL, caseID), url.Values{"body": {body}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("portal message as %s: %s", email, resp.Status)
	}
}

// apiCode is the API error code under err ("" if none).
func apiCode(err error) string {
	if e, ok := err.(interface{ Unwrap() error }); ok {
		if ae, ok := e.Unwrap().(*api.Error); ok {
			return ae.Code
		}
	}
	return ""
}

func ptr[T any](v T) *T { return &v }

func has(s, sub string) bool { return strings.Contains(s, sub) }

func apiCaseTitle(title string) api.CaseInput { return api.CaseInput{Title: &title} }
