package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
	"clientportal/store"
)

// TestPreview: staff open a client's portal read-only through a one-time
// link; the pages show the banner; reading the messages marks nothing read;
// every POST is refused and changes nothing; ending it ends it; audited.
func TestPreview(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	staff := staffClient(t, env, "marcus@riverside.example")
	cl := readClient(t, env, amina)
	caseID := caseIDs(t, env, amina)[0]
	if _, err := staff.PostMessage(ctx, caseID, api.MessageInput{Body: "Please bring your lease.", Visibility: "portal"}); err != nil {
		t.Fatal(err)
	}
	unread := func() int {
		var n int
		env.Store.View(ctx, func(tx *store.Tx) error { n = tx.UnreadByClient(cl.ID, caseID); return nil })
		return n
	}
	if unread() != 1 {
		t.Fatalf("unread before the preview: %d", unread())
	}
	link, err := staff.PreviewClient(ctx, cl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := staff.PreviewClient(ctx, 9999); !apiclient.IsCode(err, "not_found") {
		t.Errorf("preview of no client: %v", err)
	}
	b := env.Browser()
	wantRedirect(t, get(t, b, link.URL), "/cases")
	// The link works once.
	if a := get(t, env.Browser(), link.URL); a.status != http.StatusNotFound {
		t.Errorf("link used twice: %d", a.status)
	}
	banner := "Preview: you are seeing Amina Haddad's portal"
	a := get(t, b, caseURL(env, caseID, "messages"))
	wantStatus(t, a, http.StatusOK)
	wantContains(t, a, banner, "Please bring your lease.")
	wantNotContains(t, a, "live.js")
	a = get(t, b, caseURL(env, caseID, ""))
	wantContains(t, a, banner)
	if unread() != 1 {
		t.Errorf("the preview marked messages read: unread %d", unread())
	}
	before := len(auditLog(t, env))
	for _, u := range []string{caseURL(env, caseID, "messages"), env.URL + "/language", env.URL + "/account/two-factor"} {
		a := post(t, b, u, url.Values{"body": {"from the preview"}, "lang": {"es"}})
		wantStatus(t, a, http.StatusForbidden)
		wantContains(t, a, "nothing can be sent, saved or changed")
	}
	if n := len(auditLog(t, env)); n != before {
		t.Errorf("refused posts wrote %d audit entries", n-before)
	}
	msgs, _ := staff.Messages(ctx, caseID, apiclient.MessagesOptions{})
	for _, m := range msgs.Items {
		if strings.Contains(m.Body, "from the preview") {
			t.Error("a message was posted from the preview")
		}
	}
	if got := readClient(t, env, amina); got.Language != cl.Language {
		t.Errorf("the preview changed the language: %q", got.Language)
	}
	// A key the client is setting up is not shown to staff.
	if _, err := env.Server.Auth().StartEnrolment(ctx, store.SessionClient, cl.ID); err != nil {
		t.Fatal(err)
	}
	if a := get(t, b, env.URL+"/account/two-factor"); a.status != http.StatusForbidden || strings.Contains(a.body, `class="secret"`) {
		t.Errorf("setup page in a preview: %d", a.status)
	}
	if a := get(t, b, env.URL+"/account/two-factor/qr.png"); a.status != http.StatusNotFound {
		t.Errorf("QR code in a preview: %d", a.status)
	}
	if a := get(t, b, env.URL+"/live"); a.status != http.StatusForbidden {
		t.Errorf("live stream in a preview: %d", a.status)
	}
	// The client's own session is untouched by the preview, and a client's
	// browser without the cookie sees no banner.
	c := login(t, env, amina)
	wantNotContains(t, get(t, c, caseURL(env, caseID, "")), banner)
	// Ending the preview.
	wantRedirect(t, post(t, b, env.URL+"/logout", nil), "/login")
	wantRedirect(t, get(t, b, caseURL(env, caseID, "")), "/login")
	actions := map[string]bool{}
	for _, e := range auditLog(t, env) {
		if e.ActorName == "Marcus Oyelaran" {
			actions[e.Action] = true
		}
	}
	for _, want := range []string{"client.preview_link", "client.preview", "client.preview_end"} {
		if !actions[want] {
			t.Errorf("audit lacks %s: %v", want, actions)
		}
	}
}
