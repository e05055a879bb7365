package portal_test

import (
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
	"clientportal/store"
)

// cable is a TCP proxy in front of the service that a test can unplug: the
// browser reaches the service only through it, so cutting it drops the
// page's websocket and refuses new connections, as a phone losing its
// network does.
type cable struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  map[net.Conn]bool
}

func newCable(t *testing.T, target string) *cable {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &cable{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); c.unplug() })
	go c.serve()
	return c
}

func (c *cable) URL() string { return "http://" + c.ln.Addr().String() }

func (c *cable) serve() {
	for {
		in, err := c.ln.Accept()
		if err != nil {
			return
		}
		c.mu.Lock()
		if c.cut {
			c.mu.Unlock()
			in.Close()
			continue
		}
		out, err := net.Dial("tcp", c.target)
		if err != nil {
			c.mu.Unlock()
			in.Close()
			continue
		}
		c.conns[in], c.conns[out] = true, true
		c.mu.Unlock()
		go func() { io.Copy(out, in); out.Close(); in.Close() }()
		go func() { io.Copy(in, out); in.Close(); out.Close() }()
	}
}

// unplug closes every connection through the cable and refuses new ones.
func (c *cable) unplug() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cut = true
	for conn := range c.conns {
		conn.Close()
	}
	c.conns = map[net.Conn]bool{}
}

func (c *cable) plugIn() {
	c.mu.Lock()
	c.cut = false
	c.mu.Unlock()
}

