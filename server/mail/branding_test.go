package mail

import (
	"strings"
	"testing"
)

// TestBrandColorInEmail: the HTML part carries the office's colour; a value
// that is not #rrggbb never reaches the email.
func TestBrandColorInEmail(t *testing.T) {
	for _, tt := range []struct{ color, want string }{
		{"#2e5e3a", "background: #2e5e3a"},
		{"", "background: #1d4f7a"},
		{"red;}</style><script>", "background: #1d4f7a"},
	} {
		msg, err := render(letter{MessageID: "<x@example>", From: "office@example.org", Office: "Riverside", To: "a@example.org", Lang: "en",
			Kind: "test", Color: tt.color})
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(msg), "=\r\n", "")
		s = strings.ReplaceAll(s, "=3D", "=")
		if !strings.Contains(s, tt.want) || strings.Contains(s, "<script>") {
			t.Errorf("colour %q: email lacks %q", tt.color, tt.want)
		}
	}
}
