package app

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/servertest"
)

// refusedField checks that err is the service's refusal of field, as the
// window receives it (formatError), and returns its message.
func refusedField(t *testing.T, err error, field string) string {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want the %s refused", field)
	}
	fe, ok := fieldOf(formatError(err))
	if !ok || fe.Field != field {
		t.Fatalf("refusal %v reaches the window as %#v; want field %q", err, formatError(err), field)
	}
	return fe.Message
}

// adminOnly checks that err is the service's admin-only refusal, said in words.
func adminOnly(t *testing.T, what string, err error) {
	t.Helper()
	if apiCode(err) != "admin_only" || !has(err.Error(), "only an administrator") {
		t.Errorf("%s as a non-admin: %v; want the admin-only refusal", what, err)
	}
}

// TestSettingsOffice: an administrator changes the office settings and the
// status list (add, rename, reorder, retire); refusals name their field.
func TestSettingsOffice(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "dana@riverside.example")
	s := p.Settings

	got, err := s.SaveOffice(api.SettingsInput{OfficeName: ptr("  Riverside Legal Aid "), TimeZone: ptr("Europe/Madrid"), UploadMaxMB: ptr(40),
		UploadTypes: &[]string{"pdf", "jpeg"}, LockoutMode: ptr("until_unlocked"), LockoutThreshold: ptr(7), StaffLanguage: ptr("es")})
	if err != nil {
		t.Fatal(err)
	}
	if got.OfficeName != "Riverside Legal Aid" || got.TimeZone != "Europe/Madrid" || got.UploadMaxMB != 40 || strings.Join(got.UploadTypes, ",") != "pdf,jpeg" ||
		got.LockoutMode != "until_unlocked" || got.LockoutThreshold != 7 || got.StaffLanguage != "es" {
		t.Errorf("saved %+v", got)
	}
	if again, err := s.Office(); err != nil || again.TimeZone != "Europe/Madrid" {
		t.Errorf("read back %+v, %v", again, err)
	}
	for _, tc := range []struct {
		in    api.SettingsInput
		field string
	}{
		{api.SettingsInput{TimeZone: ptr("Mars/Olympus_Mons")}, "time_zone"},
		{api.SettingsInput{UploadMaxMB: ptr(0)}, "upload_max_mb"},
		{api.SettingsInput{UploadTypes: &[]string{}}, "upload_types"},
		{api.SettingsInput{LockoutMode: ptr("forever")}, "lockout_mode"},
	} {
		_, err := s.SaveOffice(tc.in)
		refusedField(t, err, tc.field)
	}
	if again, _ := s.Office(); again.TimeZone != "Europe/Madrid" || again.UploadMaxMB != 40 {
		t.Errorf("a refused change changed the settings: %+v", again)
	}

	list, err := s.Statuses()
	if err != nil || len(list) < 3 {
		t.Fatalf("statuses %+v, %v", list, err)
	}
	first := list[0]
	// Rename the first in both languages, move it last, retire the second,
	// add a new one at the front.
	first.Names = map[string]string{"en": " Filed with the court ", "es": "Presentado ante el tribunal"}
	list[1].Retired = true
	next := append([]api.Status{{ID: "hearing_set", Names: map[string]string{"en": "Hearing set", "es": "Audiencia fijada"}}}, list[1:]...)
	next = append(next, first)
	saved, err := s.SaveStatuses(next)
	if err != nil {
		t.Fatal(err)
	}
	if saved[0].ID != "hearing_set" || saved[len(saved)-1].ID != first.ID || saved[len(saved)-1].Names["en"] != "Filed with the court" || !saved[1].Retired {
		t.Errorf("saved statuses %+v", saved)
	}
	// A status left out stays, retired: the history that names it keeps it.
	_, err = s.SaveStatuses(saved[:1])
	if err != nil {
		t.Fatal(err)
	}
	after, _ := s.Statuses()
	found := false
	for _, st := range after {
		if st.ID == first.ID {
			found = st.Retired
		}
	}
	if !found {
		t.Errorf("a status left out was dropped, not retired: %+v", after)
	}
	_, err = s.SaveStatuses([]api.Status{{ID: "x", Names: map[string]string{"en": ""}}})
	if err == nil {
		t.Error("a status without a name was accepted")
	}

	pol, err := s.SavePasswordPolicy("nist", api.PasswordPolicy{})
	if err != nil || pol.MinLength < 8 || pol.MinUpper != 0 || pol.MinSpecial != 0 {
		t.Errorf("NIST preset: %+v, %v", pol, err)
	}
	pol, err = s.SavePasswordPolicy("", api.PasswordPolicy{MinLength: 12, MinDigit: 1})
	if err != nil || pol.MinLength != 12 || pol.MinDigit != 1 {
		t.Errorf("numbers: %+v, %v", pol, err)
	}
	if back, err := s.PasswordPolicy(); err != nil || back != pol {
		t.Errorf("policy read back %+v, %v", back, err)
	}
	if _, err := s.SavePasswordPolicy("", api.PasswordPolicy{MinLength: 2}); err == nil {
		t.Error("a 2-character policy was accepted")
	}

	// Staff who are not administrators read, and are refused changes in words.
	lucia, _ := connect(t, env, "lucia@riverside.example")
	_, err = lucia.Settings.SaveOffice(api.SettingsInput{OfficeName: ptr("Mine now")})
	adminOnly(t, "SaveOffice", err)
	_, err = lucia.Settings.SaveStatuses(saved)
	adminOnly(t, "SaveStatuses", err)
	_, err = lucia.Settings.SavePasswordPolicy("nist", api.PasswordPolicy{})
	adminOnly(t, "SavePasswordPolicy", err)
}

