package app

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"clientportal/server/mail/mailtest"
	"clientportal/server/servertest"
)

// windowClients drives the client screens of the real window (TestWindow
// calls it once connected): the client list, a client's access panel, an
// invitation sent from it (the email arriving at the office's SMTP server),
// a temporary password set with the policy's rules marked as it is typed
// (the client then signs in with it and is asked for their own), the
// waiting list, and the access panel at 360 px.
func windowClients(ctx context.Context, t *testing.T, env *servertest.Env, smtp *mailtest.Server, w *window, insp *inspector) {
	t.Helper()
	dana := staffClient(t, env, "dana@riverside.example")
	rosa, _ := newClientWithCase(t, dana, "Rosa Quintero", "rosa@example.org", "ONB-0001")
	before := len(smtp.Messages())

	insp.must(t, `__t.click("Clients")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Clients" && document.querySelectorAll("tbody .client-link").length === 5`, "the client list")
	insp.must(t, `document.querySelector('button[aria-label="Open client Rosa Quintero"]').click(), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "Rosa Quintero" && document.getElementById("invitation-state").textContent === "Never sent"`, "Rosa's access panel")

	insp.must(t, `__t.click("Send invitation")`)
	insp.waitTrue(ctx, t, `[...document.querySelectorAll(".ok[role=status]")].some((p) => p.textContent === "The invitation was sent to rosa@example.org.")
		&& document.getElementById("invitation-state").textContent.startsWith("Active until")`, "the invitation sent")
	mailTo(t, smtp, before+1, "rosa@example.org", "register")
	if inv, err := dana.Invitation(t.Context(), rosa); err != nil || inv.Invitation == nil || !inv.Invitation.Active {
		t.Errorf("the service's invitation after the window sent it: %+v, %v", inv, err)
	}
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of the access panel: %s", screenshot(ctx, t, w, "control-panel-client.png"))

	// The rules mark themselves as the password is typed.
	insp.must(t, `__t.fill("New password", "abc")`)
	insp.waitTrue(ctx, t, `document.querySelectorAll(".rules li.unmet").length > 0`, "unmet rules while typing")
	const temporary = "Amber-Lantern-26?Vc"
	insp.must(t, fmt.Sprintf(`__t.fill("New password", %q)`, temporary))
	insp.waitTrue(ctx, t, `document.querySelectorAll(".rules li.unmet").length === 0 && document.querySelectorAll(".rules li.met").length >= 1`, "every rule met")
	insp.must(t, `document.getElementById("password-title").scrollIntoView(), true`)
	t.Logf("screenshot of the password form: %s", screenshot(ctx, t, w, "control-panel-client-password.png"))
	insp.must(t, `__t.click("Set temporary password")`)
	insp.waitTrue(ctx, t, `[...document.querySelectorAll(".ok[role=status]")].some((p) => p.textContent.startsWith("Temporary password set"))`, "the temporary password set")
	// A client added without a password is not yet allowed to log on: the
	// panel says so, and staff allow her.
	insp.waitTrue(ctx, t, `document.querySelector("[data-can-log-on]").textContent.includes("allowed to log on")`, "what keeps Rosa from logging on")
	if code, _ := portalLogin(t, env, "rosa@example.org", temporary); code == http.StatusSeeOther {
		t.Errorf("Rosa logged in before she was allowed to")
	}
	insp.must(t, `document.getElementById("access-allowed").click(), true`)
	insp.waitTrue(ctx, t, `[...document.querySelectorAll(".ok[role=status]")].some((p) => p.textContent === "The client may log on.")
		&& document.querySelector("[data-can-log-on]").textContent.trim() === "Yes"`, "Rosa allowed to log on")
	b := env.Browser()
	if code, _ := portalLoginWith(t, b, env, "rosa@example.org", temporary); code != http.StatusSeeOther {
		t.Fatalf("Rosa's login with the temporary password set in the window: %d", code)
	}
	resp, err := b.Get(env.URL + "/cases")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if where := resp.Header.Get("Location"); where != "/password" {
		t.Errorf("with the temporary password the portal sends Rosa to %q, want /password", where)
	}
	if acc, err := dana.Access(t.Context(), rosa); err != nil || !acc.MustChangePassword {
		t.Errorf("the service's access after the temporary password: %+v, %v", acc, err)
	}

	insp.must(t, `__t.click("Waiting for an invitation")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Waiting for an invitation" && document.querySelectorAll("tbody .client-link").length === 0
		&& document.querySelector("tbody").textContent.includes("Nobody is waiting")`, "the waiting list, empty now that Rosa has a password")

	// The access panel at the narrowest width: nothing scrolls sideways.
	insp.must(t, `__t.click("Clients")`)
	insp.waitTrue(ctx, t, `document.querySelectorAll("tbody .client-link").length === 5`, "the client list again")
	insp.must(t, `document.querySelector('button[aria-label="Open client Amina Haddad"]').click(), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "Amina Haddad" && document.getElementById("lock-state") !== null`, "Amina's access panel")
	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	if got := string(insp.must(t, `document.documentElement.scrollWidth - window.innerWidth`)); got != "0" {
		t.Errorf("the access panel at 360 px is %s px wider than the window", got)
	}
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of the access panel at 360 px: %s", screenshot(ctx, t, w, "control-panel-client-360.png"))
	insp.resize(ctx, t, 1024, 720, `window.innerWidth > 900`, "the window at its usual size")
	insp.must(t, `__t.click("Cases")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Cases" && document.querySelectorAll("tbody .case-link").length === 5`, "back to the case list")

	// Choosing cases: Rosa's case (she has an account now) and Amina's.
	insp.must(t, `__t.click("Choose cases to invite their clients")`)
	insp.waitTrue(ctx, t, `document.querySelectorAll('input[aria-label^="Choose case "]').length === 5`, "a check box per case")
	insp.must(t, `document.querySelector('input[aria-label="Choose case ONB-0001"]').click(), document.querySelector('input[aria-label="Choose case IMM-2026-0142"]').click(), true`)
	insp.must(t, `__t.click("Invite their clients")`)
	insp.waitTrue(ctx, t, `(document.getElementById("invite-result") || {}).textContent === "Nobody was invited; 2 already have an account."`, "the bulk invitation's outcome")
	t.Logf("screenshot of choosing cases: %s", screenshot(ctx, t, w, "control-panel-cases-choose.png"))
	insp.must(t, `__t.click("Done choosing")`)
	insp.waitTrue(ctx, t, `document.querySelector('input[aria-label^="Choose case "]') === null`, "the list without check boxes")
}
