// Package portal is the client portal: server-rendered pages where a client
// logs in and sees how their cases stand: the current status, its history and
// who to contact. Pages work without JavaScript (the CSP allows none), in
// English and Spanish, on a 320 px wide phone as on a desktop.
//
// Every case page loads the case and checks it belongs to the logged-in
// client; a case that is not the client's answers exactly like one that does
// not exist.
package portal

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"clientportal/server/auth"
	"clientportal/server/httpsec"
	"clientportal/server/password"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

//go:embed templates/*.html static/* locales/*.json
var files embed.FS

// Config is what the portal needs.
type Config struct {
	Store      *store.Store
	Auth       *auth.Authenticator
	Log        *slog.Logger
	LoginLimit *ratelimit.Limiter // per client IP; nil: 10 at once, then one every 6 s
}

// Portal serves the client pages.
type Portal struct {
	store  *store.Store
	auth   *auth.Authenticator
	log    *slog.Logger
	limit  *ratelimit.Limiter
	cat    *catalog
	pages  map[string]*template.Template
	assets map[string]asset
}

// Cookie names and limits.
const (
	sessionCookie    = "portal_session"
	sessionCookieTLS = "__Host-portal_session" // under TLS: Secure, host-only, Path=/
	langCookie       = "lang"
	maxFormBytes     = 16 << 10
	maxEmailLen      = 254 // longer is not shown back in the form
)

// pageNames are the templates in templates/, each rendered inside layout.html.
var pageNames = []string{"login", "cases", "status", "history", "contact", "message"}

// New prepares the portal: it parses its templates and message catalogs once.
func New(cfg Config) (*Portal, error) {
	if cfg.Store == nil || cfg.Auth == nil {
		return nil, errors.New("portal: Store and Auth are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.LoginLimit == nil {
		cfg.LoginLimit = ratelimit.New(6*time.Second, 10)
	}
	p := &Portal{store: cfg.Store, auth: cfg.Auth, log: cfg.Log, limit: cfg.LoginLimit,
		pages: map[string]*template.Template{}, assets: map[string]asset{}}
	if err := checkCatalogs(files); err != nil {
		return nil, err
	}
	var err error
	if p.cat, err = loadCatalog(files, cfg.Log); err != nil {
		return nil, err
	}
	if err := p.loadAssets(); err != nil {
		return nil, err
	}
	for _, name := range pageNames {
		t, err := template.New(name).ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("portal: parse template %s: %w", name, err)
		}
		p.pages[name] = t
	}
	return p, nil
}

// checkCatalogs refuses catalogs that do not have the same messages.
func checkCatalogs(fsys fs.FS) error {
	var first map[string]string
	for _, code := range langCodes {
		data, err := fs.ReadFile(fsys, "locales/"+code+".json")
		if err != nil {
			return fmt.Errorf("portal: %w", err)
		}
		keys, err := keysIn(data)
		if err != nil {
			return fmt.Errorf("portal: locales/%s.json: %w", code, err)
		}
		if first == nil {
			first = keys
			continue
		}
		for k := range first {
			if _, ok := keys[k]; !ok {
				return fmt.Errorf("portal: locales/%s.json lacks message %q", code, k)
			}
		}
		for k := range keys {
			if _, ok := first[k]; !ok {
				return fmt.Errorf("portal: locales/%s.json has message %q that locales/%s.json lacks", code, k, langCodes[0])
			}
		}
	}
	return nil
}

// Register adds the portal's routes to mux.
func (p *Portal) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", p.root)
	mux.HandleFunc("GET /login", p.loginPage)
	mux.HandleFunc("POST /login", p.login)
	mux.HandleFunc("POST /logout", p.logout)
	mux.HandleFunc("POST /language", p.language)
	mux.HandleFunc("GET /cases", p.cases)
	mux.HandleFunc("GET /cases/{id}", p.casePage("status"))
	mux.HandleFunc("GET /cases/{id}/history", p.casePage("history"))
	mux.HandleFunc("GET /cases/{id}/contact", p.casePage("contact"))
	mux.HandleFunc("GET /static/{file}", p.static)
}

// NotFound answers with the portal's 404 page. The service may use it for
// paths no route matches.
func (p *Portal) NotFound(w http.ResponseWriter, r *http.Request) {
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	p.message(w, r, cl, http.StatusNotFound, "notfound")
}

// ---- sessions ----

func sessionCookieName(r *http.Request) string {
	if r.TLS != nil {
		return sessionCookieTLS
	}
	return sessionCookie
}

func setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookieName(r), Value: token, Path: "/",
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookieName(r), Value: "", Path: "/", MaxAge: -1,
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func sessionToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookieName(r))
	if err != nil {
		return ""
	}
	return c.Value
}

