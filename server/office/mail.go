package office

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"clientportal/server/apitext"
	"clientportal/store"
)

// MailFields are mail settings to change; nil fields are left as they are.
// Password "" clears it; it is never read back.
type MailFields struct {
	Host          *string
	Port          *int
	Security      *string
	Username      *string
	Password      *string
	From          *string
	OfficeAddress *string
	Notify        *store.MailNotify
	ClientAlerts  *string
}

func (f MailFields) names() []string {
	var out []string
	for _, x := range []struct {
		name string
		set  bool
	}{{"host", f.Host != nil}, {"port", f.Port != nil}, {"security", f.Security != nil}, {"username", f.Username != nil},
		{"password", f.Password != nil}, {"from", f.From != nil}, {"office_address", f.OfficeAddress != nil},
		{"notify", f.Notify != nil}, {"client_message_alerts", f.ClientAlerts != nil}} {
		if x.set {
			out = append(out, x.name)
		}
	}
	return out
}

var hostName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$`)

// UpdateMailSettings changes the office's SMTP server and what it sends. The
// settings as a whole must hold together: a server needs a sender address,
// and alerts to the office need the office address. Failed emails that are
// still being retried become due at once (the caller wakes the sender).
func (o *Office) UpdateMailSettings(ctx context.Context, a Actor, in MailFields) (store.MailSettings, error) {
	var m store.MailSettings
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		var err error
		if m, err = tx.MailSettings(); err != nil {
			return change{}, err
		}
		if err := in.apply(&m); err != nil {
			return change{}, err
		}
		if err := tx.PutMailSettings(m); err != nil {
			return change{}, err
		}
		// Mails that failed with the old settings are tried again at once.
		retried, err := tx.RetryFailedOutbox()
		if err != nil {
			return change{}, err
		}
		detail := fieldsDetail(in.names())
		if retried > 0 {
			detail += fmt.Sprintf("; %d failed emails to retry now", retried)
		}
		return did("settings.mail", "settings", detail), nil
	})
	return m, err
}

func (f MailFields) apply(m *store.MailSettings) error {
	if f.Host != nil {
		h := strings.TrimSpace(*f.Host)
		if h != "" && (len(h) > 253 || (!hostName.MatchString(h) && net.ParseIP(h) == nil)) {
			return invalid("host", apitext.New("mail.host_mail_server_s", "host must be the mail server's name (like smtp.example.org) or IP address, without a port"))
		}
		m.Host = h
	}
	if f.Port != nil {
		if *f.Port < 1 || *f.Port > 65535 {
			return invalid("port", apitext.New("mail.port_from_1_65535", "port must be from 1 to 65535 (usually 587 for starttls, 465 for tls)"))
		}
		m.Port = *f.Port
	}
	if f.Security != nil {
		switch *f.Security {
		case store.MailStartTLS, store.MailTLS, store.MailNone:
			m.Security = *f.Security
		default:
			return invalid("security", apitext.New("mail.security_starttls_tls_none", `security must be "starttls", "tls" or "none"`))
		}
	}
	if err := optional(f.Username, &m.Username, func(v string) (string, error) { return text("username", v, 254, false) }); err != nil {
		return err
	}
	if f.Password != nil {
		p := *f.Password
		if !utf8.ValidString(p) || utf8.RuneCountInString(p) > 1024 || strings.ContainsFunc(p, unicode.IsControl) {
			return invalid("password", apitext.New("mail.password_text_most_1024", "password must be text of at most 1024 characters without control characters"))
		}
		m.Password = p
	}
	for _, x := range []struct {
		name string
		in   *string
		out  *string
	}{{"from", f.From, &m.From}, {"office_address", f.OfficeAddress, &m.OfficeAddress}} {
		if x.in == nil {
			continue
		}
		if strings.TrimSpace(*x.in) == "" {
			*x.out = ""
			continue
		}
		v, err := email(x.name, *x.in)
		if err != nil {
			return err
		}
		*x.out = v
	}
	if f.Notify != nil {
		m.Notify = *f.Notify
	}
	if f.ClientAlerts != nil {
		switch *f.ClientAlerts {
		case store.AlertAdvocate, store.AlertAllStaff, store.AlertOffice, store.AlertNone:
			m.ClientAlerts = *f.ClientAlerts
		default:
			return invalid("client_message_alerts", apitext.New("mail.client_message_alerts_advocate_all_staff_office", `client_message_alerts must be "advocate", "all_staff", "office" or "none"`))
		}
	}
	if m.Host != "" && m.From == "" {
		return invalid("from", apitext.New("mail.from_required_mail_server", "from is required with a mail server: the address emails come from, like portal@example.org"))
	}
	if m.ClientAlerts == store.AlertOffice && m.OfficeAddress == "" {
		return invalid("office_address", apitext.New("mail.office_address_required_when_client_message_alerts", `office_address is required when client_message_alerts is "office"`))
	}
	return nil
}

// SendTestMail checks to, has send deliver a test email to it now, and
// audits what the mail server answered. It answers the server's words; err
// is only for what kept the test from running.
func (o *Office) SendTestMail(ctx context.Context, a Actor, to string, send func(ctx context.Context, to string) (reply string, sent bool)) (reply string, sent bool, err error) {
	to, err = email("to", to)
	if err != nil {
		return "", false, err
	}
	m, err := o.mailSettings(ctx)
	if err != nil {
		return "", false, err
	}
	if !m.Configured() {
		return "", false, invalid("host", apitext.New("mail.set_mail_server_first", "set the mail server first (PUT /api/v1/settings/mail with host, port and from)"))
	}
	reply, sent = send(ctx, to)
	outcome := "failed"
	if sent {
		outcome = "accepted"
	}
	err = o.commit(context.WithoutCancel(ctx), a, func(tx *store.Tx) (change, error) {
		return did("mail.test", "settings", fmt.Sprintf("test email to %s %s: %s", to, outcome, reply)), nil
	})
	return reply, sent, err
}

func (o *Office) mailSettings(ctx context.Context) (store.MailSettings, error) {
	var m store.MailSettings
	err := o.store.View(ctx, func(tx *store.Tx) (err error) { m, err = tx.MailSettings(); return err })
	return m, err
}
