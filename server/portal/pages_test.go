package portal_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"clientportal/server/servertest"
	"clientportal/store"
)

func gunzip(t *testing.T, body string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return string(b)
}

// TestPagesAreGzipped: a browser that takes gzip gets every page
// compressed, with Content-Length of what was sent and Vary; one that does
// not (or refuses gzip) gets it plain.
func TestPagesAreGzipped(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, amina)
	id := caseIDs(t, env, amina)[0]
	for _, u := range []string{caseURL(env, id, ""), caseURL(env, id, "history"), caseURL(env, id, "contact"), env.URL + "/login", env.URL + "/cases/999999"} {
		c := c
		if strings.HasSuffix(u, "/login") {
			c = env.Browser()
		}
		plain := get(t, c, u, "Accept-Encoding", "identity")
		if ce := plain.resp.Header.Get("Content-Encoding"); ce != "" {
			t.Errorf("GET %s with identity: Content-Encoding %q", u, ce)
		}
		if !strings.Contains(plain.resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s: Vary %q lacks Accept-Encoding", u, plain.resp.Header.Get("Vary"))
		}
		for _, ae := range []string{"gzip", "gzip, deflate, br, zstd", "br;q=1.0, gzip;q=0.8", "*"} {
			z := get(t, c, u, "Accept-Encoding", ae)
			if z.status != plain.status || z.resp.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("GET %s, Accept-Encoding %q: %d, Content-Encoding %q, want %d gzip", u, ae, z.status, z.resp.Header.Get("Content-Encoding"), plain.status)
				continue
			}
			if cl := z.resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(z.body)) {
				t.Errorf("GET %s: Content-Length %s, body %d bytes", u, cl, len(z.body))
			}
			if got := gunzip(t, z.body); got != plain.body {
				t.Errorf("GET %s: gzip body differs from the plain one", u)
			}
			if len(z.body) >= len(plain.body) {
				t.Errorf("GET %s: gzip %d bytes, plain %d", u, len(z.body), len(plain.body))
			}
		}
		for _, ae := range []string{"gzip;q=0", "br", "identity, *;q=0", "*;q=0"} {
			if z := get(t, c, u, "Accept-Encoding", ae); z.resp.Header.Get("Content-Encoding") != "" {
				t.Errorf("GET %s, Accept-Encoding %q: compressed (%q)", u, ae, z.resp.Header.Get("Content-Encoding"))
			}
		}
	}
}

