package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/server/servertest"
	"clientportal/store"
)

// portalCaseRoutes are every portal route that names a case.
var portalCaseRoutes = []string{"/cases/%s", "/cases/%s/history", "/cases/%s/contact", "/cases/%s/messages", "/cases/%s/appointments", "/cases/%s/documents"}

// portalCasePosts are every portal form that writes to a case.
var portalCasePosts = []struct{ path, form string }{{"/cases/%s/messages", "body=hello+from+a+stranger"},
	{"/cases/%s/messages", portalUploadBody}, {"/cases/%s/documents", portalUploadBody},
	{"/cases/%s/requests/1", portalUploadBody}}

// portalUploadBody is a real multipart upload as the portal's forms send
// it (a message and a PDF), so a route that forgot its guard would keep it.
const portalUploadBody = "--B\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nhello from a stranger\r\n" +
	"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\nhello\r\n--B--\r\n"

// apiRoutes are every staff API route; %s stands for a record id.
var apiRoutes = []struct {
	method, path, body string
	adminOnly          bool
}{
	{"GET", "/api/v1/me", "", false},
	{"GET", "/api/v1/version", "", false},
	{"DELETE", "/api/v1/session", "", false},
	{"GET", "/api/v1/staff", "", false},
	{"GET", "/api/v1/staff/%s", "", false},
	{"POST", "/api/v1/staff", `{"email":"n@x.example","name":"N","password":"lantern orchard velvet canoe"}`, true},
	{"PATCH", "/api/v1/staff/%s", `{"title":"X"}`, true},
	{"GET", "/api/v1/clients", "", false},
	{"POST", "/api/v1/clients", `{"name":"N","email":"n@x.example"}`, false},
	{"GET", "/api/v1/clients/%s", "", false},
	{"PATCH", "/api/v1/clients/%s", `{"phone":"1"}`, false},
	{"GET", "/api/v1/clients/%s/cases", "", false},
	{"GET", "/api/v1/clients/%s/access", "", false},
	{"PATCH", "/api/v1/clients/%s/access", `{"email_notice":false}`, false},
	{"PUT", "/api/v1/clients/%s/password", `{"password":"Qv7!Lm2#Zr9x"}`, false},
	{"POST", "/api/v1/clients/%s/password/verify", `{"password":"x"}`, false},
	{"GET", "/api/v1/cases", "", false},
	{"POST", "/api/v1/cases", `{"number":"X1","title":"T","client_ids":[1],"kind":"pro_bono","attorney":{"name":"A"}}`, false},
	{"GET", "/api/v1/cases/%s", "", false},
	{"PATCH", "/api/v1/cases/%s", `{"title":"T"}`, false},
	{"GET", "/api/v1/cases/%s/statuses", "", false},
	{"POST", "/api/v1/cases/%s/statuses", `{"status":"closed"}`, false},
	{"GET", "/api/v1/cases/%s/statuses/%s", "", false},
	{"GET", "/api/v1/settings", "", false},
	{"PATCH", "/api/v1/settings", `{"office_name":"X"}`, true},
	{"GET", "/api/v1/settings/statuses", "", false},
	{"PUT", "/api/v1/settings/statuses", `[{"id":"x","names":{"en":"X"}}]`, true},
	{"GET", "/api/v1/settings/password-policy", "", false},
	{"PUT", "/api/v1/settings/password-policy", `{"preset":"nist"}`, true},
	{"GET", "/api/v1/audit", "", true},
	{"GET", "/api/v1/cases/%s/messages", "", false},
	{"POST", "/api/v1/cases/%s/messages", `{"body":"hello","visibility":"portal"}`, false},
	{"POST", "/api/v1/cases/%s/messages/read", `{}`, false},
	{"GET", "/api/v1/events", "", false},
	{"GET", "/api/v1/cases/%s/appointments", "", false},
	{"POST", "/api/v1/cases/%s/appointments", `{"title":"T","start":"2026-12-01T15:00:00Z","end":"2026-12-01T16:00:00Z","portal":true}`, false},
	{"POST", "/api/v1/cases/%s/appointments/%s/cancel", `{}`, false},
	{"GET", "/api/v1/cases/%s/documents", "", false},
	{"POST", "/api/v1/cases/%s/documents", uploadBody, false},
	{"PATCH", "/api/v1/documents/%s", `{"portal":true}`, false},
	{"GET", "/api/v1/documents/%s/content", "", false},
	{"GET", "/api/v1/clients/%s/invitation", "", false},
	{"POST", "/api/v1/clients/%s/invitation", "", false},
	{"DELETE", "/api/v1/clients/%s/invitation", "", false},
	{"POST", "/api/v1/clients/%s/reset", "", false},
	{"PUT", "/api/v1/clients/%s/temporary-password", `{"password":"Qv7!Lm2#Zr9x"}`, false},
	{"POST", "/api/v1/invitations", `{"cases":[1]}`, false},
	{"GET", "/api/v1/invitations/waiting", "", false},
	{"GET", "/api/v1/settings/onboarding", "", false},
	{"PUT", "/api/v1/settings/onboarding", `{"easy_login":true}`, true},
	{"GET", "/api/v1/cases/%s/requests", "", false},
	{"POST", "/api/v1/cases/%s/requests", `{"items":[{"title":"T"}]}`, false},
	{"PATCH", "/api/v1/requests/%s", `{"state":"cancelled"}`, false},
	{"POST", "/api/v1/requests/%s/accept", "", false},
	{"POST", "/api/v1/requests/%s/return", `{"reason":"R"}`, false},
	// Account security (twofactor).
	{"GET", "/api/v1/audit.csv?client=%s", "", false},
	{"GET", "/api/v1/me/two-factor", "", false},
	{"POST", "/api/v1/me/two-factor", "", false},
	{"POST", "/api/v1/me/two-factor/confirm", `{"code":"123456"}`, false},
	{"GET", "/api/v1/settings/two-factor", "", false},
	{"PUT", "/api/v1/settings/two-factor", `{"clients":true}`, true},
	{"GET", "/api/v1/clients/%s/two-factor", "", false},
	{"PUT", "/api/v1/clients/%s/two-factor", `{"required":true}`, false},
	{"POST", "/api/v1/clients/%s/two-factor/reset", `{"checked":"by phone"}`, false},
	{"POST", "/api/v1/clients/%s/preview", "", false},
	{"POST", "/api/v1/staff/%s/two-factor/reset", `{"checked":"in person"}`, true},
	{"GET", "/api/v1/settings/branding", "", false},
	{"PUT", "/api/v1/settings/branding", `{"color":"#2e5e3a"}`, true},
	{"PUT", "/api/v1/settings/branding/logo", "not an image", true},
	{"DELETE", "/api/v1/settings/branding/logo", "", true},
	{"GET", "/api/v1/branding/snippet", "", false},
	{"GET", "/api/v1/dashboard", "", false},
}

