// Package httpsec is the HTTP hardening every response gets: security
// headers, protection against cross-site form posts, per-request read and
// write deadlines, and the client address used for rate limits and the audit
// log.
package httpsec

import (
	"net"
	"net/http"

	"clientportal/server/api"
)

// CSP allows only the service's own style sheets, images, forms, script
// files (no inline script: the live script is one file) and connections
// (its websocket and the page fetches it makes). Portal pages work without
// JavaScript.
const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// Headers sets the security headers on every response: a strict CSP,
// no framing, no MIME sniffing, no referrer leaks, and HSTS under TLS.
func Headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// NoStore marks a response as private data that no cache may keep.
func NoStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

// CrossOrigin refuses cross-site non-GET requests (browser form posts and
// fetches from other origins) with 403, using the browser's Sec-Fetch-Site
// and Origin headers. Requests without them (API clients, curl) pass: they
// carry no ambient cookies of a victim. The refusal is the API's JSON error
// under /api/, and text for the portal's forms.
func CrossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if api.IsJSONPath(r.URL.Path) {
			api.WriteError(w, api.ErrCrossOrigin)
			return
		}
		http.Error(w, "Cross-site request refused: submit the form from the portal's own pages.", http.StatusForbidden)
	}))
	return cop.Handler(next)
}

// ClientIP is the address of the connection's peer. The portal is served
// directly, not behind a proxy, so forwarding headers are not trusted.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
