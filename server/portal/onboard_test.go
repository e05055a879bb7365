package portal_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/mail/mailtest"
	"clientportal/server/servertest"
	"clientportal/store"
)

// Onboarding end to end: the real service with the demo office, its mail
// sender running against a real SMTP server (mailtest), the emails read
// from it and their links followed, on a real bbolt file.

const (
	goodPassword  = "Lilac-Garden-47!Tq"
	otherPassword = "Harbor-Maple-93?Zx"
	birthDate     = "1984-06-02"
)

type onboard struct {
	env   *servertest.Env
	smtp  *mailtest.Server
	staff *apiclient.Client // Dana, the demo administrator
	seen  int               // emails already read
}

func startOnboard(t testing.TB, opts ...servertest.Option) *onboard {
	t.Helper()
	smtp := mailtest.Start(t)
	opts = append(opts, servertest.WithConfig(func(c *server.Config) {
		c.Mail.RootCAs, c.Mail.Poll, c.Mail.Timeout = smtp.RootCAs(), time.Hour, 5*time.Second
	}))
	env := servertest.Start(t, opts...)
	env.Server.Mail().SetBaseURL(env.URL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { env.Server.Mail().Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	staff, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if err != nil {
		t.Fatal(err)
	}
	o := &onboard{env: env, smtp: smtp, staff: staff}
	o.relogin(t)
	str := func(s string) *string { return &s }
	port := smtp.Port
	if _, err := o.staff.PutMailSettings(ctx, api.MailSettingsInput{Host: str(smtp.Host), Port: &port, Security: str("starttls"),
		Username: str(smtp.Username), Password: str(smtp.Password), From: str("portal@riverside.example")}); err != nil {
		t.Fatal(err)
	}
	return o
}

// relogin logs the staff client in again as Dana.
func (o *onboard) relogin(t testing.TB) {
	t.Helper()
	admin := o.env.Login(t, "staff", "dana@riverside.example")
	if _, err := o.staff.Login(context.Background(), admin.Email, admin.Password); err != nil {
		t.Fatal(err)
	}
}

// newClient adds a client with no account and a case of theirs.
func (o *onboard) newClient(t *testing.T, name, email, lang string) (clientID, caseID uint64) {
	t.Helper()
	ctx := context.Background()
	bd := birthDate
	c, err := o.staff.CreateClient(ctx, api.ClientInput{Name: &name, Email: &email, Language: &lang, BirthDate: &bd})
	if err != nil {
		t.Fatal(err)
	}
	num, title, kind, adv := "ONB-"+strings.ToUpper(strings.Fields(name)[0]), "Asylum application", "staff", uint64(1)
	cs, err := o.staff.CreateCase(ctx, api.CaseInput{Number: &num, Title: &title, ClientIDs: &[]uint64{c.ID}, Kind: &kind, AdvocateID: &adv})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID, cs.ID
}

// mail is one email as read from the SMTP server.
type mailRead struct {
	to, subject, lang, plain, html string
}

// mails waits for n more emails and reads them.
func (o *onboard) mails(t *testing.T, n int) []mailRead {
	t.Helper()
	all := o.smtp.Wait(t, o.seen+n, 10*time.Second)
	var out []mailRead
	for _, m := range all[o.seen:] {
		r, err := gomail.CreateReader(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		e := mailRead{to: strings.Join(m.To, ",")}
		e.subject, _ = r.Header.Subject()
		e.lang = r.Header.Get("Content-Language")
		for {
			p, err := r.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(p.Body)
			if ct, _, _ := p.Header.(*gomail.InlineHeader).ContentType(); ct == "text/html" {
				e.html = string(body)
			} else {
				e.plain = string(body)
			}
		}
		out = append(out, e)
	}
	o.seen += len(out)
	return out
}

var linkRE = regexp.MustCompile(`https?://[^\s"<]+/(register|reset)/[A-Za-z0-9_-]{43}`)

// link is the single-use link of an email, as a path on the service.
func link(t *testing.T, o *onboard, m mailRead) string {
	t.Helper()
	l := linkRE.FindString(m.plain)
	if l == "" || !strings.Contains(m.html, `href="`+l+`"`) {
		t.Fatalf("email to %s has no link (or not the same in text and HTML):\n%s\n%s", m.to, m.plain, m.html)
	}
	if !strings.HasPrefix(l, o.env.URL+"/") {
		t.Fatalf("link %s is not on the service %s", l, o.env.URL)
	}
	return l
}

func (o *onboard) invitation(t *testing.T, id uint64) api.Invitation {
	t.Helper()
	inv, err := o.staff.Invitation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

const noLongerValid = "This link is no longer valid; ask the office for a new one."

// The whole path: staff invite, the email arrives in the client's language
// with the office's name, the link's page asks for the birth date and a
// password, the policy names what a weak password misses, registration
// makes the account, and the client logs in and sees their case. Staff see
// each step; the used link then answers like an unknown one.
func TestInvitationToRegistrationToLogin(t *testing.T) {
	o := startOnboard(t)
	ctx := context.Background()
	id, caseID := o.newClient(t, "Rosa Quintero", "rosa@example.org", "es")

	if inv, err := o.staff.Invite(ctx, id); err != nil || inv.Invitation == nil || !inv.Invitation.Active || inv.HasAccount {
		t.Fatalf("Invite: %+v, %v", inv, err)
	}
	m := o.mails(t, 1)[0]
	if m.to != "rosa@example.org" || m.lang != "es" || !strings.Contains(m.subject, office) || !strings.Contains(m.plain, "Crear mi cuenta") ||
		!strings.Contains(m.plain, "7 días") {
		t.Fatalf("invitation email: to %s, lang %s, subject %q:\n%s", m.to, m.lang, m.subject, m.plain)
	}
	u := link(t, o, m)
	b := o.env.Browser()
	lang, _ := url.Parse(o.env.URL)
	b.Jar.SetCookies(lang, []*http.Cookie{{Name: "lang", Value: "es"}}) // as the language switcher does

	page := get(t, b, u)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, `name="birth_date"`, `name="password"`, `id="password-rules"`, "al menos 10 caracteres", "/static/password.js")

	// A weak password: every unmet rule named, nothing counted against the link.
	weak := post(t, b, u, url.Values{"birth_date": {birthDate}, "password": {"short"}})
	wantStatus(t, weak, http.StatusUnprocessableEntity)
	wantContains(t, weak, "Use al menos 10 caracteres.", "Use al menos 2 letras mayúsculas.", "Use al menos 2 números.", "Use al menos 2 símbolos o espacios.")
	if inv := o.invitation(t, id); inv.Invitation.Attempts != 0 || !inv.Invitation.Active {
		t.Fatalf("after a weak password: %+v", inv.Invitation)
	}

	// An invitation token is no reset link.
	wantStatus(t, get(t, o.env.Browser(), strings.Replace(u, "/register/", "/reset/", 1)), http.StatusNotFound)
	done := post(t, b, u, url.Values{"birth_date": {birthDate}, "password": {goodPassword}})
	wantRedirect(t, done, "/login?done=registered")
	inv := o.invitation(t, id)
	if !inv.HasAccount || inv.Activated || inv.Invitation.Active || inv.Invitation.Used == nil || inv.Invitation.Email != "rosa@example.org" {
		t.Fatalf("after registering: %+v %+v", inv, inv.Invitation)
	}

	wantContains(t, get(t, b, o.env.URL+"/login?done=registered"), "Su cuenta está lista")
	wantRedirect(t, post(t, b, o.env.URL+"/login", url.Values{"email": {"rosa@example.org"}, "password": {goodPassword}}), "/cases")
	wantContains(t, get(t, b, o.env.URL+"/cases/"+itoa(caseID)), "Asylum application")
	if inv := o.invitation(t, id); !inv.Activated {
		t.Fatalf("after the first login: %+v", inv)
	}

	// The used link, an unknown one and a malformed one: one answer.
	used := get(t, o.env.Browser(), u)
	unknown := get(t, o.env.Browser(), o.env.URL+"/register/"+strings.Repeat("A", 43))
	junk := get(t, o.env.Browser(), o.env.URL+"/register/x")
	for _, a := range []answer{used, unknown, junk} {
		wantStatus(t, a, http.StatusNotFound)
		wantContains(t, a, noLongerValid)
	}
	if used.body != unknown.body {
		t.Errorf("a used link and an unknown one answer differently")
	}
	again := post(t, o.env.Browser(), u, url.Values{"birth_date": {birthDate}, "password": {otherPassword}})
	wantStatus(t, again, http.StatusNotFound)

	// A client invited for a second case keeps their one account.
	num, title, kind, adv := "ONB-ROSA-2", "Work permit", "staff", uint64(1)
	if _, err := o.staff.CreateCase(ctx, api.CaseInput{Number: &num, Title: &title, ClientIDs: &[]uint64{id}, Kind: &kind, AdvocateID: &adv}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.staff.Invite(ctx, id); !apiclient.IsCode(err, "conflict") {
		t.Fatalf("inviting a client with an account: %v, want conflict", err)
	}
	res, err := o.staff.InviteCases(ctx, []uint64{caseID})
	if err != nil || len(res.Items) != 1 || res.Items[0].Outcome != "has_account" || res.Invited != 0 {
		t.Fatalf("bulk invitation of a registered client: %+v, %v", res, err)
	}
	wantRedirect(t, post(t, o.env.Browser(), o.env.URL+"/login", url.Values{"email": {"rosa@example.org"}, "password": {goodPassword}}), "/cases")
}

// Bulk: every client of the chosen cases, each once; those with an account
// or an active invitation are reported, not mailed; an unknown case refuses
// the whole request. The waiting list shows clients with cases and no account.
func TestBulkInvitation(t *testing.T) {
	o := startOnboard(t)
	ctx := context.Background()
	a, caseA := o.newClient(t, "Ana Torres", "ana@example.org", "en")
	b, caseB := o.newClient(t, "Bea Ruiz", "bea@example.org", "es")
	// Ana is on case B too, and Amina (who has an account) on case A.
	amina := readClient(t, o.env, amina)
	if _, err := o.staff.UpdateCase(ctx, caseB, api.CaseInput{ClientIDs: &[]uint64{b, a}}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.staff.UpdateCase(ctx, caseA, api.CaseInput{ClientIDs: &[]uint64{a, amina.ID}}); err != nil {
		t.Fatal(err)
	}

	waiting, err := o.staff.WaitingForInvitation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[uint64]bool{}
	for _, w := range waiting.Items {
		ids[w.ClientID] = true
		if w.Invitation != nil {
			t.Errorf("waiting client %d already has an invitation", w.ClientID)
		}
	}
	if !ids[a] || !ids[b] || ids[amina.ID] {
		t.Fatalf("waiting list %+v: want Ana and Bea, not Amina", waiting.Items)
	}

	if _, err := o.staff.InviteCases(ctx, []uint64{caseA, 999999}); !apiclient.IsCode(err, "invalid") {
		t.Fatalf("bulk with an unknown case: %v, want invalid", err)
	}
	if inv := o.invitation(t, a); inv.Invitation != nil {
		t.Fatalf("a refused bulk invitation invited Ana: %+v", inv.Invitation)
	}

	res, err := o.staff.InviteCases(ctx, []uint64{caseA, caseB})
	if err != nil {
		t.Fatal(err)
	}
	got := map[uint64]string{}
	for _, it := range res.Items {
		if _, dup := got[it.ClientID]; dup {
			t.Errorf("client %d reported twice", it.ClientID)
		}
		got[it.ClientID] = it.Outcome
	}
	if res.Invited != 2 || got[a] != "invited" || got[b] != "invited" || got[amina.ID] != "has_account" || len(got) != 3 {
		t.Fatalf("bulk outcomes %+v", res)
	}
	ms := o.mails(t, 2)
	to := map[string]mailRead{}
	for _, m := range ms {
		to[m.to] = m
	}
	if to["ana@example.org"].lang != "en" || to["bea@example.org"].lang != "es" {
		t.Fatalf("bulk emails %+v", ms)
	}
	// Again: both already invited, nothing sent.
	res, err = o.staff.InviteCases(ctx, []uint64{caseA, caseB})
	if err != nil || res.Invited != 0 || len(res.Items) != 3 {
		t.Fatalf("second bulk: %+v, %v", res, err)
	}
	for _, it := range res.Items {
		if it.ClientID != amina.ID && it.Outcome != "already_invited" {
			t.Errorf("second bulk, client %d: %s", it.ClientID, it.Outcome)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(o.smtp.Messages()); n != 2 {
		t.Fatalf("%d emails after the second bulk, want 2", n)
	}
	waiting, _ = o.staff.WaitingForInvitation(ctx)
	for _, w := range waiting.Items {
		if (w.ClientID == a || w.ClientID == b) && (w.Invitation == nil || !w.Invitation.Active) {
			t.Errorf("waiting list: client %d's invitation %+v", w.ClientID, w.Invitation)
		}
	}

	// Each link registers its own client.
	u := link(t, o, to["bea@example.org"])
	wantRedirect(t, post(t, o.env.Browser(), u, url.Values{"birth_date": {birthDate}, "password": {goodPassword}}), "/login?done=registered")
	waiting, _ = o.staff.WaitingForInvitation(ctx)
	for _, w := range waiting.Items {
		if w.ClientID == b {
			t.Errorf("Bea registered but is still waiting")
		}
	}
}

// An invitation expires after the office's time (7 days by default); a
// resend makes a new link and the old one stops working; a revoked one too.
// Staff correct a client's email after the invitation went out (to a wrong
// address, perhaps someone else's): the link sent there no longer works, and
// the next invitation goes to the new address.
func TestChangedEmailWithdrawsTheLink(t *testing.T) {
	o := startOnboard(t)
	ctx := context.Background()
	id, _ := o.newClient(t, "Finn Moss", "finn@example.org", "en")
	if _, err := o.staff.Invite(ctx, id); err != nil {
		t.Fatal(err)
	}
	old := link(t, o, o.mails(t, 1)[0])
	if _, err := o.staff.UpdateClient(ctx, id, api.ClientInput{Phone: ptrTo("+1 555 0199")}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, get(t, o.env.Browser(), old), http.StatusOK) // another field: the link stands
	if _, err := o.staff.UpdateClient(ctx, id, api.ClientInput{Email: ptrTo("finn.moss@example.org")}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []answer{get(t, o.env.Browser(), old),
		post(t, o.env.Browser(), old, url.Values{"birth_date": {birthDate}, "password": {goodPassword}})} {
		wantStatus(t, a, http.StatusNotFound)
	}
	if inv := o.invitation(t, id); inv.Invitation.Active || inv.Invitation.Revoked == nil {
		t.Fatalf("after the email changed: %+v", inv.Invitation)
	}
	if _, err := o.staff.Invite(ctx, id); err != nil {
		t.Fatal(err)
	}
	if m := o.mails(t, 1)[0]; m.to != "finn.moss@example.org" {
		t.Fatalf("the new invitation went to %s", m.to)
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestInvitationExpiresResendRevoke(t *testing.T) {
	o := startOnboard(t, servertest.WithClock())
	ctx := context.Background()
	id, _ := o.newClient(t, "Eva Lopez", "eva@example.org", "en")
	if _, err := o.staff.Invite(ctx, id); err != nil {
		t.Fatal(err)
	}
	first := link(t, o, o.mails(t, 1)[0])
	o.env.Clock.Advance(7*24*time.Hour - time.Minute)
	wantStatus(t, get(t, o.env.Browser(), first), http.StatusOK)
	o.env.Clock.Advance(2 * time.Minute)
	for _, a := range []answer{get(t, o.env.Browser(), first),
		post(t, o.env.Browser(), first, url.Values{"birth_date": {birthDate}, "password": {goodPassword}})} {
		wantStatus(t, a, http.StatusNotFound)
		wantContains(t, a, noLongerValid)
	}
	o.relogin(t) // the staff session's 12 hours are long over
	if inv := o.invitation(t, id); inv.Invitation.Active || !inv.Invitation.Expired {
		t.Fatalf("after 7 days: %+v", inv.Invitation)
	}

	if _, err := o.staff.Invite(ctx, id); err != nil {
		t.Fatal(err)
	}
	second := link(t, o, o.mails(t, 1)[0])
	if second == first {
		t.Fatal("a resend sent the same link")
	}
	if inv := o.invitation(t, id); !inv.Invitation.Active || inv.Invitation.Sends != 2 {
		t.Fatalf("after a resend: %+v", inv.Invitation)
	}
	if _, err := o.staff.RevokeInvitation(ctx, id); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, get(t, o.env.Browser(), second), http.StatusNotFound)
	if inv := o.invitation(t, id); inv.Invitation.Active || inv.Invitation.Revoked == nil {
		t.Fatalf("after revoking: %+v", inv.Invitation)
	}
	if _, err := o.staff.RevokeInvitation(ctx, id); !apiclient.IsCode(err, "not_active") {
		t.Fatalf("revoking again: %v, want not_active", err)
	}
}

// Five wrong birth dates void the invitation: the fifth answers that the
// link is no longer valid, and the right date afterwards does too.
func TestWrongFactVoidsInvitation(t *testing.T) {
	o := startOnboard(t)
	id, _ := o.newClient(t, "Ivan Petrov", "ivan@example.org", "en")
	if _, err := o.staff.Invite(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	u := link(t, o, o.mails(t, 1)[0])
	b := o.env.Browser()
	for i := 1; i <= 4; i++ {
		a := post(t, b, u, url.Values{"birth_date": {"1990-01-0" + itoa(uint64(i))}, "password": {goodPassword}})
		wantStatus(t, a, http.StatusUnprocessableEntity)
		wantContains(t, a, "does not match", "("+itoa(uint64(5-i))+" tries left)")
	}
	if inv := o.invitation(t, id); inv.Invitation.Attempts != 4 || !inv.Invitation.Active {
		t.Fatalf("after 4 wrong dates: %+v", inv.Invitation)
	}
	fifth := post(t, b, u, url.Values{"birth_date": {"1990-02-02"}, "password": {goodPassword}})
	wantStatus(t, fifth, http.StatusNotFound)
	wantContains(t, fifth, noLongerValid)
	right := post(t, b, u, url.Values{"birth_date": {birthDate}, "password": {goodPassword}})
	wantStatus(t, right, http.StatusNotFound)
	inv := o.invitation(t, id)
	if inv.Invitation.Attempts != 5 || !inv.Invitation.Voided || inv.Invitation.Active || inv.HasAccount {
		t.Fatalf("after 5 wrong dates: %+v %+v", inv, inv.Invitation)
	}
}

// Two registrations racing on one link make one account: exactly one wins,
// the others find the link used.
func TestRegistrationRace(t *testing.T) {
	o := startOnboard(t)
	id, _ := o.newClient(t, "Omar Haddad", "omar@example.org", "en")
	if _, err := o.staff.Invite(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	u := link(t, o, o.mails(t, 1)[0])
	const n = 6
	pws := []string{goodPassword, otherPassword, "Quartz-Ocean-58#Lp", "Velvet-River-26$Km", "Copper-Forest-71%Hn", "Silver-Meadow-39&Jb"}
	var wg sync.WaitGroup
	statuses := make([]int, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := o.env.Browser().PostForm(u, url.Values{"birth_date": {birthDate}, "password": {pws[i]}})
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	won := -1
	for i, s := range statuses {
		switch {
		case s == http.StatusSeeOther && won == -1:
			won = i
		case s == http.StatusSeeOther:
			t.Errorf("registrations %d and %d both succeeded", won, i)
		case s != http.StatusNotFound:
			t.Errorf("registration %d: status %d", i, s)
		}
	}
	if won == -1 {
		t.Fatalf("no registration succeeded: %v", statuses)
	}
	registered := 0
	for _, e := range auditLog(t, o.env) {
		if e.Action == "client.register" {
			registered++
		}
	}
	if registered != 1 {
		t.Fatalf("%d registrations audited, want 1", registered)
	}
	// The winner's password logs in; a loser's does not (tried after, as
	// bad guesses lock the account out).
	wantRedirect(t, post(t, o.env.Browser(), o.env.URL+"/login", url.Values{"email": {"omar@example.org"}, "password": {pws[won]}}), "/cases")
	wantStatus(t, post(t, o.env.Browser(), o.env.URL+"/login", url.Values{"email": {"omar@example.org"}, "password": {pws[(won+1)%n]}}), http.StatusUnauthorized)
}

// Forgot password: an existing and an unknown email get the same answer;
// the existing one gets a link, whose use sets the new password, ends the
// client's other sessions and lifts a temporary lockout; the link then
// works no more.
func TestPasswordReset(t *testing.T) {
	o := startOnboard(t)
	l := o.env.Login(t, "client", amina)
	signedIn := login(t, o.env, amina)
	cases := caseIDs(t, o.env, amina)
	wantStatus(t, get(t, signedIn, o.env.URL+"/cases/"+itoa(cases[0])), http.StatusOK)
	// Bad guesses lock Amina out for a while.
	for range 5 {
		post(t, o.env.Browser(), o.env.URL+"/login", url.Values{"email": {amina}, "password": {"wrong-" + goodPassword}})
	}
	if c := readClient(t, o.env, amina); !c.Access.Lockout.Blocks(time.Now()) {
		t.Fatalf("no lockout after 5 bad guesses: %+v", c.Access.Lockout)
	}

	form := get(t, o.env.Browser(), o.env.URL+"/login")
	wantContains(t, form, `href="/reset"`)
	known := post(t, o.env.Browser(), o.env.URL+"/reset", url.Values{"email": {amina}})
	unknown := post(t, o.env.Browser(), o.env.URL+"/reset", url.Values{"email": {nobody}})
	wantStatus(t, known, http.StatusOK)
	wantStatus(t, unknown, http.StatusOK)
	if known.body != unknown.body {
		t.Fatalf("the answers to a known and an unknown email differ:\n%s\n---\n%s", known.body, unknown.body)
	}
	wantContains(t, known, "Check your email")
	// Asking again at once sends no second email (one a minute per client).
	wantStatus(t, post(t, o.env.Browser(), o.env.URL+"/reset", url.Values{"email": {amina}}), http.StatusOK)
	m := o.mails(t, 1)[0]
	if m.to != amina || !strings.Contains(m.plain, "Choose a new password") || !strings.Contains(m.plain, "expires in 60 minutes") {
		t.Fatalf("reset email to %s:\n%s", m.to, m.plain)
	}
	u := link(t, o, m)
	if !strings.Contains(u, "/reset/") {
		t.Fatalf("reset link %s", u)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(o.smtp.Messages()); n != 1 {
		t.Fatalf("%d emails: the unknown email or the second request made one too", n)
	}

	b := o.env.Browser()
	// A reset token is no invitation.
	wantStatus(t, get(t, b, strings.Replace(u, "/reset/", "/register/", 1)), http.StatusNotFound)
	wantContains(t, get(t, b, u), `name="password"`)
	weak := post(t, b, u, url.Values{"password": {"password"}})
	wantStatus(t, weak, http.StatusUnprocessableEntity)
	wantContains(t, weak, "common passwords")
	wantRedirect(t, post(t, b, u, url.Values{"password": {otherPassword}}), "/login?done=reset")

	// The session open before the reset has ended.
	wantRedirect(t, get(t, signedIn, o.env.URL+"/cases/"+itoa(cases[0])), "/login")
	// The lockout is lifted; the old password is gone; the new one works.
	wantStatus(t, post(t, o.env.Browser(), o.env.URL+"/login", url.Values{"email": {amina}, "password": {l.Password}}), http.StatusUnauthorized)
	wantRedirect(t, post(t, o.env.Browser(), o.env.URL+"/login", url.Values{"email": {amina}, "password": {otherPassword}}), "/cases")
	// Used: no longer valid.
	wantStatus(t, post(t, o.env.Browser(), u, url.Values{"password": {goodPassword}}), http.StatusNotFound)

	actions := map[string]int{}
	for _, e := range auditLog(t, o.env) {
		actions[e.Action]++
	}
	if actions["client.reset_requested"] != 1 || actions["client.reset"] != 1 {
		t.Fatalf("audit: %v", actions)
	}

	// Staff can send one too.
	if _, err := o.staff.SendReset(context.Background(), readClient(t, o.env, amina).ID); err != nil {
		t.Fatal(err)
	}
	if m := o.mails(t, 1)[0]; m.to != amina || !strings.Contains(link(t, o, m), "/reset/") {
		t.Fatalf("staff reset email %+v", m)
	}
}

// Neither a pending nor a sent link email leaves its token in the bbolt
// file: only the SHA-256 (and the token sealed to the office key).
func TestTokensNotStoredInPlain(t *testing.T) {
	o := startOnboard(t)
	id, _ := o.newClient(t, "Tomas Berg", "tomas@example.org", "en")
	if _, err := o.staff.Invite(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	post(t, o.env.Browser(), o.env.URL+"/reset", url.Values{"email": {amina}})
	var tokens []string
	for _, m := range o.mails(t, 2) {
		u := link(t, o, m)
		tokens = append(tokens, u[strings.LastIndexByte(u, '/')+1:])
	}
	// Let the sender record both as sent, then read the file as it is on disk.
	deadline := time.Now().Add(5 * time.Second)
	for {
		var sent []store.OutboxEntry
		o.env.Store.View(context.Background(), func(tx *store.Tx) (err error) {
			sent, err = tx.OutboxInState(store.OutboxSent, 0, 10)
			return err
		})
		if len(sent) == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	data, err := os.ReadFile(o.env.Store.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range tokens {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			t.Fatal(err)
		}
		for _, needle := range [][]byte{[]byte(tok), raw, []byte(base64.StdEncoding.EncodeToString(raw))} {
			if bytes.Contains(data, needle) {
				t.Errorf("the store file holds token %s (as %q)", tok, needle)
			}
		}
	}
	// The register page still works: the token was only ever hashed.
	wantStatus(t, get(t, o.env.Browser(), o.env.URL+"/register/"+tokens[0]), http.StatusOK)
}

// A temporary password staff set must be changed at the next sign-in: until
// then every case page sends the client to the change-password page.
func TestTemporaryPassword(t *testing.T) {
	o := startOnboard(t)
	c := readClient(t, o.env, amina)
	cases := caseIDs(t, o.env, amina)
	if _, err := o.staff.SetTemporaryPassword(context.Background(), c.ID, "short"); !apiclient.IsCode(err, "invalid") {
		t.Fatalf("a weak temporary password: %v", err)
	}
	acc, err := o.staff.SetTemporaryPassword(context.Background(), c.ID, goodPassword)
	if err != nil || !acc.MustChangePassword {
		t.Fatalf("SetTemporaryPassword: %+v, %v", acc, err)
	}
	b := o.env.Browser()
	wantRedirect(t, post(t, b, o.env.URL+"/login", url.Values{"email": {amina}, "password": {goodPassword}}), "/cases")
	for _, p := range []string{"/cases", "/cases/" + itoa(cases[0]), "/cases/" + itoa(cases[0]) + "/messages", "/cases/" + itoa(cases[0]) + "/history"} {
		wantRedirect(t, get(t, b, o.env.URL+p), "/password")
	}
	page := get(t, b, o.env.URL+"/password")
	wantStatus(t, page, http.StatusOK)
	wantNotContains(t, page, `name="current"`)
	wantStatus(t, post(t, b, o.env.URL+"/password", url.Values{"password": {"abc"}}), http.StatusUnprocessableEntity)
	wantRedirect(t, post(t, b, o.env.URL+"/password", url.Values{"password": {otherPassword}}), "/cases")
	wantStatus(t, get(t, b, o.env.URL+"/cases/"+itoa(cases[0])), http.StatusOK)
	if c := readClient(t, o.env, amina); c.Access.MustChangePassword {
		t.Fatal("must change after changing")
	}
	// Now a change asks for the current password.
	wantContains(t, get(t, b, o.env.URL+"/password"), `name="current"`)
	wantStatus(t, post(t, b, o.env.URL+"/password", url.Values{"current": {"nope"}, "password": {goodPassword}}), http.StatusUnprocessableEntity)
}

// The easy login link (off by default): one click signs the client in, and
// they must then choose a password; the link works once.
func TestEasyLoginLink(t *testing.T) {
	o := startOnboard(t)
	ctx := context.Background()
	on := true
	if _, err := o.staff.PutOnboardingSettings(ctx, api.OnboardingInput{EasyLogin: &on}); err != nil {
		t.Fatal(err)
	}
	id, caseID := o.newClient(t, "Nadia Karim", "nadia@example.org", "en")
	if _, err := o.staff.Invite(ctx, id); err != nil {
		t.Fatal(err)
	}
	u := link(t, o, o.mails(t, 1)[0])
	b := o.env.Browser()
	page := get(t, b, u)
	wantNotContains(t, page, `name="password"`, `name="birth_date"`)
	wantContains(t, page, "Continue")
	wantRedirect(t, post(t, b, u, url.Values{}), "/password")
	wantRedirect(t, get(t, b, o.env.URL+"/cases/"+itoa(caseID)), "/password")
	wantRedirect(t, post(t, b, o.env.URL+"/password", url.Values{"password": {goodPassword}}), "/cases")
	wantStatus(t, get(t, b, o.env.URL+"/cases/"+itoa(caseID)), http.StatusOK)
	wantStatus(t, post(t, o.env.Browser(), u, url.Values{}), http.StatusNotFound)
}

// An easy login link is one proof only: where the office requires a second
// factor of the client, the link leads to setting one up, and opens no
// session before that.
func TestEasyLoginLinkKeepsTheSecondFactor(t *testing.T) {
	o := startOnboard(t)
	ctx := context.Background()
	on := true
	if _, err := o.staff.PutOnboardingSettings(ctx, api.OnboardingInput{EasyLogin: &on}); err != nil {
		t.Fatal(err)
	}
	id, caseID := o.newClient(t, "Omar Haddad", "omar@example.org", "en")
	if _, err := o.staff.SetClientTwoFactorRequired(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	if _, err := o.staff.Invite(ctx, id); err != nil {
		t.Fatal(err)
	}
	u := link(t, o, o.mails(t, 1)[0])
	b := o.env.Browser()
	wantRedirect(t, post(t, b, u, url.Values{}), "/login/setup")
	wantRedirect(t, get(t, b, o.env.URL+"/cases/"+itoa(caseID)), "/login")
}

// Creating a case invites its clients only when asked ("invite": true) or
// when the office's auto_invite is on; off by default.
func TestInviteOnCaseCreation(t *testing.T) {
	o := startOnboard(t)
	ctx := context.Background()
	o.newClient(t, "Pia Lind", "pia@example.org", "en") // a case without asking: no email
	name, email, bd := "Karl Ode", "karl@example.org", birthDate
	c, err := o.staff.CreateClient(ctx, api.ClientInput{Name: &name, Email: &email, BirthDate: &bd})
	if err != nil {
		t.Fatal(err)
	}
	num, title, kind, adv, yes := "ONB-KARL", "Appeal", "staff", uint64(1), true
	if _, err := o.staff.CreateCase(ctx, api.CaseInput{Number: &num, Title: &title, ClientIDs: &[]uint64{c.ID}, Kind: &kind, AdvocateID: &adv, Invite: &yes}); err != nil {
		t.Fatal(err)
	}
	if m := o.mails(t, 1); m[0].to != "karl@example.org" {
		t.Fatalf("invitation on case creation went to %s", m[0].to)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(o.smtp.Messages()); n != 1 {
		t.Fatalf("%d emails, want only Karl's", n)
	}
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }

// An invitation revoked before its email could go out is never sent: the
// outbox entry is withdrawn, its sealed token wiped, and a later retry (the
// mail server back, the settings saved) sends nothing.
func TestRevokedInvitationIsNotSent(t *testing.T) {
	o := startOnboard(t)
	ctx := context.Background()
	id, _ := o.newClient(t, "Uma Patel", "uma@example.org", "en")
	o.smtp.Stop()
	if _, err := o.staff.Invite(ctx, id); err != nil {
		t.Fatal(err)
	}
	entry := func() store.OutboxEntry {
		var all []store.OutboxEntry
		o.env.Store.View(ctx, func(tx *store.Tx) (err error) { all, err = tx.OutboxInState("", 0, 10); return err })
		for _, e := range all {
			if e.Kind == store.MailInvite {
				return e
			}
		}
		t.Fatal("no invitation in the outbox")
		return store.OutboxEntry{}
	}
	deadline := time.Now().Add(10 * time.Second)
	for entry().State != store.OutboxFailed {
		if time.Now().After(deadline) {
			t.Fatalf("the first try did not fail: %+v", entry())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if e := entry(); len(e.Sealed) == 0 || e.NextTry.IsZero() {
		t.Fatalf("a failed try gave up the invitation: %+v", e)
	}
	if _, err := o.staff.RevokeInvitation(ctx, id); err != nil {
		t.Fatal(err)
	}
	e := entry()
	if e.State != store.OutboxFailed || !e.NextTry.IsZero() || len(e.Sealed) != 0 || !strings.Contains(e.LastError, "revoked") {
		t.Fatalf("after revoking, the outbox entry is %+v", e)
	}
	o.smtp.Restart(t)
	str := func(s string) *string { return &s }
	if _, err := o.staff.PutMailSettings(ctx, api.MailSettingsInput{From: str("portal@riverside.example")}); err != nil { // retries failed emails
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(o.smtp.Messages()); n != 0 {
		t.Fatalf("%d emails after revoking", n)
	}
}

// With the office's fact set to the last 4 of an ID, registration asks for
// those, in any case and with spaces.
func TestRegisterWithIDLast4(t *testing.T) {
	o := startOnboard(t)
	ctx := context.Background()
	fact := "id_last4"
	if _, err := o.staff.PutOnboardingSettings(ctx, api.OnboardingInput{Fact: &fact}); err != nil {
		t.Fatal(err)
	}
	id, _ := o.newClient(t, "Ravi Shah", "ravi@example.org", "en")
	last4 := "7x9K"
	if _, err := o.staff.UpdateClient(ctx, id, api.ClientInput{IDLast4: &last4}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.staff.Invite(ctx, id); err != nil {
		t.Fatal(err)
	}
	u := link(t, o, o.mails(t, 1)[0])
	b := o.env.Browser()
	page := get(t, b, u)
	wantContains(t, page, `name="id_last4"`, "Last 4 characters of your ID number")
	wantNotContains(t, page, `name="birth_date"`)
	wrong := post(t, b, u, url.Values{"id_last4": {"7X9L"}, "password": {goodPassword}})
	wantStatus(t, wrong, http.StatusUnprocessableEntity)
	wantContains(t, wrong, "These characters do not match", "(4 tries left)")
	wantRedirect(t, post(t, b, u, url.Values{"id_last4": {" 7x9k "}, "password": {goodPassword}}), "/login?done=registered")
}
