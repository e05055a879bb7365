package portal

import (
	"net/http"
	"net/url"
	"strings"

	"clientportal/server/httpsec"
	"clientportal/server/office"
)

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
	if cl != nil {
		// The office action writes only when the choice changes.
		actor := office.Actor{Kind: "client", ID: cl.ID, Name: cl.Name, IP: httpsec.ClientIP(r)}
		if err := p.office.SetLanguage(r.Context(), actor, cl.ID, lang); err != nil {
			p.internal(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	redirect(w, r, next)
}
