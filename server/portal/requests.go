package portal

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"clientportal/server/docstore"
	"clientportal/server/httpsec"
	"clientportal/server/office"
	"clientportal/store"
)

// The checklist: the documents the office asked the client for, on the
// case's status page, with an upload form on each item still needed; and
// the next appointment. Both are part of the kept page's key (kept.go): the
// checklist as its view's JSON, the appointment as its strings.

// checklistView is the status page's checklist. It is a pure function of
// the case's items, the office's day and the page's language, and it
// travels in statusKey as JSON (a string is comparable).
type checklistView struct {
	Needed  []requestItem `json:",omitempty"` // requested or returned, soonest due first
	Waiting []requestItem `json:",omitempty"` // submitted
	Done    []requestItem `json:",omitempty"` // accepted
	Count   string        `json:",omitempty"` // "2 of 5 still needed"
	Sent    string        `json:",omitempty"` // the notice after an upload
	MaxMB   int64         `json:",omitempty"`
	// Error is what was wrong with the last upload (a page that is not kept).
	Error, ErrorFor string `json:",omitempty"`
}

// requestItem is one checklist item as the client sees it.
type requestItem struct {
	ID       uint64
	Title    string
	Note     string   `json:",omitempty"`
	Due      string   `json:",omitempty"` // "Due by 1 December 2026"
	DueISO   string   `json:",omitempty"`
	Overdue  bool     `json:",omitempty"`
	Returned bool     `json:",omitempty"`
	Reason   string   `json:",omitempty"` // why the office returned it
	Files    []string `json:",omitempty"` // the names of what was sent
	SentOn   string   `json:",omitempty"` // "Sent on 25 November 2026"
	Action   string   `json:",omitempty"` // the upload form's address; "" when nothing more is needed
	Error    string   `json:",omitempty"` // this item's refused upload
}

// nextAppointment is the next upcoming portal appointment of the case.
type nextAppointment struct {
	Title, When, ISO, URL string
}

// statusExtras reads what the status page shows besides the case itself:
// the checklist and the next appointment, as of the store's now.
func (p *Portal) statusExtras(cr *caseRequest, pg *page, sentID uint64) (checklistView, *nextAppointment, error) {
	var list []store.DocumentRequest
	var appts []store.Appointment
	names := map[uint64]string{}
	var now time.Time
	err := p.store.View(cr.r.Context(), func(tx *store.Tx) error {
		now = tx.Now()
		var err error
		if list, err = tx.Requests(cr.c.ID); err != nil {
			return err
		}
		for _, r := range list {
			if r.State != store.RequestSubmitted && r.State != store.RequestAccepted {
				continue
			}
			for _, id := range r.DocumentIDs {
				d, err := tx.Document(id)
				if err != nil {
					return err
				}
				names[id] = d.FileName
			}
		}
		appts, err = tx.Appointments(cr.c.ID, true)
		return err
	})
	if err != nil {
		return checklistView{}, nil, err
	}
	loc := cr.set.Location()
	cv := checklistView{}
	if lim := office.UploadLimits(cr.set); lim.MaxSize > 0 {
		cv.MaxMB = lim.MaxSize >> 20
	} else if docs := p.office.Documents(); docs != nil {
		cv.MaxMB = docs.MaxSize() >> 20
	}
	for _, r := range list {
		it := requestItem{ID: r.ID, Title: r.Title, Note: r.Note}
		if day, ok := r.DueDay(loc); ok {
			it.DueISO = r.Due
			it.Due = pg.T("checklist.due", "Date", dayText(pg.tr, day))
			end, _ := r.Deadline(loc)
			it.Overdue = r.Open() && !now.Before(end)
		}
		for _, id := range r.DocumentIDs {
			it.Files = append(it.Files, names[id])
		}
		switch r.State {
		case store.RequestRequested, store.RequestReturned:
			it.Returned, it.Reason = r.State == store.RequestReturned, r.Reason
			it.Files = nil
			it.Action = caseURL(cr.c.ID) + "/requests/" + strconv.FormatUint(r.ID, 10)
			cv.Needed = append(cv.Needed, it)
		case store.RequestSubmitted:
			it.SentOn = pg.T("checklist.sent_on", "Date", dayText(pg.tr, r.Submitted.In(loc)))
			cv.Waiting = append(cv.Waiting, it)
			if r.ID == sentID {
				cv.Sent = pg.T("checklist.thanks", "Title", r.Title)
			}
		case store.RequestAccepted:
			cv.Done = append(cv.Done, it)
		}
	}
	// Returned and overdue first, then the soonest due, then the rest as added.
	slices.SortStableFunc(cv.Needed, func(a, b requestItem) int {
		rank := func(it requestItem) int {
			switch {
			case it.Returned || it.Overdue:
				return 0
			case it.DueISO != "":
				return 1
			}
			return 2
		}
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a.DueISO, b.DueISO))
	})
	if total := len(cv.Needed) + len(cv.Waiting) + len(cv.Done); total > 0 {
		cv.Count = pg.T("checklist.count", "Needed", strconv.Itoa(len(cv.Needed)), "Total", strconv.Itoa(total))
	}
	var next *nextAppointment
	for _, a := range appts { // earliest start first
		if a.Cancelled.IsZero() && a.End.After(now) {
			next = &nextAppointment{Title: a.Title, When: appointmentWhen(pg.tr, a, loc), ISO: a.Start.UTC().Format(time.RFC3339),
				URL: caseURL(cr.c.ID) + "/appointments#appt-" + strconv.FormatUint(a.ID, 10)}
			break
		}
	}
	return cv, next, nil
}

