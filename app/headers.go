package app

import (
	"embed"
	"io/fs"
	"net/http"
)

// contentSecurityPolicy is the window's policy: the page's own scripts,
// styles and images only; no inline script or style, no plugins, no frames.
// The Wails runtime's scripts are files of the same origin, and Go's calls
// into the page do not go through the page's script loading.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// securityHeaders adds the policy to every asset the window loads. Under
// `wails dev` the page comes from Vite's dev server, whose hot reload needs
// inline styles: the policy is left out there (devBuild).
func securityHeaders(next http.Handler) http.Handler {
	if devBuild {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

//go:embed notbuilt
var notBuiltFiles embed.FS

// notBuiltPage is served by a binary built before its frontend.
var notBuiltPage = func() fs.FS {
	sub, err := fs.Sub(notBuiltFiles, "notbuilt")
	if err != nil {
		panic(err) // the folder is embedded above
	}
	return sub
}()
