package portal

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"clientportal/server/httpsec"
	"clientportal/store"
)

func caseURL(id uint64) string { return "/cases/" + strconv.FormatUint(id, 10) }

// statusName is a status ID's name in lang from the office's list.
func statusName(set store.Settings, id, lang string) string {
	if st, ok := set.Status(id); ok {
		return st.Name(lang)
	}
	return id
}

// cases is the case picker; a client with one case goes straight to it.
func (p *Portal) cases(w http.ResponseWriter, r *http.Request) {
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if cl == nil {
		redirect(w, r, "/login")
		return
	}
	if mustChange(w, r, cl) {
		return
	}
	var set store.Settings
	var cases []store.Case
	var unread map[uint64]int
	var lastEvent uint64
	err = p.store.View(r.Context(), func(tx *store.Tx) error {
		var err error
		if set, err = tx.Settings(); err != nil {
			return err
		}
		lastEvent = tx.EventSpan().Last
		if unread, err = tx.UnreadByClientPerCase(cl.ID); err != nil {
			return err
		}
		cases, err = tx.CasesOfClient(cl.ID)
		return err
	})
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if len(cases) == 1 {
		httpsec.NoStore(w)
		redirect(w, r, caseURL(cases[0].ID))
		return
	}
	pg := p.newPage(r, cl, set, "/cases")
	pg.Title = pg.T("cases.title")
	for _, c := range cases {
		it := caseItem{URL: caseURL(c.ID), Title: c.Title, Number: c.Number, Unread: unread[c.ID]}
		if it.Unread > 0 {
			it.UnreadText = pg.T("messages.new_on_case", "Count", strconv.Itoa(it.Unread))
		}
		if c.Current != nil {
			it.HasStatus, it.Status = true, statusName(set, c.Current.Status, pg.Lang)
			it.Since = pg.tr.T("case.since", "Date", pg.tr.Date(c.Current.Date))
		}
		pg.Cases = append(pg.Cases, it)
	}
	pg.Live = p.live(pg, lastEvent, 0)
	p.render(w, r, http.StatusOK, "cases", pg)
}

// parseID reads a case ID from a path: decimal digits without leading
// zeros, not 0. Anything else is no case.
func parseID(s string) (uint64, bool) {
	if s == "" || len(s) > 20 || s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return id, true
}

// caseRequest is a request for a page of one case that passed the
// ownership guard: the logged-in client is one of the case's clients. It
// carries what every case page shows, read in the one transaction that
// checked ownership.
type caseRequest struct {
	r        *http.Request
	client   *store.Client
	c        store.Case
	set      store.Settings
	ncases   int          // how many cases the client has
	advocate *store.Staff // the staff case's advocate, when there is one
	unread   int          // staff messages of the case the client has not read
	// lastEvent is the event log's last ID when the page was read: the
	// live script resumes after it, so nothing committed later is missed.
	lastEvent uint64
	// fileError: the form's error is about its files (the field file), not
	// its message.
	fileError bool
}

// caseHandler serves a page of a case it was handed by the guard. Its type
// is not an http.Handler, so it can only be registered through caseRoute.
type caseHandler func(w http.ResponseWriter, cr *caseRequest)

var errNotYours = errors.New("no such case for this client")

// caseRoute registers h for pattern, which must name the case as {id},
// behind the guard: a visitor who is not logged in goes to the login page;
// an id that is malformed, of no case, or of a case that is not the
// client's all get the same 404 page, before h runs. A route given
// transfer (an upload or a download) has transferTimeout in place of the
// service's deadlines.
func (p *Portal) caseRoute(mux *http.ServeMux, pattern string, h caseHandler, transfer ...routeTransfer) {
	if !strings.Contains(pattern, "/{id}") {
		panic(fmt.Sprintf("portal: case route %q does not name the case as {id}", pattern))
	}
	var guarded http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpsec.NoStore(w)
		cr, ok := p.ownCase(w, r)
		if ok {
			h(w, cr)
		}
	})
	if len(transfer) > 0 {
		guarded = httpsec.LongRunning(guarded, transferTimeout, transferTimeout)
	}
	mux.Handle(pattern, guarded)
}

// routeTransfer marks a case route that moves files (caseRoute).
type routeTransfer struct{}

// transfer is the mark of a route that moves files.
var transfer = routeTransfer{}

