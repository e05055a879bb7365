package setup

import (
	"crypto/subtle"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/httpsec"
	"clientportal/server/password"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// The answers of POST /api/v1/setup besides field errors.
var (
	ErrNotLocal    = api.Refusal(http.StatusForbidden, "not_local", "", apitext.New("setup.setup_code_accepted_only", "the setup code is accepted only from the computer that runs the service: send this request there, to 127.0.0.1"))
	ErrAdminExists = api.Refusal(http.StatusConflict, "admin_exists", "", apitext.New("setup.office_already_has_staff", "this office already has staff, so the setup code is no longer used: log in as an administrator, or reset an administrator's password with `clientportal admin reset-password`"))
	ErrNoCode      = api.Refusal(http.StatusGone, "no_setup_code", "", apitext.New("setup.no_setup_code_active", "no setup code is active: restart the service to get a new one (it writes one while the office has no staff), or run `clientportal admin create`"))
	ErrExpired     = api.Refusal(http.StatusGone, "setup_code_expired", "", apitext.New("setup.setup_code_has_expired", "the setup code has expired: restart the service to get a new one, or run `clientportal admin create`"))
	ErrWrongCode   = api.Refusal(http.StatusForbidden, "wrong_setup_code", "",
		apitext.New("setup.wrong_code", "the setup code is not correct: copy it from the file {{.File}} in the service's data folder", "File", FileName))
)

// maxBody bounds the request: a code, an email, a name and a password.
const maxBody = 8 << 10

// Config is what the handler needs.
type Config struct {
	Store  *store.Store
	Hasher password.Hasher
	Log    *slog.Logger
}

// Handler serves POST /api/v1/setup: it creates the first administrator
// from the setup code, for a request from the server itself only.
type Handler struct {
	store  *store.Store
	hasher password.Hasher
	log    *slog.Logger
	// limit counts every attempt under one key: they all come from this
	// computer, and 127.0.0.0/8 has many addresses to rotate through.
	limit *ratelimit.Limiter
}

// New returns the handler.
func New(cfg Config) *Handler {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Hasher.Params == (password.Params{}) {
		cfg.Hasher.Params = password.DefaultParams
	}
	return &Handler{store: cfg.Store, hasher: cfg.Hasher, log: cfg.Log, limit: ratelimit.New(6*time.Second, 10)}
}

// ServeHTTP answers 201 with the new administrator, or an api.Error.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	st, err := h.serve(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	api.WriteJSON(w, http.StatusCreated, api.Staff{ID: st.ID, Email: st.Email, Name: st.Name, Role: string(st.Role)})
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) (store.Staff, error) {
	ip := httpsec.ClientIP(r)
	if !isLoopback(ip) {
		h.log.Warn("setup code refused: not from this computer", "ip", ip)
		return store.Staff{}, ErrNotLocal
	}
	if ok, wait := h.limit.Take("setup"); !ok {
		return store.Staff{}, api.ErrRateLimited.WithRetryAfter(wait)
	}
	var in api.SetupRequest
	if err := decode(w, r, &in); err != nil {
		return store.Staff{}, err
	}
	// The code first: without it, nothing else is anyone's business.
	err := h.store.View(r.Context(), func(tx *store.Tx) error { return checkCode(tx, in.Code) })
	if err != nil {
		return store.Staff{}, h.refused(r, ip, err)
	}
	admin := Admin{Email: in.Email, Name: in.Name, Password: in.Password}
	if err := admin.CheckIdentity(); err != nil {
		return store.Staff{}, err
	}
	if err := CheckPassword(admin.Password, admin.Name, admin.Email); err != nil {
		return store.Staff{}, err
	}
	hash, err := h.hasher.Hash(admin.Password)
	if err != nil {
		return store.Staff{}, err
	}
	st := store.Staff{Email: admin.Email, Name: admin.Name, Role: store.RoleAdmin, PasswordHash: hash}
	err = h.store.Update(r.Context(), func(tx *store.Tx) error {
		// Again inside the write: two requests with the right code may race,
		// and only the first may create an administrator.
		if err := checkCode(tx, in.Code); err != nil {
			return err
		}
		if err := tx.PutStaff(&st); err != nil {
			return err
		}
		if err := tx.DeleteSetupCode(); err != nil {
			return err
		}
		return tx.Audit(Actor{Name: "setup code", IP: ip}.entry("staff.create", target(st.ID), "first administrator"))
	})
	if err != nil {
		return store.Staff{}, h.refused(r, ip, err)
	}
	if err := removeFile(FilePath(h.store)); err != nil {
		h.log.Warn("setup code used but its file remains", "err", err)
	}
	h.log.Info("first administrator created with the setup code", "staff", st.ID, "ip", ip)
	return st, nil
}

// checkCode refuses when the office has staff, no code is active, the code
// has expired or the given one does not match (compared in constant time).
func checkCode(tx *store.Tx, code string) error {
	if tx.HasStaff() {
		return ErrAdminExists
	}
	c, err := tx.SetupCode()
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoCode
	} else if err != nil {
		return err
	}
	if !tx.Now().Before(c.Expires) {
		return ErrExpired
	}
	if subtle.ConstantTimeCompare(hashCode(code), c.Hash) != 1 {
		return ErrWrongCode
	}
	return nil
}

// refused audits a refusal of a wrong, expired or spent code (attempts from
// this computer, so rate limited) and passes err on.
func (h *Handler) refused(r *http.Request, ip string, err error) error {
	var e *api.Error
	if !errors.As(err, &e) {
		return err
	}
	aerr := h.store.Update(r.Context(), func(tx *store.Tx) error {
		return tx.Audit(Actor{Name: "setup code", IP: ip}.entry("setup.refused", "", e.Code))
	})
	if aerr != nil {
		h.log.Error("audit setup refusal", "err", aerr)
	}
	return err
}

// isLoopback reports whether the peer is this computer. The service is
// served directly, never behind a proxy, so the peer address is the truth.
func isLoopback(ip string) bool {
	addr := net.ParseIP(ip)
	return addr != nil && addr.IsLoopback()
}

func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *api.Error
	if !errors.As(err, &e) {
		h.log.Error("setup", "method", r.Method, "path", r.URL.Path, "err", err)
		e = api.ErrInternal
	}
	api.WriteErrorFor(w, r, e)
}

// decode reads the body as the staff API does: JSON, small, valid UTF-8, one
// object with no unknown fields.
func decode(w http.ResponseWriter, r *http.Request, v any) error { return api.Decode(w, r, v, maxBody) }
