// Package portal is the client portal: server-rendered pages where a client
// logs in and sees how their cases stand: the current status, its history and
// who to contact. Pages work without JavaScript (the CSP allows none), in
// English and Spanish, on a 320 px wide phone as on a desktop.
//
// Every case page is registered through caseRoute, whose guard loads the case
// and checks it belongs to the logged-in client before the page's handler
// runs; a case that is not the client's answers exactly like one that does
// not exist.
//
// Files by page group: render.go (page data, rendering, message pages),
// session.go (login, logout, cookies), cases.go (the case picker, the guard
// and the case pages), documents.go (the Documents tab, downloads and
// uploads) with upload.go (the streamed multipart reader), language.go (the
// switcher), static.go (style sheet,
// logo, robots.txt), compress.go (gzip), i18n.go (catalogs), frame.go (the
// parts of pages rendered once and reused: banner, footer, contact cards),
// account.go (the account page and the login's second step), passkey.go,
// preview.go (staff previewing a client's portal, read-only), branding.go
// (the office's colour and logo).
package portal

import (
	"embed"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"clientportal/server/auth"
	"clientportal/server/office"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

//go:embed templates/*.html static/* locales/*.json
var files embed.FS

// Config is what the portal needs.
type Config struct {
	Store      *store.Store
	Office     *office.Office // the changes a client makes (language choice, later messages and uploads)
	Auth       *auth.Authenticator
	Log        *slog.Logger
	LoginLimit *ratelimit.Limiter // per client IP; nil: 10 at once, then one every 6 s
	// LinkLimit bounds the registration, reset and password-change forms
	// per client IP; nil: 10 at once, then one every 6 s.
	LinkLimit *ratelimit.Limiter
	// UploadLimit is per client: uploads (a form with files) they may send;
	// nil: 10 at once, then one every 30 s.
	UploadLimit *ratelimit.Limiter
	// PasskeyOrigin is the web origin passkeys are bound to
	// ("https://portal.example.org"); "": the host each request names.
	PasskeyOrigin string
}

// Portal serves the client pages.
type Portal struct {
	store  *store.Store
	office *office.Office
	auth   *auth.Authenticator
	log    *slog.Logger
	limit  *ratelimit.Limiter
	// uploads limits each client's uploads (Config.UploadLimit).
	uploads *ratelimit.Limiter
	// passkeyOrigin is Config.PasskeyOrigin.
	passkeyOrigin string
	cat           *catalog
	pages         map[string]map[string]*template.Template // language -> page name -> template
	assets        map[string]asset
	frames        framesCache
	cards         cards
	kept          keptPages // rendered status pages (kept.go)
	// tabs are the case tabs by language and tab, split where the case's
	// path goes (caseTabs).
	tabs map[string]map[string][]string
	// linkLimit and resetSlots: onboarding (register.go, reset.go).
	linkLimit  *ratelimit.Limiter
	resetSlots chan struct{}
}

// Cookie names and limits.
const (
	sessionCookie    = "portal_session"
	sessionCookieTLS = "__Host-portal_session" // under TLS: Secure, host-only, Path=/
	langCookie       = "lang"
	maxFormBytes     = 16 << 10
	maxEmailLen      = 254
)

// pageNames are the templates in templates/, each rendered inside layout.html.
var pageNames = []string{"login", "cases", "status", "history", "contact", "messages", "appointments", "message",
	"password", "reset", "documents", "account"}

// New prepares the portal: it parses its templates and message catalogs once.
func New(cfg Config) (*Portal, error) {
	if cfg.Store == nil || cfg.Auth == nil || cfg.Office == nil {
		return nil, errors.New("portal: Store, Office and Auth are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.LoginLimit == nil {
		cfg.LoginLimit = ratelimit.New(6*time.Second, 10)
	}
	if cfg.LinkLimit == nil {
		cfg.LinkLimit = ratelimit.New(6*time.Second, 10)
	}
	if cfg.UploadLimit == nil {
		cfg.UploadLimit = ratelimit.New(30*time.Second, 10)
	}
	p := &Portal{store: cfg.Store, office: cfg.Office, auth: cfg.Auth, log: cfg.Log, limit: cfg.LoginLimit, uploads: cfg.UploadLimit,
		passkeyOrigin: cfg.PasskeyOrigin,
		pages:         map[string]map[string]*template.Template{}, assets: map[string]asset{},
		linkLimit: cfg.LinkLimit, resetSlots: make(chan struct{}, resetWorkers)}
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
	if err := p.parsePages(); err != nil {
		return nil, err
	}
	if err := p.caseTabs(); err != nil {
		return nil, err
	}
	return p, nil
}

// staticT is a template action that shows a catalog message without
// arguments: {{.T "id"}} or {{$.T "id"}}.
var staticT = regexp.MustCompile(`\{\{\$?\.T "([a-z0-9_.]+)"\}\}`)

// parsePages parses every page once per language. A message shown without
// arguments is written into that language's template as escaped text, so a
// page executes only the actions that depend on the request: most of a
// page's text costs nothing to render.
func (p *Portal) parsePages() error {
	layout, err := fs.ReadFile(files, "templates/layout.html")
	if err != nil {
		return fmt.Errorf("portal: %w", err)
	}
	for _, lang := range langCodes {
		tr := p.cat.tr(lang)
		inline := func(src []byte) string {
			return staticT.ReplaceAllStringFunc(string(src), func(action string) string {
				m, ok := tr.msgs[staticT.FindStringSubmatch(action)[1]]
				if !ok || len(m.names) > 0 {
					return action // T reports it when the page runs
				}
				// No message holds "{{" (compileMessage), so the text
				// cannot start an action.
				return html.EscapeString(m.parts[0])
			})
		}
		p.pages[lang] = map[string]*template.Template{}
		for _, name := range pageNames {
			src, err := fs.ReadFile(files, "templates/"+name+".html")
			if err != nil {
				return fmt.Errorf("portal: %w", err)
			}
			t := template.New(name)
			if _, err := t.New("layout.html").Parse(inline(layout)); err != nil {
				return fmt.Errorf("portal: parse template layout.html: %w", err)
			}
			if _, err := t.New(name + ".html").Parse(inline(src)); err != nil {
				return fmt.Errorf("portal: parse template %s.html: %w", name, err)
			}
			p.pages[lang][name] = t
		}
	}
	return nil
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

// Register adds the portal's routes to mux. A route that names a case goes
// through caseRoute, never straight to the mux.
func (p *Portal) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", p.root)
	mux.HandleFunc("GET /login", p.loginPage)
	mux.HandleFunc("POST /login", p.login)
	mux.HandleFunc("POST /logout", p.logout)
	mux.HandleFunc("POST /language", p.language)
	mux.HandleFunc("GET /cases", p.cases)
	p.caseRoute(mux, "GET /cases/{id}", p.statusPage)
	p.caseRoute(mux, "GET /cases/{id}/history", p.historyPage)
	p.caseRoute(mux, "GET /cases/{id}/contact", p.contactPage)
	p.caseRoute(mux, "GET /cases/{id}/messages", p.messagesPage)
	p.caseRoute(mux, "POST /cases/{id}/messages", p.postMessage, transfer)
	p.caseRoute(mux, "GET /cases/{id}/appointments", p.appointmentsPage)
	p.caseRoute(mux, "GET /cases/{id}/appointments/{file}", p.appointmentICS)
	p.caseRoute(mux, "GET /cases/{id}/documents", p.documentsPage)
	p.caseRoute(mux, "POST /cases/{id}/documents", p.postDocuments, transfer)
	p.caseRoute(mux, "GET /cases/{id}/documents/{doc}", p.downloadDocument, transfer)
	p.caseRoute(mux, "POST /cases/{id}/requests/{rid}", p.submitRequest, transfer)
	p.registerAccount(mux)
	mux.HandleFunc("GET /static/{file}", p.static)
	mux.HandleFunc("GET /robots.txt", p.robots)
	p.registerOnboarding(mux)
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
