package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"clientportal/server/servertest"
)

// zoomHelpers audit the page as it is laid out now, and record the keyboard
// focus while the test presses Tab.
//
// audit lists what a person at this zoom would miss: a page wider than the
// window (sideways scrolling), an element reaching past the window's edge or
// past an ancestor that clips it (a control cut off), and text cut by its own
// box (overflow hidden or an ellipsis, or a button whose label spills out).
// Content inside a box that scrolls sideways on its own (a wide table in its
// wrapper) can still be reached, so it is not reported; elements hidden on
// purpose (1 px, or moved off the left edge until focused) are skipped.
//
// step reports the focused element: whether it shows a focus style (an
// outline of 2 px or more, or a box shadow) and whether it is in view. Each
// walk marks the elements it met, so a second visit means focus went round.
const zoomHelpers = `window.__z = {
  name(el) {
    const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 50);
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + cls + (text ? ' "' + text + '"' : "");
  },
  audit() {
    const root = document.documentElement, vw = root.clientWidth, out = [];
    if (root.scrollWidth > vw) out.push("the page is " + root.scrollWidth + " px wide in a window " + vw + " px wide");
    for (const el of document.body.querySelectorAll("*")) {
      if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1 || r.right <= 0) continue;
      const s = getComputedStyle(el);
      if (s.visibility === "hidden") continue;
      let clip = null, scrolls = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if (ox === "auto" || ox === "scroll") { scrolls = true; break; }
        if (ox === "hidden" || ox === "clip") { clip = a; break; }
      }
      if (!scrolls) {
        const edge = clip ? clip.getBoundingClientRect() : { left: 0, right: vw };
        if (r.right > edge.right + 1 || r.left < edge.left - 1) {
          out.push(this.name(el) + " reaches " + Math.round(clip ? r.right - edge.right : r.right - vw) + " px past " + (clip ? "the edge of " + this.name(clip) : "the window's edge"));
        }
      }
      const cuts = s.overflowX === "hidden" || s.overflowX === "clip" || s.textOverflow === "ellipsis";
      if (cuts && el.scrollWidth > el.clientWidth + 1) out.push(this.name(el) + " cuts its text: " + el.scrollWidth + " px in " + el.clientWidth + " px");
      if ((s.overflowY === "hidden" || s.overflowY === "clip") && el.scrollHeight > el.clientHeight + 1 && el.tagName.toLowerCase() !== "svg") {
        out.push(this.name(el) + " cuts its text: " + el.scrollHeight + " px tall in " + el.clientHeight + " px");
      }
      if (el.matches("button, .badge, .tag, label") && el.scrollWidth > el.clientWidth + 1 && s.display !== "inline" && s.display !== "contents") {
        out.push(this.name(el) + " spills out of its box: " + el.scrollWidth + " px in " + el.clientWidth + " px");
      }
    }
    // A field's placeholder or a select's chosen option is drawn inside
    // the field: measured in the field's font, it must fit its room (a
    // select's arrow takes about 1.5em).
    const cx = (this.canvas || (this.canvas = document.createElement("canvas"))).getContext("2d");
    for (const el of document.querySelectorAll("input[placeholder], select")) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      const s = getComputedStyle(el), select = el.tagName === "SELECT";
      const text = select ? (el.selectedOptions[0] || { text: "" }).text : (el.value ? "" : el.placeholder);
      if (!text) continue;
      cx.font = s.fontStyle + " " + s.fontWeight + " " + s.fontSize + " " + s.fontFamily;
      const need = Math.ceil(cx.measureText(text).width);
      const room = Math.floor(el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - (select ? 1.5 * parseFloat(s.fontSize) : 0));
      if (need > room) out.push(this.name(el) + " cuts its text \"" + text + "\": " + need + " px in " + room + " px");
    }
    return JSON.stringify([...new Set(out)]);
  },
  inView() {
    const r = document.activeElement.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < document.documentElement.clientWidth;
  },
  begin() {
    this.walk = (this.walk || 0) + 1;
    this.last = null;
    if (document.activeElement) document.activeElement.blur();
    window.scrollTo(0, 0);
    return true;
  },
  step() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return JSON.stringify({ none: true });
    if (el === this.last) return JSON.stringify({ same: true });
    this.last = el;
    if (el.__zwalk === this.walk) return JSON.stringify({ again: true });
    el.__zwalk = this.walk;
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
    const shadow = s.boxShadow !== "" && s.boxShadow !== "none";
    return JSON.stringify({
      name: this.name(el),
      style: "outline " + s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor + "; box-shadow " + s.boxShadow,
      shown: outline || shadow,
      inView: this.inView(),
    });
  },
}, true`

