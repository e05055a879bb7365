package branding

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

func TestCheckColor(t *testing.T) {
	for _, tt := range []struct {
		in, err string
	}{
		{"#1d4f7a", ""},
		{"#1D4F7A", ""},
		{"#000", ""},
		{"#ffcc00", "choose a darker colour, such as #"},
		{"#777777", "contrast of 4.5:1"}, // 4.48: just under
		{"1d4f7a", "write it as #rrggbb"},
		{"#12345g", "hex digits"},
		{"red", "write it as #rrggbb"},
		{"#1d4f7a;}body{display:none", "write it as #rrggbb"},
	} {
		_, err := Check(tt.in)
		if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("Check(%q) = %v, want %q", tt.in, err, tt.err)
		}
	}
	// The suggestion passes.
	_, err := Check("#ffcc00")
	sugg := err.Error()[strings.LastIndex(err.Error(), "#"):]
	if _, err := Check(sugg); err != nil {
		t.Errorf("the suggested %s fails: %v", sugg, err)
	}
	if c := Default.Contrast(); c < MinContrast {
		t.Errorf("the portal's own colour has contrast %.2f", c)
	}
}

func pngOf(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func TestCheckLogo(t *testing.T) {
	if ct, err := CheckLogo(pngOf(64, 64)); err != nil || ct != "image/png" {
		t.Errorf("a PNG: %q %v", ct, err)
	}
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	for name, data := range map[string][]byte{
		"svg":       svg,
		"too wide":  pngOf(3000, 10),
		"too small": pngOf(8, 8),
		"truncated": pngOf(64, 64)[:60],
		"empty":     nil,
		"too big":   append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, MaxLogoBytes)...),
	} {
		if _, err := CheckLogo(data); err == nil {
			t.Errorf("%s logo accepted", name)
		}
	}
}

func TestSnippet(t *testing.T) {
	s, err := Snippet(`https://portal.example.org/login?a="><script>`, "Client login <b>", Default)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s, "<script>") || strings.Contains(s, "<b>") || !strings.Contains(s, "background:#1d4f7a") {
		t.Errorf("snippet %s", s)
	}
}
