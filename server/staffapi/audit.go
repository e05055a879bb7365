package staffapi

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/store"
)

// auditCSV answers GET /api/v1/audit.csv?case=ID or ?client=ID: that case's
// or client's trail, oldest first, as CSV. A cell that a spreadsheet would
// read as a formula (starting with = + - @, or a tab or carriage return) is
// prefixed with ' so it stays text.
func (a *API) auditCSV(w http.ResponseWriter, r request) error {
	q := r.URL.Query()
	var f store.AuditFilter
	var name string
	for _, p := range []struct {
		key string
		dst *uint64
	}{{"case", &f.Case}, {"client", &f.Client}} {
		s := q.Get(p.key)
		if s == "" {
			continue
		}
		id, err := strconv.ParseUint(s, 10, 64)
		if err != nil || id == 0 {
			return &api.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: p.key, Message: p.key + " must be a record id"}
		}
		*p.dst, name = id, p.key+"-"+s
	}
	if (f.Case == 0) == (f.Client == 0) {
		return api.Refusal(http.StatusBadRequest, "bad_request", "case", apitext.New("staffapi.name_one_trail_case", "name one trail: ?case=ID or ?client=ID"))
	}
	var trail []store.AuditEntry
	err := a.store.View(r.ctx(), func(tx *store.Tx) error {
		var err error
		if f.Case != 0 {
			_, err = tx.Case(f.Case)
		} else {
			_, err = tx.Client(f.Client)
		}
		if err != nil {
			return err
		}
		trail, err = tx.AuditTrail(f)
		return err
	})
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="audit-`+name+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "at", "actor_kind", "actor_id", "actor_name", "ip", "action", "target", "detail", "prev"})
	for _, e := range trail {
		actor := ""
		if e.ActorID != 0 {
			actor = strconv.FormatUint(e.ActorID, 10)
		}
		cw.Write([]string{strconv.FormatUint(e.ID, 10), e.At.UTC().Format(time.RFC3339Nano), safeCell(e.ActorKind), actor,
			safeCell(e.ActorName), safeCell(e.IP), safeCell(e.Action), safeCell(e.Target), safeCell(e.Detail), e.Prev})
	}
	cw.Flush()
	return a.auditExported(r, f, len(trail), cw.Error())
}

// auditExported audits the export itself (after the answer, which is not
// held back for it).
func (a *API) auditExported(r request, f store.AuditFilter, n int, werr error) error {
	if werr != nil {
		a.log.Warn("audit export cut short", "err", werr)
	}
	tgt := target("case", f.Case)
	if f.Client != 0 {
		tgt = target("client", f.Client)
	}
	err := a.store.Update(r.ctx(), func(tx *store.Tx) error {
		return tx.Audit(store.AuditEntry{ActorKind: "staff", ActorID: r.me.ID, ActorName: r.me.Name, IP: r.ip,
			Action: "audit.export", Target: tgt, Detail: strconv.Itoa(n) + " entries"})
	})
	if err != nil {
		a.log.Error("audit the audit export", "err", err)
	}
	return nil
}

// safeCell keeps a spreadsheet from running a cell as a formula.
func safeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
