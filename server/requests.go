package server

import (
	"context"
	"time"
)

// RemindDueRequests raises the due-soon reminders of the checklist items
// that reached one (office.RemindDueRequests); Serve runs it every hour.
func (s *Server) RemindDueRequests(ctx context.Context) (int, error) {
	return s.office.RemindDueRequests(ctx)
}

// remindRequests raises due-soon reminders now and every hour until ctx
// ends. Each item records its reminders, so a restart repeats none.
func (s *Server) remindRequests(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := s.RemindDueRequests(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("due-soon reminders", "err", err)
		} else if n > 0 {
			s.log.Info("due-soon reminders raised", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