// ownCase is the guard: it answers the request itself and reports false
// unless the logged-in client may see the case the path names.
func (p *Portal) ownCase(w http.ResponseWriter, r *http.Request) (*caseRequest, bool) {
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return nil, false
	}
	if cl == nil {
		redirect(w, r, "/login")
		return nil, false
	}
	if mustChange(w, r, cl) {
		return nil, false
	}
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		p.message(w, r, cl, http.StatusNotFound, "notfound")
		return nil, false
	}
	cr := &caseRequest{r: r, client: cl}
	err = p.store.View(r.Context(), func(tx *store.Tx) error {
		var err error
		if cr.c, err = tx.Case(id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return errNotYours
			}
			return err
		}
		if !cr.c.HasClient(cl.ID) {
			return errNotYours
		}
		if cr.set, err = tx.Settings(); err != nil {
			return err
		}
		cr.ncases = tx.CountCasesOfClient(cl.ID)
		cr.unread = tx.UnreadByClient(cl.ID, id)
		cr.lastEvent = tx.EventSpan().Last
		if cr.c.Kind == store.KindStaff && cr.c.AdvocateID != 0 {
			s, err := tx.Staff(cr.c.AdvocateID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err == nil {
				cr.advocate = &s
			}
		}
		return nil
	})
	if errors.Is(err, errNotYours) {
		p.message(w, r, cl, http.StatusNotFound, "notfound")
		return nil, false
	}
	if err != nil {
		p.internal(w, r, err)
		return nil, false
	}
	return cr, true
}

// casePage starts the page data of one tab of the case.
func (p *Portal) casePage(cr *caseRequest, tab string) *page {
	c := cr.c
	url := caseURL(c.ID)
	next := url
	if tab != "status" {
		next += "/" + tab
	}
	pg := p.newPage(cr.r, cr.client, cr.set, next)
	pg.Case = &caseView{Tab: tab, OnStatus: tab == "status", OnHistory: tab == "history", OnContact: tab == "contact", OnMessages: tab == "messages", OnAppointments: tab == "appointments", OnDocuments: tab == "documents", Title: c.Title, Number: c.Number, URL: url, MultipleCases: cr.ncases > 1,
		Contact: contactOf(c, cr.advocate)}
	pg.Case.Contact.TitleLang = pg.StaffLang
	// url is "/cases/" and digits; the badge is digits and catalog text, escaped.
	pg.Case.Tabs = template.HTML(strings.Replace(strings.Join(p.tabs[pg.Lang][tab], url), badgeStandIn, p.badge(pg, cr.unread), 1))
	pg.Live = p.live(pg, cr.lastEvent, c.ID)
	if c.Current != nil {
		cur := pg.entry(*c.Current, cr.set, true)
		pg.Case.Current = &cur
	}
	pg.Title = pg.T("nav."+tab) + " – " + c.Title
	return pg
}

// statusPage is the case's current status and who to contact.
func (p *Portal) statusPage(w http.ResponseWriter, cr *caseRequest) {
	pg := p.casePage(cr, "status")
	card, err := p.contactCard(pg.Lang, pg.Case.Contact)
	if err != nil {
		p.internal(w, cr.r, err)
		return
	}
	pg.ContactCard = card
	var sent uint64
	if v := cr.r.URL.Query().Get("sent"); v != "" {
		sent, _ = parseID(v)
	}
	cv, next, err := p.statusExtras(cr, pg, sent)
	if err != nil {
		p.internal(w, cr.r, err)
		return
	}
	pg.Checklist, pg.NextAppointment = &cv, next
	// The page is rendered from its key alone and kept (kept.go).
	pg.FullTitle = fullTitle(pg)
	f, err := p.frame(pg)
	var kp *keptPage
	if err == nil {
		k := statusKeyOf(pg, f)
		kp, err = p.statusPageFor(&k)
	}
	if err != nil {
		p.renderFailed(w, "status", err)
		return
	}
	p.writeHTML(w, cr.r, http.StatusOK, "status", kp.body, kp.gzipped)
}

// historyPage is the case's status timeline, newest first.
func (p *Portal) historyPage(w http.ResponseWriter, cr *caseRequest) {
	var history []store.StatusEntry
	err := p.store.View(cr.r.Context(), func(tx *store.Tx) error {
		var err error
		history, err = tx.StatusHistory(cr.c.ID)
		return err
	})
	if err != nil {
		p.internal(w, cr.r, err)
		return
	}
	pg := p.casePage(cr, "history")
	for i, e := range history {
		pg.Case.History = append(pg.Case.History, pg.entry(e, cr.set, i == 0))
	}
	p.render(w, cr.r, http.StatusOK, "history", pg)
}

// contactPage is everyone the client can contact about the case.
func (p *Portal) contactPage(w http.ResponseWriter, cr *caseRequest) {
	p.render(w, cr.r, http.StatusOK, "contact", p.casePage(cr, "contact"))
}

// contactOf is who the client contacts about c.
func contactOf(c store.Case, advocate *store.Staff) contactView {
	switch {
	case c.Kind == store.KindProBono && c.Attorney != nil && c.Attorney.Name != "":
		a := c.Attorney
		return contactView{Kind: "probono", ProBono: true, Name: a.Name, Firm: a.Firm, Phone: a.Phone, Tel: telURL(a.Phone), Email: a.Email}
	case c.Kind == store.KindStaff && advocate != nil && !advocate.Disabled:
		s := advocate
		return contactView{Kind: "staff", Name: s.Name, Title: s.Title, Phone: s.Phone, Tel: telURL(s.Phone),
			Email: s.Email, Address: s.Address}
	}
	return contactView{Kind: "none", None: true}
}