// TestWindowZoom opens the real window at 200% (GDK_SCALE=2: WebKit lays the
// page out at half the window's pixels and draws it twice as large, as a
// browser's 200% zoom does) against the real service, and walks the main
// screens: the Connect screen, the dashboard, the case list, a case's page,
// the client list, a client's access panel, the waiting list and every
// settings section. On each, nothing may need sideways scrolling, no control
// or text may be cut off, and pressing Tab (real key presses through the X
// server) must reach every focusable element with a visible focus style.
// Screenshots zoom-*.png land in $SCREENSHOT_DIR.
//
// The window is 1024x720 pixels, the page 512 CSS px wide; the window's
// minimum height (480 px of the app's own) keeps it 480 CSS px tall rather
// than 360.
func TestWindowZoom(t *testing.T) {
	z := openZoomed(t)
	defer z.cancel()

	// The audit sees what it is meant to: a button too wide for the
	// window, and text cut by a box too small for it.
	z.insp.must(t, `(() => {
		const b = document.createElement("button"); b.id = "zoom-wide"; b.textContent = "A label far too long to fit ".repeat(4); b.style.whiteSpace = "nowrap";
		const d = document.createElement("p"); d.id = "zoom-cut"; d.textContent = "Text cut off at the side"; d.style.cssText = "width: 3rem; overflow: hidden; white-space: nowrap";
		document.querySelector("main").append(b, d); return true })()`)
	seen := mustString(t, z.insp.must(t, `__z.audit().replaceAll('\\"', "'")`))
	z.insp.must(t, `document.getElementById("zoom-wide").remove(), document.getElementById("zoom-cut").remove(), true`)
	for _, want := range []string{"the page is", `button#zoom-wide 'A label far too long`, `p#zoom-cut 'Text cut off at the side' cuts its text`} {
		if !strings.Contains(seen, want) {
			t.Errorf("the audit missed a planted fault (%s); it found: %s", want, seen)
		}
	}

	z.walkScreens("zoom-", true, true)
}

// TestWindowZoomSpanish switches the window at 200% to Spanish, which runs
// about a fifth longer than English, through the header's language switch,
// and walks the main screens again at 200% (512 CSS px) and in a window
// 360 px wide, with the same audit (no Tab walk: the focus styles do not
// depend on the language). Screenshots zoom-es-*.png and zoom-es360-*.png
// (at 360 px only the top of each screen, to keep the test short).
func TestWindowZoomSpanish(t *testing.T) {
	z := openZoomed(t)
	defer z.cancel()

	z.insp.must(t, `(() => { const s = document.getElementById("language-switch"); s.value = "es";
		s.dispatchEvent(new Event("change", { bubbles: true })); return true })()`)
	z.insp.waitTrue(z.ctx, t, `document.documentElement.lang === "es" && !document.getElementById("language-switch").disabled`, "the panel in Spanish")
	z.walkScreens("zoom-es-", false, true)

	// The narrowest window, 360 px (720 pixels at twice the scale).
	z.insp.resize(z.ctx, t, 720, 960, `window.innerWidth === 360`, "the window 360 px wide")
	z.walkScreens("zoom-es360-", false, false)
}