// uploadBody is a real multipart upload (a PDF, for the portal), so a route
// that forgot its guard would store it.
const uploadBody = "--B\r\nContent-Disposition: form-data; name=\"portal\"\r\n\r\ntrue\r\n" +
	"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\nhello\r\n--B--\r\n"

// contentType is the Content-Type a walk's request body goes with.
func contentType(body string) string {
	if strings.HasPrefix(body, "--B\r\n") {
		return "multipart/form-data; boundary=B"
	}
	return "application/json"
}

// addDocuments gives every case a document record, so the walk's document
// ids are real ones.
func addDocuments(t *testing.T, env *servertest.Env, cases []store.Case) {
	t.Helper()
	err := env.Store.Update(context.Background(), func(tx *store.Tx) error {
		for _, c := range cases {
			d := store.Document{CaseID: c.ID, StoredName: "0123456789abcdef0123456789abcdef.age", FileName: "a.pdf", ContentType: "application/pdf",
				Size: 1, SHA256: "00", UploaderKind: "staff", UploaderID: 1, UploaderName: "S", Portal: true}
			if err := tx.AddDocument(&d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// portalLogin logs a client in through the login form and returns the
// browser holding the session cookie, and the token itself.
func portalLogin(t *testing.T, env *servertest.Env, email, pw string) (*http.Client, string) {
	t.Helper()
	b := env.Browser()
	resp, err := b.PostForm(env.URL+"/login", url.Values{"email": {email}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("portal login %s: %d", email, resp.StatusCode)
	}
	u, _ := url.Parse(env.URL)
	for _, c := range b.Jar.Cookies(u) {
		if strings.HasSuffix(c.Name, "portal_session") {
			return b, c.Value
		}
	}
	t.Fatalf("portal login %s set no session cookie", email)
	return nil, ""
}

type caseFacts struct {
	id      uint64
	secrets []string // text only the case's clients may see
	entries []uint64
}

func allCases(t *testing.T, env *servertest.Env) ([]store.Case, map[uint64]caseFacts) {
	t.Helper()
	var cases []store.Case
	facts := map[uint64]caseFacts{}
	err := env.Store.View(t.Context(), func(tx *store.Tx) error {
		var err error
		if cases, err = tx.SearchCases("", 0, 1000); err != nil {
			return err
		}
		for _, c := range cases {
			f := caseFacts{id: c.ID, secrets: []string{c.Number, c.Title}}
			hist, err := tx.StatusHistory(c.ID)
			if err != nil {
				return err
			}
			for _, e := range hist {
				f.entries = append(f.entries, e.ID)
				if len(e.Info) > 20 {
					f.secrets = append(f.secrets, e.Info[:20])
				}
			}
			if c.Attorney != nil {
				f.secrets = append(f.secrets, c.Attorney.Email)
			}
			facts[c.ID] = f
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return cases, facts
}

// TestClientsSeeOnlyTheirOwnCases walks every portal case route with every
// case id of the demo office (and ids of no case) as every demo client: a
// foreign case answers 404 and shows nothing of it, exactly like a missing one.
func TestClientsSeeOnlyTheirOwnCases(t *testing.T) {
	env := servertest.Start(t)
	cases, facts := allCases(t, env)
	ids := []string{"0", "999999", "-1", "abc", "1.0", "%20", "18446744073709551616"}
	for _, c := range cases {
		ids = append(ids, fmt.Sprint(c.ID))
	}
	var missingBody string
	checked := 0
	for _, l := range env.Logins {
		if l.Kind != "client" {
			continue
		}
		browser, _ := portalLogin(t, env, l.Email, l.Password)
		var me store.Client
		env.Store.View(t.Context(), func(tx *store.Tx) (err error) { me, err = tx.ClientByEmail(l.Email); return err })
		for _, route := range portalCaseRoutes {
			for _, id := range ids {
				path := fmt.Sprintf(route, id)
				resp, err := browser.Get(env.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var own *store.Case
				for i := range cases {
					if fmt.Sprint(cases[i].ID) == id && cases[i].HasClient(me.ID) {
						own = &cases[i]
					}
				}
				if own != nil {
					if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), own.Title) {
						t.Errorf("%s GET %s (own case): %d, want 200 with the case", l.Email, path, resp.StatusCode)
					}
					continue
				}
				checked++
				if resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s GET %s (not theirs): %d, want 404", l.Email, path, resp.StatusCode)
				}
				for _, c := range cases {
					if fmt.Sprint(c.ID) != id {
						continue
					}
					for _, secret := range facts[c.ID].secrets {
						if strings.Contains(string(body), secret) {
							t.Errorf("%s GET %s shows %q of a foreign case", l.Email, path, secret)
						}
					}
				}
				if id == "999999" && route == portalCaseRoutes[0] {
					missingBody = string(body)
				}
			}
		}
		// A post to a case that is not the client's answers 404 and writes
		// nothing, exactly like one to a missing case.
		before := snapshot(t, env.Store)
		for _, route := range portalCasePosts {
			for _, id := range ids {
				if slices.ContainsFunc(cases, func(c store.Case) bool { return fmt.Sprint(c.ID) == id && c.HasClient(me.ID) }) {
					continue
				}
				path := fmt.Sprintf(route.path, id)
				ct := "application/x-www-form-urlencoded"
				if strings.HasPrefix(route.form, "--B") {
					ct = contentType(route.form)
				}
				resp, err := browser.Post(env.URL+path, ct, strings.NewReader(route.form))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				checked++
				if resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s POST %s (not theirs): %d, want 404", l.Email, path, resp.StatusCode)
				}
			}
		}
		if snapshot(t, env.Store) != before {
			t.Errorf("%s: posts to foreign cases changed the store", l.Email)
		}
		// The case list shows only the client's own cases.
		resp, err := browser.Get(env.URL + "/cases")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, c := range cases {
			if !c.HasClient(me.ID) && strings.Contains(string(body), c.Number) {
				t.Errorf("%s /cases lists foreign case %s", l.Email, c.Number)
			}
		}
	}
	if checked < 50 || missingBody == "" {
		t.Fatalf("walk checked only %d foreign requests", checked)
	}
}

// TestClientSessionsHaveNoStaffAccess sends every staff API route, with every
// case, client and staff id of the demo office, with a client's session (as
// cookie and as bearer token): all 401, nothing changed.
func TestClientSessionsHaveNoStaffAccess(t *testing.T) {
	env := servertest.Start(t)
	l := env.Login(t, "client", "jose@example.org")
	browser, token := portalLogin(t, env, l.Email, l.Password)
	cases, facts := allCases(t, env)
	addDocuments(t, env, cases)
	before := snapshot(t, env.Store)
	for _, r := range apiRoutes {
		paths := []string{r.path}
		if strings.Contains(r.path, "%s") {
			paths = nil
			for _, c := range cases {
				for _, e := range facts[c.ID].entries {
					paths = append(paths, strings.Replace(strings.Replace(r.path, "%s", fmt.Sprint(c.ID), 1), "%s", fmt.Sprint(e), 1))
				}
			}
		}
		for _, path := range paths {
			for _, bearer := range []bool{false, true} {
				req, _ := http.NewRequest(r.method, env.URL+path, strings.NewReader(r.body))
				req.Header.Set("Content-Type", contentType(r.body))
				if bearer {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				resp, err := browser.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("client session (bearer %v) %s %s: %d, want 401", bearer, r.method, path, resp.StatusCode)
				}
			}
		}
	}
	// The portal session itself still works: the refusals were not a logout.
	resp, err := browser.Get(env.URL + "/cases")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("portal after API attempts: %d", resp.StatusCode)
	}
	if snapshot(t, env.Store) != before {
		t.Error("refused API requests changed the store")
	}
}

// TestStaffWithoutAdminRole sends every admin route as a plain staff member: 403.
func TestStaffWithoutAdminRole(t *testing.T) {
	env := servertest.Start(t)
	token := staffToken(t, env, "marcus@riverside.example")
	for _, r := range apiRoutes {
		if !r.adminOnly {
			continue
		}
		path := strings.ReplaceAll(r.path, "%s", "1")
		req, _ := http.NewRequest(r.method, env.URL+path, strings.NewReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := env.HTTP.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("staff %s %s: %d, want 403", r.method, path, resp.StatusCode)
		}
	}
}

func staffToken(t *testing.T, env *servertest.Env, email string) string {
	t.Helper()
	l := env.Login(t, "staff", email)
	_, login, err := env.Server.Auth().LoginStaff(t.Context(), l.Email, l.Password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return login.Token
}

func snapshot(t *testing.T, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	if _, err := s.Backup(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestClientSocketsGetNothingOfForeignCases opens the live stream of every
// demo client, catching up from the start of the log and live, while staff
// write a portal message and a status entry to every case: each socket gets
// only events of the client's own cases, in the catch-up and live.
func TestClientSocketsGetNothingOfForeignCases(t *testing.T) {
	env := servertest.Start(t)
	token := staffToken(t, env, "marcus@riverside.example")
	cases, _ := allCases(t, env)
	staffPost := func(path, body string) uint64 {
		t.Helper()
		req, _ := http.NewRequest("POST", env.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := env.HTTP.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ ID uint64 }
		if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&out) != nil {
			t.Fatalf("POST %s: %d", path, resp.StatusCode)
		}
		return out.ID
	}
	walk := func() {
		for _, c := range cases {
			staffPost(fmt.Sprintf("/api/v1/cases/%d/messages", c.ID), `{"body":"for the clients of `+c.Number+`","visibility":"portal"}`)
			staffPost(fmt.Sprintf("/api/v1/cases/%d/statuses", c.ID), `{"status":"under_review"}`)
		}
	}
	walk() // logged before the sockets open: the catch-up must filter them
	type page struct {
		ws  *websocket.Conn
		me  store.Client
		end uint64
	}
	var pages []page
	for _, l := range env.Logins {
		if l.Kind != "client" {
			continue
		}
		browser, _ := portalLogin(t, env, l.Email, l.Password)
		d := websocket.Dialer{Jar: browser.Jar}
		ws, _, err := d.Dial("ws"+strings.TrimPrefix(env.URL, "http")+"/live?after=0", http.Header{"Origin": {env.URL}})
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		p := page{ws: ws}
		env.Store.View(t.Context(), func(tx *store.Tx) (err error) { p.me, err = tx.ClientByEmail(l.Email); return err })
		pages = append(pages, p)
	}
	walk() // and live
	for i := range pages {
		for _, c := range cases {
			if c.HasClient(pages[i].me.ID) {
				pages[i].end = staffPost(fmt.Sprintf("/api/v1/cases/%d/messages", c.ID), `{"body":"end","visibility":"portal"}`)
				break
			}
		}
	}
	for _, p := range pages {
		got := 0
	read:
		for {
			p.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
			var items []struct {
				Type string
				Case uint64
				Ref  uint64
			}
			if err := p.ws.ReadJSON(&items); err != nil {
				t.Fatalf("%s: %v", p.me.Email, err)
			}
			for _, it := range items {
				if it.Type == "ready" {
					continue
				}
				got++
				var own bool
				for _, c := range cases {
					own = own || (c.ID == it.Case && c.HasClient(p.me.ID))
				}
				if !own {
					t.Errorf("%s's socket got %+v of a case that is not theirs", p.me.Email, it)
				}
				if it.Type == "message.created" && it.Ref == p.end {
					break read
				}
			}
		}
		if got < 5 {
			t.Errorf("%s's socket got only %d events", p.me.Email, got)
		}
	}
}

// TestClientsSeeOnlyTheirOwnAppointments gives every demo case a portal
// appointment and a staff-only one, then walks the appointments tab and the
// .ics download as every demo client with every case id and every
// appointment id: a client gets only the portal appointments of their own
// cases; a foreign case, another case's appointment under their own case, a
// staff-only appointment and a missing one all answer the same 404 page.
func TestClientsSeeOnlyTheirOwnAppointments(t *testing.T) {
	env := servertest.Start(t)
	token := staffToken(t, env, "marcus@riverside.example")
	cases, _ := allCases(t, env)
	type appt struct {
		caseID, id uint64
		portal     bool
		title      string
	}
	var appts []appt
	for _, c := range cases {
		for _, portal := range []bool{true, false} {
			title := fmt.Sprintf("appointment-secret-%d-%v", c.ID, portal)
			body := fmt.Sprintf(`{"title":%q,"start":"2030-12-01T15:00:00Z","end":"2030-12-01T16:00:00Z","portal":%v}`, title, portal)
			req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/cases/%d/appointments", env.URL, c.ID), strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := env.HTTP.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var got struct{ ID uint64 }
			json.NewDecoder(resp.Body).Decode(&got)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated || got.ID == 0 {
				t.Fatalf("add appointment to case %d: %d", c.ID, resp.StatusCode)
			}
			appts = append(appts, appt{c.ID, got.ID, portal, title})
		}
	}
	aids := []string{"0", "999999", "abc", "-1", "01"}
	for _, a := range appts {
		aids = append(aids, fmt.Sprint(a.id))
	}
	caseIDs := []string{"0", "999999", "abc"}
	for _, c := range cases {
		caseIDs = append(caseIDs, fmt.Sprint(c.ID))
	}
	fetch := func(b *http.Client, path string) (int, string) {
		t.Helper()
		resp, err := b.Get(env.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(body)
	}
	// Logging in writes sessions: what must not change is the appointments.
	stored := func() string {
		var b strings.Builder
		env.Store.View(t.Context(), func(tx *store.Tx) error {
			for _, c := range cases {
				list, err := tx.Appointments(c.ID, false)
				if err != nil {
					return err
				}
				json.NewEncoder(&b).Encode(list)
			}
			return nil
		})
		return b.String()
	}
	before := stored()
	checked := 0
	for _, l := range env.Logins {
		if l.Kind != "client" {
			continue
		}
		browser, _ := portalLogin(t, env, l.Email, l.Password)
		var me store.Client
		env.Store.View(t.Context(), func(tx *store.Tx) (err error) { me, err = tx.ClientByEmail(l.Email); return err })
		own := func(caseID string) bool {
			return slices.ContainsFunc(cases, func(c store.Case) bool { return fmt.Sprint(c.ID) == caseID && c.HasClient(me.ID) })
		}
		_, missing := fetch(browser, "/cases/999999/appointments/1.ics")
		for _, cid := range caseIDs {
			// The tab shows the case's portal appointments and nothing else.
			status, body := fetch(browser, "/cases/"+cid+"/appointments")
			for _, a := range appts {
				shown := strings.Contains(body, a.title)
				if want := own(cid) && fmt.Sprint(a.caseID) == cid && a.portal; shown != want {
					t.Errorf("%s /cases/%s/appointments (%d) shows %s: %v, want %v", l.Email, cid, status, a.title, shown, want)
				}
			}
			for _, aid := range aids {
				path := "/cases/" + cid + "/appointments/" + aid + ".ics"
				status, body := fetch(browser, path)
				var want *appt
				for i, a := range appts {
					if own(cid) && fmt.Sprint(a.caseID) == cid && fmt.Sprint(a.id) == aid && a.portal {
						want = &appts[i]
					}
				}
				if want != nil {
					if status != http.StatusOK || !strings.Contains(body, want.title) {
						t.Errorf("%s GET %s (own portal appointment): %d", l.Email, path, status)
					}
					continue
				}
				checked++
				if status != http.StatusNotFound || body != missing {
					t.Errorf("%s GET %s: %d, want the same 404 as a missing case", l.Email, path, status)
				}
			}
		}
		// Without .ics, or with another suffix, nothing either.
		for _, a := range appts {
			if own(fmt.Sprint(a.caseID)) && a.portal {
				for _, suffix := range []string{"", ".ICS", ".ics.txt", ".json"} {
					path := fmt.Sprintf("/cases/%d/appointments/%d%s", a.caseID, a.id, suffix)
					if status, body := fetch(browser, path); status != http.StatusNotFound || strings.Contains(body, a.title) {
						t.Errorf("%s GET %s: %d, want 404", l.Email, path, status)
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("walk checked only %d refused downloads", checked)
	}
	if stored() != before {
		t.Error("reading appointments changed them")
	}
}
