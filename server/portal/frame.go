package portal

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"sync/atomic"

	"clientportal/store"
)

// frame is the part of a page that depends only on the page's language and
// the office's settings: the style sheet links, the banner with the office's
// name and the language buttons, and the footer with the office's contact.
// Every page of every client shares it, so it is rendered once per language
// and settings instead of once per request.
type frame struct {
	Head, Top, Switch, Footer template.HTML
}

// frameKey is what a frame depends on besides its language.
type frameKey struct {
	name, phone, email, address string
	brand                       store.Branding
}

// frames are the frames of every language for one office settings.
type frames struct {
	key    frameKey
	byLang map[string]*frame
}

// framesCache holds the frames of the settings last seen; new settings
// replace them.
type framesCache struct{ cur atomic.Pointer[frames] }

// frame is pg's frame. pg must have its office, language and assets set.
func (p *Portal) frame(pg *page) (*frame, error) {
	key := frameKey{pg.Office.OfficeName, pg.Office.OfficePhone, pg.Office.OfficeEmail, pg.Office.OfficeAddress, pg.Office.Brand}
	if fs := p.frames.cur.Load(); fs != nil && fs.key == key {
		return fs.byLang[pg.Lang], nil
	}
	fs := &frames{key: key, byLang: map[string]*frame{}}
	for _, lang := range langCodes {
		fp := *pg
		fp.Lang, fp.tr, fp.Langs = lang, p.cat.tr(lang), p.cat.switcher[lang]
		t := p.pages[lang]["message"] // every page holds the layout's templates
		var f frame
		for _, part := range []struct {
			name string
			dst  *template.HTML
		}{{"frame.head", &f.Head}, {"frame.top", &f.Top}, {"frame.switch", &f.Switch}, {"frame.footer", &f.Footer}} {
			var buf bytes.Buffer
			if err := t.ExecuteTemplate(&buf, part.name, &fp); err != nil {
				return nil, fmt.Errorf("portal: render %s: %w", part.name, err)
			}
			*part.dst = template.HTML(buf.String()) // rendered by html/template: escaped
		}
		fs.byLang[lang] = &f
	}
	p.frames.cur.Store(fs)
	return fs.byLang[pg.Lang], nil
}

// maxCards bounds the contact cards kept: an office has a few advocates,
// but every pro bono case may name another attorney.
const maxCards = 2048

// cards are rendered contact cards by language and contact.
type cards struct {
	mu sync.RWMutex
	m  map[cardKey]template.HTML
}

type cardKey struct {
	lang string
	cv   contactView
}

// contactCard is the status page's card for cv in lang. The card is a pure
// function of its key, so a cached one is what rendering would give.
func (p *Portal) contactCard(lang string, cv contactView) (template.HTML, error) {
	key := cardKey{lang, cv}
	p.cards.mu.RLock()
	card, ok := p.cards.m[key]
	p.cards.mu.RUnlock()
	if ok {
		return card, nil
	}
	var buf bytes.Buffer
	if err := p.pages[lang]["status"].ExecuteTemplate(&buf, "contact.card", cardData{contactView: cv, tr: p.cat.tr(lang)}); err != nil {
		return "", fmt.Errorf("portal: render contact.card: %w", err)
	}
	card = template.HTML(buf.String()) // rendered by html/template: escaped
	p.cards.mu.Lock()
	if len(p.cards.m) >= maxCards || p.cards.m == nil {
		p.cards.m = map[cardKey]template.HTML{}
	}
	p.cards.m[key] = card
	p.cards.mu.Unlock()
	return card, nil
}

// cardData is what contact.card gets.
type cardData struct {
	contactView
	tr *translator
}

// T is a catalog message in the card's language.
func (d cardData) T(id string, kv ...any) string { return d.tr.T(id, kv...) }

// tabsStandIn is the case path the tabs are rendered with: no case has ID 0.
const tabsStandIn = "/cases/0"

// tabsData is what case.tabs gets.
type tabsData struct {
	URL                            string
	OnStatus, OnHistory, OnContact bool
	OnMessages, OnAppointments     bool
	OnDocuments                    bool
	Badge                          string // badgeStandIn
	tr                             *translator
}

// T is a catalog message in the tabs' language.
func (d tabsData) T(id string, kv ...any) string { return d.tr.T(id, kv...) }

// caseTabs renders the case tabs once per language and tab with the stand-in
// path, and keeps them split where a case's path goes. A case path is
// "/cases/" and digits, safe in an attribute as it is.
func (p *Portal) caseTabs() error {
	p.tabs = map[string]map[string][]string{}
	for _, lang := range langCodes {
		p.tabs[lang] = map[string][]string{}
		for _, tab := range []string{"status", "history", "contact", "messages", "appointments", "documents"} {
			var buf bytes.Buffer
			d := tabsData{URL: tabsStandIn, OnStatus: tab == "status", OnHistory: tab == "history", OnContact: tab == "contact",
				OnMessages: tab == "messages", OnAppointments: tab == "appointments", OnDocuments: tab == "documents", Badge: badgeStandIn, tr: p.cat.tr(lang)}
			if err := p.pages[lang]["status"].ExecuteTemplate(&buf, "case.tabs", d); err != nil {
				return fmt.Errorf("portal: render case.tabs: %w", err)
			}
			parts := strings.Split(buf.String(), tabsStandIn)
			if len(parts) != 7 { // six links
				return fmt.Errorf("portal: case.tabs (%s) holds the case path %d times, want 6", lang, len(parts)-1)
			}
			p.tabs[lang][tab] = parts
		}
	}
	return nil
}
