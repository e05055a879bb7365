package portal

import (
	"errors"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"clientportal/server/docstore"
	"clientportal/server/httpsec"
	"clientportal/server/office"
	"clientportal/store"
)

// documentsView is the Documents tab: what the office shared on the case,
// what was sent to the office, and the form to send more.
type documentsView struct {
	FromOffice  []documentItem
	FromClients []documentItem
	Body        string // the message typed, when the form comes back with an error
	Error       string // what was wrong with the upload, in words, or ""
	Sent        bool   // an upload was just received
	FileError   bool   // Error is about the files, not the message
	Upload      uploadForm
}

// uploadForm is what a form that takes files says about them.
type uploadForm struct {
	MaxMB      int64
	MaxFiles   int
	Kinds      string // the kinds the office takes, in words
	Accept     string // the file input's accept attribute
	MaxMessage int
}

// documentItem is one document on a page.
type documentItem struct {
	ID   uint64
	Name string
	URL  string // the download
	Size string // "2.4 MB"
	By   string // "Shared by NAME on DATE"
}

// documentsPage lists the case's documents the client may see: those the
// office shared and those sent by the case's clients.
func (p *Portal) documentsPage(w http.ResponseWriter, cr *caseRequest) {
	p.showDocuments(w, cr, http.StatusOK, "", "")
}

// showDocuments renders the Documents tab with status; errMsg and body come
// back with a refused upload.
func (p *Portal) showDocuments(w http.ResponseWriter, cr *caseRequest, status int, errMsg, body string) {
	var docs []store.Document
	err := p.store.View(cr.r.Context(), func(tx *store.Tx) (err error) {
		docs, err = tx.CaseDocuments(cr.c.ID, true)
		return err
	})
	if err != nil {
		p.internal(w, cr.r, err)
		return
	}
	pg := p.casePage(cr, "documents")
	dv := &documentsView{Body: body, Error: errMsg, Sent: cr.r.URL.Query().Has("sent") && errMsg == "",
		Upload: p.uploadForm(pg, cr.set), FileError: cr.fileError}
	// Newest first: what just arrived is what the client looks for.
	for i := len(docs) - 1; i >= 0; i-- {
		d := docs[i]
		it := p.documentItem(pg, cr, d)
		if d.UploaderKind == "client" {
			dv.FromClients = append(dv.FromClients, it)
		} else {
			dv.FromOffice = append(dv.FromOffice, it)
		}
	}
	pg.Documents = dv
	if errMsg != "" {
		pg.Title = pg.T("documents.error_title") + " – " + pg.Title
	}
	p.render(w, cr.r, status, "documents", pg)
}

// documentItem is d as the client sees it.
func (p *Portal) documentItem(pg *page, cr *caseRequest, d store.Document) documentItem {
	when := dateTime(pg.tr, d.Uploaded)
	by := pg.T("documents.shared_by", "Name", d.UploaderName, "When", when)
	if d.UploaderKind == "client" {
		who := d.UploaderName
		if d.UploaderID == cr.client.ID {
			who = pg.T("documents.you")
		}
		by = pg.T("documents.sent_by", "Name", who, "When", when)
	}
	return documentItem{ID: d.ID, Name: office.SafeFileName(d.FileName), URL: documentURL(cr.c.ID, d.ID),
		Size: fileSize(pg, d.Size), By: by}
}

func documentURL(caseID, docID uint64) string {
	return caseURL(caseID) + "/documents/" + strconv.FormatUint(docID, 10)
}

// uploadForm describes the office's upload limits for a form.
func (p *Portal) uploadForm(pg *page, set store.Settings) uploadForm {
	lim := office.UploadLimits(set)
	maxSize := lim.MaxSize
	if maxSize <= 0 && p.office.Documents() != nil {
		maxSize = p.office.Documents().MaxSize()
	}
	return uploadForm{MaxMB: max(maxSize>>20, 1), MaxFiles: maxUploadFiles, Kinds: kindList(pg.tr, lim.Kinds),
		Accept: acceptList(lim.Kinds), MaxMessage: office.MaxMessage}
}

