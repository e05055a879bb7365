package office

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"clientportal/server/apitext"
	"clientportal/server/docstore"
	"clientportal/store"
)

// NewDocument is a file already safe in the document store (docstore.Put),
// with the name its uploader gave it.
type NewDocument struct {
	docstore.Stored
	FileName string
}

// MaxFileName is the longest original file name kept, in characters.
const MaxFileName = 150

// AddDocuments records files already in the document store as documents of
// the case, in one transaction with their audit entry and event: a staff
// upload is document.shared when it is for the portal, else
// document.uploaded for staff only; a client's upload (always on the portal,
// and only into a case of theirs: a case that is not theirs is
// store.ErrNotFound, alike with a missing one) is document.uploaded. When the
// records do not commit, the files are removed, so no file outlives a
// failed upload.
func (o *Office) AddDocuments(ctx context.Context, a Actor, caseID uint64, portal bool, files []NewDocument) (docs []store.Document, err error) {
	defer func() {
		if err != nil {
			o.removeFiles(files)
		}
	}()
	if o.docs == nil {
		return nil, errors.New("add documents: the service has no document store")
	}
	if len(files) == 0 {
		return nil, invalid("file", apitext.New("document.send_least_one_file", "send at least one file (the form field file)"))
	}
	if a.Kind == "client" {
		portal = true
	}
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		c, err := tx.Case(caseID)
		if err != nil {
			return change{}, err
		}
		if a.Kind == "client" && !c.HasClient(a.ID) {
			return change{}, fmt.Errorf("case %d: %w", caseID, store.ErrNotFound)
		}
		var ch change
		docs, ch, err = addDocuments(tx, a, c, portal, files)
		return ch, err
	})
	if err != nil {
		return nil, err
	}
	return docs, nil
}

// addDocuments writes the records of files already in the document store,
// and says what it did.
func addDocuments(tx *store.Tx, a Actor, c store.Case, portal bool, files []NewDocument) ([]store.Document, change, error) {
	var docs []store.Document
	var events []store.Event
	ids := make([]string, 0, len(files))
	for _, f := range files {
		d := store.Document{CaseID: c.ID, StoredName: f.Name, FileName: SafeFileName(f.FileName),
			ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256,
			UploaderKind: a.Kind, UploaderID: a.ID, UploaderName: a.Name, Portal: portal}
		if err := tx.AddDocument(&d); err != nil {
			return nil, change{}, err
		}
		docs = append(docs, d)
		ids = append(ids, itoa(d.ID))
		events = append(events, documentEvent(c, d, a.Kind == "client"))
	}
	return docs, change{action: "document.add", target: target("case", c.ID),
		detail: fmt.Sprintf("documents %s (portal %t)", strings.Join(ids, ","), portal), events: events}, nil
}

// ClientUpload records a client's upload into a case of theirs: the files
// (already in the document store) as portal documents, and, when body is
// not empty, a message to the office that carries them, all in one
// transaction: either everything is kept or nothing (the files are removed).
// The message counts toward the client's message rate (*RateLimited).
// Events: document.uploaded for each file, message.created for the message.
func (o *Office) ClientUpload(ctx context.Context, a Actor, caseID uint64, files []NewDocument, body string) (docs []store.Document, n store.Note, err error) {
	defer func() {
		if err != nil {
			o.removeFiles(files)
		}
	}()
	if a.Kind != "client" || a.ID == 0 {
		return nil, store.Note{}, errors.New("client upload: the actor is not a client")
	}
	if o.docs == nil {
		return nil, store.Note{}, errors.New("client upload: the service has no document store")
	}
	if len(files) == 0 {
		return nil, store.Note{}, invalid("file", apitext.New("document.send_least_one_file", "send at least one file (the form field file)"))
	}
	withMessage := strings.TrimSpace(body) != ""
	if withMessage {
		if body, err = messageBody(body); err != nil {
			return nil, store.Note{}, err
		}
	}
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		c, err := tx.Case(caseID)
		if err != nil {
			return change{}, err
		}
		if !c.HasClient(a.ID) {
			return change{}, fmt.Errorf("case %d of client %d: %w", caseID, a.ID, store.ErrNotFound)
		}
		var ch change
		if docs, ch, err = addDocuments(tx, a, c, true, files); err != nil {
			return change{}, err
		}
		for _, d := range docs {
			if err := tx.AddWaitingDocument(d); err != nil {
				return change{}, err
			}
		}
		if !withMessage {
			return ch, nil
		}
		ids := make([]uint64, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		if n, err = o.addClientMessage(tx, a, c, body, ids); err != nil {
			return change{}, err
		}
		ch.detail += ", with client message " + itoa(n.ID)
		ch.events = append(ch.events, caseEvent("message.created", c, n.ID))
		return ch, nil
	})
	if err != nil {
		return nil, store.Note{}, err
	}
	return docs, n, nil
}

