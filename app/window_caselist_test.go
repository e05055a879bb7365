package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// caseListHelpers reads and drives the case list in the window.
const caseListHelpers = `window.__cl = {
  numbers() { return [...document.querySelectorAll("tbody .case-link")].map((b) => b.textContent.trim()); },
  header(name) {
    return [...document.querySelectorAll("thead th")].find((th) => {
      const b = th.querySelector("button");
      return b && b.textContent.replace(/[▲▼↕]/g, "").trim() === name;
    });
  },
  check(label) {
    const l = [...document.querySelectorAll("label")].find((x) => x.textContent.trim() === label);
    if (!l) throw new Error("no check box " + label);
    l.querySelector("input").click();
    return true;
  },
}, true`

// TestWindowCaseList drives the case list of the real window against the
// real service: "Only cases with documents waiting for staff" lists the case
// a client just uploaded to, the Client header sorts by client name (in the
// service's order, aria-sort on the header) and again the other way, the
// order and filter survive a visit to a case, and the list fits 360 px
// without the page scrolling sideways. Screenshots control-panel-caselist
// {-1024,-360}.png land in $SCREENSHOT_DIR.
func TestWindowCaseList(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	env := servertest.Start(t)
	dana := staffClient(t, env, "dana@riverside.example")
	caseID := caseByNumber(t, dana, "HOU-2026-0317")
	clientUploads(t, env, "jose@example.org", caseID, "lease-photo.pdf", "")
	var byClient []string
	for after := uint64(0); ; {
		page, err := dana.ListCases(ctx, apiclient.ListOptions{Sort: api.CaseSortClient, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			byClient = append(byClient, c.Number)
		}
		if after = page.Next; after == 0 {
			break
		}
	}
	want, _ := json.Marshal(byClient)

	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)
	insp.must(t, caseListHelpers)
	l := env.Login(t, "staff", "dana@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Service address", %q) && __t.fill("Email", %q) && __t.fill("Password", %s) && __t.click("Connect")`,
		env.URL, l.Email, jsString(l.Password)))
	insp.waitTrue(ctx, t, `__t.h1() === "Dashboard"`, "the dashboard")
	insp.resize(ctx, t, 1024, 800, `window.innerWidth >= 1000 && window.innerWidth <= 1100`, "the 1024 px wide window")
	insp.must(t, `__t.click("Cases")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Cases" && __cl.numbers().length > 3
		&& __cl.header("Last activity").getAttribute("aria-sort") === "descending" && __cl.numbers()[0] === "HOU-2026-0317"`,
		"the case list, the latest activity (the upload) first")

	insp.must(t, `__cl.check("Only cases with documents waiting for staff")`)
	insp.waitTrue(ctx, t, `JSON.stringify(__cl.numbers()) === '["HOU-2026-0317"]'`, "only the case with the upload waiting")
	insp.must(t, `__cl.check("Only cases with documents waiting for staff")`)
	insp.must(t, `__cl.header("Client").querySelector("button").click(), true`)
	insp.waitTrue(ctx, t, fmt.Sprintf(`__cl.header("Client").getAttribute("aria-sort") === "ascending"
		&& __cl.header("Last activity").getAttribute("aria-sort") === "none"
		&& JSON.stringify(__cl.numbers()) === %s`, jsString(string(want))), "the cases by client name, as the service sorts them")
	// No inline style in the page: the window's CSP would refuse it.
	if got := string(insp.must(t, `document.querySelectorAll("[style]").length`)); got != "0" {
		t.Errorf("%s elements with an inline style on the case list", got)
	}
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of the case list at 1024 px: %s", paintedShot(ctx, t, w, insp, "control-panel-caselist-1024.png"))

	// Pressed again: the other way round (ties too: the service breaks them by id in the same direction).
	reversed := slices.Clone(byClient)
	slices.Reverse(reversed)
	back, _ := json.Marshal(reversed)
	insp.must(t, `__cl.header("Client").querySelector("button").click(), true`)
	insp.waitTrue(ctx, t, fmt.Sprintf(`__cl.header("Client").getAttribute("aria-sort") === "descending"
		&& JSON.stringify(__cl.numbers()) === %s`, jsString(string(back))), "the client order turned round")

	// A case and back: the order holds.
	insp.must(t, `document.querySelector("tbody .case-link").click(), true`)
	insp.waitTrue(ctx, t, `__t.h1().includes(":")`, "a case's page")
	insp.must(t, `[...document.querySelectorAll("button")].find((b) => b.textContent.includes("All cases")).click(), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "Cases" && __cl.header("Client").getAttribute("aria-sort") === "descending"
		&& document.getElementById("sort-by").value === "client"`, "the case list again, still by client name descending")

	// At 360 px the page does not scroll sideways (the table may, inside its frame).
	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	insp.waitTrue(ctx, t, `document.documentElement.scrollWidth - window.innerWidth === 0`, "the case list without sideways scrolling at 360 px")
	insp.must(t, `document.getElementById("sort-by").scrollIntoView(), true`)
	t.Logf("screenshot of the case list at 360 px: %s", paintedShot(ctx, t, w, insp, "control-panel-caselist-360.png"))
}