// accepts are the file names and types a file input offers for each kind;
// image types let a phone offer its camera.
var accepts = map[string]string{
	"pdf":   ".pdf,application/pdf",
	"word":  ".doc,.docx,.odt,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text",
	"excel": ".xls,.xlsx,.ods,application/vnd.ms-excel,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.oasis.opendocument.spreadsheet",
	"jpeg":  ".jpg,.jpeg,image/jpeg",
	"png":   ".png,image/png",
	"heic":  ".heic,.heif,image/heic,image/heif",
	"tiff":  ".tif,.tiff,image/tiff",
	"text":  ".txt,text/plain",
}

// acceptList is the accept attribute for the kinds (nil: all).
func acceptList(kinds []string) string {
	var out []string
	for _, k := range docstore.Kinds {
		if kinds == nil || slices.Contains(kinds, k.Name) {
			out = append(out, accepts[k.Name])
		}
	}
	return strings.Join(out, ",")
}

// fileSize is a size as people read it: "812 bytes", "34 KB", "2.4 MB"
// (with the page language's decimal mark).
func fileSize(pg *page, n int64) string {
	switch {
	case n < 1000:
		return pg.T("documents.size_b", "N", strconv.FormatInt(n, 10))
	case n < 1000<<10:
		return pg.T("documents.size_kb", "N", strconv.FormatInt((n+1023)>>10, 10))
	}
	mb := strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
	return pg.T("documents.size_mb", "N", strings.Replace(mb, ".", pg.T("documents.decimal"), 1))
}

// maxUploadField is the longest text field of an upload form: a message of
// office.MaxMessage characters of up to 4 bytes each.
const maxUploadField = office.MaxMessage*4 + 64

// clientActor is the logged-in client as the office's actions name them.
func clientActor(cr *caseRequest) office.Actor {
	return office.Actor{Kind: "client", ID: cr.client.ID, Name: cr.client.Name, IP: httpsec.ClientIP(cr.r)}
}

// postDocuments takes the client's upload: files (field file, repeatable)
// and an optional message (field body) that carries them. All or nothing:
// a refused file keeps none of them, and the page says which and why.
func (p *Portal) postDocuments(w http.ResponseWriter, cr *caseRequest) {
	up, body, ok := p.receiveUpload(w, cr, p.showDocuments)
	if !ok {
		return
	}
	if len(up.Files) == 0 {
		cr.fileError = true
		p.showDocuments(w, cr, http.StatusUnprocessableEntity, p.pageTr(cr).T("documents.no_file"), body)
		return
	}
	_, _, err := p.office.ClientUpload(cr.r.Context(), clientActor(cr), cr.c.ID, up.Files, body)
	if !p.uploadRecorded(w, cr, err, body, true, p.showDocuments) {
		return
	}
	redirect(w, cr.r, caseURL(cr.c.ID)+"/documents?sent=1#documents")
}

// showFunc renders a page of the case with an error and what was typed.
type showFunc func(w http.ResponseWriter, cr *caseRequest, status int, errMsg, body string)

// receiveUpload reads an upload form (files and the field body) into the
// document store within the office's limits and the client's upload rate.
// When it reports false it has answered (the page with the refusal in
// words, through show).
func (p *Portal) receiveUpload(w http.ResponseWriter, cr *caseRequest, show showFunc) (*Upload, string, bool) {
	tr := p.pageTr(cr)
	opt := uploadOptions{Fields: []string{"body"}, MaxField: maxUploadField, BeforeFiles: func() error {
		if ok, wait := p.uploads.Take("client:" + strconv.FormatUint(cr.client.ID, 10)); !ok {
			return &office.RateLimited{RetryAfter: wait}
		}
		return nil
	}}
	up, err := readUpload(cr.r.Context(), w, cr.r, p.office.Documents(), office.UploadLimits(cr.set), opt)
	body := ""
	if up != nil {
		body = up.Fields["body"]
	}
	var refused *UploadRefused
	var limited *office.RateLimited
	switch {
	case errors.As(err, &limited):
		w.Header().Set("Retry-After", retryAfter(limited.RetryAfter))
		cr.fileError = true
		show(w, cr, http.StatusTooManyRequests, tr.T("documents.too_fast", "Minutes", minutes(limited.RetryAfter)), body)
		return nil, "", false
	case errors.As(err, &refused):
		status := http.StatusUnprocessableEntity
		switch refused.Reason {
		case refusedTooLarge, refusedRequest:
			status = http.StatusRequestEntityTooLarge
		case refusedType:
			status = http.StatusUnsupportedMediaType
		case refusedCut, refusedForm:
			status = http.StatusBadRequest
		}
		cr.fileError = true
		show(w, cr, status, uploadProblem(tr, refused)+" "+tr.T("documents.nothing_kept"), body)
		return nil, "", false
	case err != nil:
		p.internal(w, cr.r, err)
		return nil, "", false
	}
	return up, body, true
}

