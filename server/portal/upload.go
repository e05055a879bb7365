package portal

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"clientportal/server/docstore"
	"clientportal/server/office"
)

// transferTimeout bounds an upload's body and a download's answer: a 50 MB
// file from a phone on a slow connection, with room to spare.
const transferTimeout = 30 * time.Minute

// maxUploadFiles is the most files one upload may carry.
const maxUploadFiles = 20

// Upload is a client's multipart upload, read by readUpload: the files,
// already safe (encrypted, fsynced, renamed) in the document store but not
// yet recorded, and the text fields asked for. Hand Files to an office
// action that records them (office.AddDocuments removes them itself when it
// fails), or call Discard.
type Upload struct {
	Files  []office.NewDocument
	Fields map[string]string
}

// Discard removes the upload's files from the document store: an upload
// that will not be recorded leaves no file behind.
func (u *Upload) Discard(docs *docstore.Store) {
	for _, f := range u.Files {
		_ = docs.Remove(f.Name)
	}
	u.Files = nil
}

// uploadOptions say what readUpload takes besides files (field "file",
// repeatable).
type uploadOptions struct {
	Fields   []string // text fields taken; any other field refuses the upload
	MaxField int      // the longest a text field may be, in bytes
	// BeforeFiles, when set, runs once before the first file is stored
	// (a rate limit); its error refuses the upload as it is.
	BeforeFiles func() error
}

// Reasons an upload is refused (UploadRefused.Reason).
const (
	refusedTooLarge = "too_large"    // one file is over the office's limit
	refusedType     = "type"         // one file is of a kind the office does not take
	refusedEmpty    = "empty"        // one file is empty
	refusedTooMany  = "too_many"     // more than maxUploadFiles files
	refusedRequest  = "request_size" // the whole body is larger than any upload may be
	refusedCut      = "cut"          // the body ended early (connection cut)
	refusedForm     = "form"         // not a multipart form, an unknown or overlong field, bad UTF-8
)

// UploadRefused is an upload refused for something the sender did or sent:
// which file (as the sender named it; "" for the whole upload) and why, so
// a page can say it in the client's language. Nothing of the upload is
// kept.
type UploadRefused struct {
	Reason   string
	File     string
	MaxMB    int64    // the size limit, for too_large
	Kinds    []string // the kinds allowed, for type (nil: all)
	Detected string   // what a refused file was found to be
}

func (e *UploadRefused) Error() string {
	s := "upload refused: " + e.Reason
	if e.File != "" {
		s += " (" + e.File + ")"
	}
	return s
}

// readUpload streams the multipart body of r into the document store, file
// by file, in constant memory (no part is held whole, nothing goes to
// net/http's temp files): every field "file" becomes a file checked against
// lim (size and kind, sniffed from its content). It is all or nothing: on
// any error every file already stored is removed (the answer then holds the
// text fields read before it, and no files). Errors are *UploadRefused for
// what the sender can fix, else the server's own. A
// file input left empty (no name, no content) is skipped; an upload with no
// file at all is not an error (the caller decides).
func readUpload(ctx context.Context, w http.ResponseWriter, r *http.Request, docs *docstore.Store, lim docstore.Limits, opt uploadOptions) (up *Upload, err error) {
	if docs == nil {
		return nil, errors.New("upload: the service has no document store")
	}
	maxSize := lim.MaxSize
	if maxSize <= 0 {
		maxSize = docs.MaxSize()
	}
	if opt.MaxField <= 0 {
		opt.MaxField = 1 << 10
	}
	// The largest body an upload may be: every file at the limit, with room
	// for each part's headers, and the text fields.
	r.Body = http.MaxBytesReader(w, r.Body, int64(maxUploadFiles)*(maxSize+4<<10)+int64(len(opt.Fields)*(opt.MaxField+4<<10)))
	mr, err := r.MultipartReader()
	if err != nil {
		return &Upload{Fields: map[string]string{}}, &UploadRefused{Reason: refusedForm}
	}
	up = &Upload{Fields: map[string]string{}}
	defer func() {
		if err != nil {
			up.Discard(docs)
		}
	}()
	before := opt.BeforeFiles
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return up, nil
		}
		if err != nil {
			return up, bodyError(err, refusedForm)
		}
		switch name := part.FormName(); {
		case name == "file":
			if before != nil {
				if err := before(); err != nil {
					return up, err
				}
				before = nil
			}
			if err := putFile(ctx, docs, lim, part, up); err != nil {
				return up, err
			}
		case slices.Contains(opt.Fields, name):
			v, err := io.ReadAll(io.LimitReader(part, int64(opt.MaxField)+1))
			if err != nil {
				return up, bodyError(err, refusedCut)
			}
			if len(v) > opt.MaxField || !utf8.Valid(v) {
				return up, &UploadRefused{Reason: refusedForm}
			}
			up.Fields[name] = string(v)
		default:
			return up, &UploadRefused{Reason: refusedForm}
		}
	}
}

