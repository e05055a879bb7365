package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	portaloffice "clientportal/server/office"
	"clientportal/server/servertest"
	"clientportal/store"
)

const marcus = "marcus@riverside.example" // demo advocate

// staffAPI is the Go staff API client logged in as a demo staff member.
func staffAPI(t *testing.T, env *servertest.Env, email string) *apiclient.Client {
	t.Helper()
	c, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if err != nil {
		t.Fatal(err)
	}
	l := env.Login(t, "staff", email)
	if _, err := c.Login(context.Background(), l.Email, l.Password); err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return c
}

func staffPost(t *testing.T, s *apiclient.Client, caseID uint64, body, vis string) api.Message {
	t.Helper()
	m, err := s.PostMessage(context.Background(), caseID, api.MessageInput{Body: body, Visibility: vis})
	if err != nil {
		t.Fatalf("staff post to case %d: %v", caseID, err)
	}
	return m
}

func readNotes(t *testing.T, env *servertest.Env, caseID uint64) []store.Note {
	t.Helper()
	var notes []store.Note
	err := env.Store.View(context.Background(), func(tx *store.Tx) (err error) {
		notes, err = tx.Notes(caseID, 0, 1000, false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return notes
}

func snapshotStore(t *testing.T, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	if _, err := s.Backup(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestMessagesPage: the client reads the office's portal messages (never the
// internal notes), newest first, with author, time and what is new; reading
// the page marks them read, which staff see; the text is never HTML.
func TestMessagesPage(t *testing.T) {
	env := servertest.Start(t)
	staff := staffAPI(t, env, marcus)
	id := caseIDs(t, env, amina)[0]
	staffPost(t, staff, id, "Your hearing moved to <b>Monday</b>.\nBring your papers & ID.", "portal")
	staffPost(t, staff, id, "Internal: client seemed unsure about the dates.", "internal")
	second := staffPost(t, staff, id, "Please call me back.", "portal")

	c := login(t, env, amina)
	// The count shows on every tab of the case before it is read.
	status := get(t, c, caseURL(env, id, ""))
	wantContains(t, status, `<span class="badge">2<span class="visually-hidden"> new</span></span>`)

	a := get(t, c, caseURL(env, id, "messages"))
	wantStatus(t, a, http.StatusOK)
	wantContains(t, a, "Messages with the office", "Please call me back.", "Marcus Oyelaran",
		// Escaped, never markup; the line break kept for CSS to show.
		"Your hearing moved to &lt;b&gt;Monday&lt;/b&gt;.\nBring your papers &amp; ID.",
		`<label class="field__label" for="body">Write to the office</label>`, "Up to 4000 characters.",
		`maxlength="4000"`, `aria-current="page">Messages`)
	wantNotContains(t, a, "Internal: client seemed")
	if strings.Contains(a.body, "<b>Monday</b>") {
		t.Errorf("a message's text was rendered as HTML")
	}
	if n := strings.Count(a.body, `<span class="tag">New</span>`); n != 2 {
		t.Errorf("%d messages marked new, want 2", n)
	}
	if i, j := strings.Index(a.body, "Please call me back."), strings.Index(a.body, "Your hearing moved"); i > j {
		t.Errorf("messages are not newest first")
	}
	// The page read them: staff see when, and nothing is new any more.
	for _, n := range readNotes(t, env, id) {
		if n.Visibility == store.Portal && n.ReadByClientAt.IsZero() {
			t.Errorf("message %d not marked read by the client after the page showed it", n.ID)
		}
	}
	msgs, err := staff.Messages(context.Background(), id, apiclient.MessagesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs.Items {
		if m.ID == second.ID && m.ReadByClientAt == nil {
			t.Errorf("staff do not see that the client read message %d", m.ID)
		}
	}
	a = get(t, c, caseURL(env, id, "messages"))
	wantNotContains(t, a, `<span class="tag">New</span>`, `class="badge"`)
}

// TestMessagesStaffLanguage: staff-typed text is marked with the staff's
// language on a page in another language; the client's own text is not.
func TestMessagesStaffLanguage(t *testing.T) {
	env := servertest.Start(t)
	staff := staffAPI(t, env, marcus)
	id := caseIDs(t, env, jose)[0]
	staffPost(t, staff, id, "We received your documents.", "portal")
	c := login(t, env, jose)
	a := get(t, c, caseURL(env, id, "messages"))
	wantContains(t, a, `<html lang="es"`, `<p class="message__body prewrap" lang="en">We received your documents.</p>`, "Mensajes con la oficina")
	wantRedirect(t, post(t, c, caseURL(env, id, "messages"), url.Values{"body": {"Gracias"}}), "/cases/"+strconv.FormatUint(id, 10)+"/messages?sent=1#messages")
	a = get(t, c, caseURL(env, id, "messages?sent=1"))
	wantContains(t, a, `<p class="message__body prewrap">Gracias</p>`, "Usted", "Su mensaje fue enviado a la oficina.")
}

// TestClientPostsMessage: the form posts, redirects (303) back to the page,
// and the message is stored for the office, shown to the client, and read
// state from the office shows once staff read it.
func TestClientPostsMessage(t *testing.T) {
	env := servertest.Start(t)
	id := caseIDs(t, env, amina)[0]
	c := login(t, env, amina)
	a := post(t, c, caseURL(env, id, "messages"), url.Values{"body": {"Hello,\r\nI have a <question>."}})
	wantRedirect(t, a, "/cases/"+strconv.FormatUint(id, 10)+"/messages?sent=1#messages")
	notes := readNotes(t, env, id)
	if len(notes) != 1 || notes[0].Body != "Hello,\nI have a <question>." || !notes[0].FromClient() || notes[0].Visibility != store.Portal {
		t.Fatalf("stored notes %+v", notes)
	}
	a = get(t, c, caseURL(env, id, "messages?sent=1"))
	wantContains(t, a, "Your message was sent to the office.", "Hello,\nI have a &lt;question&gt;.", ">You<")
	wantNotContains(t, a, "Read by the office")
	staff := staffAPI(t, env, marcus)
	if _, err := staff.MarkMessagesRead(context.Background(), id, 0); err != nil {
		t.Fatal(err)
	}
	a = get(t, c, caseURL(env, id, "messages"))
	wantContains(t, a, "Read by the office on ")
}

// TestPostMessageBadInput: every refused message says why in words, keeps
// what was typed where it can, and writes nothing.
func TestPostMessageBadInput(t *testing.T) {
	env := servertest.Start(t)
	id := caseIDs(t, env, amina)[0]
	c := login(t, env, amina)
	u := caseURL(env, id, "messages")
	long := strings.Repeat("é", portaloffice.MaxMessage+1)
	cases := []struct {
		name   string
		body   string // the raw form
		status int
		want   []string
	}{
		{"empty", "body=", http.StatusUnprocessableEntity, []string{"Your message was not sent", "Write your message before you send it.", `aria-invalid="true"`}},
		{"blank", "body=%20%0D%0A%09", http.StatusUnprocessableEntity, []string{"Write your message before you send it."}},
		{"missing", "other=1", http.StatusUnprocessableEntity, []string{"Write your message before you send it."}},
		{"too long", url.Values{"body": {long}}.Encode(), http.StatusUnprocessableEntity,
			[]string{"Your message has 4001 characters. Shorten it to 4000 characters or fewer", long}},
		{"invalid UTF-8", "body=%ff%fe", http.StatusBadRequest, []string{"We could not read what was sent"}},
		{"control characters", "body=hi%00there", http.StatusUnprocessableEntity, []string{"characters we cannot accept"}},
		{"bad encoding", "body=%zz", http.StatusBadRequest, []string{"We could not read what was sent"}},
		{"oversized", "body=" + strings.Repeat("a", 200<<10), http.StatusRequestEntityTooLarge, []string{"Too much was sent"}},
	}
	before := snapshotStore(t, env.Store)
	for _, tc := range cases {
		a := postBody(t, c, u, tc.body)
		if a.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, a.status, tc.status)
		}
		wantContains(t, a, tc.want...)
	}
	if snapshotStore(t, env.Store) != before {
		t.Errorf("a refused message changed the store")
	}
	if n := len(readNotes(t, env, id)); n != 0 {
		t.Errorf("%d notes after refused posts", n)
	}
}

// TestPostMessageRateLimit: a client posting too fast gets 429 with
// Retry-After and a page that says how long to wait, keeping the text.
func TestPostMessageRateLimit(t *testing.T) {
	env := servertest.Start(t)
	id := caseIDs(t, env, amina)[0]
	c := login(t, env, amina)
	u := caseURL(env, id, "messages")
	for i := range portaloffice.ClientMessages {
		wantStatus(t, post(t, c, u, url.Values{"body": {fmt.Sprintf("message %d", i)}}), http.StatusSeeOther)
	}
	before := snapshotStore(t, env.Store)
	a := post(t, c, u, url.Values{"body": {"one too many"}})
	wantStatus(t, a, http.StatusTooManyRequests)
	if ra, err := strconv.Atoi(a.resp.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 600 {
		t.Errorf("Retry-After %q", a.resp.Header.Get("Retry-After"))
	}
	wantContains(t, a, "You sent many messages in a short time. Please wait 10 minutes", ">one too many</textarea>")
	if snapshotStore(t, env.Store) != before {
		t.Errorf("a rate-limited post changed the store")
	}
}

// TestMessagesPaging: long conversations page newest first with "older"
// links that work without JavaScript; the "before" parameter is checked.
func TestMessagesPaging(t *testing.T) {
	env := servertest.Start(t)
	staff := staffAPI(t, env, marcus)
	id := caseIDs(t, env, amina)[0]
	for i := 1; i <= 25; i++ {
		staffPost(t, staff, id, fmt.Sprintf("Update number %02d.", i), "portal")
	}
	c := login(t, env, amina)
	a := get(t, c, caseURL(env, id, "messages"))
	wantContains(t, a, "Update number 25.", "Update number 06.", "Older messages")
	wantNotContains(t, a, "Update number 05.", "Newest messages")
	i := strings.Index(a.body, `href="/cases/`+strconv.FormatUint(id, 10)+`/messages?before=`)
	if i < 0 {
		t.Fatalf("no older link")
	}
	href := a.body[i+6:]
	href = href[:strings.IndexByte(href, '"')]
	b := get(t, c, env.URL+strings.ReplaceAll(href, "&amp;", "&"))
	wantStatus(t, b, http.StatusOK)
	wantContains(t, b, "Update number 05.", "Update number 01.", "Newest messages")
	wantNotContains(t, b, "Update number 06.", "Older messages", `<form class="form message-form"`)
	for _, bad := range []string{"0", "abc", "-1", "01", "99999999999999999999999"} {
		wantStatus(t, get(t, c, caseURL(env, id, "messages?before="+bad)), http.StatusNotFound)
	}
}

// TestNewMessageCounts: the case picker shows how many messages are new on
// each case, and the count goes once the client read them.
func TestNewMessageCounts(t *testing.T) {
	env := servertest.Start(t)
	staff := staffAPI(t, env, marcus)
	ids := caseIDs(t, env, jose)
	if len(ids) < 2 {
		t.Fatal("jose has fewer than two cases")
	}
	staffPost(t, staff, ids[1], "Uno", "portal")
	staffPost(t, staff, ids[1], "Dos", "portal")
	staffPost(t, staff, ids[1], "Tres (interna)", "internal")
	c := login(t, env, jose)
	a := get(t, c, env.URL+"/cases")
	wantContains(t, a, `<span class="badge" aria-hidden="true">2</span> <a href="/cases/`+strconv.FormatUint(ids[1], 10)+`/messages">Mensajes nuevos: 2</a>`)
	if n := strings.Count(a.body, "Mensajes nuevos"); n != 1 {
		t.Errorf("%d cases show new messages, want 1", n)
	}
	get(t, c, caseURL(env, ids[1], "messages"))
	a = get(t, c, env.URL+"/cases")
	wantNotContains(t, a, "Mensajes nuevos")
}

// TestLiveScriptServed: case pages and the picker load the live script from
// /static (versioned, cached, JavaScript type) and carry what it needs on
// <main>; the login and error pages load no script.
func TestLiveScriptServed(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, jose)
	id := caseIDs(t, env, jose)[0]
	src := regexp.MustCompile(`<script src="(/static/live\.js\?v=[0-9a-f]{16})" defer></script>`)
	for _, u := range []string{env.URL + "/cases", caseURL(env, id, ""), caseURL(env, id, "history"), caseURL(env, id, "contact"), caseURL(env, id, "messages")} {
		a := get(t, c, u)
		if !src.MatchString(a.body) {
			t.Errorf("%s loads no live script", u)
		}
		wantContains(t, a, `data-live-after="`, `data-live-message="Nuevo mensaje de la oficina"`, `data-live-status="El estado de su caso cambió"`,
			`<div class="visually-hidden" id="live-note" role="status" aria-live="polite"></div>`)
		if strings.Contains(u, "/cases/") {
			wantContains(t, a, fmt.Sprintf(`data-live-case="%d"`, id))
		}
	}
	for _, u := range []string{env.URL + "/login", env.URL + "/cases/999999"} {
		if a := get(t, env.Browser(), u); strings.Contains(a.body, "live.js") {
			t.Errorf("%s loads the live script", u)
		}
	}
	m := src.FindStringSubmatch(get(t, c, env.URL+"/cases").body)
	if m == nil {
		t.Fatal("no script URL")
	}
	a := get(t, env.Browser(), env.URL+m[1])
	wantStatus(t, a, http.StatusOK)
	if ct := a.resp.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Errorf("live.js Content-Type %q", ct)
	}
	if cc := a.resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("live.js Cache-Control %q", cc)
	}
	wantContains(t, a, `"/live?after="`, "4401")
}