// uploadRecorded answers an upload the office refused to record (the files
// are already removed), and reports whether it was recorded.
func (p *Portal) uploadRecorded(w http.ResponseWriter, cr *caseRequest, err error, body string, withFiles bool, show showFunc) bool {
	tr := p.pageTr(cr)
	nothingKept := ""
	if withFiles {
		nothingKept = " " + tr.T("documents.nothing_kept")
	}
	var limited *office.RateLimited
	var bad *office.Error
	switch {
	case err == nil:
		return true
	case errors.As(err, &limited):
		w.Header().Set("Retry-After", retryAfter(limited.RetryAfter))
		show(w, cr, http.StatusTooManyRequests, tr.T("messages.too_fast", "Minutes", minutes(limited.RetryAfter))+nothingKept, body)
	case errors.As(err, &bad) && bad.Field == "body":
		n := utf8.RuneCountInString(strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n")))
		msg := tr.T("messages.invalid")
		if n > office.MaxMessage {
			msg = tr.T("messages.too_long", "Count", strconv.Itoa(n), "Max", strconv.Itoa(office.MaxMessage))
		}
		show(w, cr, http.StatusUnprocessableEntity, msg+nothingKept, body)
	case errors.As(err, &bad):
		show(w, cr, http.StatusUnprocessableEntity, tr.T("upload.form"), body)
	case errors.Is(err, store.ErrNotFound):
		// Removed from the case between the guard and the upload.
		p.message(w, cr.r, cr.client, http.StatusNotFound, "notfound")
	default:
		p.internal(w, cr.r, err)
	}
	return false
}

// pageTr is the translator of the page cr would show.
func (p *Portal) pageTr(cr *caseRequest) *translator {
	return p.cat.tr(p.newPage(cr.r, cr.client, cr.set, "").Lang)
}

// minutes is a wait in whole minutes, at least 1, for a sentence.
func minutes(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Minute-1)/time.Minute)))
}

var errNoDocument = errors.New("no such document for this client")

// downloadDocument sends a document of the case the client may see, as an
// attachment with a safe file name; Range requests resume a download. A
// document id that is malformed, of no document, of another case's, or of
// one the office has not shared gets the same 404 as a case that is not the
// client's. Every download is in the audit log.
func (p *Portal) downloadDocument(w http.ResponseWriter, cr *caseRequest) {
	id, ok := parseID(cr.r.PathValue("doc"))
	err := errNoDocument
	var d store.Document
	if ok {
		err = p.store.View(cr.r.Context(), func(tx *store.Tx) error {
			var err error
			d, err = tx.Document(id)
			if errors.Is(err, store.ErrNotFound) || err == nil && (d.CaseID != cr.c.ID || !d.Portal) {
				return errNoDocument
			}
			return err
		})
	}
	if errors.Is(err, errNoDocument) || err == nil && p.office.Documents() == nil {
		p.message(w, cr.r, cr.client, http.StatusNotFound, "notfound")
		return
	}
	if err != nil {
		p.internal(w, cr.r, err)
		return
	}
	f, err := p.office.OpenDocument(cr.r.Context(), clientActor(cr), d)
	if err != nil {
		p.internal(w, cr.r, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": office.SafeFileName(d.FileName)}))
	h.Set("ETag", `"`+d.SHA256+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, cr.r, "", d.Uploaded, f)
}
