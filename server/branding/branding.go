// Package branding checks and renders the office's branding: its colour
// (which must keep white text readable, so the portal keeps its
// accessibility), its logo (PNG or JPEG, sniffed and decoded, size-capped),
// the style sheet that applies the colour, and the HTML snippet an office
// pastes on its website for a "client login" link.
package branding

import (
	"bytes"
	"fmt"
	"html/template"
	"image"
	_ "image/jpeg" // decoders for the logo check
	_ "image/png"
	"math"
	"net/http"
	"strconv"
	"strings"

	"clientportal/server/apitext"
)

// MinContrast is the least contrast the colour must have with white (WCAG
// AA for normal text): buttons, banners and links put white text on it, or
// it on white.
const MinContrast = 4.5

// Logo bounds.
const (
	MaxLogoBytes = 256 << 10
	MaxLogoSide  = 2048
)

// Problem is a colour or logo refused, with what to do: Error is its
// English, Text the words to say in the office's language.
type Problem struct{ Text apitext.Text }

func (p *Problem) Error() string { return p.Text.String() }

func refuse(t apitext.Text) error { return &Problem{Text: t} }

// Color is a colour as "#rrggbb".
type Color struct{ R, G, B uint8 }

// ParseColor reads "#rrggbb" or "#rgb" (case ignored).
func ParseColor(s string) (Color, error) {
	h, ok := strings.CutPrefix(strings.TrimSpace(s), "#")
	if ok && len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if !ok || len(h) != 6 {
		return Color{}, refuse(apitext.New("branding.color_format", "colour {{.Got}}: write it as #rrggbb, such as #1d4f7a", "Got", strconv.Quote(s)))
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return Color{}, refuse(apitext.New("branding.color_digits", "colour {{.Got}}: write it as #rrggbb with hex digits 0-9 and a-f, such as #1d4f7a", "Got", strconv.Quote(s)))
	}
	return Color{uint8(v >> 16), uint8(v >> 8), uint8(v)}, nil
}

func (c Color) String() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// luminance is the WCAG relative luminance.
func (c Color) luminance() float64 {
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}

// Contrast is the WCAG contrast ratio of c with white.
func (c Color) Contrast() float64 { return 1.05 / (c.luminance() + 0.05) }

// mix is c moved toward o by f (0: c, 1: o).
func (c Color) mix(o Color, f float64) Color {
	m := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*f)) }
	return Color{m(c.R, o.R), m(c.G, o.G), m(c.B, o.B)}
}

var white, black = Color{255, 255, 255}, Color{0, 0, 0}

// Tint is the pale form of c the portal uses for backgrounds.
func (c Color) Tint() Color { return c.mix(white, 0.9) }

// Dark is the darker form of c for hovers and borders.
func (c Color) Dark() Color { return c.mix(black, 0.3) }

// Check refuses a colour white text cannot be read on (and that cannot be
// read on the portal's pale backgrounds), saying what would do.
func Check(s string) (Color, error) {
	c, err := ParseColor(s)
	if err != nil {
		return Color{}, err
	}
	// Text in c on its own tint is the weakest pairing the portal has.
	tintRatio := (c.Tint().luminance() + 0.05) / (c.luminance() + 0.05)
	if c.Contrast() >= MinContrast && tintRatio >= MinContrast {
		return c, nil
	}
	d := c
	for i := 0; i < 100 && (d.Contrast() < MinContrast || (d.Tint().luminance()+0.05)/(d.luminance()+0.05) < MinContrast); i++ {
		d = d.mix(black, 0.05)
	}
	return Color{}, refuse(apitext.New("branding.color_contrast", "colour {{.Color}} has a contrast of {{.Has}}:1 with white text; the portal needs at least {{.Need}}:1 so everyone can read its buttons: choose a darker colour, such as {{.Darker}}",
		"Color", c.String(), "Has", fmt.Sprintf("%.1f", c.Contrast()), "Need", fmt.Sprintf("%.1f", MinContrast), "Darker", d.String()))
}

// CSS is the style sheet that applies c to the portal (its custom
// properties; portal.css uses them).
func CSS(c Color) []byte {
	return fmt.Appendf(nil, ":root{--brand:%s;--brand-dark:%s;--brand-tint:%s}\n", c, c.Dark(), c.Tint())
}

// CheckLogo accepts a PNG or JPEG logo (by its bytes, not its name) of at
// most MaxLogoBytes and MaxLogoSide pixels a side, that decodes whole. It
// answers the content type.
func CheckLogo(data []byte) (string, error) {
	if len(data) == 0 {
		return "", refuse(apitext.New("branding.logo_empty", "the logo is empty: send a PNG or JPEG file"))
	}
	if len(data) > MaxLogoBytes {
		return "", refuse(apitext.New("branding.logo_size", "the logo is {{.Has}} KB; it may be at most {{.Most}} KB: make it smaller (a logo 400 pixels wide is plenty)", "Has", len(data)>>10, "Most", MaxLogoBytes>>10))
	}
	ctype := http.DetectContentType(data)
	if ctype != "image/png" && ctype != "image/jpeg" {
		return "", refuse(apitext.New("branding.logo_type", "the logo is {{.Type}}; send a PNG or JPEG image (SVG and other formats are not taken: they can carry scripts)", "Type", ctype))
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", refuse(apitext.New("branding.logo_unreadable", "the logo cannot be read as an image: {{.Err}}", "Err", err.Error()))
	}
	if cfg.Width > MaxLogoSide || cfg.Height > MaxLogoSide || cfg.Width < 16 || cfg.Height < 16 {
		return "", refuse(apitext.New("branding.logo_sides", "the logo is {{.Width}}x{{.Height}} pixels; it must be 16 to {{.Most}} pixels a side", "Width", cfg.Width, "Height", cfg.Height, "Most", MaxLogoSide))
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return "", refuse(apitext.New("branding.logo_unreadable", "the logo cannot be read as an image: {{.Err}}", "Err", err.Error()))
	}
	return ctype, nil
}

var snippet = template.Must(template.New("snippet").Parse(
	`<a href="{{.URL}}" style="display:inline-block;padding:12px 20px;border-radius:6px;background:{{.Color}};color:#ffffff;font-weight:bold;text-decoration:none;font-family:sans-serif">{{.Text}}</a>`))

// Snippet is the HTML of a "client login" link to loginURL in colour c, for
// the office's website.
func Snippet(loginURL, text string, c Color) (string, error) {
	var b strings.Builder
	err := snippet.Execute(&b, struct {
		URL   string
		Color template.CSS
		Text  string
	}{loginURL, template.CSS(c.String()), text})
	return b.String(), err
}

// Default is the portal's own colour.
var Default = Color{0x1d, 0x4f, 0x7a}
