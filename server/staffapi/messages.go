package staffapi

import (
	"net/http"
	"strconv"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/store"
)

// messageView is a note as staff see it, with the documents it carries
// read in tx.
func messageView(tx *store.Tx, n store.Note) (api.Message, error) {
	m := messageFields(n)
	for _, id := range n.DocumentIDs {
		d, err := tx.Document(id)
		if err != nil {
			return api.Message{}, err
		}
		m.Documents = append(m.Documents, documentView(d))
	}
	return m, nil
}

func messageFields(n store.Note) api.Message {
	return api.Message{ID: n.ID, CaseID: n.CaseID, AuthorKind: n.AuthorKind, AuthorID: n.AuthorID, AuthorName: n.AuthorName,
		Created: n.Created, Body: n.Body, Visibility: string(n.Visibility), ToStaffID: n.ToStaffID,
		ReadByClientAt: optTime(n.ReadByClientAt), ReadByClientID: n.ReadByClientID,
		ReadByStaffAt: optTime(n.ReadByStaffAt), ReadByStaffID: n.ReadByStaffID}
}

// listMessages answers the case's notes and messages, internal ones
// included, newest first: ?before= (the page's Next) and ?limit=. Reading
// does not mark anything read: POST .../messages/read does.
func (a *API) listMessages(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var before uint64
	if s := r.URL.Query().Get("before"); s != "" {
		if before, err = strconv.ParseUint(s, 10, 64); err != nil {
			return api.Refusal(http.StatusBadRequest, "bad_request", "before", apitext.New("staffapi.before_message_id_next", "before must be a message id (the next of the page before)"))
		}
	}
	_, _, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Messages, error) {
		var page api.Messages
		if _, err := tx.Case(id); err != nil {
			return page, err
		}
		notes, err := tx.Notes(id, before, limit+1, false)
		if err != nil {
			return page, err
		}
		page.Items = make([]api.Message, 0, min(len(notes), limit))
		for i, n := range notes {
			if i == limit {
				page.Next = notes[i-1].ID
				break
			}
			m, err := messageView(tx, n)
			if err != nil {
				return page, err
			}
			page.Items = append(page.Items, m)
		}
		page.Unread = tx.UnreadByStaff(id)
		return page, nil
	})
}

// postMessage adds an internal note or a portal message to the case.
func (a *API) postMessage(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.MessageInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	n, err := a.office.PostStaffMessageWithDocuments(r.ctx(), r.actor(), id, in.Body, store.Visibility(in.Visibility), in.Documents, in.ShareDocuments)
	if err != nil {
		return err
	}
	return readStatus(a, w, r, http.StatusCreated, func(tx *store.Tx) (api.Message, error) { return messageView(tx, n) })
}

// markMessagesRead marks the case's client messages (up to up_to, or all)
// as read by the caller.
func (a *API) markMessagesRead(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.MessagesReadInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	n, err := a.office.MarkReadByStaff(r.ctx(), r.actor(), id, in.UpTo)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.MessagesRead{Marked: n})
	return nil
}

// events serves the staff event stream, GET /api/v1/events: a websocket the
// live hub runs (it checks the bearer token itself, since it must keep
// checking it while the stream is open).
func (a *API) events() http.Handler {
	if a.eventStream == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			api.WriteError(w, api.Refusal(http.StatusServiceUnavailable, "unavailable", "", apitext.New("staffapi.service_has_no_live", "this service has no live event stream")))
		})
	}
	return a.eventStream
}
