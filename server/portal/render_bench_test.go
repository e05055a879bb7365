package portal

import (
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"clientportal/server/office"
	"clientportal/store"
	"clientportal/store/storetest"
)

// BenchmarkRenderStatusPage renders a staff case's status page, the page
// clients open most, from data already read.
func BenchmarkRenderStatusPage(b *testing.B) {
	cat, err := loadCatalog(files, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	// The status page reads the case's checklist and appointments from a
	// real store (empty here: a case with neither, as most are).
	st := storetest.New(b)
	p := &Portal{cat: cat, log: slog.Default(), pages: map[string]map[string]*template.Template{}, assets: map[string]asset{},
		store: st, office: office.New(st, nil)}
	if err := p.loadAssets(); err != nil {
		b.Fatal(err)
	}
	if err := p.parsePages(); err != nil {
		b.Fatal(err)
	}
	if err := p.caseTabs(); err != nil {
		b.Fatal(err)
	}
	set := store.DefaultSettings()
	set.OfficeName, set.OfficePhone, set.OfficeEmail, set.OfficeAddress = "Riverside Legal Aid", "+1 555 0100", "help@riverside.example", "12 Harbor Street"
	day := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	cr := &caseRequest{
		client: &store.Client{ID: 1, Name: "Amina Yusuf"},
		c: store.Case{ID: 1, Number: "IM-2026-0142", Title: "Asylum application", Kind: store.KindStaff, AdvocateID: 1,
			Current: &store.StatusEntry{Date: day, Status: "under_review", Info: "We sent your file to the court.", SetByName: "Dana"}},
		set: set, ncases: 1,
		advocate: &store.Staff{ID: 1, Name: "Dana Okafor", Title: "Immigration attorney", Phone: "+1 555 0101", Email: "dana@riverside.example"},
	}
	b.ReportAllocs()
	for b.Loop() {
		cr.r = httptest.NewRequest(http.MethodGet, "/cases/1", nil)
		p.statusPage(discard{}, cr)
	}
}

type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}