func documentEvent(c store.Case, d store.Document, fromClient bool) store.Event {
	switch {
	case fromClient:
		return caseEvent("document.uploaded", c, d.ID)
	case d.Portal:
		return caseEvent("document.shared", c, d.ID)
	default:
		ev := caseEvent("document.uploaded", c, d.ID)
		ev.ClientIDs, ev.StaffOnly = nil, true
		return ev
	}
}

// SetDocumentPortal shares a document with the case's clients (portal true,
// event document.shared) or withdraws it (document.withdrawn).
func (o *Office) SetDocumentPortal(ctx context.Context, a Actor, id uint64, portal bool) (store.Document, error) {
	var d store.Document
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		before, after, err := tx.SetDocumentPortal(id, portal)
		if err != nil {
			return change{}, err
		}
		d = after
		c, err := tx.Case(d.CaseID)
		if err != nil {
			return change{}, err
		}
		ch := change{action: "document.portal", target: target("document", id), detail: fmt.Sprintf("portal %t -> %t", before.Portal, portal)}
		if before.Portal != portal {
			typ := "document.withdrawn"
			if portal {
				typ = "document.shared"
			}
			ch.events = []store.Event{caseEvent(typ, c, id)}
		}
		return ch, nil
	})
	return d, err
}

// OpenDocument opens a document's content for reading, and records in the
// audit log who read it.
func (o *Office) OpenDocument(ctx context.Context, a Actor, d store.Document) (*docstore.File, error) {
	if o.docs == nil {
		return nil, errors.New("open document: the service has no document store")
	}
	f, err := o.docs.Open(d.StoredName)
	if err != nil {
		return nil, err
	}
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		ch := change{action: "document.download", target: target("document", d.ID), detail: "case " + itoa(d.CaseID)}
		if a.Kind == "staff" {
			// A client's document waits on the dashboard until staff open
			// it; the first opening tells every staff window (clients never
			// hear of it).
			was, err := tx.DocumentSeenByStaff(d)
			if err != nil {
				return change{}, err
			}
			if was {
				ch.events = []store.Event{{Type: "document.opened", CaseID: d.CaseID, Ref: d.ID, StaffOnly: true}}
			}
		}
		return ch, nil
	})
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Documents is the document store the actions write to (nil: none).
func (o *Office) Documents() *docstore.Store { return o.docs }

func (o *Office) removeFiles(files []NewDocument) {
	for _, f := range files {
		if f.Name != "" && o.docs != nil {
			_ = o.docs.Remove(f.Name)
		}
	}
}

// SafeFileName makes an uploader's file name fit for a Content-Disposition
// header and a save dialog: the last path element only, no control or
// format characters, no leading dots, at most MaxFileName characters,
// "document" when nothing is left.
func SafeFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '"' || r == ':' || r == '*' || r == '?' || r == '<' || r == '>' || r == '|' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if utf8.RuneCountInString(name) > MaxFileName {
		name = string([]rune(name)[:MaxFileName])
	}
	if strings.TrimSpace(name) == "" {
		return "document"
	}
	return strings.TrimSpace(name)
}