// TestStaticFilesGzipped: the style sheet is sent compressed when the
// browser takes it, with its own strong ETag, its Content-Length, 304 for
// either form's ETag, and Range requests on the form sent.
func TestStaticFilesGzipped(t *testing.T) {
	env := servertest.Start(t)
	c := env.Browser()
	m := regexp.MustCompile(`href="(/static/portal\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(get(t, c, env.URL+"/login").body)
	if m == nil {
		t.Fatal("the login page links no style sheet")
	}
	u := env.URL + m[1]
	plain := get(t, c, u, "Accept-Encoding", "identity")
	z := get(t, c, u, "Accept-Encoding", "gzip")
	if plain.resp.Header.Get("Content-Encoding") != "" || z.resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding: plain %q, gzip %q", plain.resp.Header.Get("Content-Encoding"), z.resp.Header.Get("Content-Encoding"))
	}
	if gunzip(t, z.body) != plain.body {
		t.Fatal("the compressed style sheet differs")
	}
	pe, ze := plain.resp.Header.Get("ETag"), z.resp.Header.Get("ETag")
	if pe == "" || ze == "" || pe == ze || strings.HasPrefix(pe, "W/") || strings.HasPrefix(ze, "W/") {
		t.Errorf("ETags plain %q, gzip %q: want two different strong ETags", pe, ze)
	}
	for _, a := range []answer{plain, z} {
		if cl := a.resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(a.body)) {
			t.Errorf("Content-Length %s, body %d", cl, len(a.body))
		}
		if !strings.Contains(a.resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Vary %q", a.resp.Header.Get("Vary"))
		}
		if a.resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
			t.Errorf("Content-Type %q", a.resp.Header.Get("Content-Type"))
		}
	}
	wantStatus(t, get(t, c, u, "Accept-Encoding", "gzip", "If-None-Match", ze), http.StatusNotModified)
	wantStatus(t, get(t, c, u, "Accept-Encoding", "identity", "If-None-Match", pe), http.StatusNotModified)
	// The gzip form's ETag does not validate the plain form, nor the reverse.
	wantStatus(t, get(t, c, u, "Accept-Encoding", "identity", "If-None-Match", ze), http.StatusOK)
	r := get(t, c, u, "Accept-Encoding", "identity", "Range", "bytes=0-9")
	wantStatus(t, r, http.StatusPartialContent)
	if r.body != plain.body[:10] {
		t.Errorf("range: %q", r.body)
	}
}

// TestRobotsTxt: crawlers are asked to stay out of the whole portal.
func TestRobotsTxt(t *testing.T) {
	env := servertest.Start(t)
	a := get(t, env.Browser(), env.URL+"/robots.txt")
	wantStatus(t, a, http.StatusOK)
	if ct := a.resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if !regexp.MustCompile(`(?m)^User-agent: \*\nDisallow: /\n`).MatchString(a.body) {
		t.Errorf("robots.txt does not disallow everything:\n%s", a.body)
	}
}

func setStaffLanguage(t *testing.T, env *servertest.Env, lang string) {
	t.Helper()
	err := env.Store.Update(context.Background(), func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		set.StaffLanguage = lang
		return tx.PutSettings(set)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStaffTextMarkedWithLanguage: text staff typed (case titles, status
// notes, job titles) carries lang="..." of the office's staff language when
// the page is in another language, and nothing when it is the same.
func TestStaffTextMarkedWithLanguage(t *testing.T) {
	env := servertest.Start(t)
	en, es := login(t, env, amina), login(t, env, jose)
	enCase, esCase := caseIDs(t, env, amina)[0], caseIDs(t, env, jose)[0]
	title := regexp.MustCompile(`<h1 class="case-head__title"( lang="[^"]*")?>`)
	info := regexp.MustCompile(`<p class="prewrap"( lang="[^"]*")?>`)
	timeline := regexp.MustCompile(`<p class="timeline__info prewrap"( lang="[^"]*")?>`)
	role := regexp.MustCompile(`<p class="person__role"( lang="[^"]*")?>`)
	picker := regexp.MustCompile(`<a class="case-card__link" href="/cases/\d+"( lang="[^"]*")?>`)
	check := func(name string, a answer, re *regexp.Regexp, want string) {
		t.Helper()
		ms := re.FindAllStringSubmatch(a.body, -1)
		if len(ms) == 0 {
			t.Errorf("%s: no %s in the page", name, re)
		}
		for _, m := range ms {
			if m[1] != want {
				t.Errorf("%s: %q, want the attribute %q", name, m[0], want)
			}
		}
	}
	// Default: staff write English.
	check("English page, title", get(t, en, caseURL(env, enCase, "")), title, "")
	check("English page, note", get(t, en, caseURL(env, enCase, "")), info, "")
	check("English page, job title", get(t, en, caseURL(env, enCase, "")), role, "")
	check("Spanish page, title", get(t, es, caseURL(env, esCase, "")), title, ` lang="en"`)
	check("Spanish page, note", get(t, es, caseURL(env, esCase, "")), info, ` lang="en"`)
	check("Spanish page, job title", get(t, es, caseURL(env, esCase, "contact")), role, ` lang="en"`)
	check("Spanish history", get(t, es, caseURL(env, esCase, "history")), timeline, ` lang="en"`)
	check("Spanish case picker", get(t, es, env.URL+"/cases"), picker, ` lang="en"`)
	// The office writes Spanish: now the English pages mark it.
	setStaffLanguage(t, env, "es")
	check("English page, title (staff write es)", get(t, en, caseURL(env, enCase, "")), title, ` lang="es"`)
	check("English history (staff write es)", get(t, en, caseURL(env, enCase, "history")), timeline, ` lang="es"`)
	check("Spanish page, title (staff write es)", get(t, es, caseURL(env, esCase, "")), title, "")
	// A regional tag of the page's language is the same language.
	setStaffLanguage(t, env, "en-US")
	check("English page, title (staff write en-US)", get(t, en, caseURL(env, enCase, "")), title, "")
	check("Spanish page, title (staff write en-US)", get(t, es, caseURL(env, esCase, "")), title, ` lang="en-US"`)
}

// TestOfficeChangesShowAtOnce: the parts of a page rendered once and kept
// (the office's name and contact in the banner and footer, the advocate's
// card) show a change on the next page.
func TestOfficeChangesShowAtOnce(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, amina)
	u := caseURL(env, caseIDs(t, env, amina)[0], "")
	before := get(t, c, u)
	wantContains(t, before, office, "+1 555 0100")
	err := env.Store.Update(context.Background(), func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		set.OfficeName, set.OfficePhone = "Lakeside Legal Aid", "+1 555 0999"
		if err := tx.PutSettings(set); err != nil {
			return err
		}
		cs, err := tx.Case(caseIDs(t, env, amina)[0])
		if err != nil {
			return err
		}
		adv, err := tx.Staff(cs.AdvocateID)
		if err != nil {
			return err
		}
		adv.Phone, adv.Title = "+1 555 0777", "Senior attorney"
		return tx.PutStaff(&adv)
	})
	if err != nil {
		t.Fatal(err)
	}
	after := get(t, c, u)
	wantContains(t, after, `<span class="brand__name">Lakeside Legal Aid</span>`, `<h2 class="site-footer__heading">Lakeside Legal Aid</h2>`,
		"+1 555 0999", "+1 555 0777", "Senior attorney")
	wantNotContains(t, after, office, "+1 555 0100")
	// Other languages too.
	wantContains(t, get(t, login(t, env, jose), env.URL+"/cases"), "Lakeside Legal Aid")
}

