package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"clientportal/server/servertest"
)

// TestWindowCasePage drives a case's page of the real window (under Xvfb,
// through WebKit's inspector) against the real service: it adds an
// appointment, asks the client for a document, the client uploads it
// through the portal (HTTP, as the client's browser), it appears live in
// the checklist and in the documents (marked new), and staff return it with
// a reason, which the service then holds. Screenshots at full size and at
// 360 px land in $SCREENSHOT_DIR. (Uploads and downloads through the native
// file dialogs: window_dialog_test.go.)
func TestWindowCasePage(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	env := servertest.Start(t)
	dana := staffClient(t, env, "dana@riverside.example")
	caseID := caseByNumber(t, dana, "IMM-2026-0142")
	zone := "America/New_York"
	if _, err := dana.UpdateSettings(t.Context(), settingsZone(zone)); err != nil {
		t.Fatal(err)
	}
	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)

	l := env.Login(t, "staff", "marcus@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Service address", %q) && __t.fill("Email", %q) && __t.fill("Password", %s) && __t.click("Connect")`,
		env.URL, l.Email, jsString(l.Password)))
	// The dashboard comes first (window_dashboard_test.go drives it).
	insp.waitTrue(ctx, t, `__t.h1() === "Dashboard"`, "the dashboard")
	insp.must(t, `__t.click("Cases")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Cases" && document.querySelectorAll("tbody .case-link").length === 4`, "the case list")
	insp.waitTrue(ctx, t, `document.querySelector(".live").textContent === "Live updates on"`, "the live feed")
	// The list's filters, and the form that opens a case.
	insp.waitTrue(ctx, t, `document.querySelectorAll("#filter-status option").length > 1`, "the status filter's choices")
	insp.must(t, `__t.fill("Status", "hearing_scheduled")`)
	insp.waitTrue(ctx, t, `document.querySelectorAll("tbody .case-link").length === 1 && document.querySelector("tbody .case-link").textContent === "IMM-2026-0142"`, "the cases of one status")
	insp.must(t, `__t.click("New case")`)
	insp.waitTrue(ctx, t, `document.activeElement && document.activeElement.id === "new-case-number"`, "the new case form")
	insp.must(t, `__t.fill("Find a client", "amina") && __t.click("Search")`)
	insp.waitTrue(ctx, t, `document.querySelector('button[aria-label="Add Amina Haddad to the case"]') !== null`, "a client found")
	t.Logf("screenshot of the filtered list and the new case form: %s", screenshot(ctx, t, w, "control-panel-case-new.png"))
	insp.must(t, `__t.click("Do not open it") && __t.fill("Status", "")`)
	insp.waitTrue(ctx, t, `document.querySelectorAll("tbody .case-link").length === 4`, "every case again")
	insp.must(t, `[...document.querySelectorAll(".case-link")].find((b) => b.textContent === "IMM-2026-0142").click()`)
	insp.waitTrue(ctx, t, `__t.h1() === "IMM-2026-0142: Asylum application" && document.getElementById("appointments-zone") !== null
		&& document.getElementById("appointments-zone").textContent.includes("America/New_York")`, "the case page with the office's time zone")

	// An appointment, entered in the office's zone.
	day := time.Now().AddDate(0, 0, 14).Format("2006-01-02")
	insp.must(t, fmt.Sprintf(`__t.fill("Title", "Interview preparation") && __t.fill("Starts", %q) && __t.fill("Ends", %q)
		&& __t.fill("Phone or video link (optional)", "https://meet.example.org/abc") && __t.click("Add appointment")`, day+"T09:30", day+"T10:15"))
	insp.waitTrue(ctx, t, `[...document.querySelectorAll(".appointments li strong")].some((s) => s.textContent === "Interview preparation")`, "the new appointment")
	aps, err := dana.Appointments(t.Context(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation(zone)
	want, _ := time.ParseInLocation("2006-01-02T15:04", day+"T09:30", loc)
	found := false
	for _, a := range aps.Items {
		if a.Title == "Interview preparation" {
			found = a.Start.Equal(want) && a.Portal && a.Link == "https://meet.example.org/abc"
		}
	}
	if !found {
		t.Errorf("the service's appointments after the window added one: %+v (want a start at %s)", aps.Items, want)
	}

	// A checklist item, asked for from the window.
	insp.must(t, `__t.fill("Document", "Copy of your lease") && __t.fill("Note for the client (optional)", "All pages, please.") && __t.click("Ask the client")`)
	insp.waitTrue(ctx, t, `[...document.querySelectorAll(".items > li .what strong")].some((s) => s.textContent === "Copy of your lease")`, "the checklist item")
	items, err := dana.Requests(t.Context(), caseID)
	if err != nil || len(items) != 1 || items[0].Title != "Copy of your lease" || items[0].Note != "All pages, please." {
		t.Fatalf("the service's checklist after the window asked: %+v, %v", items, err)
	}

	// The client sends it through the portal; the window shows it live.
	clientUploadsToItem(t, env, "amina@example.org", caseID, items[0].ID, "lease.jpg", jpeg())
	insp.waitTrue(ctx, t, `document.querySelector('.items > li[data-state="submitted"]') !== null
		&& document.querySelector('.items > li[data-state="submitted"]').textContent.includes("lease.jpg")
		&& document.querySelector("#documents-title .badge") !== null
		&& document.querySelector("#documents-title .badge").textContent === "1 new"`, "the client's upload, live")
	insp.must(t, `document.getElementById("checklist-title").scrollIntoView(), true`)
	t.Logf("screenshot of the checklist with the client's upload: %s", screenshot(ctx, t, w, "control-panel-case-checklist.png"))
	insp.must(t, `document.getElementById("documents-title").scrollIntoView(), true`)
	t.Logf("screenshot of the documents: %s", screenshot(ctx, t, w, "control-panel-case-documents.png"))

	// Returned with a reason, which the service keeps for the client.
	insp.must(t, `document.querySelector('button[aria-label="Return Copy of your lease with a reason"]').click(), true`)
	insp.waitTrue(ctx, t, `document.activeElement && document.activeElement.id.startsWith("return-reason-")`, "the reason field focused")
	insp.must(t, `__t.fill("Why is it returned? (the client reads this)", "The second page is missing.") && __t.click("Return to the client")`)
	insp.waitTrue(ctx, t, `document.querySelector('.items > li[data-state="returned"]') !== null
		&& document.querySelector('.items > li[data-state="returned"]').textContent.includes("Returned: The second page is missing.")`, "the returned item")
	items, _ = dana.Requests(t.Context(), caseID)
	if items[0].State != "returned" || items[0].Reason != "The second page is missing." {
		t.Errorf("the service's item after the window returned it: %+v", items[0])
	}
	insp.must(t, `document.getElementById("appointments-title").scrollIntoView(), true`)
	t.Logf("screenshot of the appointments: %s", screenshot(ctx, t, w, "control-panel-case-appointments.png"))

	// At 360 px nothing scrolls sideways.
	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	if got := string(insp.must(t, `document.documentElement.scrollWidth - window.innerWidth`)); got != "0" {
		t.Errorf("the case page at 360 px is %s px wider than the window", got)
	}
	insp.must(t, `document.getElementById("checklist-title").scrollIntoView(), true`)
	t.Logf("screenshot of the checklist at 360 px: %s", screenshot(ctx, t, w, "control-panel-case-checklist-360.png"))
	insp.must(t, `document.getElementById("appointments-title").scrollIntoView(), true`)
	t.Logf("screenshot of the appointments at 360 px: %s", screenshot(ctx, t, w, "control-panel-case-appointments-360.png"))
}
