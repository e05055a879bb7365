package staffapi

import (
	"net/http"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/office"
	"clientportal/store"
)

// registerRequests adds the checklist's routes (document requests).
func (a *API) registerRequests(mux Mux) {
	mux.Handle("GET "+api.PathCaseRequests, a.staff(a.listRequests))
	mux.Handle("POST "+api.PathCaseRequests, a.staff(a.addRequests))
	mux.Handle("PATCH "+api.PathRequest, a.staff(a.updateRequest))
	mux.Handle("POST "+api.PathRequestAccept, a.staff(a.acceptRequest))
	mux.Handle("POST "+api.PathRequestReturn, a.staff(a.returnRequest))
}

// requestView is r as staff see it; overdue against the office's today.
func requestView(r store.DocumentRequest, set store.Settings, tx *store.Tx) api.DocumentRequest {
	v := api.DocumentRequest{ID: r.ID, CaseID: r.CaseID, Title: r.Title, Due: r.Due, Note: r.Note, State: r.State,
		DocumentIDs: append([]uint64{}, r.DocumentIDs...), EarlierDocumentIDs: r.Earlier, Reason: r.Reason,
		Submitted: optTime(r.Submitted), Created: r.Created, CreatedBy: r.CreatedBy, Updated: r.Updated,
		UpdatedByKind: r.UpdatedByKind, UpdatedByID: r.UpdatedByID}
	if end, ok := r.Deadline(set.Location()); ok && r.Open() && !tx.Now().Before(end) {
		v.Overdue = true
	}
	return v
}

// requestsView reads the settings and makes the views of list.
func requestsView(tx *store.Tx, list []store.DocumentRequest) (api.DocumentRequests, error) {
	set, err := tx.Settings()
	if err != nil {
		return api.DocumentRequests{}, err
	}
	out := api.DocumentRequests{Items: make([]api.DocumentRequest, 0, len(list))}
	for _, r := range list {
		out.Items = append(out.Items, requestView(r, set, tx))
	}
	return out, nil
}

// oneRequest answers the item with id as it is now.
func (a *API) oneRequest(w http.ResponseWriter, r request, status int, id uint64) error {
	return readStatus(a, w, r, status, func(tx *store.Tx) (api.DocumentRequest, error) {
		dr, err := tx.RequestByID(id)
		if err != nil {
			return api.DocumentRequest{}, err
		}
		set, err := tx.Settings()
		return requestView(dr, set, tx), err
	})
}

// listRequests answers the case's checklist, cancelled items included.
func (a *API) listRequests(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.DocumentRequests, error) {
		if _, err := tx.Case(id); err != nil {
			return api.DocumentRequests{}, err
		}
		list, err := tx.Requests(id)
		if err != nil {
			return api.DocumentRequests{}, err
		}
		return requestsView(tx, list)
	})
}

// addRequests adds several items to the case's checklist at once.
func (a *API) addRequests(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.RequestsInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	items := make([]office.RequestInput, len(in.Items))
	for i, it := range in.Items {
		items[i] = office.RequestInput{Title: it.Title, Due: it.Due, Note: it.Note}
	}
	added, err := a.office.AddRequests(r.ctx(), r.actor(), id, items)
	if err != nil {
		return err
	}
	return readStatus(a, w, r, http.StatusCreated, func(tx *store.Tx) (api.DocumentRequests, error) {
		return requestsView(tx, added)
	})
}

// updateRequest changes an item's title, due day or note, or cancels it.
func (a *API) updateRequest(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.RequestChange
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if in.State != nil {
		switch {
		case strings.TrimSpace(*in.State) != store.RequestCancelled:
			return api.Invalid("state", apitext.New("staffapi.state_can_only_set", `state can only be set to "cancelled"; staff accept or return an item at its own routes`))
		case in.Title != nil || in.Due != nil || in.Note != nil:
			return api.Invalid("state", apitext.New("staffapi.send_state_cancelled_alone", `send "state": "cancelled" alone: a cancelled item does not change`))
		}
		if _, err := a.office.CancelRequest(r.ctx(), r.actor(), id); err != nil {
			return err
		}
		return a.oneRequest(w, r, http.StatusOK, id)
	}
	if in.Title == nil && in.Due == nil && in.Note == nil {
		return api.Invalid("title", apitext.New("staffapi.send_what_change_title", "send what to change: title, due, note, or state"))
	}
	if _, err := a.office.UpdateRequest(r.ctx(), r.actor(), id, office.RequestChange{Title: in.Title, Due: in.Due, Note: in.Note}); err != nil {
		return err
	}
	return a.oneRequest(w, r, http.StatusOK, id)
}

// acceptRequest accepts what the client sent for an item.
func (a *API) acceptRequest(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.office.AcceptRequest(r.ctx(), r.actor(), id); err != nil {
		return err
	}
	return a.oneRequest(w, r, http.StatusOK, id)
}

// returnRequest returns what the client sent, with the reason they read.
func (a *API) returnRequest(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.ReturnInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if _, err := a.office.ReturnRequest(r.ctx(), r.actor(), id, in.Reason); err != nil {
		return err
	}
	return a.oneRequest(w, r, http.StatusOK, id)
}
