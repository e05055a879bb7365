package staffapi

import (
	"net/http"
	"time"

	"clientportal/server/api"
	"clientportal/server/httpsec"
	"clientportal/server/ratelimit"
)

// registerConfigCheck adds GET /api/v1/config/check (admin only): the
// configuration check the control panel shows.
func (a *API) registerConfigCheck(mux Mux) {
	if a.configCheck == nil {
		mux.Handle("GET "+api.PathConfigCheck, a.admin(unavailable("configuration check")))
		return
	}
	// Each run dials out (DNS, the mail server, the domain): a few, then
	// one every 10 seconds.
	limit := ratelimit.New(10*time.Second, 5)
	mux.Handle("GET "+api.PathConfigCheck, httpsec.LongRunning(a.admin(func(w http.ResponseWriter, r request) error {
		if ok, wait := limit.Take("office"); !ok {
			return api.ErrRateLimited.WithRetryAfter(wait)
		}
		rep, err := a.configCheck.Run(r.ctx())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, rep)
		return nil
	}), time.Minute, 2*time.Minute))
}