// TestSettingsMail: the mail server is saved (its password never read
// back, an empty password keeping it), the notification kinds and routing
// change, and "Send a test email" reaches a real SMTP server and shows its
// answer; a wrong password shows the server's refusal.
func TestSettingsMail(t *testing.T) {
	env, smtp := startWithMail(t)
	p, _ := connect(t, env, "dana@riverside.example")
	s := p.Settings

	m, err := s.Mail()
	if err != nil || m.Host != smtp.Host || !m.PasswordSet {
		t.Fatalf("mail settings %+v, %v", m, err)
	}
	m, err = s.SaveMail(api.MailSettingsInput{Password: ptr(""), From: ptr(" office@riverside.example "),
		Notify: &api.MailNotify{Status: true, Messages: true}, ClientMessageAlerts: ptr("all_staff")})
	if err != nil || !m.PasswordSet || m.From != "office@riverside.example" || m.Notify.Documents || !m.Notify.Messages || m.ClientMessageAlerts != "all_staff" {
		t.Fatalf("saved %+v, %v", m, err)
	}
	res, err := s.TestMail("dana@riverside.example")
	if err != nil || !res.Sent || res.Reply == "" {
		t.Fatalf("test email: %+v, %v", res, err)
	}
	got := smtp.Wait(t, 1, 0)
	if len(got) != 1 || got[0].To[0] != "dana@riverside.example" {
		t.Errorf("the SMTP server got %+v", got)
	}
	// A wrong password: the server's refusal, at the auth stage.
	if _, err := s.SaveMail(api.MailSettingsInput{Password: ptr("not-the-password")}); err != nil {
		t.Fatal(err)
	}
	res, err = s.TestMail("dana@riverside.example")
	if err != nil || res.Sent || res.Stage != "auth" || res.Reply == "" {
		t.Errorf("test email with a wrong password: %+v, %v", res, err)
	}
	_, err = s.SaveMail(api.MailSettingsInput{Port: ptr(70000)})
	refusedField(t, err, "port")
	_, err = s.SaveMail(api.MailSettingsInput{ClientMessageAlerts: ptr("everyone")})
	refusedField(t, err, "client_message_alerts")

	lucia, _ := connect(t, env, "lucia@riverside.example")
	_, err = lucia.Settings.TestMail("lucia@riverside.example")
	adminOnly(t, "TestMail", err)
	_, err = lucia.Settings.SaveMail(api.MailSettingsInput{Host: ptr("evil.example")})
	adminOnly(t, "SaveMail", err)
}

