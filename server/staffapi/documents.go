package staffapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/docstore"
	"clientportal/server/office"
	"clientportal/store"
)

// transferTimeout bounds an upload's body and a download's answer: a 50 MB
// file over a slow office uplink, with room to spare.
const transferTimeout = 30 * time.Minute

// DefaultReadTimeoutForContent bounds reading a download's request (it has
// no body).
const DefaultReadTimeoutForContent = time.Minute

// maxFiles is the most files one upload request may carry.
const maxFiles = 20

func documentView(d store.Document) api.Document {
	return api.Document{ID: d.ID, CaseID: d.CaseID, FileName: d.FileName, ContentType: d.ContentType, Size: d.Size,
		SHA256: d.SHA256, UploaderKind: d.UploaderKind, UploaderID: d.UploaderID, UploaderName: d.UploaderName,
		Uploaded: d.Uploaded, Portal: d.Portal}
}

func documentsView(ds []store.Document) api.Documents {
	out := api.Documents{Items: make([]api.Document, 0, len(ds))}
	for _, d := range ds {
		out.Items = append(out.Items, documentView(d))
	}
	return out
}

// listDocuments answers the case's documents, oldest first.
func (a *API) listDocuments(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Documents, error) {
		if _, err := tx.Case(id); err != nil {
			return api.Documents{}, err
		}
		ds, err := tx.CaseDocuments(id, false)
		return documentsView(ds), err
	})
}

// uploadDocuments stores the files of a multipart body (field file,
// repeatable; field portal true or false) as documents of the case. The
// body is streamed part by part into the document store, never held in
// memory or parsed into temp files by net/http. A refused or cut upload
// leaves nothing: the files already stored are removed.
func (a *API) uploadDocuments(w http.ResponseWriter, r request) (err error) {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	docs := a.office.Documents()
	if docs == nil {
		return api.Refusal(http.StatusServiceUnavailable, "unavailable", "", apitext.New("staffapi.service_has_no_document", "this service has no document store"))
	}
	// A missing case is answered before the body is read.
	var lim docstore.Limits
	err = a.store.View(r.ctx(), func(tx *store.Tx) error {
		if _, err := tx.Case(id); err != nil {
			return err
		}
		set, err := tx.Settings()
		lim = office.UploadLimits(set)
		return err
	})
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFiles*(max(lim.MaxSize, docs.MaxSize())+64<<10))
	mr, err := r.MultipartReader()
	if err != nil {
		return api.BadRequest(apitext.New("staffapi.send_files_multipart_form", "send the files as multipart/form-data: a field file for each file, and portal true or false"))
	}
	var files []office.NewDocument
	defer func() {
		if err != nil {
			for _, f := range files {
				_ = docs.Remove(f.Name)
			}
		}
	}()
	portal := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// Every error of the body's framing is the sender's.
			if e := uploadCut(err); e != err {
				return e
			}
			return api.BadRequest(apitext.New("staffapi.upload_malformed", "the upload is not well-formed multipart/form-data ({{.Err}}): nothing was kept", "Err", err.Error()))
		}
		switch part.FormName() {
		case "file":
			if len(files) == maxFiles {
				return api.Invalid("file", apitext.New("staffapi.files_too_many", "send at most {{.Max}} files at once", "Max", maxFiles))
			}
			st, err := docs.PutLimited(r.ctx(), part, lim)
			if err != nil {
				return uploadError(part.FileName(), err)
			}
			files = append(files, office.NewDocument{Stored: st, FileName: part.FileName()})
		case "portal":
			v, err := io.ReadAll(io.LimitReader(part, 16))
			if err != nil {
				return uploadCut(err)
			}
			switch strings.TrimSpace(string(v)) {
			case "true":
				portal = true
			case "false", "":
				portal = false
			default:
				return api.Invalid("portal", apitext.New("staffapi.portal_true_case_s", "portal must be true (the case's clients see the files) or false (staff only)"))
			}
		default:
			return api.Invalid(part.FormName(), apitext.New("staffapi.upload_unknown_field", "unknown field: send file (repeatable) and portal"))
		}
	}
	if len(files) == 0 {
		return api.Invalid("file", apitext.New("staffapi.send_least_one_file", "send at least one file in the field file"))
	}
	// AddDocuments removes the files itself when the records do not commit.
	added, err := a.office.AddDocuments(r.ctx(), r.actor(), id, portal, files)
	files = nil
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, documentsView(added))
	return nil
}