// waitJS polls a JavaScript condition in the page until it holds.
func waitJS(t *testing.T, ctx context.Context, what, js string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s (%s; last error %v)", what, within, js, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// streamEvents collects the staff event stream's items in the background.
type streamEvents struct {
	mu    sync.Mutex
	items []api.Event
}

func (s *streamEvents) has(typ string, caseID, ref uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.items {
		if e.Type == typ && e.CaseID == caseID && (ref == 0 || e.Ref == ref) {
			return true
		}
	}
	return false
}

func watchStaff(t *testing.T, staff *apiclient.Client) *streamEvents {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	st, err := staff.Events(ctx, apiclient.EventsOptions{})
	if err != nil {
		t.Fatalf("staff event stream: %v", err)
	}
	s := &streamEvents{}
	go func() {
		for {
			items, err := st.Next()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.items = append(s.items, items...)
			s.mu.Unlock()
		}
	}()
	return s
}

// TestBrowserLiveUpdates: with the client's case page open in Chromium,
// what staff post through the staff API appears without a reload and is
// announced; the client answers from the page and the staff event stream
// gets it; a status entry shows on the open status page; a page that was
// offline while two messages were posted shows both once it is back; one
// offline for longer than the log keeps reloads; a locked client's page
// goes to the login page.
func TestBrowserLiveUpdates(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t)
	cab := newCable(t, strings.TrimPrefix(env.URL, "http://"))
	base := cab.URL()
	staff := staffAPI(t, env, marcus)
	events := watchStaff(t, staff)
	id := caseIDs(t, env, amina)[0]
	caseURL := base + "/cases/" + strconv.FormatUint(id, 10)
	l := env.Login(t, "client", amina)
	ctx, problems := tab(t, b)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), l.Email),
		chromedp.SendKeys(chromedp.ID("password"), l.Password+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(".status-panel__name")),
		chromedp.Navigate(caseURL+"/messages"),
		chromedp.WaitVisible(chromedp.ID("body")),
	)
	if err != nil {
		t.Fatalf("log in and open the messages page: %v", err)
	}
	// A mark in the page's JavaScript state: a reload would lose it.
	stillSamePage := `window.__noReload === true`
	eval[bool](t, ctx, `window.__noReload = true`)
	// Let the script's socket be subscribed before staff post.
	waitJS(t, ctx, "live script loaded", `performance.getEntriesByType("resource").some(e => e.name.includes("/static/live.js"))`, 10*time.Second)
	time.Sleep(500 * time.Millisecond)

	// 1. Staff post; the message appears on the open page and is announced.
	staffPost(t, staff, id, "Your hearing is confirmed for Monday.", "portal")
	waitJS(t, ctx, "staff message on the open page", `document.getElementById("messages").textContent.includes("Your hearing is confirmed for Monday.")`, 15*time.Second)
	waitJS(t, ctx, "announced", `document.getElementById("live-note").textContent === "New message from the office"`, 5*time.Second)
	if !eval[bool](t, ctx, stillSamePage) {
		t.Fatalf("the page reloaded to show the message")
	}

	// 2. The client answers from the page; staff's stream gets it.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("body"), "Thank you, I will be there."),
		chromedp.Click(chromedp.CSS(".message-form .button")),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
	)
	if err != nil {
		t.Fatalf("answer: %v", err)
	}
	notes := readNotes(t, env, id)
	if len(notes) == 0 || notes[0].Body != "Thank you, I will be there." || !notes[0].FromClient() {
		t.Fatalf("the answer was not stored: %+v", notes)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !events.has("message.created", id, notes[0].ID) {
		if time.Now().After(deadline) {
			t.Fatalf("the staff event stream did not get the client's message %d", notes[0].ID)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// 3. A status change shows on the open status page.
	if err := chromedp.Do(ctx, chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(".status-panel__name"))); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, `window.__noReload = true`)
	time.Sleep(500 * time.Millisecond)
	if _, err := staff.AddStatusEntry(context.Background(), id, api.StatusEntryInput{Status: "closed", Info: "Your case is finished. Thank you."}); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "new status on the open page", `document.querySelector(".status-panel__name").textContent === "Closed"`, 15*time.Second)
	waitJS(t, ctx, "status announced", `document.getElementById("live-note").textContent === "Your case status changed"`, 5*time.Second)
	if !eval[bool](t, ctx, stillSamePage) {
		t.Fatalf("the page reloaded to show the status")
	}

	// 4. Offline while two messages are posted: both show once back online.
	if err := chromedp.Do(ctx, chromedp.Navigate(caseURL+"/messages"), chromedp.WaitVisible(chromedp.ID("body"))); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, `window.__noReload = true`)
	time.Sleep(500 * time.Millisecond)
	cab.unplug()
	staffPost(t, staff, id, "First while you were away.", "portal")
	staffPost(t, staff, id, "Second while you were away.", "portal")
	time.Sleep(1500 * time.Millisecond)
	if eval[bool](t, ctx, `document.getElementById("messages").textContent.includes("while you were away")`) {
		t.Fatalf("a message reached the page while it was offline: the cable did not cut it")
	}
	cab.plugIn()
	waitJS(t, ctx, "both missed messages after reconnecting",
		`["First while you were away.", "Second while you were away."].every(s => document.getElementById("messages").textContent.includes(s))`, 45*time.Second)
	if !eval[bool](t, ctx, stillSamePage) {
		t.Fatalf("the page reloaded to catch up")
	}

	// 5. Offline for longer than the event log keeps what was missed: once
	// back, the service says "reload" and the page reloads itself.
	eval[bool](t, ctx, `window.__noReload = true`)
	time.Sleep(500 * time.Millisecond)
	cab.unplug()
	staffPost(t, staff, id, "Sent while the log forgot.", "portal")
	err = env.Store.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.DeleteEventsBefore(time.Now().Add(time.Hour), 1_000_000)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cab.plugIn()
	waitJS(t, ctx, "the page reloaded", `window.__noReload !== true && document.getElementById("messages") !== null && document.getElementById("messages").textContent.includes("Sent while the log forgot.")`, 45*time.Second)

	// 6. Staff lock the client while the page is offline: the session ends,
	// the page's next handshake is refused, and the page finds out why and
	// goes to the login page by itself. (Online, the socket closes with 4401.)
	time.Sleep(500 * time.Millisecond)
	cab.unplug()
	yes := true
	if _, err := staff.UpdateAccess(context.Background(), readClient(t, env, amina).ID, api.AccessInput{Locked: &yes}); err != nil {
		t.Fatal(err)
	}
	cab.plugIn()
	waitJS(t, ctx, "the page went to the login page", `location.pathname === "/login"`, 45*time.Second)

	if p := problems(); len(p) > 0 {
		// Failed connections while unplugged are expected; nothing else is.
		var other []string
		for _, s := range p {
			if !strings.Contains(s, "/live") && !strings.Contains(s, "ERR_") && !strings.Contains(s, "Failed to fetch") {
				other = append(other, s)
			}
		}
		if len(other) > 0 {
			t.Errorf("browser console problems:\n%s", strings.Join(other, "\n"))
		}
	}
}