// TestSettingsDomainBackupsOnboarding: the domain and its certificate
// state, backups (a bad folder refused, one made now), invitations.
func TestSettingsDomainBackupsOnboarding(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "dana@riverside.example")
	s := p.Settings

	d, err := s.SaveDomain(api.DomainInput{ACMEEmail: ptr(" it@riverside.example "), PublicStaffAPI: ptr(true)})
	if err != nil || d.ACMEEmail != "it@riverside.example" || !d.PublicStaffAPI {
		t.Errorf("domain saved %+v, %v", d, err)
	}
	if back, err := s.Domain(); err != nil || back != d {
		t.Errorf("domain read back %+v, %v", back, err)
	}
	_, err = s.SaveDomain(api.DomainInput{ACMEEmail: ptr("not an email")})
	refusedField(t, err, "acme_email")
	tls, err := s.Certificate()
	if err != nil || tls.State == "" || tls.Message == "" {
		t.Errorf("certificate %+v, %v", tls, err)
	}

	folder := filepath.Join(t.TempDir(), "backups")
	b, err := s.SaveBackup(api.BackupSettingsInput{Folder: ptr(" " + folder + " "), Time: ptr("03:15"), Retention: ptr(5), Nightly: ptr(true)})
	if err != nil || b.Folder != folder || b.Time != "03:15" || b.Retention != 5 || !b.Nightly {
		t.Fatalf("backup saved %+v, %v", b, err)
	}
	_, err = s.SaveBackup(api.BackupSettingsInput{Folder: ptr("backups")})
	if msg := refusedField(t, err, "folder"); !has(msg, "full path") {
		t.Errorf("relative folder refused with %q", msg)
	}
	_, err = s.SaveBackup(api.BackupSettingsInput{Time: ptr("25:00")})
	refusedField(t, err, "time")
	res, err := s.BackupNow()
	if err != nil || !res.OK || res.Size == 0 {
		t.Fatalf("backup now: %+v, %v", res, err)
	}
	if _, err := os.Stat(res.File); err != nil || filepath.Dir(res.File) != folder {
		t.Errorf("the backup %s is not in %s: %v", res.File, folder, err)
	}
	all, err := s.Backups()
	if err != nil || all.Last == nil || !all.Last.OK || all.Next == nil || len(all.Files) != 1 {
		t.Errorf("backups %+v, %v", all, err)
	}

	o, err := s.SaveOnboarding(api.OnboardingInput{Fact: ptr("id_last4"), InviteExpiryHours: ptr(48), ResetExpiryMinutes: ptr(30),
		MaxAttempts: ptr(3), AutoInvite: ptr(true), EasyLogin: ptr(true)})
	if err != nil || o.Fact != "id_last4" || o.InviteExpiryHours != 48 || o.ResetExpiryMinutes != 30 || o.MaxAttempts != 3 || !o.AutoInvite || !o.EasyLogin {
		t.Errorf("onboarding %+v, %v", o, err)
	}
	if back, err := s.Onboarding(); err != nil || back != o {
		t.Errorf("onboarding read back %+v, %v", back, err)
	}
	_, err = s.SaveOnboarding(api.OnboardingInput{Fact: ptr("shoe_size")})
	refusedField(t, err, "fact")

	lucia, _ := connect(t, env, "lucia@riverside.example")
	_, err = lucia.Settings.SaveDomain(api.DomainInput{PublicStaffAPI: ptr(false)})
	adminOnly(t, "SaveDomain", err)
	_, err = lucia.Settings.SaveBackup(api.BackupSettingsInput{Retention: ptr(1)})
	adminOnly(t, "SaveBackup", err)
	_, err = lucia.Settings.BackupNow()
	adminOnly(t, "BackupNow", err)
	_, err = lucia.Settings.SaveOnboarding(api.OnboardingInput{AutoInvite: ptr(false)})
	adminOnly(t, "SaveOnboarding", err)
}

