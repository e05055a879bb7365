package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// EventTransfer carries the progress of a document upload or download (a
// Transfer), at most every progressEvery while it runs, and once at its end.
const EventTransfer = "transfer:progress"

// progressEvery throttles the progress events: often enough for a bar that
// moves smoothly, rarely enough not to flood the window on a fast line.
const progressEvery = 100 * time.Millisecond

// maxUploadFiles is what the service accepts in one request; more files
// go in several requests.
const maxUploadFiles = 20

// Documents is bound to the frontend as window.go.app.Documents: a case's
// documents, shared with the portal or not; upload from and download to
// this computer with progress.
type Documents struct {
	link *link

	seq     atomic.Uint64
	mu      sync.Mutex
	running map[string]context.CancelFunc
}

// Document is a case's document: staff's or a client's upload.
type Document struct {
	ID           uint64 `json:"id"`
	CaseID       uint64 `json:"caseId"`
	Name         string `json:"name"` // the uploader's file name, made safe
	Type         string `json:"type"` // its content type
	Size         int64  `json:"size"`
	SHA256       string `json:"sha256"`
	UploaderKind string `json:"uploaderKind"` // "staff" or "client"
	UploaderName string `json:"uploaderName"`
	Uploaded     string `json:"uploaded"` // RFC 3339
	Portal       bool   `json:"portal"`   // the case's clients see it
}

// Transfer is the progress of an upload or download.
type Transfer struct {
	ID        string `json:"id"`
	CaseID    uint64 `json:"caseId"`
	Direction string `json:"direction"` // "upload" or "download"
	Name      string `json:"name"`      // the file, or "3 files"
	Done      int64  `json:"done"`      // bytes sent or received
	Total     int64  `json:"total"`
	State     string `json:"state"`  // "running", "done", "failed" or "cancelled"
	Detail    string `json:"detail"` // why it failed, in words
}

// UploadResult is what an upload stored; Cancelled: no file was chosen.
type UploadResult struct {
	Documents []Document `json:"documents"`
	Cancelled bool       `json:"cancelled"`
}

