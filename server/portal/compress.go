package portal

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// minGzipSize is the smallest body worth compressing: below it the gzip
// header and the CPU cost outweigh the bytes saved.
const minGzipSize = 1024

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return w
}}

// gzipTo writes data gzip-compressed to dst.
func gzipTo(dst *bytes.Buffer, data []byte) error {
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(dst)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	return zw.Close()
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (RFC 9110 12.5.3): "gzip" or "x-gzip" with a q-value above 0, or "*" above
// 0 when gzip is not named. An absent header allows only identity here: old
// clients and tools get the plain page.
func acceptsGzip(r *http.Request) bool {
	named, star := -1.0, -1.0
	for _, h := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(h, ",") {
			coding, params, _ := strings.Cut(part, ";")
			q := 1.0
			for param := range strings.SplitSeq(params, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(param), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
					if err != nil || f < 0 || f > 1 {
						f = 0 // a malformed weight does not opt in
					}
					q = f
				}
			}
			switch c := strings.ToLower(strings.TrimSpace(coding)); c {
			case "gzip", "x-gzip":
				named = max(named, q)
			case "*":
				star = max(star, q)
			}
		}
	}
	if named >= 0 {
		return named > 0
	}
	return star > 0
}
