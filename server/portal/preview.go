package portal

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"clientportal/server/auth"
	"clientportal/server/httpsec"
)

// Preview as the client: staff open a client's portal read-only (the staff
// API makes a one-time link, /preview/{token}). The browser then holds a
// preview token (cookie previewCookie); while it does, every portal page
// shows the client's portal with a banner that says it is a preview, and
// nothing can change: Preview refuses every request but GET and HEAD (and
// POST /logout, which ends the preview) before any handler runs, the live
// stream is refused, and reading the messages page marks nothing read.

const previewCookie = "portal_preview"

type previewKey struct{}

// previewFrom is the preview r is part of, or nil.
func previewFrom(ctx context.Context) *auth.Preview {
	pv, _ := ctx.Value(previewKey{}).(*auth.Preview)
	return pv
}

// InPreview reports whether the request is part of a staff preview: such a
// request must change nothing.
func InPreview(ctx context.Context) bool { return previewFrom(ctx) != nil }

// Preview wraps the service's handler: a request with a live preview token
// is served read-only, as the client, with the preview in its context.
// Staff API requests pass untouched.
func (p *Portal) Preview(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(previewCookie)
		if err != nil || c.Value == "" || strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		pv, err := p.auth.Preview(r.Context(), c.Value)
		if errors.Is(err, auth.ErrNoSession) {
			clearPreviewCookie(w, r)
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			p.internal(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), previewKey{}, &pv))
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/logout":
			if err := p.auth.EndPreview(r.Context(), c.Value, httpsec.ClientIP(r)); err != nil {
				p.internal(w, r, err)
				return
			}
			clearPreviewCookie(w, r)
			redirect(w, r, "/login")
		case r.URL.Path == "/live":
			http.Error(w, "a preview has no live updates", http.StatusForbidden)
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			httpsec.NoStore(w)
			p.message(w, r, &pv.Client, http.StatusForbidden, "preview")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func clearPreviewCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: previewCookie, Value: "", Path: "/", MaxAge: -1,
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// openPreview trades the one-time link for a preview session.
func (p *Portal) openPreview(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	token, pv, err := p.auth.OpenPreview(r.Context(), r.PathValue("token"), httpsec.ClientIP(r))
	if errors.Is(err, auth.ErrNoSession) {
		p.message(w, r, nil, http.StatusNotFound, "notfound")
		return
	}
	if err != nil {
		p.internal(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: previewCookie, Value: token, Path: "/", Expires: pv.Expires,
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	redirect(w, r, "/cases")
}
