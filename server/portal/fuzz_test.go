package portal

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseID: a case ID from a path is accepted only in its one canonical
// decimal form, so two different paths never name the same case.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"1", "42", "0", "01", "-1", "+1", "abc", "18446744073709551615", "18446744073709551616", " 7", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := parseID(s)
		if !ok {
			return
		}
		if id == 0 || strconv.FormatUint(id, 10) != s {
			t.Fatalf("parseID(%q) = %d, not its canonical form", s, id)
		}
	})
}

// FuzzSafeNext: whatever a form sends as next, the redirect stays on this
// site: a path that a browser cannot read as another host.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/cases/1/history", "//evil.example", "/\\evil", "https://evil.example", "/%2F%2Fevil",
		"/cases?next=//evil", "/\x00", "javascript:x", "/@evil", "/.//evil", "/..//evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := safeNext(s)
		if got != "/" && got != s {
			t.Fatalf("safeNext(%q) = %q: neither kept nor /", s, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("safeNext(%q) = %q: not a local path", s, got)
		}
		if strings.ContainsAny(got, "\\\r\n\t\x00 ") || !utf8.ValidString(got) {
			t.Fatalf("safeNext(%q) = %q: has characters a browser may rewrite", s, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
			t.Fatalf("safeNext(%q) = %q: parses as %+v (%v)", s, got, u, err)
		}
		// Resolved against the site as a browser does, it stays on the site.
		base, _ := url.Parse("https://portal.example/cases/1")
		if r := base.ResolveReference(u); r.Host != "portal.example" || r.Scheme != "https" {
			t.Fatalf("safeNext(%q) = %q resolves to %s", s, got, r)
		}
	})
}

// FuzzPickLanguage: any preference, cookie or Accept-Language header yields
// one of the portal's languages, without a panic.
func FuzzPickLanguage(f *testing.F) {
	f.Add("", "", "")
	f.Add("es-MX", "en", "fr;q=0.5")
	f.Add("", "es", "")
	f.Add("x-klingon", "zz", "es-419,es;q=0.9,*;q=0.1")
	f.Add("", "", strings.Repeat("en-US-x-", 50))
	f.Add("und", "", "*;q=0, es;q=1.0000")
	f.Fuzz(func(t *testing.T, pref, cookie, accept string) {
		got := pickLanguage(pref, cookie, accept)
		if !supportedLang(got) {
			t.Fatalf("pickLanguage(%q, %q, %q) = %q", pref, cookie, accept, got)
		}
		if supportedLang(cookie) && pref == "" && got != cookie {
			t.Fatalf("pickLanguage(%q, %q, %q) = %q, want the cookie's", pref, cookie, accept, got)
		}
	})
}
