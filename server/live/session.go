package live

import (
	"context"
	"time"

	"clientportal/store"
)

// checkSessions ends the connections whose session ended (logout, a staff
// lock or revoked access, a disabled staff account, idle or absolute
// expiry), every SessionCheck. One read transaction checks them all. It does
// not touch the sessions: an open page is not activity, so it does not keep
// an idle session alive.
func (h *Hub) checkSessions() {
	t := time.NewTicker(h.check)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case <-t.C:
		}
		conns := h.connections()
		if len(conns) == 0 {
			continue
		}
		var ended []*conn
		err := h.store.View(context.Background(), func(tx *store.Tx) error {
			set, err := tx.Settings()
			if err != nil {
				return err
			}
			alive := map[string]bool{}
			for _, c := range conns {
				key := string(c.session)
				ok, seen := alive[key]
				if !seen {
					ok = sessionStands(tx, c, set.SessionIdle)
					alive[key] = ok
				}
				if !ok {
					ended = append(ended, c)
				}
			}
			return nil
		})
		if err != nil {
			h.log.Warn("live: check sessions", "err", err)
			continue
		}
		if len(ended) > 0 {
			select {
			case h.drop <- ended:
			case <-h.done:
				return
			}
		}
	}
}

// sessionStands is the session check of package auth, without the touch.
func sessionStands(tx *store.Tx, c *conn, idle time.Duration) bool {
	sess, err := tx.Session(c.session)
	if err != nil {
		return false
	}
	now := tx.Now()
	if !now.Before(sess.Expires) || now.Sub(sess.LastSeen) > idle {
		return false
	}
	if c.clientID != 0 {
		if sess.Kind != store.SessionClient || sess.SubjectID != c.clientID {
			return false
		}
		cl, err := tx.Client(c.clientID)
		return err == nil && !cl.Access.Locked && cl.Access.AllowedToLogOn
	}
	if sess.Kind != store.SessionStaff {
		return false
	}
	st, err := tx.Staff(sess.SubjectID)
	return err == nil && !st.Disabled
}