// putFile stores one file part of the upload.
func putFile(ctx context.Context, docs *docstore.Store, lim docstore.Limits, part *multipart.Part, up *Upload) error {
	name := part.FileName()
	st, err := docs.PutLimited(ctx, part, lim)
	var tooLarge *docstore.TooLarge
	var refused *docstore.Refused
	switch {
	case err == nil:
	case errors.Is(err, docstore.ErrEmpty) && name == "":
		return nil // a file input left empty
	case errors.Is(err, docstore.ErrEmpty):
		return &UploadRefused{Reason: refusedEmpty, File: office.SafeFileName(name)}
	case errors.As(err, &tooLarge):
		return &UploadRefused{Reason: refusedTooLarge, File: office.SafeFileName(name), MaxMB: tooLarge.Max >> 20}
	case errors.As(err, &refused):
		return &UploadRefused{Reason: refusedType, File: office.SafeFileName(name), Kinds: lim.Kinds, Detected: refused.Detected}
	default:
		return bodyError(err, refusedCut)
	}
	if len(up.Files) == maxUploadFiles {
		_ = docs.Remove(st.Name)
		return &UploadRefused{Reason: refusedTooMany}
	}
	up.Files = append(up.Files, office.NewDocument{Stored: st, FileName: name})
	return nil
}

// bodyError sorts an error reading the body: larger than any upload may be,
// cut short, the request's context done (cut), or malformed (reason).
func bodyError(err error, reason string) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &UploadRefused{Reason: refusedRequest}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, context.Canceled),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, http.ErrBodyReadAfterClose):
		return &UploadRefused{Reason: refusedCut}
	case strings.Contains(err.Error(), "multipart"):
		return &UploadRefused{Reason: reason}
	}
	// A read from a connection that failed is the sender's too: nothing of
	// it can be the server's fault once the body is being read.
	var netErr interface{ Timeout() bool }
	if errors.As(err, &netErr) {
		return &UploadRefused{Reason: refusedCut}
	}
	return err
}

// uploadProblem says in the page's language what was wrong with an upload
// and what to do: which file and why.
func uploadProblem(tr *translator, e *UploadRefused) string {
	switch e.Reason {
	case refusedTooLarge:
		return tr.T("upload.too_large", "File", e.File, "Max", strconv.FormatInt(max(e.MaxMB, 1), 10))
	case refusedType:
		return tr.T("upload.type", "File", e.File, "Kinds", kindList(tr, e.Kinds))
	case refusedEmpty:
		return tr.T("upload.empty", "File", e.File)
	case refusedTooMany:
		return tr.T("upload.too_many", "Max", strconv.Itoa(maxUploadFiles))
	case refusedRequest:
		return tr.T("upload.request_size", "Max", strconv.Itoa(maxUploadFiles))
	case refusedCut:
		return tr.T("upload.cut")
	}
	return tr.T("upload.form")
}

// kindList names the kinds of file the office takes, in the page's
// language ("PDF, Word, Excel, ... or plain text").
func kindList(tr *translator, kinds []string) string {
	var names []string
	for _, k := range docstore.Kinds {
		if kinds == nil || slices.Contains(kinds, k.Name) {
			names = append(names, tr.T("upload.kind."+k.Name))
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return tr.T("upload.kinds_or", "List", strings.Join(names[:len(names)-1], ", "), "Last", names[len(names)-1])
}
