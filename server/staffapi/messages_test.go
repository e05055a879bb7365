package staffapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/office"
	"clientportal/server/servertest"
	"clientportal/store"
)

// josesCase is the first case of the demo client José, and José as an
// office actor.
func josesCase(t *testing.T, env *servertest.Env) (uint64, office.Actor) {
	t.Helper()
	var caseID uint64
	var me store.Client
	env.Store.View(t.Context(), func(tx *store.Tx) error {
		var err error
		if me, err = tx.ClientByEmail("jose@example.org"); err != nil {
			return err
		}
		cases, err := tx.CasesOfClient(me.ID)
		caseID = cases[0].ID
		return err
	})
	return caseID, office.Actor{Kind: "client", ID: me.ID, Name: me.Name}
}

// TestMessagesPageNewestFirstWithReadState: a long conversation pages newest
// first with ?before=; each message shows its read state both ways; marking
// the client's messages read is an explicit POST, and reading the list marks
// nothing.
func TestMessagesPageNewestFirstWithReadState(t *testing.T) {
	env := servertest.Start(t)
	ctx := t.Context()
	marcus := staffClient(t, env, "marcus@riverside.example")
	caseID, jose := josesCase(t, env)
	// The client writes through the office actions the portal calls.
	clientSide := office.New(env.Store, nil)
	var posted []uint64
	for i := range 7 {
		if i%3 == 2 {
			n, err := clientSide.PostClientMessage(ctx, jose, caseID, fmt.Sprint("question ", i))
			if err != nil {
				t.Fatal(err)
			}
			posted = append(posted, n.ID)
			continue
		}
		vis := "portal"
		if i == 4 {
			vis = "internal"
		}
		posted = append(posted, ok[api.Message](t, "PostMessage")(marcus.PostMessage(ctx, caseID, api.MessageInput{Body: fmt.Sprint("note ", i), Visibility: vis})).ID)
	}
	var got []uint64
	next := uint64(0)
	for pages := 0; ; pages++ {
		page := ok[api.Messages](t, "Messages")(marcus.Messages(ctx, caseID, apiclient.MessagesOptions{Before: next, Limit: 3}))
		if pages == 0 && page.Unread != 2 {
			t.Errorf("unread client messages %d, want 2", page.Unread)
		}
		for _, m := range page.Items {
			got = append(got, m.ID)
		}
		if next = page.Next; next == 0 {
			break
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
	}
	want := make([]uint64, 0, len(posted))
	for i := len(posted) - 1; i >= 0; i-- {
		want = append(want, posted[i])
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paged messages %v, want every one newest first %v", got, want)
	}

	// The client reads the staff messages; staff mark the client's read.
	if n, err := clientSide.MarkReadByClient(ctx, jose, caseID, 0); err != nil || n != 4 {
		t.Errorf("client read %d, %v; want the 4 portal messages from staff", n, err)
	}
	if n := ok[int](t, "MarkMessagesRead")(marcus.MarkMessagesRead(ctx, caseID, posted[2])); n != 1 {
		t.Errorf("staff marked %d up to the first question, want 1", n)
	}
	page := ok[api.Messages](t, "Messages")(marcus.Messages(ctx, caseID, apiclient.MessagesOptions{}))
	for _, m := range page.Items {
		switch {
		case m.Visibility == "internal":
			if m.ReadByClientAt != nil {
				t.Errorf("internal note %d read by a client", m.ID)
			}
		case m.AuthorKind == "staff":
			if m.ReadByClientAt == nil || m.ReadByClientID != jose.ID {
				t.Errorf("staff message %d: read state %+v, want read by José", m.ID, m)
			}
		case m.ID == posted[2]:
			if m.ReadByStaffAt == nil || m.ReadByStaffID == 0 {
				t.Errorf("first question not marked read by staff: %+v", m)
			}
		default:
			if m.ReadByStaffAt != nil {
				t.Errorf("second question marked read: %+v", m)
			}
		}
	}
	if page.Unread != 1 {
		t.Errorf("unread after marking one: %d", page.Unread)
	}
}

// TestMessageInputIsChecked: bad input is refused with what to fix, and
// changes nothing.
func TestMessageInputIsChecked(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, "marcus@riverside.example")
	caseID, _ := josesCase(t, env)
	path := fmt.Sprintf("/api/v1/cases/%d/messages", caseID)
	before := snapshot(t, env.Store)
	for _, tt := range []struct {
		name, method, path string
		body               any
		status             int
		field              string
	}{
		{"empty body", "POST", path, `{"body":"","visibility":"portal"}`, 422, "body"},
		{"too long", "POST", path, api.MessageInput{Body: strings.Repeat("a", office.MaxMessage+1), Visibility: "portal"}, 422, "body"},
		{"control characters", "POST", path, `{"body":"a\u0007b","visibility":"portal"}`, 422, "body"},
		{"no visibility", "POST", path, `{"body":"hello"}`, 422, "visibility"},
		{"unknown visibility", "POST", path, `{"body":"hello","visibility":"public"}`, 422, "visibility"},
		{"unknown field", "POST", path, `{"body":"hello","visibility":"portal","html":true}`, 400, "html"},
		{"missing case", "POST", "/api/v1/cases/999999/messages", `{"body":"hello","visibility":"portal"}`, 404, ""},
		{"missing case list", "GET", "/api/v1/cases/999999/messages", nil, 404, ""},
		{"missing case read", "POST", "/api/v1/cases/999999/messages/read", `{}`, 404, ""},
		{"bad before", "GET", path + "?before=x", nil, 400, "before"},
		{"bad limit", "GET", path + "?limit=0", nil, 400, "limit"},
	} {
		status, body := c.do(tt.method, tt.path, tt.body)
		if status != tt.status || (tt.field != "" && !strings.Contains(string(body), `"field":"`+tt.field+`"`)) {
			t.Errorf("%s: %d %s, want %d naming %q", tt.name, status, body, tt.status, tt.field)
		}
	}
	if snapshot(t, env.Store) != before {
		t.Error("refused message requests changed the store")
	}
	if status, body := c.do("GET", "/api/v1/events", nil); status != http.StatusBadRequest || !strings.Contains(string(body), `"code":"websocket_required"`) {
		t.Errorf("GET /api/v1/events without a websocket upgrade: %d %s, want 400 websocket_required", status, body)
	}
}