// TestLanguageSwitchWritesOnlyChanges: choosing the language the client
// already has writes nothing (no audit entry, no record change); a real
// change writes once.
func TestLanguageSwitchWritesOnlyChanges(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, amina) // stored language: en
	id := caseIDs(t, env, amina)[0]
	next := "/cases/" + strconv.FormatUint(id, 10)
	snapshot := func() ([]byte, int) {
		cl := readClient(t, env, amina)
		return []byte(cl.Updated.String() + cl.Language), len(auditLog(t, env))
	}
	switchTo := func(lang string) {
		t.Helper()
		wantRedirect(t, post(t, c, env.URL+"/language", url.Values{"lang": {lang}, "next": {next}}), next)
	}
	rec0, audit0 := snapshot()
	for range 3 {
		switchTo("en")
	}
	if rec, audit := snapshot(); !bytes.Equal(rec, rec0) || audit != audit0 {
		t.Fatalf("switching to the stored language wrote: record %q -> %q, audit %d -> %d entries", rec0, rec, audit0, audit)
	}
	switchTo("es")
	rec1, audit1 := snapshot()
	if audit1 != audit0+1 || readClient(t, env, amina).Language != "es" {
		t.Fatalf("a change: audit %d -> %d entries, language %q", audit0, audit1, readClient(t, env, amina).Language)
	}
	for range 3 {
		switchTo("es")
	}
	if rec, audit := snapshot(); !bytes.Equal(rec, rec1) || audit != audit1 {
		t.Fatalf("repeating the change wrote: record %q -> %q, audit %d -> %d entries", rec1, rec, audit1, audit)
	}
}

// TestPagesWhileOfficeChanges: clients load pages in both languages while
// the office's name and an advocate's phone change (run with -race): every
// page is whole, with one office name in its banner, title and footer.
func TestPagesWhileOfficeChanges(t *testing.T) {
	env := servertest.Start(t)
	browsers := map[string]*http.Client{amina: login(t, env, amina), jose: login(t, env, jose)}
	pages := map[string][]string{
		amina: {caseURL(env, caseIDs(t, env, amina)[0], ""), caseURL(env, caseIDs(t, env, amina)[0], "contact")},
		jose:  {caseURL(env, caseIDs(t, env, jose)[0], ""), env.URL + "/cases"},
	}
	banner := regexp.MustCompile(`<span class="brand__name">([^<]*)</span>`)
	footer := regexp.MustCompile(`<h2 class="site-footer__heading">([^<]*)</h2>`)
	title := regexp.MustCompile(`<title>[^<]* – ([^<]*)</title>`)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			err := env.Store.Update(ctx, func(tx *store.Tx) error {
				set, err := tx.Settings()
				if err != nil {
					return err
				}
				set.OfficeName = "Office " + strconv.Itoa(i)
				return tx.PutSettings(set)
			})
			if err != nil && ctx.Err() == nil {
				t.Error(err)
			}
		}
	})
	var readers sync.WaitGroup
	for who, c := range browsers {
		for range 3 {
			readers.Go(func() {
				for i := range 40 {
					u := pages[who][i%len(pages[who])]
					req, _ := http.NewRequest(http.MethodGet, u, nil)
					req.Header.Set("Accept-Encoding", []string{"gzip", "identity"}[i%2])
					resp, err := c.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					body := string(b)
					if resp.Header.Get("Content-Encoding") == "gzip" {
						body = gunzip(t, body)
					}
					bm, fm, tm := banner.FindStringSubmatch(body), footer.FindStringSubmatch(body), title.FindStringSubmatch(body)
					if resp.StatusCode != http.StatusOK || bm == nil || fm == nil || tm == nil || bm[1] != fm[1] || bm[1] != tm[1] ||
						!strings.HasSuffix(body, "</html>\n") {
						t.Errorf("GET %s: %d, banner %q, footer %q, title %q", u, resp.StatusCode, bm, fm, tm)
						return
					}
				}
			})
		}
	}
	readers.Wait()
	cancel()
	wg.Wait()
}

// TestCaseTabsLinkTheirCase: on every tab of every case, in both languages,
// the six tabs link that case and mark the open tab, and only it.
func TestCaseTabsLinkTheirCase(t *testing.T) {
	env := servertest.Start(t)
	link := regexp.MustCompile(`<a class="tabs__link" href="([^"]*)"( aria-current="page")?>`)
	for _, who := range []string{amina, jose} {
		c := login(t, env, who)
		for _, id := range caseIDs(t, env, who) {
			base := "/cases/" + strconv.FormatUint(id, 10)
			for _, tab := range []string{"", "history", "contact", "messages", "appointments", "documents"} {
				a := get(t, c, caseURL(env, id, tab))
				ms := link.FindAllStringSubmatch(a.body, -1)
				want := []string{base, base + "/history", base + "/contact", base + "/messages", base + "/appointments", base + "/documents"}
				if len(ms) != 6 {
					t.Fatalf("%s %s: %d tab links", who, a.resp.Request.URL.Path, len(ms))
				}
				for i, m := range ms {
					current := m[2] != ""
					if m[1] != want[i] || current != (want[i] == strings.TrimSuffix(base+"/"+tab, "/")) {
						t.Errorf("%s %s: tab %d is %q", who, a.resp.Request.URL.Path, i, m[0])
					}
				}
			}
		}
	}
}
