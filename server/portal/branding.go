package portal

import (
	"errors"
	"net/http"
	"strconv"

	"clientportal/server/branding"
	"clientportal/store"
)

// The office's branding on the portal: a small style sheet with its colour
// (served as a file, under the CSP's style-src 'self') and its logo. Both
// URLs carry a version (the colour, the logo's hash), so browsers keep them.

// brandCSSURL and logoURL are the URLs of set's branding, or "" for the
// portal's own.
func brandCSSURL(set store.Settings) string {
	if set.Brand.Color == "" {
		return ""
	}
	return "/branding.css?v=" + set.Brand.Color[1:]
}

func brandLogoURL(set store.Settings) string {
	if set.Brand.LogoHash == "" {
		return ""
	}
	return "/branding/logo?v=" + set.Brand.LogoHash[:16]
}

func (p *Portal) brandCSS(w http.ResponseWriter, r *http.Request) {
	set, err := p.settings(r.Context())
	if err != nil {
		p.internal(w, r, err)
		return
	}
	c := branding.Default
	if set.Brand.Color != "" {
		if c, err = branding.ParseColor(set.Brand.Color); err != nil {
			c = branding.Default
		}
	}
	css := branding.CSS(c)
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Length", strconv.Itoa(len(css)))
	w.Write(css)
}

func (p *Portal) brandLogo(w http.ResponseWriter, r *http.Request) {
	var data []byte
	var ctype string
	err := p.store.View(r.Context(), func(tx *store.Tx) (err error) { data, ctype, err = tx.Logo(); return err })
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		p.internal(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