// TestBrowserLiveAppointments: with the client's Appointments tab open, a
// portal appointment staff add appears without a reload, and its
// move and its cancellation show; a staff-only one never does.
func TestBrowserLiveAppointments(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t)
	staff := staffClient(t, env, marcus)
	id := caseIDs(t, env, amina)[0]
	l := env.Login(t, "client", amina)
	ctx, problems := tab(t, b)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(env.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), l.Email),
		chromedp.SendKeys(chromedp.ID("password"), l.Password+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(".status-panel__name")),
		chromedp.Navigate(env.URL+"/cases/"+strconv.FormatUint(id, 10)+"/appointments"),
		chromedp.WaitVisible(chromedp.ID("appointments-part")),
	)
	if err != nil {
		t.Fatalf("log in and open the appointments page: %v", err)
	}
	eval[bool](t, ctx, `window.__noReload = true`)
	waitJS(t, ctx, "live script loaded", `performance.getEntriesByType("resource").some(e => e.name.includes("/static/live.js"))`, 10*time.Second)
	time.Sleep(500 * time.Millisecond)
	next := strconv.Itoa(time.Now().Year() + 1)
	addAppointment(t, staff, id, api.AppointmentInput{Title: "Strategy session (staff)", Start: next + "-01-10T15:00:00Z", End: next + "-01-10T16:00:00Z"})
	ap := addAppointment(t, staff, id, api.AppointmentInput{Title: "Hearing at the immigration court", Start: next + "-02-10T15:00:00Z", End: next + "-02-10T16:00:00Z", Portal: true})
	waitJS(t, ctx, "new appointment on the open page", `document.getElementById("appointments-part").textContent.includes("Hearing at the immigration court")`, 15*time.Second)
	// Moved: the open page shows the new place and time.
	if _, err := staff.UpdateAppointment(context.Background(), ap.ID, api.AppointmentChange{Start: ptr(next + "-02-11T09:00:00Z"),
		End: ptr(next + "-02-11T10:00:00Z"), Place: ptr("Courtroom 12")}); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "moved appointment on the open page", `document.getElementById("appointments-part").textContent.includes("Courtroom 12")`, 15*time.Second)
	if _, err := staff.CancelAppointment(context.Background(), id, ap.ID); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "cancellation on the open page", `!!document.querySelector("#appointments-part .appointment__cancelled")`, 15*time.Second)
	if !eval[bool](t, ctx, `window.__noReload === true`) {
		t.Error("the page reloaded to show the appointment")
	}
	if eval[bool](t, ctx, `document.body.textContent.includes("Strategy session")`) {
		t.Error("a staff-only appointment shows on the client's page")
	}
	shoot(t, ctx, screenshotDir(t), "desktop-appointments")
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console problems:\n%s", strings.Join(p, "\n"))
	}
}

// TestBrowserMessagesScreenshots saves the messages page at a phone's and a
// desktop's size, with a conversation and a refused post, and checks it fits.
func TestBrowserMessagesScreenshots(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t)
	dir := screenshotDir(t)
	staff := staffAPI(t, env, marcus)
	id := caseIDs(t, env, amina)[0]
	l := env.Login(t, "client", amina)
	staffPost(t, staff, id, "Hello Amina,\nyour hearing is on 14 January at 9:30 in room 4B. Please bring your ID and the letter we sent you.", "portal")
	c := login(t, env, amina)
	postBody(t, c, caseURL(env, id, "messages"), "body=Thank+you.+Can+my+sister+come+with+me%3F")
	if _, err := staff.MarkMessagesRead(context.Background(), id, 0); err != nil {
		t.Fatal(err)
	}
	staffPost(t, staff, id, "Yes, she can come with you.", "portal")
	for _, v := range []struct {
		name  string
		width int
		vp    chromedp.Action[chromedp.Void]
	}{
		{"phone", 375, chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2), chromedp.EmulatePortrait)},
		{"desktop", 1280, chromedp.EmulateViewport(1280, 900)},
	} {
		t.Run(v.name, func(t *testing.T) {
			ctx, problems := tab(t, b)
			err := chromedp.Do(ctx, v.vp,
				chromedp.Navigate(env.URL+"/login"),
				chromedp.WaitVisible(chromedp.ID("email")),
				chromedp.SendKeys(chromedp.ID("email"), l.Email),
				chromedp.SendKeys(chromedp.ID("password"), l.Password+kb.Enter),
				chromedp.WaitVisible(chromedp.CSS(".status-panel__name")),
				chromedp.Navigate(caseURL(env, id, "messages")),
				chromedp.WaitVisible(chromedp.ID("body")),
			)
			if err != nil {
				t.Fatal(err)
			}
			// The message that was new stays marked so once the live script
			// is connected (it must not refresh the page for the page's own
			// marking as read).
			if v.name == "phone" {
				waitJS(t, ctx, "live script loaded", `performance.getEntriesByType("resource").some(e => e.name.includes("/static/live.js"))`, 10*time.Second)
				time.Sleep(1500 * time.Millisecond)
				if n := eval[int](t, ctx, `document.querySelectorAll(".message--new").length`); n != 2 {
					t.Errorf("%d messages marked new after the live script connected, want the 2 unread", n)
				}
			}
			if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > v.width {
				t.Errorf("page is %d px wide at %d px", w, v.width)
			}
			shoot(t, ctx, dir, v.name+"-messages")
			// Only blanks: the browser's own check lets it through; the
			// service says what is wrong.
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("body"), "   "), chromedp.Click(chromedp.CSS(".message-form .button")), chromedp.WaitVisible(chromedp.CSS(".error-summary"))); err != nil {
				t.Fatal(err)
			}
			shoot(t, ctx, dir, v.name+"-messages-error")
			if p := problems(); len(p) > 0 {
				var other []string
				for _, s := range p {
					if !strings.Contains(s, "status of 422") {
						other = append(other, s)
					}
				}
				if len(other) > 0 {
					t.Errorf("browser console problems:\n%s", strings.Join(other, "\n"))
				}
			}
		})
	}
}
