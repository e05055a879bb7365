package mail

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"

	"clientportal/store"
)

// text is one email's words in one language. Body paragraphs are plain
// text; the link has its own place so the HTML part can make it a link.
type text struct {
	Subject string
	Lines   []string // paragraphs before the link
	Action  string   // the words of the link
	After   []string // paragraphs after it
}

// texts holds the words of each kind of email in each language. They say
// that something new waits and where, never what: no case titles, status
// names or message text.
func texts(kind, lang, office string, changes int) text {
	switch kind + "/" + lang {
	case store.MailNotice + "/es":
		return text{Subject: "Hay novedades en su portal de clientes",
			Lines:  []string{"Hola:", "Hay algo nuevo para usted en el portal de clientes de " + office + "."},
			Action: "Inicie sesión para verlo",
			After: []string{"Por su privacidad, este correo no dice de qué se trata.",
				"Recibe estos correos porque los avisos por correo están activados en su cuenta del portal. Si no los quiere, pida a " + office + " que los desactive."}}
	case store.MailNotice + "/en":
		return text{Subject: "Something new on your client portal",
			Lines:  []string{"Hello,", "There is something new for you on the client portal of " + office + "."},
			Action: "Log in to see it",
			After: []string{"For your privacy, this email does not say what it is.",
				"You get these emails because email notices are on for your portal account. If you do not want them, ask " + office + " to turn them off."}}
	case store.MailAlert + "/en", store.MailAlert + "/es":
		what := "A client sent a message"
		if changes > 1 {
			what = fmt.Sprintf("Clients sent %d messages", changes)
		}
		return text{Subject: "A client wrote on the portal",
			Lines: []string{what + " through the client portal of " + office + ". Open the control panel to read and answer.",
				"You get these alerts as the office's mail settings route client messages. Each staff member can turn their own off in the control panel."}}
	}
	return text{Subject: "Test email from the client portal",
		Lines: []string{"This is a test email from the client portal of " + office + ".",
			"It arrived, so the portal's mail settings work."}}
}

var htmlBody = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.T.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
<p style="background: {{.Color}}; color: #ffffff; padding: 12px 16px; font-weight: bold; font-size: 1.125em">{{.Office}}</p>
{{range .T.Lines}}<p>{{.}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}" style="color: {{.Color}}; font-weight: bold">{{.T.Action}}</a></p>
{{end}}{{range .T.After}}<p style="color: #555">{{.}}</p>
{{end}}</body></html>
`))

// hexColor is the only form of colour an email takes.
var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// letter is one email to render.
type letter struct {
	MessageID string
	From      string // address
	Office    string // the sender's name
	To        string
	Lang      string
	Date      time.Time
	Kind      string // store.MailNotice, store.MailAlert, or "test"
	Changes   int
	Link      string    // for a notice: where in the portal to look; for a link email, the link
	Expires   time.Time // for a link email: when the link stops working
	Color     string    // the office's colour (branding), "#rrggbb"
}

// render writes l as a MIME message: multipart/alternative with a text and
// an HTML part, built with go-message.
func render(l letter) ([]byte, error) {
	t := texts(l.Kind, l.Lang, l.Office, l.Changes)
	if isLink(l.Kind) {
		if l.Link == "" {
			return nil, fmt.Errorf("render email: a %s email without its link", l.Kind)
		}
		t = linkTexts(l.Kind, l.Lang, l.Office, l.Expires, l.Date)
	}
	var h gomail.Header
	h.SetDate(l.Date)
	h.SetAddressList("From", []*gomail.Address{{Name: l.Office, Address: l.From}})
	h.SetAddressList("To", []*gomail.Address{{Address: l.To}})
	h.SetSubject(t.Subject)
	h.SetMessageID(l.MessageID)
	h.Set("Content-Language", l.Lang)
	// RFC 3834: an automatic message; vacation responders stay quiet.
	h.Set("Auto-Submitted", "auto-generated")
	h.SetContentType("multipart/alternative", map[string]string{})

	var plain strings.Builder
	for _, p := range t.Lines {
		plain.WriteString(p + "\n\n")
	}
	if l.Link != "" {
		plain.WriteString(t.Action + ":\n" + l.Link + "\n\n")
	}
	for _, p := range t.After {
		plain.WriteString(p + "\n\n")
	}
	var html bytes.Buffer
	color := l.Color
	if !hexColor.MatchString(color) {
		color = "#1d4f7a"
	}
	if err := htmlBody.Execute(&html, struct {
		Lang, Link, Office string
		Color              template.CSS // checked as #rrggbb when set (server/branding)
		T                  text
	}{l.Lang, l.Link, l.Office, template.CSS(color), t}); err != nil {
		return nil, err
	}

	var buf bytes.Buffer
	w, err := message.CreateWriter(&buf, h.Header)
	if err != nil {
		return nil, fmt.Errorf("render email: %w", err)
	}
	for _, part := range []struct{ typ, body string }{{"text/plain", plain.String()}, {"text/html", html.String()}} {
		var ph message.Header
		ph.SetContentType(part.typ, map[string]string{"charset": "utf-8"})
		ph.Set("Content-Transfer-Encoding", "quoted-printable")
		pw, err := w.CreatePart(ph)
		if err != nil {
			return nil, fmt.Errorf("render email: %w", err)
		}
		if _, err := io.WriteString(pw, part.body); err != nil {
			return nil, fmt.Errorf("render email: %w", err)
		}
		if err := pw.Close(); err != nil {
			return nil, fmt.Errorf("render email: %w", err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("render email: %w", err)
	}
	return buf.Bytes(), nil
}
