package portal

import (
	"bytes"
	"html/template"
	"sync"
)

// Kept status pages. The status page is the page clients open most, and
// html/template's reflective execution of its per-request actions (about a
// microsecond each) was a quarter of its cost. The page is rendered from a
// statusKey alone (statusKey.page), so it is a pure function of the key: a
// page rendered once is kept under its key and sent again, byte for byte,
// to every request whose key is equal. Nothing needs invalidating: what a
// change alters (a new status, a renamed client, new office settings, another
// advocate) is in the key, so a changed page has another key. A new thing the
// page shows must come through the key, or it does not show at all, which
// the page tests see.

// maxKept bounds the pages kept: a page is about 4 KB (and 1.5 KB gzipped),
// and an office has a few hundred clients online at once.
const maxKept = 2048

// statusKey is everything a status page shows.
type statusKey struct {
	lang      string
	frame     *frame // banner and footer: the language's, for the office's settings
	fullTitle string
	next      string
	signedIn  string // "Signed in as NAME"
	staffLang string
	// the case
	caseTitle, number, url string
	multiple               bool
	tabs                   template.HTML
	current                entryView
	hasCurrent             bool
	card                   template.HTML
	// the checklist (its view as JSON, "" when the case has none) and the
	// next appointment
	checklist string
	nextAppt  nextAppointment
	hasNext   bool
	// the live script's data: the last event id changes with every event,
	// so a kept page never resumes from an old one
	live    liveView
	hasLive bool
	preview string // a staff preview's banner
}

// statusKeyOf is the key of pg, a status page whose frame is f.
func statusKeyOf(pg *page, f *frame) statusKey {
	c := pg.Case
	k := statusKey{lang: pg.Lang, frame: f, fullTitle: pg.FullTitle, next: pg.Next, signedIn: pg.SignedIn,
		staffLang: pg.StaffLang, caseTitle: c.Title, number: c.Number, url: c.URL, multiple: c.MultipleCases,
		tabs: c.Tabs, card: pg.ContactCard, preview: pg.Preview}
	if c.Current != nil {
		k.current, k.hasCurrent = *c.Current, true
	}
	if pg.Live != nil {
		k.live, k.hasLive = *pg.Live, true
	}
	if pg.Checklist != nil {
		k.checklist = checklistJSON(*pg.Checklist)
	}
	if pg.NextAppointment != nil {
		k.nextAppt, k.hasNext = *pg.NextAppointment, true
	}
	return k
}

// page is the page data of k, and nothing else.
func (k *statusKey) page(p *Portal) *page {
	pg := &page{tr: p.cat.tr(k.lang), Lang: k.lang, Langs: p.cat.switcher[k.lang], FullTitle: k.fullTitle,
		SignedIn: k.signedIn, Next: k.next, Frame: k.frame, StaffLang: k.staffLang, ContactCard: k.card, Preview: k.preview,
		Case: &caseView{Tab: "status", OnStatus: true, Title: k.caseTitle, Number: k.number, URL: k.url,
			MultipleCases: k.multiple, Tabs: k.tabs}}
	if k.hasCurrent {
		cur := k.current
		pg.Case.Current = &cur
	}
	if k.hasLive {
		live := k.live
		pg.Live = &live
	}
	pg.Checklist = checklistOf(k.checklist)
	if k.hasNext {
		next := k.nextAppt
		pg.NextAppointment = &next
	}
	return pg
}

// keptPage is a rendered page, and its gzip form once a browser asked for it.
type keptPage struct {
	body   []byte
	gzOnce sync.Once
	gz     []byte // nil when compressing failed
}

// gzipped is the page gzip-compressed, or nil.
func (kp *keptPage) gzipped() []byte {
	kp.gzOnce.Do(func() {
		var buf bytes.Buffer
		if gzipTo(&buf, kp.body) == nil {
			kp.gz = buf.Bytes()
		}
	})
	return kp.gz
}

// keptPages are rendered status pages by key.
type keptPages struct {
	mu sync.RWMutex
	m  map[statusKey]*keptPage
}

func (kps *keptPages) get(k *statusKey) *keptPage {
	kps.mu.RLock()
	kp := kps.m[*k]
	kps.mu.RUnlock()
	return kp
}

func (kps *keptPages) put(k *statusKey, kp *keptPage) {
	kps.mu.Lock()
	if kps.m == nil {
		kps.m = make(map[statusKey]*keptPage)
	}
	if _, ok := kps.m[*k]; !ok && len(kps.m) >= maxKept {
		for old := range kps.m { // map order is random: a random page goes
			delete(kps.m, old)
			break
		}
	}
	kps.m[*k] = kp
	kps.mu.Unlock()
}

// statusPageFor is the rendered status page of k: kept, or rendered from k
// and kept.
func (p *Portal) statusPageFor(k *statusKey) (*keptPage, error) {
	if kp := p.kept.get(k); kp != nil {
		return kp, nil
	}
	buf := bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufs.Put(buf)
	if err := p.pages[k.lang]["status"].ExecuteTemplate(buf, "layout", k.page(p)); err != nil {
		return nil, err
	}
	kp := &keptPage{body: bytes.Clone(buf.Bytes())}
	p.kept.put(k, kp)
	return kp, nil
}