// DownloadResult is where a download was saved, checked against the
// document's record; Cancelled: no place was chosen.
type DownloadResult struct {
	Path      string `json:"path"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	Cancelled bool   `json:"cancelled"`
}

// List is the case's documents, oldest first.
func (d *Documents) List(caseID uint64) ([]Document, error) {
	var out []Document
	err := d.link.call(apitext.New("doing.read_documents", "read the documents"), func(ctx context.Context, c *apiclient.Client) error {
		list, err := c.Documents(ctx, caseID)
		out = documents(list)
		return err
	})
	return out, err
}

// SetPortal shares a document with the case's clients (true) or withdraws
// it from the portal (false).
func (d *Documents) SetPortal(id uint64, portal bool) (Document, error) {
	doing := apitext.New("doing.withdraw_document", "withdraw the document from the portal")
	if portal {
		doing = apitext.New("doing.share_document", "share the document on the portal")
	}
	var out Document
	err := d.link.call(doing, func(ctx context.Context, c *apiclient.Client) error {
		doc, err := c.SetDocumentPortal(ctx, id, portal)
		out = document(doc)
		return err
	})
	return out, err
}

// Upload asks for one or several files of this computer and sends them to
// the case (shared with its clients when portal is true), streaming each
// from the disk, with progress as EventTransfer events.
func (d *Documents) Upload(caseID uint64, portal bool) (UploadResult, error) {
	sys, err := d.link.desk.get()
	if err != nil {
		return UploadResult{}, err
	}
	paths, err := sys.OpenFiles(d.link.say(apitext.New("dialog.choose_uploads", "Choose the files to upload")), FileFilter{})
	if err != nil {
		return UploadResult{}, uiText(apitext.New("error.file_dialog", "could not open the file dialog"), err)
	}
	if len(paths) == 0 {
		return UploadResult{Cancelled: true}, nil
	}
	return d.upload(caseID, portal, paths)
}

// upload sends the files at paths, maxUploadFiles per request.
func (d *Documents) upload(caseID uint64, portal bool, paths []string) (UploadResult, error) {
	var total int64
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return UploadResult{}, uiText(apitext.New("error.upload_unreadable", "could not upload: cannot read {{.Name}}; check that the file still exists", "Name", filepath.Base(p)), err)
		}
		if !st.Mode().IsRegular() {
			return UploadResult{}, uiText(apitext.New("error.upload_not_file", "could not upload: {{.Name}} is not a file (a folder?); choose files", "Name", filepath.Base(p)), nil)
		}
		total += st.Size()
	}
	name := filepath.Base(paths[0])
	if len(paths) > 1 {
		name = d.link.say(apitext.Plural("documents.files", "{{.Count}} file", "{{.Count}} files", len(paths)))
	}
	out := UploadResult{Documents: []Document{}}
	err := d.transfer("upload", caseID, name, total, apitext.New("doing.upload_file", "upload {{.Name}}", "Name", name), func(ctx context.Context, c *apiclient.Client, count func(io.Reader) io.Reader) error {
		for start := 0; start < len(paths); start += maxUploadFiles {
			batch := paths[start:min(start+maxUploadFiles, len(paths))]
			files := make([]apiclient.UploadFile, 0, len(batch))
			for _, p := range batch {
				f, err := os.Open(p)
				if err != nil {
					return uiText(apitext.New("error.upload_read", "could not upload: cannot read {{.Name}}", "Name", filepath.Base(p)), err)
				}
				defer f.Close()
				files = append(files, apiclient.UploadFile{Name: filepath.Base(p), Content: count(f)})
			}
			docs, err := c.UploadDocuments(ctx, caseID, portal, files...)
			if err != nil {
				if start > 0 {
					return fmt.Errorf("%w (the first %d files were stored)", err, start)
				}
				return err
			}
			out.Documents = append(out.Documents, documents(docs)...)
		}
		return nil
	})
	return out, err
}

// Download asks where to save the document and streams it there with
// progress. The file is written beside the chosen path, checked against the
// document's size and SHA-256, and only then given the chosen name: a cut or
// corrupted download leaves nothing.
func (d *Documents) Download(caseID, id uint64) (DownloadResult, error) {
	var doc Document
	if err := d.link.call(apitext.New("doing.read_document", "read the document"), func(ctx context.Context, c *apiclient.Client) error {
		list, err := c.Documents(ctx, caseID)
		for _, x := range list {
			if x.ID == id {
				doc = document(x)
			}
		}
		if err == nil && doc.ID == 0 {
			err = &api.Error{Status: 404, Code: "not_found", Message: d.link.say(apitext.New("error.document_not_in_case", "the document is not one of this case's (removed?)"))}
		}
		return err
	}); err != nil {
		return DownloadResult{}, err
	}
	sys, err := d.link.desk.get()
	if err != nil {
		return DownloadResult{}, err
	}
	to, err := sys.SaveFile("Save "+doc.Name, doc.Name, FileFilter{})
	if err != nil {
		return DownloadResult{}, uiText(apitext.New("error.file_dialog", "could not open the file dialog"), err)
	}
	if to == "" {
		return DownloadResult{Cancelled: true}, nil
	}
	return d.download(doc, to)
}

func (d *Documents) download(doc Document, to string) (DownloadResult, error) {
	out := DownloadResult{Path: to}
	err := d.transfer("download", doc.CaseID, doc.Name, doc.Size, apitext.New("doing.download_file", "download {{.Name}}", "Name", doc.Name), func(ctx context.Context, c *apiclient.Client, count func(io.Reader) io.Reader) error {
		resp, err := c.DocumentContent(ctx, doc.ID, "")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		tmp, err := os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+".*.part")
		if err != nil {
			return uiText(apitext.New("error.save_in", "could not save in {{.Folder}}: {{.Err}}; choose another folder", "Folder", filepath.Dir(to), "Err", fmt.Sprint(errors.Unwrap(err))), err)
		}
		keep := false
		defer func() {
			if !keep {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(tmp, h), count(resp.Body))
		if err != nil {
			return fmt.Errorf("receive %s: %w", doc.Name, err)
		}
		sum := hex.EncodeToString(h.Sum(nil))
		if n != doc.Size || sum != doc.SHA256 {
			return uiText(apitext.New("error.download_mismatch", "the downloaded copy of {{.Name}} does not match the service's record ({{.Got}} bytes, SHA-256 {{.GotSum}}…, expected {{.Want}} bytes, {{.WantSum}}…): it was not saved; try again", "Name", doc.Name, "Got", n, "GotSum", fmt.Sprintf("%.12s", sum), "Want", doc.Size, "WantSum", fmt.Sprintf("%.12s", doc.SHA256)), nil)
		}
		if err := tmp.Sync(); err != nil {
			return uiText(apitext.New("error.disk_refused", "could not save {{.Name}}: the disk refused the write", "Name", doc.Name), err)
		}
		if err := tmp.Close(); err != nil {
			return uiText(apitext.New("error.disk_refused", "could not save {{.Name}}: the disk refused the write", "Name", doc.Name), err)
		}
		if err := os.Rename(tmp.Name(), to); err != nil {
			return uiText(apitext.New("error.save_as", "could not save {{.Name}} as {{.File}}", "Name", doc.Name, "File", to), err)
		}
		keep = true
		out.Size, out.SHA256 = n, sum
		return nil
	})
	return out, err
}

// Cancel stops a running upload or download (by its Transfer ID); a
// cancelled upload keeps nothing, a cancelled download saves nothing.
func (d *Documents) Cancel(transferID string) bool {
	d.mu.Lock()
	stop := d.running[transferID]
	d.mu.Unlock()
	if stop != nil {
		stop()
	}
	return stop != nil
}

// transfer runs fn with a client without the per-call timeout (a large
// file takes as long as the line needs) and a count wrapper that reports
// the bytes going through as throttled EventTransfer events.
func (d *Documents) transfer(direction string, caseID uint64, name string, total int64, doing apitext.Text,
	fn func(ctx context.Context, c *apiclient.Client, count func(io.Reader) io.Reader) error) error {
	id := fmt.Sprintf("%s-%d", direction, d.seq.Add(1))
	pr := &progress{emit: d.link.emitter(), t: Transfer{ID: id, CaseID: caseID, Direction: direction, Name: name, Total: total, State: "running"}}
	err := d.link.stream(doing, func(ctx context.Context, c *apiclient.Client) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		d.mu.Lock()
		if d.running == nil {
			d.running = map[string]context.CancelFunc{}
		}
		d.running[id] = cancel
		d.mu.Unlock()
		defer func() {
			d.mu.Lock()
			delete(d.running, id)
			d.mu.Unlock()
		}()
		pr.send()
		err := fn(ctx, c, func(r io.Reader) io.Reader { return &counted{r: r, p: pr} })
		if err != nil && ctx.Err() == context.Canceled {
			pr.end("cancelled", "")
			return uiText(cancelled(direction, name), err)
		}
		return err
	})
	if err != nil {
		if pr.state() == "running" {
			pr.end("failed", err.Error())
		}
		return err
	}
	pr.end("done", "")
	return nil
}

// stream is call for a transfer: the connected session through a client
// whose calls have no overall timeout, bounded by the window's lifetime.
func (l *link) stream(doing apitext.Text, fn func(ctx context.Context, c *apiclient.Client) error) error {
	l.mu.Lock()
	c, base, parent := l.client, l.info.Service, l.ctx
	l.mu.Unlock()
	if c == nil {
		return errNotConnected
	}
	c.SetLanguage(l.language())
	err := fn(parent, c.ForTransfers())
	var ui *uiError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ui):
		return err
	case apiclient.IsCode(err, "unauthorized"):
		l.drop(c, l.say(endedReason))
		return sessionEnded(doing, err)
	}
	return explain(base, doing, err)
}

// progress reports one transfer's bytes, throttled.
type progress struct {
	emit Emitter
	mu   sync.Mutex
	t    Transfer
	last time.Time
}

func (p *progress) add(n int) {
	p.mu.Lock()
	p.t.Done += int64(n)
	now := time.Now()
	if now.Sub(p.last) < progressEvery {
		p.mu.Unlock()
		return
	}
	p.last = now
	t := p.t
	p.mu.Unlock()
	p.emit.Emit(EventTransfer, t)
}

func (p *progress) send() {
	p.mu.Lock()
	p.last = time.Now()
	t := p.t
	p.mu.Unlock()
	p.emit.Emit(EventTransfer, t)
}

func (p *progress) end(state, detail string) {
	p.mu.Lock()
	p.t.State, p.t.Detail = state, detail
	p.mu.Unlock()
	p.send()
}

func (p *progress) state() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.t.State
}

// counted passes reads through, counting them.
type counted struct {
	r io.Reader
	p *progress
}

func (c *counted) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	if n > 0 {
		c.p.add(n)
	}
	return n, err
}

func document(d api.Document) Document {
	return Document{ID: d.ID, CaseID: d.CaseID, Name: d.FileName, Type: d.ContentType, Size: d.Size, SHA256: d.SHA256,
		UploaderKind: d.UploaderKind, UploaderName: d.UploaderName, Uploaded: stamp(d.Uploaded), Portal: d.Portal}
}

func documents(list []api.Document) []Document {
	out := make([]Document, 0, len(list))
	for _, d := range list {
		out = append(out, document(d))
	}
	return out
}

// cancelled says that the person cancelled a transfer.
func cancelled(direction, name string) apitext.Text {
	if direction == "upload" {
		return apitext.New("error.upload_cancelled", "the upload of {{.Name}} was cancelled", "Name", name)
	}
	return apitext.New("error.download_cancelled", "the download of {{.Name}} was cancelled", "Name", name)
}
