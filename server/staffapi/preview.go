package staffapi

import (
	"net/http"

	"clientportal/server/api"
)

// previewClient makes a one-time link that opens the client's portal
// read-only in a browser (audited). The link names the host the caller
// reached the service by.
func (a *API) previewClient(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	token, expires, err := a.auth.PreviewLink(r.ctx(), id, r.me, r.ip)
	if err != nil {
		return err
	}
	scheme := "http://"
	if r.TLS != nil {
		scheme = "https://"
	}
	writeJSON(w, http.StatusCreated, api.PreviewLink{URL: scheme + r.Host + "/preview/" + token, Expires: expires})
	return nil
}