// pngFile writes a small PNG image and returns its path.
func pngFile(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 32, 32))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "logo.png")
	if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestSettingsBrandingAndTwoFactor: the colour (one white text cannot be
// read on refused), the logo chosen through the file dialog and removed,
// the website snippet; the two-factor requirements, staff refused until
// the administrator has their own.
func TestSettingsBrandingAndTwoFactor(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "dana@riverside.example")
	sys := &fakeSystem{}
	p.SetSystem(sys)
	s := p.Settings

	b, err := s.SetColor(" #1a4d8f ")
	if err != nil || b.Color != "#1a4d8f" {
		t.Fatalf("colour %+v, %v", b, err)
	}
	_, err = s.SetColor("#ffff00")
	if msg := refusedField(t, err, "color"); !has(msg, "#") {
		t.Errorf("a light colour refused with %q; want a darker one named", msg)
	}
	_, err = s.SetColor("blue")
	refusedField(t, err, "color")
	if b, _ := s.Branding(); b.Color != "#1a4d8f" {
		t.Errorf("a refused colour changed the branding: %+v", b)
	}

	// Cancelled dialog: nothing changes.
	r, err := s.ChooseLogo()
	if err != nil || r.Chosen {
		t.Errorf("cancelled dialog: %+v, %v", r, err)
	}
	sys.open = pngFile(t)
	r, err = s.ChooseLogo()
	if err != nil || !r.Chosen || !r.Branding.Logo || r.Branding.LogoType != "image/png" {
		t.Fatalf("logo: %+v, %v", r, err)
	}
	text := filepath.Join(t.TempDir(), "logo.png")
	os.WriteFile(text, []byte("not an image at all"), 0o600)
	sys.open = text
	_, err = s.ChooseLogo()
	refusedField(t, err, "logo")
	sys.open = filepath.Join(t.TempDir(), "gone.png")
	if _, err = s.ChooseLogo(); err == nil || !has(err.Error(), "could not read") {
		t.Errorf("a missing file: %v", err)
	}
	snip, err := s.Snippet()
	if err != nil || !has(snip.HTML, snip.URL) || !has(snip.HTML, "#1a4d8f") {
		t.Errorf("snippet %+v, %v", snip, err)
	}
	if b, err := s.RemoveLogo(); err != nil || b.Logo {
		t.Errorf("remove logo: %+v, %v", b, err)
	}

	tf, err := s.SaveTwoFactor(true, false)
	if err != nil || !tf.Clients || tf.Staff || tf.MineOn {
		t.Errorf("two-factor for clients: %+v, %v", tf, err)
	}
	_, err = s.SaveTwoFactor(true, true)
	if msg := refusedField(t, err, "staff"); !has(msg, "your own second factor first") || has(msg, "/api/") {
		t.Errorf("staff requirement refused with %q", msg)
	}
	if tf, _ := s.TwoFactor(); !tf.Clients || tf.Staff {
		t.Errorf("after the refusal: %+v", tf)
	}

	lucia, _ := connect(t, env, "lucia@riverside.example")
	_, err = lucia.Settings.SetColor("#1a4d8f")
	adminOnly(t, "SetColor", err)
	lucia.SetSystem(&fakeSystem{open: pngFile(t)})
	_, err = lucia.Settings.ChooseLogo()
	adminOnly(t, "ChooseLogo", err)
	_, err = lucia.Settings.RemoveLogo()
	adminOnly(t, "RemoveLogo", err)
	_, err = lucia.Settings.SaveTwoFactor(false, false)
	adminOnly(t, "SaveTwoFactor", err)
}