// openZoomed starts the window at 200% against the real service and returns
// the walk, on the Connect screen.
func openZoomed(t *testing.T) *zoomWalk {
	t.Helper()
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)

	env := servertest.Start(t)
	dana := staffClient(t, env, "dana@riverside.example")
	caseID := caseByNumber(t, dana, "IMM-2026-0142")
	clientPosts(t, env, "amina@example.org", caseID, "I found the letter from the embassy. Should I bring the original or a copy to the appointment on Monday?")
	t.Setenv("XDG_DATA_HOME", t.TempDir())   // WebKit's storage: no address remembered from another run
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // the language choice: English until the test switches

	w := startWindowWith(ctx, t, bin, windowSetup{screen: "1280x1024x24", env: []string{"GDK_SCALE=2"}})
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)
	insp.must(t, zoomHelpers)
	// Centred on the screen, the doubled window starts partly off it.
	if _, err := w.xdotool(ctx, "windowmove", "0", "0"); err != nil {
		t.Fatal(err)
	}
	insp.resize(ctx, t, 1024, 720, `window.innerWidth === 512 && window.devicePixelRatio === 2`, "the window at 200%")
	// Key presses go to the window with the X input focus.
	if _, err := w.xdotool(ctx, "windowfocus", "--sync"); err != nil {
		t.Fatal(err)
	}
	return &zoomWalk{ctx: ctx, cancel: cancel, t: t, w: w, insp: insp, env: env}
}

// login connects as Dana, an administrator, from the Connect screen (its
// fields found by id: their labels may be in either language).
func (z *zoomWalk) login() {
	t := z.t
	t.Helper()
	l := z.env.Login(t, "staff", "dana@riverside.example")
	z.insp.must(t, fmt.Sprintf(`(() => {
		const set = (sel, v) => { const el = document.querySelector(sel); el.value = v; el.dispatchEvent(new Event("input", { bubbles: true })) };
		set("#connect-address", %q);
		set("#connect-email", %q);
		set("#connect-password", %s);
		document.querySelector("main form button[type=submit]").click();
		return true })()`, z.env.URL, l.Email, jsString(l.Password)))
	z.insp.waitTrue(z.ctx, t, `document.querySelectorAll(".chart svg rect").length > 0 && document.getElementById("messages-list") !== null`, "the dashboard")
}

