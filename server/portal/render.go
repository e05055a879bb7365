package portal

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/language"

	"clientportal/server/httpsec"
	"clientportal/store"
)

// page is what every template gets.
type page struct {
	tr        *translator
	Lang      string
	Langs     []langOption
	Title     string
	FullTitle string // Title – office name, for <title>
	SignedIn  string // "Signed in as NAME", when a client is
	Office    store.Settings
	OfficeTel template.URL
	Client    *store.Client
	Next      string // where the language switcher returns to
	CSS, Logo string
	// BrandCSS is the office colour's style sheet, or ""; LogoType the
	// logo's content type (branding.go).
	BrandCSS, LogoType string
	Frame              *frame
	// ContactCard is the status page's contact card (contact.card).
	ContactCard template.HTML
	// StaffLang is the language staff write in (case titles, notes), for a
	// lang attribute on that text, or "" when it is the page's language.
	StaffLang string

	// login
	Email           string
	LoginFailed     bool
	EmailMissing    bool
	PasswordMissing bool

	// message pages (errors): error.MsgKey.title and .text
	MsgKey string

	// case picker
	Cases []caseItem

	// case pages
	Case         *caseView
	Messages     *messagesView
	Appointments *appointmentsView
	Documents    *documentsView
	// the status page's checklist and next appointment (requests.go)
	Checklist       *checklistView
	NextAppointment *nextAppointment

	// PasskeyScript is the passkey script's URL on pages that use it.
	PasskeyScript string

	// Preview is the banner of a staff preview (preview.go), or "".
	Preview string

	// Account is the account page or the login's second step (account.go).
	Account *accountView

	// Live is what the live script needs (case pages and the picker), or nil.
	Live *liveView

	// onboarding (register.go, reset.go): the password pages' form and
	// script, the reset request's answer, and the login page's notice after
	// a registration or reset ("registered", "reset").
	Form      *passwordForm
	Script    string
	ResetSent bool
	Done      string
}

type langOption struct {
	Code, Name string
	Current    bool
}

// T is a catalog message in the page's language.
func (pg *page) T(id string, kv ...any) string { return pg.tr.T(id, kv...) }

// entry is the view of a status entry on a page in pg's language.
func (pg *page) entry(e store.StatusEntry, set store.Settings, current bool) entryView {
	date := pg.tr.Date(e.Date)
	return entryView{ISO: isoDate(e.Date), DateText: date, Since: pg.tr.T("case.since", "Date", date),
		Status: statusName(set, e.Status, pg.Lang), Info: e.Info, SetBy: e.SetByName, Current: current}
}

type caseItem struct {
	URL, Title, Number string
	Status             string
	Since              string // "Since DATE" of the status
	HasStatus          bool
	Unread             int    // new messages from the office
	UnreadText         string // "New messages: N"
}

type caseView struct {
	Tab                            string
	OnStatus, OnHistory, OnContact bool // which tab is Tab
	OnMessages, OnAppointments     bool
	OnDocuments                    bool
	Title, Number                  string
	URL                            string
	Tabs                           template.HTML // the case.tabs of this case and tab
	MultipleCases                  bool
	Current                        *entryView
	History                        []entryView
	Contact                        contactView
}

type entryView struct {
	ISO      string // the day for <time datetime>
	DateText string // the day in the page's language
	Since    string // "Since DATE"
	Status   string
	Info     string
	SetBy    string
	Current  bool
}

type contactView struct {
	Kind      string // "staff", "probono" or "none"
	ProBono   bool   // Kind is "probono"
	None      bool   // Kind is "none"
	Name      string
	Title     string // the staff member's job title, as staff typed it
	TitleLang string // lang attribute for Title, when not the page's
	Firm      string
	Phone     string
	Tel       template.URL
	Email     string
	Address   string
}

// telURL is a tel: link for a phone number as people write it, or "" when it
// has no digits. Only digits and a leading + survive, so the URL is safe.
func telURL(phone string) template.URL {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	if strings.TrimPrefix(b.String(), "+") == "" {
		return ""
	}
	return template.URL("tel:" + b.String())
}

// staffLang is the lang attribute for text staff typed on a page in
// pageLang: "" when staff write in the page's language, else their language
// tag. An unreadable setting marks nothing rather than writing a wrong tag.
func staffLang(setting, pageLang string) string {
	if setting == "" {
		setting = "en"
	}
	if setting == pageLang {
		return ""
	}
	tag, err := language.Parse(setting)
	if err != nil {
		return ""
	}
	if base, _ := tag.Base(); base.String() == pageLang {
		return ""
	}
	return tag.String()
}