// TestStaffAccounts: an administrator adds a staff member, changes their
// title, role and disabled state, and resets their second factor after
// saying how they checked; refusals name their field.
func TestStaffAccounts(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "dana@riverside.example")
	sa := p.StaffAccounts

	before, err := sa.List()
	if err != nil || len(before) == 0 {
		t.Fatalf("staff %+v, %v", before, err)
	}
	st, err := sa.Add(api.StaffInput{Email: ptr(" noor@riverside.example "), Name: ptr("Noor Khan"), Role: ptr("staff"),
		Title: ptr("Paralegal"), Password: ptr("Long-enough-passphrase-7")})
	if err != nil || st.Email != "noor@riverside.example" || st.Title != "Paralegal" {
		t.Fatalf("add %+v, %v", st, err)
	}
	_, err = sa.Add(api.StaffInput{Email: ptr("noor@riverside.example"), Name: ptr("Noor again"), Role: ptr("staff"), Password: ptr("Long-enough-passphrase-7")})
	if fe, _ := fieldOf(formatError(err)); fe.Field != "email" {
		t.Errorf("a taken email: %v", err)
	}
	st, err = sa.Update(st.ID, api.StaffInput{Title: ptr("Senior paralegal"), Role: ptr("admin"), Disabled: ptr(true), Password: ptr("")})
	if err != nil || st.Title != "Senior paralegal" || st.Role != "admin" || !st.Disabled {
		t.Errorf("update %+v, %v", st, err)
	}
	_, err = sa.Update(st.ID, api.StaffInput{Role: ptr("boss")})
	refusedField(t, err, "role")
	_, err = sa.ResetTwoFactor(st.ID, "")
	refusedField(t, err, "checked")
	tf, err := sa.ResetTwoFactor(st.ID, "asked in person, photo ID checked")
	if err != nil || tf.On {
		t.Errorf("reset %+v, %v", tf, err)
	}
	after, _ := sa.List()
	if len(after) != len(before)+1 {
		t.Errorf("%d staff, want %d", len(after), len(before)+1)
	}

	lucia, _ := connect(t, env, "lucia@riverside.example")
	_, err = lucia.StaffAccounts.Add(api.StaffInput{Email: ptr("x@riverside.example"), Name: ptr("X"), Role: ptr("admin"), Password: ptr("Long-enough-passphrase-7")})
	adminOnly(t, "Add", err)
	_, err = lucia.StaffAccounts.Update(st.ID, api.StaffInput{Disabled: ptr(false)})
	adminOnly(t, "Update", err)
	_, err = lucia.StaffAccounts.ResetTwoFactor(st.ID, "trust me")
	adminOnly(t, "ResetTwoFactor", err)
}

