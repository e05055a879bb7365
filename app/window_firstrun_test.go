package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"clientportal/server/apiclient"
	"clientportal/server/mail/mailtest"
)

// TestWindowFirstRun drives the first-run wizard in the real window against
// a fresh data folder: from the Connect screen's "Set up this computer as
// the office server", the service's settings, the service started and
// answering, the setup code read from the data folder, the first
// administrator created and logged in, the domain left for later, the mail
// server saved with a wrong password (the test email shows the server's
// refusal and the configuration check says what to do) and then the right
// one (a real SMTP server receives the test email), the documents key's
// place, the certificate step, and the control panel opened. Then, in the
// same window: a case made through the API opened, a status set, a message
// sent, the client invited (the email arrives), and the client's reply,
// posted on the portal with the session of the account the invitation made,
// arriving live. Screenshots of each step land in $SCREENSHOT_DIR.
//
// The service is started by the wizard as a child process of the window (the
// test aid ServiceChildEnv) rather than through System V: the service then
// inherits SSL_CERT_FILE, which trusts the test SMTP server, and ends with the
// window. The install through the real service manager is
// TestWizardInstallsTheService.
func TestWindowFirstRun(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	smtp := mailtest.Start(t)
	tmp := t.TempDir()
	certFile := filepath.Join(tmp, "smtp-cert.pem")
	if err := os.WriteFile(certFile, smtp.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	rand.Read(b)
	t.Setenv(ServiceNameEnv, "clientportal-test-"+hex.EncodeToString(b))
	t.Setenv(ServiceChildEnv, "1")
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(tmp, "config")) // the wizard's progress file
	t.Setenv("SSL_CERT_FILE", certFile)
	t.Setenv("XDG_DATA_HOME", filepath.Join(tmp, "share")) // WebKit's storage: no address remembered from another run

	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	page := waitForPage(ctx, t, insp)
	if page.Heading != "Connect to your office" {
		t.Fatalf("first screen: %q\n%s", page.Heading, page.Text)
	}
	// The offer learns the service's state a moment after the page loads.
	insp.waitTrue(ctx, t, `document.body.innerText.includes("No portal service is installed on this computer yet.")`, "the setup offer saying no service is installed")
	insp.must(t, windowHelpers)
	insp.must(t, `__t.click("Set up this computer as the office server")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Install the portal service" && document.activeElement === document.querySelector("h1")`, "the wizard's first step, focused")

	// At the narrowest width the window allows, nothing scrolls sideways.
	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	if got := string(insp.must(t, `document.documentElement.scrollWidth - window.innerWidth`)); got != "0" {
		t.Errorf("the wizard at 360 px is %s px wider than the window", got)
	}
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "wizard-1-service-360.png"))
	insp.resize(ctx, t, 1024, 720, `window.innerWidth > 900`, "the window at its usual size")

	root := filepath.Join(tmp, "office server")
	data, addr := filepath.Join(root, "data"), freeAddr(t)
	insp.must(t, `document.querySelector(".wizard details").open = true`)
	insp.must(t, fmt.Sprintf(`__t.fill("Data folder", %s) && __t.fill("Local address", %q) && __t.fill("Documents key file", %s) && __t.fill("Log folder", %s)`,
		jsString(data), addr, jsString(filepath.Join(root, "keys", "office.key")), jsString(filepath.Join(root, "logs"))))
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "wizard-1-service.png"))
	insp.must(t, `__t.click("Install and start the service")`)

	insp.waitTrue(ctx, t, `__t.h1() === "Create the first administrator" && document.getElementById("adm-code").value.length === 23`, "the setup code read from the data folder")
	code, _ := os.ReadFile(filepath.Join(data, "setup-code.txt"))
	if got := string(insp.must(t, `document.getElementById("adm-code").value`)); got != jsString(strings.TrimSpace(string(code))) {
		t.Errorf("the code in the form %s, the file %q", got, code)
	}
	const email, password = "alex@riverside-law.example", "harbor lantern cobalt mist"
	insp.must(t, fmt.Sprintf(`__t.fill("Your name", "Alex Morgan") && __t.fill("Email", %q) && __t.fill("Password", "too short")`, email))
	insp.waitTrue(ctx, t, `document.querySelector('.rules li[data-rule="length"]').classList.contains("unmet")`, "the length rule unmet while typing")
	insp.must(t, fmt.Sprintf(`__t.fill("Password", %q) && __t.fill("Password again", %q)`, password, password))
	insp.waitTrue(ctx, t, `document.querySelector('.rules li[data-rule="length"]').classList.contains("met")`, "the length rule met")
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "wizard-3-admin.png"))
	insp.must(t, `__t.click("Create the administrator")`)

	insp.waitTrue(ctx, t, `__t.h1() === "Log in" && document.getElementById("login-email").value === "`+email+`"`, "the login step")
	insp.must(t, fmt.Sprintf(`__t.fill("Password", %q) && __t.click("Log in")`, password))
	insp.waitTrue(ctx, t, `__t.h1() === "The domain"`, "the domain step")
	insp.waitTrue(ctx, t, `document.querySelector('.check-list li[data-check="domain"]') !== null`, "the domain step's configuration check")
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "wizard-5-domain.png"))
	insp.must(t, `__t.click("Later")`)

	insp.waitTrue(ctx, t, `__t.h1() === "The mail server"`, "the mail step")
	insp.must(t, fmt.Sprintf(`__t.fill("Mail server (SMTP)", %q) && __t.fill("Port", "%d") && __t.fill("User name", %q) && __t.fill("Mail password", "not the password") && __t.fill("From address", "portal@riverside-law.example")`,
		smtp.Host, smtp.Port, smtp.Username))
	insp.must(t, `__t.click("Save the mail server")`)
	insp.waitTrue(ctx, t, `document.body.innerText.includes("The mail server is saved.")`, "the mail server saved")
	insp.must(t, `__t.click("Send a test email")`)
	insp.waitTrue(ctx, t, `document.querySelector(".test-result").textContent.includes("The mail server did not take the test email (at auth)")
		&& document.querySelector(".test-result").textContent.includes("refused the login")`, "the refused login, in the server's words")
	insp.waitTrue(ctx, t, `(document.querySelector('.check-list li[data-check="mail"]') || {}).dataset?.status === "problem"`, "the configuration check's mail problem")
	insp.must(t, `document.querySelector(".test-result").scrollIntoView(), true`)
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "wizard-6-mail-refused.png"))
	insp.must(t, fmt.Sprintf(`__t.fill("Mail password", %q) && __t.click("Save the mail server")`, smtp.Password))
	insp.waitTrue(ctx, t, `(document.querySelector('.check-list li[data-check="mail"]') || {}).dataset?.status === "ok"`, "the mail check OK")
	insp.must(t, `__t.click("Send a test email")`)
	insp.waitTrue(ctx, t, `document.querySelector(".test-result").textContent.includes("The mail server accepted the test email")`, "the test email accepted")
	if m := smtp.Wait(t, 1, 15*time.Second); m[0].To[0] != email {
		t.Errorf("the test email went to %v", m[0].To)
	}
	insp.must(t, `document.querySelector(".test-result").scrollIntoView(), true`)
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "wizard-6-mail.png"))
	insp.must(t, `__t.click("Next")`)

	insp.waitTrue(ctx, t, `__t.h1() === "The documents key" && document.body.innerText.includes("office.key")
		&& (document.querySelector('.check-list li[data-check="office_key"]') || {}).dataset?.status === "ok"`, "the key step")
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "wizard-7-key.png"))
	insp.must(t, `__t.click("Next")`)
	insp.waitTrue(ctx, t, `__t.h1() === "The certificate" && document.body.innerText.includes("No domain is set")`, "the certificate step")
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "wizard-8-certificate.png"))
	insp.must(t, `__t.click("Finish")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Done"`, "the last step")
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "wizard-9-done.png"))
	insp.must(t, `__t.click("Open the control panel")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Dashboard" && document.querySelector(".live").textContent === "Live updates on"`, "the control panel (its dashboard), live")

	// A case and its client, made through the API as another program would.
	base := "http://" + addr
	api1, err := apiclient.New(base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api1.Login(ctx, email, password); err != nil {
		t.Fatal(err)
	}
	clientID, caseID := newClientWithCase(t, api1, "Maria Lopez", "maria@example.org", "IMM-2026-0001")
	insp.must(t, `__t.click("Clients"), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "Clients"`, "the client list")
	insp.must(t, `__t.click("Cases")`)
	insp.waitTrue(ctx, t, `document.querySelectorAll("tbody .case-link").length === 1`, "the new case listed")
	insp.must(t, `document.querySelector(".case-link").click(), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "IMM-2026-0001: Asylum application"`, "the case page")
	insp.must(t, `(() => { const s = document.getElementById("status-choice"); s.selectedIndex = 1; s.dispatchEvent(new Event("change", { bubbles: true })); return true })()`)
	insp.must(t, `__t.fill("Additional information for the client", "We have your application.") && __t.click("Set status")`)
	insp.waitTrue(ctx, t, `document.body.innerText.includes("Status set to") && document.body.innerText.includes("Set by Alex Morgan")`, "the status set")
	insp.must(t, `__t.fill("Message", "Welcome, Maria: your case is open.") && __t.click("Send message")`)
	insp.waitTrue(ctx, t, `(document.querySelector(".message .body") || {}).textContent === "Welcome, Maria: your case is open."`, "the message sent")

	// Invite the client from her page; the email arrives; she registers
	// with the link and answers on the portal.
	insp.must(t, `document.querySelector(".back").click(), __t.click("Clients")`)
	insp.waitTrue(ctx, t, `document.querySelector('button[aria-label="Open client Maria Lopez"]') !== null`, "the client list")
	insp.must(t, `document.querySelector('button[aria-label="Open client Maria Lopez"]').click(), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "Maria Lopez"`, "Maria's page")
	insp.must(t, `__t.click("Send invitation")`)
	insp.waitTrue(ctx, t, `document.body.innerText.includes("The invitation was sent to maria@example.org.")`, "the invitation sent")
	link := mailTo(t, smtp, 2, "maria@example.org", "register")
	if inv, err := api1.Invitation(ctx, clientID); err != nil || inv.Invitation == nil || !inv.Invitation.Active {
		t.Errorf("the invitation: %+v, %v", inv, err)
	}
	insp.must(t, `__t.click("Cases")`)
	insp.waitTrue(ctx, t, `document.querySelectorAll("tbody .case-link").length === 1`, "the case list")
	insp.must(t, `document.querySelector(".case-link").click(), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "IMM-2026-0001: Asylum application" && (document.querySelector(".message .body") || {}).textContent === "Welcome, Maria: your case is open."`, "the case page again")

	b2 := browser()
	const clientPassword = "Lilac-Garden-47!Tq"
	portalPost(t, b2, base+link, url.Values{"birth_date": {"1984-06-02"}, "password": {clientPassword}}, "/login?done=registered")
	portalPost(t, b2, base+"/login", url.Values{"email": {"maria@example.org"}, "password": {clientPassword}}, "")
	portalPost(t, b2, fmt.Sprintf("%s/cases/%d/messages", base, caseID), url.Values{"body": {"Thank you, I will send my papers."}}, "")
	insp.waitTrue(ctx, t, `(document.querySelector(".message .body") || {}).textContent === "Thank you, I will send my papers."
		&& document.querySelector(".case-page > [role=status]").textContent === "New message from Maria Lopez."`, "the client's reply, live")
	insp.must(t, `document.getElementById("messages-title").scrollIntoView(), true`)
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "wizard-10-case.png"))

	if got := string(insp.must(t, `document.documentElement.scrollWidth - window.innerWidth`)); got != "0" {
		t.Errorf("the case page is %s px wider than the window", got)
	}
}

// browser is a cookie-keeping HTTP client that does not follow redirects.
func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// portalPost posts a portal form and wants a 303 (to where, when given).
func portalPost(t *testing.T, b *http.Client, target string, form url.Values, where string) {
	t.Helper()
	resp, err := b.PostForm(target, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || (where != "" && resp.Header.Get("Location") != where) {
		t.Fatalf("POST %s: %s to %q, want 303 to %q", target, resp.Status, resp.Header.Get("Location"), where)
	}
}
