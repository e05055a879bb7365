package portal

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"clientportal/server/httpsec"
	"clientportal/store"
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
