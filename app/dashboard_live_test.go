package app

import (
	"context"
	"io"
	"testing"

	"clientportal/server/servertest"
)

// TestDashboardLiveWhenColleagueOpens: a colleague opening a client's
// document takes it off every dashboard at once: the service publishes a
// staff-only event that reaches this control panel's window live (the
// Dashboard screen reads again on any document event), not only at its 30 s
// poll; opening it again, or a document that was not waiting, raises none.
func TestDashboardLiveWhenColleagueOpens(t *testing.T) {
	env := servertest.Start(t)
	p, rec := connect(t, env, "marcus@riverside.example")
	rec.waitFor(t, "the live state", isState("live"))
	colleague := staffClient(t, env, "dana@riverside.example")
	caseID := caseByNumber(t, colleague, "HOU-2026-0317")

	clientUploads(t, env, "jose@example.org", caseID, "pay-stub.pdf", "")
	before := summary(t, p)
	if len(before.Uploads) == 0 || before.Uploads[0].Title != "pay-stub.pdf" {
		t.Fatalf("the client's upload does not wait on the dashboard: %+v", before.Uploads)
	}
	docID := before.Uploads[0].ID

	open := func() {
		t.Helper()
		resp, err := colleague.DocumentContent(context.Background(), docID, "")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	open()
	ev := rec.waitFor(t, "document.opened on the live feed", isLive("document.opened", caseID))
	if got := ev.data.(LiveEvent); got.Ref != docID {
		t.Errorf("document.opened names document %d, want %d", got.Ref, docID)
	}
	after := summary(t, p)
	if after.UploadsTotal != before.UploadsTotal-1 {
		t.Errorf("after the colleague opened it: %d uploads waiting, want %d", after.UploadsTotal, before.UploadsTotal-1)
	}
	open() // no longer waiting: nothing changes on the dashboard
	clientPosts(t, env, "jose@example.org", caseID, "A marker after the second opening.")
	rec.waitFor(t, "the marker message", isLive("message.created", caseID))
	if n := rec.count(isLive("document.opened", caseID)); n != 1 {
		t.Errorf("%d document.opened events, want 1 (the second opening changes no dashboard)", n)
	}
}
