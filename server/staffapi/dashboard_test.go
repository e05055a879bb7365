package staffapi_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/live"
	"clientportal/server/servertest"
	"clientportal/store"

	"github.com/gorilla/websocket"
)

// portalClient is a client's browser, logged in to the portal.
func portalClient(t *testing.T, env *servertest.Env, email string) *http.Client {
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
	return b
}

// openPage opens the portal's live stream as a page of b does.
func openPage(t *testing.T, env *servertest.Env, b *http.Client) {
	t.Helper()
	d := websocket.Dialer{Jar: b.Jar, HandshakeTimeout: 10 * time.Second}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(env.URL, "http")+live.PathPortal, http.Header{"Origin": {env.URL}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
}

// portalUpload sends a file from the case's Documents form.
func portalUpload(t *testing.T, env *servertest.Env, b *http.Client, caseID uint64, name string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte("%PDF-1.7\nthe lease\n"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/cases/%d/documents", env.URL, caseID), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", env.URL)
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("portal upload: %s", resp.Status)
	}
}

func lastWeek(d api.Dashboard) api.ActivityWeek { return d.Activity[len(d.Activity)-1] }

// TestDashboard: through the real portal, a client signs in, opens two
// pages, writes and uploads; the dashboard counts one client online, the
// message and the upload waiting, this week's activity; staff opening the
// document and reading the message take them off; a failed email shows.
func TestDashboard(t *testing.T) {
	env := servertest.Start(t)
	ctx := t.Context()
	marcus := staffClient(t, env, "marcus@riverside.example")
	caseID, _ := josesCase(t, env)
	before := ok[api.Dashboard](t, "Dashboard")(marcus.Dashboard(ctx, 0))
	if len(before.Activity) != api.DashboardWeeks || before.ClientsOnline != 0 {
		t.Fatalf("before: %d weeks, %d online; want %d and 0", len(before.Activity), before.ClientsOnline, api.DashboardWeeks)
	}

	jose := portalClient(t, env, "jose@example.org")
	openPage(t, env, jose)
	openPage(t, env, jose)
	resp, err := jose.PostForm(fmt.Sprintf("%s/cases/%d/messages", env.URL, caseID), url.Values{"body": {"Did you get my lease?"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	portalUpload(t, env, jose, caseID, "lease.pdf")

	var d api.Dashboard
	deadline := time.Now().Add(5 * time.Second)
	for {
		d = ok[api.Dashboard](t, "Dashboard")(marcus.Dashboard(ctx, 0))
		if d.ClientsOnline == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if d.ClientsOnline != 1 {
		t.Errorf("one client with two pages open: %d online, want 1", d.ClientsOnline)
	}
	if d.Messages.Total != before.Messages.Total+1 || len(d.Messages.Items) == 0 ||
		d.Messages.Items[0].Excerpt != "Did you get my lease?" || d.Messages.Items[0].CaseID != caseID || d.Messages.Items[0].CaseNumber == "" {
		t.Errorf("messages after the client's: %+v (before %d)", d.Messages, before.Messages.Total)
	}
	if d.Uploads.Total != before.Uploads.Total+1 || len(d.Uploads.Items) == 0 ||
		d.Uploads.Items[0].Kind != api.UploadDocument || d.Uploads.Items[0].Title != "lease.pdf" || d.Uploads.Items[0].CaseID != caseID {
		t.Errorf("uploads after the client's: %+v (before %d)", d.Uploads, before.Uploads.Total)
	}
	w, w0 := lastWeek(d), lastWeek(before)
	if w.SignIns != w0.SignIns+1 || w.Messages != w0.Messages+1 || w.Uploads != w0.Uploads+1 {
		t.Errorf("this week's activity %+v, before %+v: want one more of each", w, w0)
	}

	// Staff open the document and read the message.
	dl, err := marcus.DocumentContent(ctx, d.Uploads.Items[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	dl.Body.Close()
	ok[int](t, "MarkMessagesRead")(marcus.MarkMessagesRead(ctx, caseID, 0))
	after := ok[api.Dashboard](t, "Dashboard")(marcus.Dashboard(ctx, 0))
	if after.Uploads.Total != before.Uploads.Total || after.Messages.Total > before.Messages.Total {
		t.Errorf("after opening and reading: %d uploads, %d messages; want %d and at most %d",
			after.Uploads.Total, after.Messages.Total, before.Uploads.Total, before.Messages.Total)
	}
	for _, m := range after.Messages.Items {
		if m.CaseID == caseID {
			t.Errorf("message %d of the read case still waiting", m.ID)
		}
	}

	// A failed email.
	err = env.Store.Update(ctx, func(tx *store.Tx) error {
		e := store.OutboxEntry{Key: "office", To: "office@riverside.example", Kind: store.MailAlert, State: store.OutboxFailed,
			LastError: "550 mailbox unavailable"}
		return tx.PutOutboxEntry(&e)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ok[api.Dashboard](t, "Dashboard")(marcus.Dashboard(ctx, 3)); got.OutboxFailed != before.OutboxFailed+1 || len(got.Activity) != 3 {
		t.Errorf("after a failed email: %d failed, %d weeks; want %d and 3", got.OutboxFailed, len(got.Activity), before.OutboxFailed+1)
	}

	// Bad input and no token.
	for _, q := range []string{"0", "53", "x", "-1"} {
		req, _ := http.NewRequest(http.MethodGet, env.URL+api.PathDashboard+"?weeks="+q, nil)
		req.Header.Set("Authorization", "Bearer "+marcus.Token())
		resp, err := env.HTTP.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("weeks=%s: %d, want 400", q, resp.StatusCode)
		}
	}
	anon, _ := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if _, err := anon.Dashboard(ctx, 0); !apiclient.IsCode(err, "unauthorized") {
		t.Errorf("without a token: %v, want unauthorized", err)
	}
}