// dayText is t's day (in t's own location) in the translator's language.
func dayText(tr *translator, t time.Time) string {
	return tr.Date(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
}

// checklistJSON is cv as the kept page's key holds it.
func checklistJSON(cv checklistView) string {
	if len(cv.Needed)+len(cv.Waiting)+len(cv.Done) == 0 && cv.Error == "" {
		return ""
	}
	b, err := json.Marshal(cv)
	if err != nil { // plain strings and numbers: cannot fail
		panic(fmt.Sprintf("portal: checklist: %v", err))
	}
	return string(b)
}

// checklistOf decodes a key's checklist ("": none).
func checklistOf(s string) *checklistView {
	if s == "" {
		return nil
	}
	var cv checklistView
	if err := json.Unmarshal([]byte(s), &cv); err != nil {
		panic(fmt.Sprintf("portal: checklist of a kept page: %v", err))
	}
	return &cv
}

var errNoRequest = errors.New("no such document request for this client")

// submitRequest takes the client's files for one checklist item: the body
// is streamed part by part into the document store (constant memory), and
// the files and the item's new state are recorded in one transaction. A
// refused file keeps nothing and the page says why. An item id that is
// malformed, of another case or client, cancelled or missing gets the same
// 404 as a case that is not the client's, before the body is read.
func (p *Portal) submitRequest(w http.ResponseWriter, cr *caseRequest) {
	r := cr.r
	rid, ok := parseID(r.PathValue("rid"))
	err := errNoRequest
	if ok {
		err = p.store.View(r.Context(), func(tx *store.Tx) error {
			it, err := tx.Request(cr.c.ID, rid)
			if errors.Is(err, store.ErrNotFound) || err == nil && it.State == store.RequestCancelled {
				return errNoRequest
			}
			return err
		})
	}
	if errors.Is(err, errNoRequest) {
		p.message(w, r, cr.client, http.StatusNotFound, "notfound")
		return
	}
	if err != nil {
		p.internal(w, r, err)
		return
	}
	docs := p.office.Documents()
	if docs == nil {
		p.internal(w, r, errors.New("submit request: the service has no document store"))
		return
	}
	files, status, problem, name := p.receiveFiles(w, cr, docs)
	if problem != 0 {
		removeStored(docs, files)
		// The rest of a refused body is not read: close the connection.
		w.Header().Set("Connection", "close")
		p.showUploadError(w, cr, rid, status, problem, name)
		return
	}
	actor := office.Actor{Kind: "client", ID: cr.client.ID, Name: cr.client.Name, IP: httpsec.ClientIP(r)}
	// SubmitToRequest removes the files itself when the record does not commit.
	_, _, err = p.office.SubmitToRequest(r.Context(), actor, cr.c.ID, rid, files)
	var bad *office.Error
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Removed from the case, or the item cancelled, since the check above.
		p.message(w, r, cr.client, http.StatusNotFound, "notfound")
	case errors.As(err, &bad) && bad.Kind == office.NotActive:
		p.showUploadError(w, cr, rid, http.StatusConflict, problemAccepted, "")
	case err != nil:
		p.internal(w, r, err)
	default:
		redirect(w, r, caseURL(cr.c.ID)+"?sent="+strconv.FormatUint(rid, 10)+"#checklist")
	}
}

// checklistProblem is what was wrong with an upload, for the page.
type checklistProblem int