// walkScreens goes through the main screens from the Connect screen (or from
// the dashboard, when logged in already), checking each with screen, and
// logs out at the end. Screens are found by structure, not by their texts,
// which change with the language.
func (z *zoomWalk) walkScreens(prefix string, tab, scrolled bool) {
	t, insp := z.t, z.insp
	t.Helper()
	z.tab, z.scrolled = tab, scrolled
	if string(insp.must(t, `document.getElementById("connect-password") !== null`)) == "true" {
		z.screen(prefix+"connect", "the Connect screen")
		z.login()
	}
	nav := func(i int) {
		insp.must(t, fmt.Sprintf(`document.querySelectorAll("header nav li button")[%d].click(), true`, i))
	}
	nav(0)
	insp.waitTrue(z.ctx, t, `document.querySelectorAll(".chart svg rect").length > 0 && document.getElementById("messages-list") !== null`, "the dashboard")
	z.screen(prefix+"dashboard", "the dashboard", "#messages-list", "#activity-title")

	nav(1)
	insp.waitTrue(z.ctx, t, `document.querySelectorAll("tbody .case-link").length === 4`, "the case list")
	z.screen(prefix+"cases", "the case list", ".table-wrap")

	insp.must(t, `[...document.querySelectorAll(".case-link")].find((b) => b.textContent === "IMM-2026-0142").click(), true`)
	insp.waitTrue(z.ctx, t, `__t.h1().startsWith("IMM-2026-0142") && document.querySelectorAll(".timeline li").length > 0
		&& document.getElementById("documents-title") !== null`, "the case page")
	z.screen(prefix+"case", "the case page", "#status-title", "#messages-title", ".message", "#appointments-title", "#checklist-title", "#documents-title")
	if z.tab {
		// What the focus looks like, on a link-styled button, a button and
		// a date field (the one WebKit did not outline).
		for i, sel := range []string{"header nav li button", ".case-page button", "#status-date"} {
			insp.must(t, fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.focus(); el.scrollIntoView({ block: "center" }); return true })()`, sel))
			t.Logf("screenshot of the focus on %s: %s", sel, z.shot(fmt.Sprintf("%scase-focus-%d.png", prefix, i+1)))
		}
		insp.must(t, `document.activeElement.blur(), true`)
	}

	nav(2)
	insp.waitTrue(z.ctx, t, `[...document.querySelectorAll("tbody .client-link")].some((b) => b.textContent.includes("Amina Haddad"))`, "the client list")
	z.screen(prefix+"clients", "the client list", ".table-wrap")
	insp.must(t, `[...document.querySelectorAll("tbody .client-link")].find((b) => b.textContent.includes("Amina Haddad")).click(), true`)
	insp.waitTrue(z.ctx, t, `__t.h1() === "Amina Haddad" && document.getElementById("lock-state") !== null`, "Amina's access panel")
	z.screen(prefix+"client", "the access panel", "#lock-state", "#password-title", ".access-security")

	nav(3)
	insp.waitTrue(z.ctx, t, `document.getElementById("waiting-title") !== null && document.querySelector("main table tbody tr") !== null`, "the waiting list")
	z.screen(prefix+"waiting", "the waiting list")

	insp.must(t, `document.getElementById("nav-settings").click(), true`)
	insp.waitTrue(z.ctx, t, `document.getElementById("settings-title") !== null`, "the settings")
	var sections []string
	if err := json.Unmarshal(insp.must(t, `[...document.querySelectorAll(".settings-nav button")].map((b) => b.id.replace("settings-nav-", ""))`), &sections); err != nil || len(sections) < 5 {
		t.Fatalf("settings sections: %v, %v", sections, err)
	}
	for _, s := range sections {
		insp.must(t, fmt.Sprintf(`document.getElementById("settings-nav-%s").click(), true`, s))
		// A section shows its fields once it has read the settings.
		insp.waitTrue(z.ctx, t, fmt.Sprintf(`document.getElementById("settings-nav-%s").getAttribute("aria-current") === "page"
			&& document.querySelector("#settings-body h2") !== null
			&& document.querySelector("#settings-body input, #settings-body select, #settings-body button, #settings-body dl") !== null`, s),
			"the settings section "+s)
		z.screen(prefix+"settings-"+s, "the settings section "+s)
	}

	insp.must(t, `document.querySelector("header .who > button").click(), true`)
	insp.waitTrue(z.ctx, t, `document.getElementById("connect-password") !== null`, "the Connect screen after logging out")
	z.screen(prefix+"connect-after", "the Connect screen after logging out")
}

// zoomWalk checks one screen after another in the zoomed window.
type zoomWalk struct {
	ctx      context.Context
	cancel   context.CancelFunc
	t        *testing.T
	w        *window
	insp     *inspector
	env      *servertest.Env
	tab      bool // walk each screen with Tab too
	scrolled bool // take screenshots further down the screens too
}

// screen audits the screen shown now, walks it with Tab, and takes a
// screenshot of its top and of the first element each CSS selector in
// scrollTo finds, scrolled into view.
func (z *zoomWalk) screen(name, what string, scrollTo ...string) {
	t := z.t
	t.Helper()
	var problems []string
	if err := json.Unmarshal([]byte(mustString(t, z.insp.must(t, `__z.audit()`))), &problems); err != nil {
		t.Fatalf("audit of %s: %v", what, err)
	}
	where := z.where()
	for _, p := range problems {
		t.Errorf("%s, %s: %s", where, what, p)
	}
	if z.tab {
		z.tabThrough(what)
	}
	z.insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of %s %s: %s", what, z.where(), z.shot(name+".png"))
	if !z.scrolled {
		return
	}
	for i, sel := range scrollTo {
		z.insp.must(t, fmt.Sprintf(`document.querySelector(%q).scrollIntoView(), true`, sel))
		t.Logf("screenshot of %s (%s) %s: %s", what, sel, z.where(), z.shot(fmt.Sprintf("%s-%d.png", name, i+1)))
	}
}

// shot takes a screenshot once WebKit has painted the page as it is now.
func (z *zoomWalk) shot(name string) string {
	z.insp.must(z.t, `window.__painted = false, requestAnimationFrame(() => requestAnimationFrame(() => { window.__painted = true })), true`)
	z.insp.waitTrue(z.ctx, z.t, `window.__painted === true`, "a paint of the page")
	return screenshot(z.ctx, z.t, z.w, name)
}

// where says at which zoom, width and language the window is.
func (z *zoomWalk) where() string {
	return mustString(z.t, z.insp.must(z.t, `"at " + Math.round(window.devicePixelRatio * 100) + "%, " + window.innerWidth + " CSS px wide, in " + document.documentElement.lang`))
}

// tabThrough presses Tab from the top of the page until the focus comes
// round to an element it already met, and fails the test for each element
// that shows no focus style or is out of view while focused.
func (z *zoomWalk) tabThrough(what string) {
	t := z.t
	t.Helper()
	z.insp.must(t, `__z.begin()`)
	const most = 150
	met, empty, same, last := 0, 0, 0, ""
	for range most {
		if _, err := z.w.xdo(z.ctx, "key", "Tab"); err != nil {
			t.Fatal(err)
		}
		var s struct {
			None   bool   `json:"none"`
			Same   bool   `json:"same"`
			Again  bool   `json:"again"`
			Name   string `json:"name"`
			Style  string `json:"style"`
			Shown  bool   `json:"shown"`
			InView bool   `json:"inView"`
		}
		// The key press reaches the page a moment after xdotool returns:
		// until then the focus is where it was.
		for try := 0; ; try++ {
			s.None, s.Same = false, false
			if err := json.Unmarshal([]byte(mustString(t, z.insp.must(t, `__z.step()`))), &s); err != nil {
				t.Fatalf("focus step on %s: %v", what, err)
			}
			if (!s.None && !s.Same) || try == 10 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if s.Again {
			break
		}
		if s.Same {
			// A date or time field takes several Tabs, one for each
			// of its parts.
			if same++; same > 6 {
				t.Errorf("on %s, Tab did not move the focus on from %s", what, last)
				break
			}
			continue
		}
		same, last = 0, s.Name
		if s.None {
			// Focus left the page (to the window itself); the next Tab
			// brings it back to the first element, already met.
			if empty++; empty > 3 {
				t.Errorf("on %s, Tab moved the focus nowhere after %d elements", what, met)
				break
			}
			continue
		}
		met++
		if !s.Shown {
			t.Errorf("on %s at 200%%, %s has no visible focus style (%s)", what, s.Name, s.Style)
		}
		// WebKit scrolls the focused element into view a moment later.
		if !s.InView && z.insp.eventually(`__z.inView()`) != "true" {
			t.Errorf("on %s at 200%%, %s is out of view while it has the focus", what, s.Name)
		}
	}
	z.insp.must(t, `document.activeElement.blur(), true`)
	if met == 0 {
		t.Errorf("on %s, Tab reached no element", what)
	}
	t.Logf("%s: Tab reached %d elements", what, met)
}

// eventually evaluates expression a few times over a second until it is
// true, and answers its last value.
func (in *inspector) eventually(expression string) string {
	var v json.RawMessage
	for range 10 {
		v, _ = in.evaluate(expression, 5*time.Second)
		if string(v) == "true" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return string(v)
}

// mustString decodes an evaluated expression's string value.
func mustString(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("want a string from the page, got %s", raw)
	}
	return s
}
