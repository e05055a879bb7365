package portal

import (
	"errors"
	"html"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"clientportal/server/httpsec"
	"clientportal/server/office"
	"clientportal/store"
)

// messagesPerPage is how many messages one page of a conversation shows.
const messagesPerPage = 20

// maxMessageFormBytes bounds a posted message form: office.MaxMessage
// characters of up to 4 bytes each, percent-encoded (3 bytes per byte), and
// room for the field name. A larger body is refused before it is read.
const maxMessageFormBytes = office.MaxMessage*4*3 + 1024

// messagesView is the Messages tab: one page of the case's portal messages,
// newest first, and the form to write to the office.
type messagesView struct {
	Items     []messageItem
	Older     string // the link to the next older page, or ""
	Newer     bool   // this is not the newest page: link back to it
	Body      string // what the client typed, when the form comes back with an error
	Max       int    // the longest message, in characters
	Error     string // the form's error, in words, or ""
	Sent      bool   // the client's message was just sent
	FirstPage bool
	Upload    uploadForm // the files the form takes
	FileError bool       // Error is about the files, not the message
}

// messageItem is one message on the page.
type messageItem struct {
	ID         uint64
	FromOffice bool
	Author     string // who wrote it: a staff member's name, or "You"
	ISO        string // for <time datetime>
	When       string // the date and time in the page's language
	Body       string // plain text, escaped by the template; line breaks kept by CSS
	New        bool   // a staff message the client had not read before this page
	ReadAt     string // a client message: when the office read it, or ""
	// Attachments are the documents the message carries that the client
	// may download (shared on the portal, of this case).
	Attachments []documentItem
}

// messagesPage shows one page of the case's portal messages (never internal
// notes) and marks the staff messages the client now sees as read.
func (p *Portal) messagesPage(w http.ResponseWriter, cr *caseRequest) {
	p.showMessages(w, cr, http.StatusOK, "", "")
}

// showMessages renders the Messages tab with status; errMsg and body come
// back with a refused post.
func (p *Portal) showMessages(w http.ResponseWriter, cr *caseRequest, status int, errMsg, body string) {
	r := cr.r
	var before uint64
	if v := r.URL.Query().Get("before"); v != "" {
		id, ok := parseID(v)
		if !ok {
			p.message(w, r, cr.client, http.StatusNotFound, "notfound")
			return
		}
		before = id
	}
	var notes []store.Note
	unread := map[uint64]bool{}
	attached := map[uint64]store.Document{}
	err := p.store.View(r.Context(), func(tx *store.Tx) error {
		var err error
		// One more than a page says whether there is an older page.
		if notes, err = tx.Notes(cr.c.ID, before, messagesPerPage+1, true); err != nil {
			return err
		}
		for _, n := range notes {
			for _, id := range n.DocumentIDs {
				d, err := tx.Document(id)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				// Withdrawn since, or never this case's: not shown.
				if d.CaseID == cr.c.ID && d.Portal {
					attached[id] = d
				}
			}
		}
		return nil
	})
	if err != nil {
		p.internal(w, r, err)
		return
	}
	older := ""
	if len(notes) > messagesPerPage {
		notes = notes[:messagesPerPage]
		older = caseURL(cr.c.ID) + "/messages?before=" + strconv.FormatUint(notes[len(notes)-1].ID, 10) + "#messages"
	}
	for _, n := range notes {
		if !n.FromClient() && n.ReadByClientAt.IsZero() {
			unread[n.ID] = true
		}
	}
	// Reading the page is reading the messages on it: the newest shown is
	// as far as the client has read (older pages were read on their way).
	// A HEAD (a link checker, a prefetch) reads nothing; a staff preview
	// marks nothing read.
	if len(unread) > 0 && before == 0 && r.Method == http.MethodGet && !InPreview(r.Context()) {
		actor := office.Actor{Kind: "client", ID: cr.client.ID, Name: cr.client.Name, IP: httpsec.ClientIP(r)}
		if _, err := p.office.MarkReadByClient(r.Context(), actor, cr.c.ID, notes[0].ID); err != nil {
			p.internal(w, r, err)
			return
		}
		cr.unread = 0
		// The page shows the read state: its live script resumes after the
		// marking's own event, which would otherwise refresh the page at once
		// and take the "new" marks away before the client saw them.
		if err := p.store.View(r.Context(), func(tx *store.Tx) error { cr.lastEvent = tx.EventSpan().Last; return nil }); err != nil {
			p.internal(w, r, err)
			return
		}
	}
	pg := p.casePage(cr, "messages")
	mv := &messagesView{Older: older, Newer: before != 0, Body: body, Max: office.MaxMessage, Error: errMsg,
		Sent: r.URL.Query().Has("sent") && errMsg == "", FirstPage: before == 0, Upload: p.uploadForm(pg, cr.set), FileError: cr.fileError}
	for _, n := range notes {
		it := messageItem{ID: n.ID, FromOffice: !n.FromClient(), ISO: n.Created.UTC().Format(time.RFC3339),
			When: dateTime(pg.tr, n.Created), Body: n.Body, New: unread[n.ID]}
		for _, id := range n.DocumentIDs {
			if d, ok := attached[id]; ok {
				it.Attachments = append(it.Attachments, p.documentItem(pg, cr, d))
			}
		}
		if n.FromClient() {
			it.Author = pg.T("messages.you")
			if !n.ReadByStaffAt.IsZero() {
				it.ReadAt = pg.T("messages.read_by_office", "When", dateTime(pg.tr, n.ReadByStaffAt))
			}
		} else {
			it.Author = n.AuthorName
		}
		mv.Items = append(mv.Items, it)
	}
	pg.Messages = mv
	if errMsg != "" {
		pg.Title = pg.T("messages.error_title") + " – " + pg.Title
	}
	p.render(w, r, status, "messages", pg)
}