// who is the logged-in client, or nil. A cookie of a session that ended is
// cleared.
func (p *Portal) who(w http.ResponseWriter, r *http.Request) (*store.Client, error) {
	token := sessionToken(r)
	if token == "" {
		return nil, nil
	}
	c, err := p.auth.Client(r.Context(), token)
	if errors.Is(err, auth.ErrNoSession) {
		clearSessionCookie(w, r)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// ---- pages ----

// page is what every template gets.
type page struct {
	tr        *translator
	Lang      string
	Langs     []langOption
	Title     string
	Office    store.Settings
	OfficeTel template.URL
	Client    *store.Client
	Next      string // where the language switcher returns to
	CSS, Logo string

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
	Case *caseView
}

type langOption struct {
	Code, Name string
	Current    bool
}

// T is a catalog message in the page's language.
func (pg *page) T(id string, kv ...any) string { return pg.tr.T(id, kv...) }

// Date is a day in the page's language.
func (pg *page) Date(d time.Time) string { return pg.tr.Date(d) }

// ISODate is a day for <time datetime>.
func (pg *page) ISODate(d time.Time) string { return isoDate(d) }

type caseItem struct {
	URL, Title, Number string
	Status             string
	Date               time.Time
	HasStatus          bool
}

type caseView struct {
	Tab           string
	Title, Number string
	URL           string
	MultipleCases bool
	Current       *entryView
	History       []entryView
	Contact       contactView
}

type entryView struct {
	Date    time.Time
	Status  string
	Info    string
	SetBy   string
	Current bool
}

type contactView struct {
	Kind    string // "staff", "probono" or "none"
	Name    string
	Title   string
	Firm    string
	Phone   string
	Tel     template.URL
	Email   string
	Address string
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
	pg := &page{tr: p.cat.tr(lang), Lang: lang, Office: set, OfficeTel: telURL(set.OfficePhone), Client: cl, Next: next,
		CSS: p.assets["portal.css"].url, Logo: p.assets["logo.svg"].url}
	if pg.Office.OfficeName == "" {
		pg.Office.OfficeName = store.DefaultSettings().OfficeName
	}
	for _, code := range langCodes {
		pg.Langs = append(pg.Langs, langOption{Code: code, Name: p.cat.langName(code), Current: code == lang})
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

// render writes the page with status. Every portal page is private to the
// person who asked (language, login), so no cache keeps it.
func (p *Portal) render(w http.ResponseWriter, r *http.Request, status int, name string, pg *page) {
	var buf bytes.Buffer
	if err := p.pages[name].ExecuteTemplate(&buf, "layout", pg); err != nil {
		p.log.Error("portal render", "page", name, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		httpsec.NoStore(w)
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintln(w, "internal error")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	httpsec.NoStore(w)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
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

// ---- routes ----

func (p *Portal) root(w http.ResponseWriter, r *http.Request) {
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if cl != nil {
		redirect(w, r, "/cases")
		return
	}
	redirect(w, r, "/login")
}

func (p *Portal) loginPage(w http.ResponseWriter, r *http.Request) {
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if cl != nil {
		redirect(w, r, "/cases")
		return
	}
	p.renderLogin(w, r, http.StatusOK, func(*page) {})
}

func (p *Portal) renderLogin(w http.ResponseWriter, r *http.Request, status int, fill func(*page)) {
	set, err := p.settings(r.Context())
	if err != nil {
		p.internal(w, r, err)
		return
	}
	pg := p.newPage(r, nil, set, "/login")
	pg.Title = pg.T("login.title")
	fill(pg)
	p.render(w, r, status, "login", pg)
}

// parseForm reads a small urlencoded form body. It answers 413 for a body
// over maxFormBytes and 400 for one that cannot be read or is not UTF-8, and
// then reports false.
func (p *Portal) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.message(w, r, nil, http.StatusRequestEntityTooLarge, "toolarge")
		} else {
			p.message(w, r, nil, http.StatusBadRequest, "badrequest")
		}
		return false
	}
	for k, vs := range r.PostForm {
		ok := utf8.ValidString(k)
		for _, v := range vs {
			ok = ok && utf8.ValidString(v)
		}
		if !ok {
			p.message(w, r, nil, http.StatusBadRequest, "badrequest")
			return false
		}
	}
	return true
}

func (p *Portal) login(w http.ResponseWriter, r *http.Request) {
	ip := httpsec.ClientIP(r)
	if ok, wait := p.limit.Take(ratelimit.AddressKey(ip)); !ok {
		p.auth.Refused(r.Context(), store.SessionClient, ip, "rate_limited")
		w.Header().Set("Retry-After", retryAfter(wait))
		p.message(w, r, nil, http.StatusTooManyRequests, "ratelimit")
		return
	}
	if !p.parseForm(w, r) {
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	pw := r.PostForm.Get("password")
	if email == "" || pw == "" {
		p.renderLogin(w, r, http.StatusBadRequest, func(pg *page) {
			pg.Email, pg.EmailMissing, pg.PasswordMissing = email, email == "", pw == ""
		})
		return
	}
	// Over-long input (longer than password.MaxLength characters, the
	// policy's limit) fails in LoginClient like any bad login, and is audited.
	_, login, err := p.auth.LoginClient(r.Context(), email, pw, ip, sessionToken(r))
	switch {
	case errors.Is(err, auth.ErrBadLogin):
		if len(email) > maxEmailLen {
			email = ""
		}
		p.renderLogin(w, r, http.StatusUnauthorized, func(pg *page) { pg.Email, pg.LoginFailed = email, true })
	case errors.Is(err, auth.ErrBusy):
		w.Header().Set("Retry-After", retryAfter(password.RetryBusy))
		p.message(w, r, nil, http.StatusServiceUnavailable, "busy")
	case err != nil:
		p.internal(w, r, err)
	default:
		setSessionCookie(w, r, login.Token)
		redirect(w, r, "/cases")
	}
}

// retryAfter is a Retry-After header value: whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(int(math.Ceil(d.Seconds())), 1))
}

func (p *Portal) logout(w http.ResponseWriter, r *http.Request) {
	if token := sessionToken(r); token != "" {
		if err := p.auth.Logout(r.Context(), token, httpsec.ClientIP(r)); err != nil {
			p.internal(w, r, err)
			return
		}
	}
	clearSessionCookie(w, r)
	redirect(w, r, "/login")
}

// safeNext is next when it is a path on this site, else "/". It refuses
// anything a browser could read as another site: "//host", "/\host",
// schemes, control characters.
func safeNext(next string) string {
	if len(next) == 0 || len(next) > 512 || next[0] != '/' {
		return "/"
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c < 0x21 || c > 0x7e || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return next
}

func (p *Portal) language(w http.ResponseWriter, r *http.Request) {
	if !p.parseForm(w, r) {
		return
	}
	lang := r.PostForm.Get("lang")
	if !supportedLang(lang) {
		p.message(w, r, nil, http.StatusBadRequest, "badrequest")
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if cl != nil && cl.Language != lang {
		ip := httpsec.ClientIP(r)
		err := p.store.Update(r.Context(), func(tx *store.Tx) error {
			c, err := tx.Client(cl.ID)
			if err != nil {
				return err
			}
			old := c.Language
			c.Language = lang
			if err := tx.PutClient(&c); err != nil {
				return err
			}
			return tx.Audit(store.AuditEntry{ActorKind: "client", ActorID: c.ID, ActorName: c.Name, IP: ip,
				Action: "client.language", Target: "client:" + strconv.FormatUint(c.ID, 10),
				Detail: fmt.Sprintf("preferred language %q -> %q", old, lang)})
		})
		if err != nil {
			p.internal(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	redirect(w, r, next)
}

func caseURL(id uint64) string { return "/cases/" + strconv.FormatUint(id, 10) }

// statusName is a status ID's name in lang from the office's list.
func statusName(set store.Settings, id, lang string) string {
	if st, ok := set.Status(id); ok {
		return st.Name(lang)
	}
	return id
}

func (p *Portal) cases(w http.ResponseWriter, r *http.Request) {
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if cl == nil {
		redirect(w, r, "/login")
		return
	}
	var set store.Settings
	var cases []store.Case
	err = p.store.View(r.Context(), func(tx *store.Tx) error {
		var err error
		if set, err = tx.Settings(); err != nil {
			return err
		}
		cases, err = tx.CasesOfClient(cl.ID)
		return err
	})
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if len(cases) == 1 {
		httpsec.NoStore(w)
		redirect(w, r, caseURL(cases[0].ID))
		return
	}
	pg := p.newPage(r, cl, set, "/cases")
	pg.Title = pg.T("cases.title")
	for _, c := range cases {
		it := caseItem{URL: caseURL(c.ID), Title: c.Title, Number: c.Number}
		if c.Current != nil {
			it.HasStatus, it.Status, it.Date = true, statusName(set, c.Current.Status, pg.Lang), c.Current.Date
		}
		pg.Cases = append(pg.Cases, it)
	}
	p.render(w, r, http.StatusOK, "cases", pg)
}

// parseID reads a case ID from a path: decimal digits without leading
// zeros, not 0. Anything else is no case.
func parseID(s string) (uint64, bool) {
	if s == "" || len(s) > 20 || s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return id, true
}

var errNotYours = errors.New("no such case for this client")

// casePage serves one tab of a case: "status", "history" or "contact".
func (p *Portal) casePage(tab string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		httpsec.NoStore(w)
		cl, err := p.who(w, r)
		if err != nil {
			p.internal(w, r, err)
			return
		}
		if cl == nil {
			redirect(w, r, "/login")
			return
		}
		id, ok := parseID(r.PathValue("id"))
		if !ok {
			p.message(w, r, cl, http.StatusNotFound, "notfound")
			return
		}
		var (
			set      store.Settings
			c        store.Case
			ncases   int
			advocate *store.Staff
			history  []store.StatusEntry
		)
		err = p.store.View(r.Context(), func(tx *store.Tx) error {
			var err error
			if c, err = tx.Case(id); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return errNotYours
				}
				return err
			}
			if !c.HasClient(cl.ID) {
				return errNotYours
			}
			if set, err = tx.Settings(); err != nil {
				return err
			}
			all, err := tx.CasesOfClient(cl.ID)
			if err != nil {
				return err
			}
			ncases = len(all)
			if c.Kind == store.KindStaff && c.AdvocateID != 0 {
				s, err := tx.Staff(c.AdvocateID)
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if err == nil {
					advocate = &s
				}
			}
			if tab == "history" {
				history, err = tx.StatusHistory(c.ID)
			}
			return err
		})
		if errors.Is(err, errNotYours) {
			p.message(w, r, cl, http.StatusNotFound, "notfound")
			return
		}
		if err != nil {
			p.internal(w, r, err)
			return
		}
		url := caseURL(c.ID)
		next := url
		if tab != "status" {
			next += "/" + tab
		}
		pg := p.newPage(r, cl, set, next)
		cv := &caseView{Tab: tab, Title: c.Title, Number: c.Number, URL: url, MultipleCases: ncases > 1,
			Contact: contactOf(c, advocate)}
		if c.Current != nil {
			cv.Current = &entryView{Date: c.Current.Date, Status: statusName(set, c.Current.Status, pg.Lang),
				Info: c.Current.Info, SetBy: c.Current.SetByName, Current: true}
		}
		for i, e := range history {
			cv.History = append(cv.History, entryView{Date: e.Date, Status: statusName(set, e.Status, pg.Lang),
				Info: e.Info, SetBy: e.SetByName, Current: i == 0})
		}
		pg.Case = cv
		pg.Title = pg.T("nav."+tab) + " – " + c.Title
		p.render(w, r, http.StatusOK, tab, pg)
	}
}

// contactOf is who the client contacts about c.
func contactOf(c store.Case, advocate *store.Staff) contactView {
	switch {
	case c.Kind == store.KindProBono && c.Attorney != nil && c.Attorney.Name != "":
		a := c.Attorney
		return contactView{Kind: "probono", Name: a.Name, Firm: a.Firm, Phone: a.Phone, Tel: telURL(a.Phone), Email: a.Email}
	case c.Kind == store.KindStaff && advocate != nil && !advocate.Disabled:
		s := advocate
		return contactView{Kind: "staff", Name: s.Name, Title: s.Title, Phone: s.Phone, Tel: telURL(s.Phone),
			Email: s.Email, Address: s.Address}
	}
	return contactView{Kind: "none"}
}

// ---- static files ----

type asset struct {
	data  []byte
	ctype string
	etag  string
	url   string // with a content version, so it can be cached for a year
}

var assetTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
}

func (p *Portal) loadAssets() error {
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		return fmt.Errorf("portal: %w", err)
	}
	for _, e := range entries {
		ctype, ok := assetTypes[path.Ext(e.Name())]
		if !ok || e.IsDir() {
			continue
		}
		data, err := fs.ReadFile(files, "static/"+e.Name())
		if err != nil {
			return fmt.Errorf("portal: %w", err)
		}
		sum := sha256.Sum256(data)
		v := hex.EncodeToString(sum[:8])
		p.assets[e.Name()] = asset{data: data, ctype: ctype, etag: `"` + v + `"`, url: "/static/" + e.Name() + "?v=" + v}
	}
	for _, need := range []string{"portal.css", "logo.svg"} {
		if _, ok := p.assets[need]; !ok {
			return fmt.Errorf("portal: static/%s is missing", need)
		}
	}
	return nil
}

// static serves the embedded style sheet and logo. Their ETag is a hash of
// the content; there is no Last-Modified, since a fixed embedded time would
// answer 304 to a browser holding an older version after an upgrade.
func (p *Portal) static(w http.ResponseWriter, r *http.Request) {
	a, ok := p.assets[r.PathValue("file")]
	if !ok {
		p.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.data))
}
