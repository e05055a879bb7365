package staffapi

import (
	"context"
	"net/http"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/office"
	"clientportal/store"
)

// TLS is the service's certificate side (the listeners Run opens).
type TLS interface {
	// Status is the state of the certificates (GET /api/v1/tls).
	Status(ctx context.Context) api.TLSStatus
	// Reload makes changed domain settings take effect.
	Reload(ctx context.Context) error
}

// registerTLS adds the certificate state and the domain settings.
func (a *API) registerTLS(mux Mux) {
	mux.Handle("GET "+api.PathTLS, a.staff(a.getTLS))
	mux.Handle("GET "+api.PathSettingsDomain, a.admin(a.getDomain))
	mux.Handle("PUT "+api.PathSettingsDomain, a.admin(a.putDomain))
}

func (a *API) getTLS(w http.ResponseWriter, r request) error {
	if a.tls == nil {
		var set store.Settings
		if err := a.store.View(r.ctx(), func(tx *store.Tx) (err error) { set, err = tx.Settings(); return err }); err != nil {
			return err
		}
		off := apitext.New("tls.state_plain_only", "This service was started for plain HTTP only, without HTTPS: the domain takes effect once the portal service runs normally.")
		writeJSON(w, http.StatusOK, api.TLSStatus{State: api.TLSOff, Domain: set.Domain, Message: inLanguage(r.Request, off)})
		return nil
	}
	st := a.tls.Status(r.ctx())
	if st.Text.ID != "" {
		st.Message = inLanguage(r.Request, st.Text)
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// inLanguage is t in the language r asks for with Accept-Language.
func inLanguage(r *http.Request, t apitext.Text) string {
	return apitext.In(apitext.Match(r.Header.Get("Accept-Language")), t)
}

func domainView(set store.Settings, ts store.TLSSettings) api.DomainSettings {
	return api.DomainSettings{Domain: set.Domain, ACMEEmail: ts.ACMEEmail, ACMECA: ts.ACMECA, ACMERootPEM: ts.ACMERootPEM, PublicStaffAPI: ts.PublicStaffAPI}
}

func (a *API) getDomain(w http.ResponseWriter, r request) error {
	return read(a, w, r, func(tx *store.Tx) (api.DomainSettings, error) {
		set, err := tx.Settings()
		if err != nil {
			return api.DomainSettings{}, err
		}
		ts, err := tx.TLSSettings()
		return domainView(set, ts), err
	})
}

// putDomain changes the domain settings; they take effect at once (the
// certificate for a new domain is obtained in the background: GET
// /api/v1/tls shows how that goes).
func (a *API) putDomain(w http.ResponseWriter, r request) error {
	var in api.DomainInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	set, ts, err := a.office.UpdateDomain(r.ctx(), r.actor(), office.DomainFields{Domain: in.Domain, ACMEEmail: in.ACMEEmail,
		ACMECA: in.ACMECA, ACMERootPEM: in.ACMERootPEM, PublicStaffAPI: in.PublicStaffAPI})
	if err != nil {
		return err
	}
	if a.tls != nil {
		// Saved either way; a failure to apply shows in GET /api/v1/tls.
		if err := a.tls.Reload(r.ctx()); err != nil {
			a.log.Error("apply the domain settings", "err", err)
		}
	}
	writeJSON(w, http.StatusOK, domainView(set, ts))
	return nil
}