// uploadError says what was wrong with one file, in words its sender can act on.
func uploadError(name string, err error) error {
	var tooLarge *docstore.TooLarge
	var refused *docstore.Refused
	switch {
	case errors.As(err, &tooLarge):
		return api.Refusal(http.StatusRequestEntityTooLarge, "too_large", "file",
			apitext.New("staffapi.file_too_large", "{{.Name}}: the file is larger than the {{.MB}} MB the office accepts; send a smaller file, or split it", "Name", name, "MB", tooLarge.Max>>20))
	case errors.As(err, &refused):
		return api.Refusal(http.StatusUnsupportedMediaType, "unsupported_type", "file",
			apitext.New("staffapi.file_type", "{{.Name}}: this kind of file is not accepted: send {{.Kinds}} (this file is {{.Detected}})",
				"Name", name, "Kinds", kindsWords(refused.Kinds), "Detected", refused.Detected))
	case errors.Is(err, docstore.ErrEmpty):
		return api.Invalid("file", apitext.New("staffapi.file_empty", "{{.Name}}: the file is empty", "Name", name))
	}
	return uploadCut(err)
}

// kindWords name docstore's kinds of file as people call them.
var kindWords = map[string]apitext.Text{
	"pdf":   apitext.New("staffapi.kind_pdf", "PDF"),
	"word":  apitext.New("staffapi.kind_word", "Word"),
	"excel": apitext.New("staffapi.kind_excel", "Excel"),
	"jpeg":  apitext.New("staffapi.kind_jpeg", "JPEG photos"),
	"png":   apitext.New("staffapi.kind_png", "PNG images"),
	"heic":  apitext.New("staffapi.kind_heic", "HEIC photos (iPhone)"),
	"tiff":  apitext.New("staffapi.kind_tiff", "TIFF scans"),
	"text":  apitext.New("staffapi.kind_text", "plain text"),
}

// kindsWords is "PDF, Word or JPEG photos": the kinds allowed (nil: every
// kind), in docstore's order, said in the language asked.
func kindsWords(allowed []string) apitext.Text {
	var said []apitext.Text
	for _, k := range docstore.Kinds {
		if w, ok := kindWords[k.Name]; ok && (allowed == nil || slices.Contains(allowed, k.Name)) {
			said = append(said, w)
		}
	}
	if len(said) == 0 {
		return apitext.New("staffapi.kinds_none", "a kind of file the office accepts")
	}
	if len(said) == 1 {
		return said[0]
	}
	list := said[0]
	for _, w := range said[1 : len(said)-1] {
		list = apitext.New("staffapi.kinds_comma", "{{.List}}, {{.Next}}", "List", list, "Next", w)
	}
	return apitext.New("staffapi.kinds_or", "{{.List}} or {{.Last}}", "List", list, "Last", said[len(said)-1])
}

// uploadCut is a body that ended before its end: the connection was cut,
// or it is larger than any upload may be.
func uploadCut(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return api.Refusal(http.StatusRequestEntityTooLarge, "too_large", "", apitext.New("staffapi.upload_larger_than_service", "the upload is larger than the service accepts in one request; send fewer files at once"))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "multipart") {
		return api.BadRequest(apitext.New("staffapi.upload_ended_before_end", "the upload ended before its end (the connection was cut?): nothing was kept; send it again"))
	}
	return err
}

// updateDocument shares a document with the case's clients or withdraws it.
func (a *API) updateDocument(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.DocumentInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if in.Portal == nil {
		return api.Invalid("portal", apitext.New("staffapi.send_portal_true_case", "send portal: true (the case's clients see it) or false (staff only)"))
	}
	d, err := a.office.SetDocumentPortal(r.ctx(), r.actor(), id, *in.Portal)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, documentView(d))
	return nil
}

// documentContent serves a document's content, decrypted, as an attachment
// with a safe file name; Range requests work. Every download is audited.
func (a *API) documentContent(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var d store.Document
	if err := a.store.View(r.ctx(), func(tx *store.Tx) (err error) { d, err = tx.Document(id); return err }); err != nil {
		return err
	}
	f, err := a.office.OpenDocument(r.ctx(), r.actor(), d)
	if errors.Is(err, docstore.ErrUnreadable) {
		a.log.Error("document content", "document", id, "err", err)
		return api.Refusal(http.StatusInternalServerError, "unreadable", "", apitext.New("staffapi.document_s_file_cannot", "the document's file cannot be decrypted with this service's office key: restore the office key it was encrypted to (README, Documents)"))
	}
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", d.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": office.SafeFileName(d.FileName)}))
	w.Header().Set("ETag", `"`+d.SHA256+`"`)
	http.ServeContent(w, r.Request, "", d.Uploaded, f)
	return nil
}