const (
	problemNone     checklistProblem = iota + 1 // no file chosen
	problemForm                                 // not a multipart form
	problemCut                                  // the body ended early
	problemTooMany                              // more files than one upload takes
	problemTooLarge                             // a file over the limit
	problemType                                 // a file of a refused type
	problemEmpty                                // an empty file
	problemAccepted                             // the item takes nothing more
	problemTooFast                              // too many uploads in a short time
)

// text says what was wrong in the page's language; name is the file's.
func (pr checklistProblem) text(pg *page, name string, maxMB int64) string {
	switch pr {
	case problemForm:
		return pg.T("checklist.error.form")
	case problemTooFast:
		return pg.T("documents.too_fast", "Minutes", minutes(time.Minute)) // the limiter refills within a minute
	case problemCut:
		return pg.T("checklist.error.cut")
	case problemTooMany:
		return pg.T("checklist.error.too_many", "Count", strconv.Itoa(maxUploadFiles))
	case problemTooLarge:
		return pg.T("checklist.error.too_large", "Name", name, "Max", strconv.FormatInt(maxMB, 10))
	case problemType:
		return pg.T("checklist.error.type", "Name", name)
	case problemEmpty:
		return pg.T("checklist.error.empty", "Name", name)
	case problemAccepted:
		return pg.T("checklist.error.accepted")
	}
	return pg.T("checklist.error.none")
}

// receiveFiles streams the multipart body's file parts into docs within the
// office's upload settings (readUpload, the Documents page's reader), keeping
// all or none. On a refusal it answers the status, the problem and the
// refused file's name.
func (p *Portal) receiveFiles(w http.ResponseWriter, cr *caseRequest, docs *docstore.Store) (files []office.NewDocument, status int, problem checklistProblem, name string) {
	opt := uploadOptions{BeforeFiles: func() error {
		if ok, wait := p.uploads.Take("client:" + strconv.FormatUint(cr.client.ID, 10)); !ok {
			return &office.RateLimited{RetryAfter: wait}
		}
		return nil
	}}
	up, err := readUpload(cr.r.Context(), w, cr.r, docs, office.UploadLimits(cr.set), opt)
	var refused *UploadRefused
	var limited *office.RateLimited
	switch {
	case errors.As(err, &limited):
		w.Header().Set("Retry-After", retryAfter(limited.RetryAfter))
		return nil, http.StatusTooManyRequests, problemTooFast, ""
	case errors.As(err, &refused):
		switch refused.Reason {
		case refusedTooLarge:
			return nil, http.StatusRequestEntityTooLarge, problemTooLarge, refused.File
		case refusedTooMany, refusedRequest:
			return nil, http.StatusRequestEntityTooLarge, problemTooMany, ""
		case refusedType:
			return nil, http.StatusUnsupportedMediaType, problemType, refused.File
		case refusedEmpty:
			return nil, http.StatusUnprocessableEntity, problemEmpty, refused.File
		case refusedCut:
			return nil, http.StatusBadRequest, problemCut, ""
		default:
			return nil, http.StatusBadRequest, problemForm, ""
		}
	case err != nil:
		return nil, http.StatusInternalServerError, problemCut, ""
	}
	if len(up.Files) == 0 {
		return nil, http.StatusUnprocessableEntity, problemNone, ""
	}
	return up.Files, 0, 0, ""
}

func removeStored(docs *docstore.Store, files []office.NewDocument) {
	for _, f := range files {
		_ = docs.Remove(f.Name)
	}
}

// showUploadError answers the status page with what was wrong with the
// upload into item rid (name: the refused file's). This page is not kept:
// it answers one request.
func (p *Portal) showUploadError(w http.ResponseWriter, cr *caseRequest, rid uint64, status int, problem checklistProblem, name string) {
	pg := p.casePage(cr, "status")
	cv, next, err := p.statusExtras(cr, pg, 0)
	if err != nil {
		p.internal(w, cr.r, err)
		return
	}
	text := problem.text(pg, name, cv.MaxMB)
	cv.Error, cv.ErrorFor = text, "file-"+strconv.FormatUint(rid, 10)
	for _, group := range [][]requestItem{cv.Needed, cv.Waiting} {
		for i := range group {
			if group[i].ID == rid {
				group[i].Error = text
			}
		}
	}
	card, err := p.contactCard(pg.Lang, pg.Case.Contact)
	if err != nil {
		p.internal(w, cr.r, err)
		return
	}
	pg.ContactCard, pg.Checklist, pg.NextAppointment = card, &cv, next
	pg.Title = pg.T("checklist.error_title") + " – " + pg.Title
	p.render(w, cr.r, status, "status", pg)
}
