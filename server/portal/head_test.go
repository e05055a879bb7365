package portal_test

import (
	"net/http"
	"testing"

	"clientportal/server/servertest"
)

// A HEAD request (a link checker, a browser's prefetch, a proxy) is not the
// client reading their messages: it must leave them new.
func TestHeadOnMessagesLeavesThemUnread(t *testing.T) {
	env := servertest.Start(t)
	staff := staffAPI(t, env, marcus)
	ids := caseIDs(t, env, jose)
	staffPost(t, staff, ids[0], "Hola", "portal")
	c := login(t, env, jose)
	req, err := http.NewRequest(http.MethodHead, caseURL(env, ids[0], "messages"), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HEAD messages: %s", resp.Status)
	}
	for _, n := range readNotes(t, env, ids[0]) {
		if n.Body == "Hola" && !n.ReadByClientAt.IsZero() {
			t.Fatal("a HEAD request marked the message read")
		}
	}
	get(t, c, caseURL(env, ids[0], "messages"))
	for _, n := range readNotes(t, env, ids[0]) {
		if n.Body == "Hola" && n.ReadByClientAt.IsZero() {
			t.Fatal("reading the page did not mark the message read")
		}
	}
}