// newPage starts the page data for r.
func (p *Portal) newPage(r *http.Request, cl *store.Client, set store.Settings, next string) *page {
	pref := ""
	if cl != nil {
		pref = cl.Language
	}
	cookie := ""
	if c, err := r.Cookie(langCookie); err == nil {
		cookie = c.Value
	}
	lang := pickLanguage(pref, cookie, r.Header.Get("Accept-Language"))
	tr := p.cat.tr(lang)
	pg := &page{tr: tr, Lang: lang, Langs: p.cat.switcher[lang], Office: set, OfficeTel: telURL(set.OfficePhone),
		Client: cl, Next: next, CSS: p.assets["portal.css"].url, Logo: p.assets["logo.svg"].url, LogoType: "image/svg+xml",
		BrandCSS:  brandCSSURL(set),
		StaffLang: staffLang(set.StaffLanguage, lang)}
	if u := brandLogoURL(set); u != "" {
		pg.Logo, pg.LogoType = u, set.Brand.LogoType
	}
	if pg.Office.OfficeName == "" {
		pg.Office.OfficeName = store.DefaultSettings().OfficeName
	}
	if cl != nil {
		pg.SignedIn = tr.T("layout.signed_in", "Name", cl.Name)
	}
	if pv := previewFrom(r.Context()); pv != nil {
		pg.Preview = tr.T("preview.banner", "Name", pv.Client.Name)
	}
	return pg
}

func (p *Portal) settings(ctx context.Context) (store.Settings, error) {
	var set store.Settings
	err := p.store.View(ctx, func(tx *store.Tx) error {
		var err error
		set, err = tx.Settings()
		return err
	})
	return set, err
}

// bufs are the buffers pages render into.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes the page with status, gzip-compressed when the browser takes
// it. Every portal page is private to the person who asked (language,
// login), so no cache keeps it.
func (p *Portal) render(w http.ResponseWriter, r *http.Request, status int, name string, pg *page) {
	buf := bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufs.Put(buf)
	pg.FullTitle = fullTitle(pg)
	f, err := p.frame(pg)
	if err == nil {
		pg.Frame = f
		err = p.pages[pg.Lang][name].ExecuteTemplate(buf, "layout", pg)
	}
	if err != nil {
		p.renderFailed(w, name, err)
		return
	}
	p.writeHTML(w, r, status, name, buf.Bytes(), nil)
}

// fullTitle is the page's <title>: its title and the office's name.
func fullTitle(pg *page) string { return pg.Title + " – " + pg.Office.OfficeName }

// renderFailed answers a page that could not be rendered.
func (p *Portal) renderFailed(w http.ResponseWriter, name string, err error) {
	p.log.Error("portal render", "page", name, "err", err)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	httpsec.NoStore(w)
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintln(w, "internal error")
}

// writeHTML sends body as an HTML page with status, gzip-compressed when
// the browser takes it: gz, when not nil, gives the compressed form (nil
// when it has none), else body is compressed here.
func (p *Portal) writeHTML(w http.ResponseWriter, r *http.Request, status int, name string, body []byte, gz func() []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	httpsec.NoStore(w)
	h.Add("Vary", "Accept-Encoding")
	if len(body) >= minGzipSize && acceptsGzip(r) {
		if gz != nil {
			if z := gz(); z != nil {
				h.Set("Content-Encoding", "gzip")
				body = z
			}
		} else {
			zb := bufs.Get().(*bytes.Buffer)
			zb.Reset()
			defer bufs.Put(zb)
			if err := gzipTo(zb, body); err != nil {
				p.log.Error("portal gzip", "page", name, "err", err)
			} else {
				h.Set("Content-Encoding", "gzip")
				body = zb.Bytes()
			}
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// message renders a short page that says what happened: key names the
// messages error.KEY.title and error.KEY.text. It does not depend on the
// request's path, so a 404 for a case that exists reads the same as one for
// a case that does not.
func (p *Portal) message(w http.ResponseWriter, r *http.Request, cl *store.Client, status int, key string) {
	set, err := p.settings(r.Context())
	if err != nil {
		p.log.Error("portal settings", "err", err)
		set = store.DefaultSettings()
	}
	next := "/login"
	if cl != nil {
		next = "/cases"
	}
	pg := p.newPage(r, cl, set, next)
	pg.MsgKey = key
	pg.Title = pg.T("error." + key + ".title")
	p.render(w, r, status, "message", pg)
}

func (p *Portal) internal(w http.ResponseWriter, r *http.Request, err error) {
	p.log.Error("portal", "method", r.Method, "path", r.URL.Path, "err", err)
	p.message(w, r, nil, http.StatusInternalServerError, "server")
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