// postMessage takes the client's message to the office from the form: a
// plain form, or a multipart one that may carry files (the upload path of
// the Documents tab; the message carries them).
func (p *Portal) postMessage(w http.ResponseWriter, cr *caseRequest) {
	r := cr.r
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		p.postMessageWithFiles(w, cr)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxMessageFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.message(w, r, cr.client, http.StatusRequestEntityTooLarge, "toolarge")
		} else {
			p.message(w, r, cr.client, http.StatusBadRequest, "badrequest")
		}
		return
	}
	body := r.PostForm.Get("body")
	tr := p.cat.tr(p.newPage(r, cr.client, cr.set, "").Lang)
	switch {
	case !utf8.ValidString(body):
		p.message(w, r, cr.client, http.StatusBadRequest, "badrequest")
		return
	case strings.TrimSpace(body) == "":
		p.showMessages(w, cr, http.StatusUnprocessableEntity, tr.T("messages.empty"), "")
		return
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))); n > office.MaxMessage {
		p.showMessages(w, cr, http.StatusUnprocessableEntity,
			tr.T("messages.too_long", "Count", strconv.Itoa(n), "Max", strconv.Itoa(office.MaxMessage)), body)
		return
	}
	actor := office.Actor{Kind: "client", ID: cr.client.ID, Name: cr.client.Name, IP: httpsec.ClientIP(r)}
	_, err := p.office.PostClientMessage(r.Context(), actor, cr.c.ID, body)
	var limited *office.RateLimited
	var bad *office.Error
	switch {
	case errors.As(err, &limited):
		wait := retryAfter(limited.RetryAfter)
		w.Header().Set("Retry-After", wait)
		mins := strconv.Itoa(max(1, int((limited.RetryAfter+time.Minute-1)/time.Minute)))
		p.showMessages(w, cr, http.StatusTooManyRequests, tr.T("messages.too_fast", "Minutes", mins), body)
		return
	case errors.As(err, &bad):
		p.showMessages(w, cr, http.StatusUnprocessableEntity, tr.T("messages.invalid"), body)
		return
	case errors.Is(err, store.ErrNotFound):
		// Removed from the case between the guard and the post.
		p.message(w, r, cr.client, http.StatusNotFound, "notfound")
		return
	case err != nil:
		p.internal(w, r, err)
		return
	}
	redirect(w, r, caseURL(cr.c.ID)+"/messages?sent=1#messages")
}

// postMessageWithFiles takes the message form sent as multipart: the
// message (field body, required) and any files (field file), kept all
// together or not at all.
func (p *Portal) postMessageWithFiles(w http.ResponseWriter, cr *caseRequest) {
	up, body, ok := p.receiveUpload(w, cr, p.showMessages)
	if !ok {
		return
	}
	if strings.TrimSpace(body) == "" {
		up.Discard(p.office.Documents())
		p.showMessages(w, cr, http.StatusUnprocessableEntity, p.pageTr(cr).T("messages.empty"), "")
		return
	}
	var err error
	if len(up.Files) == 0 {
		_, err = p.office.PostClientMessage(cr.r.Context(), clientActor(cr), cr.c.ID, body)
	} else {
		_, _, err = p.office.ClientUpload(cr.r.Context(), clientActor(cr), cr.c.ID, up.Files, body)
	}
	if !p.uploadRecorded(w, cr, err, body, len(up.Files) > 0, p.showMessages) {
		return
	}
	redirect(w, cr.r, caseURL(cr.c.ID)+"/messages?sent=1#messages")
}

// dateTime is a moment written out in the translator's language, in the
// service's time zone (the office's machine): "14 January 2027 at 09:05".
func dateTime(t *translator, at time.Time) string {
	at = at.Local()
	return t.T("date.time",
		"Date", t.T("date.long", "Day", strconv.Itoa(at.Day()), "Month", t.T("month."+strconv.Itoa(int(at.Month()))), "Year", strconv.Itoa(at.Year())),
		"Time", at.Format("15:04"))
}

// badgeStandIn marks where the Messages tab's count of new messages goes in
// the pre-rendered tabs (caseTabs).
const badgeStandIn = "NEW-MESSAGES-BADGE"

// badge is the Messages tab's count of new messages: the number, and words
// for screen readers; "" when nothing is new. Digits and escaped catalog
// text only.
func (p *Portal) badge(pg *page, unread int) string {
	if unread <= 0 {
		return ""
	}
	return `<span class="badge">` + strconv.Itoa(unread) + `<span class="visually-hidden"> ` +
		html.EscapeString(pg.T("messages.badge_sr")) + `</span></span>`
}

// liveView is what the live script reads from <main>: the event to resume
// after, the case the page shows (0: every case of the client, the picker),
// and what it announces, in the page's language.
type liveView struct {
	After    uint64
	Case     uint64
	Message  string
	Status   string
	Document string
	Request  string // the checklist changed (requests.go)
	Script   string // the script's URL
}

func (p *Portal) live(pg *page, after, caseID uint64) *liveView {
	if pg.Preview != "" { // a preview has no live stream (preview.go)
		return nil
	}
	return &liveView{After: after, Case: caseID, Message: pg.T("live.message"), Status: pg.T("live.status"), Document: pg.T("live.document"),
		Request: pg.T("live.request"), Script: p.assets["live.js"].url}
}