// TestSecurity: a client's second factor (require, reset after checking),
// preview as the client opened in the browser, and the audit trails of a
// client and a case, read and exported to the file the Save dialog chose.
func TestSecurity(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "lucia@riverside.example")
	sys := &fakeSystem{}
	p.SetSystem(sys)
	sec := p.Security
	dana := staffClient(t, env, "dana@riverside.example")
	clientID, caseID := newClientWithCase(t, dana, "Rosa Quintero", "rosa@example.org", "SEC-0001")

	st, err := sec.RequireTwoFactor(clientID, true)
	if err != nil || !st.Required || !st.RequiredByStaff || st.On {
		t.Errorf("require: %+v, %v", st, err)
	}
	if back, err := sec.ClientTwoFactor(clientID); err != nil || !back.RequiredByStaff {
		t.Errorf("read back %+v, %v", back, err)
	}
	_, err = sec.ResetTwoFactor(clientID, "  ")
	refusedField(t, err, "checked")
	if _, err := sec.ResetTwoFactor(clientID, "called back on the number on file, date of birth confirmed"); err != nil {
		t.Error(err)
	}
	if _, err := sec.ClientTwoFactor(999999); apiCode(err) != "not_found" {
		t.Errorf("a forged client id: %v", err)
	}

	link, err := sec.Preview(clientID)
	if err != nil || !strings.HasPrefix(link.URL, env.URL) {
		t.Fatalf("preview %+v, %v", link, err)
	}
	if len(sys.opened) != 1 || sys.opened[0] != link.URL {
		t.Errorf("the browser opened %v, want %s", sys.opened, link.URL)
	}

	rows, err := sec.AuditTrail("client", clientID)
	if err != nil || len(rows) == 0 {
		t.Fatalf("client trail %+v, %v", rows, err)
	}
	actions := map[string]bool{}
	for i, r := range rows {
		actions[r.Action] = true
		if i > 0 && r.ID > rows[i-1].ID {
			t.Errorf("the trail is not newest first: %d after %d", r.ID, rows[i-1].ID)
		}
	}
	for _, want := range []string{"client.two_factor_required", "client.two_factor_reset", "client.preview_link"} {
		if !actions[want] {
			t.Errorf("the client's trail has no %s entry: %v", want, actions)
		}
	}
	if _, err := sec.AuditTrail("case", caseID); err != nil {
		t.Error(err)
	}
	if _, err := sec.AuditTrail("planet", 1); err == nil {
		t.Error("a trail of a planet was read")
	}

	// Cancelled Save dialog: nothing written.
	if file, err := sec.ExportAudit("case", caseID); err != nil || file != "" {
		t.Errorf("cancelled export: %q, %v", file, err)
	}
	sys.save = filepath.Join(t.TempDir(), "trail.csv")
	file, err := sec.ExportAudit("case", caseID)
	if err != nil || file != sys.save || sys.saveName != "audit-case-"+itoa(caseID)+".csv" {
		t.Fatalf("export %q (offered %q), %v", file, sys.saveName, err)
	}
	data, err := os.ReadFile(file)
	if err != nil || !bytes.HasPrefix(data, []byte("id,at,actor_kind")) {
		t.Errorf("exported %q, %v", data, err)
	}
	sys.save = filepath.Join(t.TempDir(), "no-such-folder", "trail.csv")
	if _, err := sec.ExportAudit("client", clientID); err == nil || !has(err.Error(), "choose another folder") {
		t.Errorf("export into a missing folder: %v", err)
	}
	if _, err := sec.ExportAudit("client", 999999); apiCode(err) != "not_found" {
		t.Errorf("export of a forged client: %v", err)
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// TestFormatError: only refusals naming a field change shape for the window.
func TestFormatError(t *testing.T) {
	plain := errors.New("could not save: the service failed")
	if got := formatError(plain); got != plain.Error() {
		t.Errorf("plain error formatted as %#v", got)
	}
	e := userError("could not save the colour: too light", api.Invalid("color", apitext.Text{English: "too light"}))
	if got, ok := fieldOf(formatError(e)); !ok || got.Field != "color" || got.Message != e.Error() {
		t.Errorf("field error formatted as %#v", formatError(e))
	}
}

func TestAuditRows(t *testing.T) {
	rows, err := auditRows([]byte("id,at,actor_kind,actor_id,actor_name,ip,action,target,detail,prev\n1,2026-01-01T00:00:00Z,staff,1,'=Dana,::1,a,client:1,'+d,\n2,2026-01-02T00:00:00Z,staff,1,Dana,::1,b,client:1,,x\n"))
	if err != nil || len(rows) != 2 || rows[0].ID != 2 || rows[1].Actor != "=Dana" || rows[1].Detail != "+d" {
		t.Errorf("rows %+v, %v", rows, err)
	}
	for _, bad := range []string{"", "no,header\n", "id,at,actor_kind,actor_id,actor_name,ip,action,target,detail,prev\n1,2\n"} {
		if _, err := auditRows([]byte(bad)); err == nil {
			t.Errorf("%q read as a trail", bad)
		}
	}
}
