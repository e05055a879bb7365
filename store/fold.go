package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// letterFolds are letters that carry no combining mark to drop but that people
// type without their stroke or ligature.
var letterFolds = map[rune]string{'ß': "ss", 'ø': "o", 'ł': "l", 'đ': "d", 'æ': "ae", 'œ': "oe", 'ı': "i"}

// Fold is the form search text is compared in: lower case, without accents
// or other combining marks, so "ramirez" finds "Ramírez" and "PEÑA" finds
// "Peña".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if f, ok := letterFolds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
