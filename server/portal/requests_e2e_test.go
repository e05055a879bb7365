package portal_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestBrowserChecklistPhoneUpload: at a phone's size, the client uploads a
// photo into a checklist item from the status page; staff see it arrive on
// the staff event stream; staff return it with a reason through the staff
// API, and the client's open page shows the reason without a reload and
// announces it. Screenshots of the status page with its checklist and next
// appointment, phone and desktop.
func TestBrowserChecklistPhoneUpload(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t)
	dir := screenshotDir(t)
	staff := staffClient(t, env, marcus)
	events := watchStaff(t, staff)
	id := caseIDs(t, env, amina)[0]
	ctx0 := context.Background()
	items := addRequests(t, staff, id,
		api.RequestItem{Title: "Copy of your lease", Due: time.Now().AddDate(0, 0, 10).Format(time.DateOnly), Note: "Every page, with both signatures."},
		api.RequestItem{Title: "Proof of income", Due: time.Now().AddDate(0, 0, 3).Format(time.DateOnly), Note: "Your last three pay slips."},
		api.RequestItem{Title: "Birth certificate"},
		api.RequestItem{Title: "Passport photo page"})
	lease, passport := items[0], items[3]
	start := time.Now().Add(50 * time.Hour).Truncate(time.Hour)
	addAppointment(t, staff, id, api.AppointmentInput{Title: "Interview preparation", Start: start.Format(time.RFC3339),
		End: start.Add(time.Hour).Format(time.RFC3339), Place: "12 Harbor Street, Suite 300", Portal: true})
	// One item already sent and accepted, so every group shows.
	c := login(t, env, amina)
	wantStatus(t, sendFiles(t, c, requestURL(env, id, passport.ID), reqFile{"passport.jpg", photo(t)}), 303)
	if _, err := staff.AcceptRequest(ctx0, passport.ID); err != nil {
		t.Fatal(err)
	}
	picture := filepath.Join(t.TempDir(), "IMG_2041.jpg")
	if err := os.WriteFile(picture, photo(t), 0o644); err != nil {
		t.Fatal(err)
	}

	l := env.Login(t, "client", amina)
	ctx, problems := tab(t, b)
	field := "#file-" + strconv.FormatUint(lease.ID, 10)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 667, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2), chromedp.EmulatePortrait),
		chromedp.Navigate(env.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), l.Email),
		chromedp.SendKeys(chromedp.ID("password"), l.Password+kb.Enter),
		chromedp.WaitVisible(chromedp.ID("checklist-title")),
		chromedp.SetUploadFiles(chromedp.CSS(field), []string{picture}),
		chromedp.Click(chromedp.CSS("#req-"+strconv.FormatUint(lease.ID, 10)+" .upload__button")),
		chromedp.WaitVisible(chromedp.CSS(".checklist .notice")),
	)
	if err != nil {
		t.Fatalf("log in and send a photo into the lease item: %v", err)
	}
	if got := text(t, ctx, ".checklist .notice"); !strings.Contains(got, "Copy of your lease") {
		t.Errorf("notice after the upload: %q", got)
	}
	if !eval[bool](t, ctx, `document.querySelector(".request--waiting").textContent.includes("IMG_2041.jpg")`) {
		t.Error("the sent photo is not shown as waiting")
	}
	deadline := time.Now().Add(10 * time.Second)
	for !events.has("request.submitted", id, lease.ID) || !events.has("document.uploaded", id, 0) {
		if time.Now().After(deadline) {
			t.Fatal("the staff event stream did not see request.submitted and document.uploaded")
		}
		time.Sleep(50 * time.Millisecond)
	}
	got, err := staff.Requests(ctx0, id)
	if err != nil || got[0].State != "submitted" || len(got[0].DocumentIDs) != 1 {
		t.Fatalf("staff see %+v, %v", got, err)
	}

	// Staff return it; the open page shows why, without a reload.
	eval[bool](t, ctx, `window.__noReload = true`)
	waitJS(t, ctx, "live script loaded", `performance.getEntriesByType("resource").some(e => e.name.includes("/static/live.js"))`, 10*time.Second)
	time.Sleep(500 * time.Millisecond)
	reason := "The photo is cut off at the bottom: please take it again with the whole page in view."
	if _, err := staff.ReturnRequest(ctx0, lease.ID, reason); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the reason on the open page", `document.getElementById("checklist").textContent.includes(`+strconv.Quote(reason)+`)`, 15*time.Second)
	if !eval[bool](t, ctx, `window.__noReload === true`) {
		t.Error("the page reloaded to show the returned item")
	}
	waitJS(t, ctx, "announced", `document.getElementById("live-note").textContent === "The office updated your list of documents"`, 5*time.Second)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("the status page is %d px wide on a 375 px phone", w)
	}
	// Scroll back to the top for the picture: the page as the client sees it.
	eval[bool](t, ctx, `window.scrollTo(0, 0), true`)
	shoot(t, ctx, dir, "phone-status-checklist")
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console problems:\n%s", strings.Join(p, "\n"))
	}

	// A refused file: the page says why, at the item, and keeps nothing.
	exe := filepath.Join(t.TempDir(), "scan.jpg")
	if err := os.WriteFile(exe, []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), 0o644); err != nil {
		t.Fatal(err)
	}
	income := "#req-" + strconv.FormatUint(items[1].ID, 10)
	err = chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS(income+" input[type=file]"), []string{exe}),
		chromedp.Click(chromedp.CSS(income+" .upload__button")),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, income+" .field__error"); !strings.Contains(got, "“scan.jpg” is a kind of file the office does not accept") {
		t.Errorf("the refused file's item says %q", got)
	}
	shoot(t, ctx, dir, "phone-status-checklist-error")

	desk, problems := tab(t, b)
	err = chromedp.Do(desk,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(env.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), l.Email),
		chromedp.SendKeys(chromedp.ID("password"), l.Password+kb.Enter),
		chromedp.WaitVisible(chromedp.ID("checklist-title")),
	)
	if err != nil {
		t.Fatal(err)
	}
	shoot(t, desk, dir, "desktop-status-checklist")
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console problems:\n%s", strings.Join(p, "\n"))
	}
}
