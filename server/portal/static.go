package portal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"time"
)

// asset is an embedded static file, kept as it is and gzip-compressed.
type asset struct {
	data   []byte
	gz     []byte // nil when compressing does not make it smaller
	ctype  string
	etag   string // of data
	gzEtag string // of gz: another representation needs another strong ETag
	url    string // with a content version, so it can be cached for a year
}

var assetTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
	".js":  "text/javascript; charset=utf-8",
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
		a := asset{data: data, ctype: ctype, etag: `"` + v + `"`, gzEtag: `"` + v + `-gzip"`, url: "/static/" + e.Name() + "?v=" + v}
		var gz bytes.Buffer
		if err := gzipTo(&gz, data); err != nil {
			return fmt.Errorf("portal: compress static/%s: %w", e.Name(), err)
		}
		if gz.Len() < len(data) {
			a.gz = gz.Bytes()
		}
		p.assets[e.Name()] = a
	}
	for _, need := range []string{"portal.css", "logo.svg", "live.js"} {
		if _, ok := p.assets[need]; !ok {
			return fmt.Errorf("portal: static/%s is missing", need)
		}
	}
	return nil
}

// static serves the embedded style sheet and logo, compressed when the
// browser takes gzip. Each form has its own ETag, a hash of the content;
// there is no Last-Modified, since a fixed embedded time would answer 304 to
// a browser holding an older version after an upgrade. http.ServeContent
// answers conditional and Range requests and sets Content-Length, of the
// form sent.
func (p *Portal) static(w http.ResponseWriter, r *http.Request) {
	a, ok := p.assets[r.PathValue("file")]
	if !ok {
		p.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	data, etag := a.data, a.etag
	if a.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			data, etag = a.gz, a.gzEtag
			h.Set("Content-Encoding", "gzip")
			// ServeContent leaves Content-Length out when Content-Encoding is
			// set (for writers that compress on the fly); these bytes are
			// what is sent. Ranges and 304s set or drop it themselves.
			h.Set("Content-Length", strconv.Itoa(len(data)))
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// robotsTxt asks every crawler to stay out: the portal is private, and
// nothing on it belongs in a search engine.
const robotsTxt = "User-agent: *\nDisallow: /\n"

func (p *Portal) robots(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader([]byte(robotsTxt)))
}
