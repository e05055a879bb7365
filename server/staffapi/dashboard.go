package staffapi

import (
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/store"
)

// Online counts the clients with a portal page open now (the live hub).
type Online interface {
	ClientsOnline() int
}

// excerptRunes bounds a waiting message's excerpt.
const excerptRunes = 140

// dashboard answers GET /api/v1/dashboard: read from the store's dashboard
// indexes (store/dashboard.go), so its cost does not grow with the number of
// cases, only with the lists it returns.
func (a *API) dashboard(w http.ResponseWriter, r request) error {
	weeks := api.DashboardWeeks
	if s := r.URL.Query().Get("weeks"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > api.DashboardMaxWeeks {
			return api.Refusal(http.StatusBadRequest, "bad_request", "weeks",
				apitext.New("staffapi.weeks_range", "weeks must be a number from 1 to {{.Max}}", "Max", api.DashboardMaxWeeks))
		}
		weeks = n
	}
	online := 0
	if a.online != nil {
		online = a.online.ClientsOnline()
	}
	return read(a, w, r, func(tx *store.Tx) (api.Dashboard, error) {
		d := api.Dashboard{ClientsOnline: online, OutboxFailed: tx.OutboxFailedCount()}
		cases := map[uint64]store.Case{}
		caseOf := func(id uint64) (store.Case, error) {
			if c, ok := cases[id]; ok {
				return c, nil
			}
			c, err := tx.Case(id)
			cases[id] = c
			return c, err
		}
		total, notes, err := tx.UnreadByStaffNewest(api.DashboardListLimit)
		if err != nil {
			return d, err
		}
		d.Messages = api.WaitingMessages{Total: total, Items: make([]api.WaitingMessage, 0, len(notes))}
		for _, n := range notes {
			c, err := caseOf(n.CaseID)
			if err != nil {
				return d, err
			}
			d.Messages.Items = append(d.Messages.Items, api.WaitingMessage{ID: n.ID, CaseID: c.ID, CaseNumber: c.Number,
				CaseTitle: c.Title, AuthorName: n.AuthorName, Created: n.Created, Excerpt: excerpt(n.Body)})
		}
		total, ups, err := tx.UploadsWaiting(api.DashboardListLimit)
		if err != nil {
			return d, err
		}
		d.Uploads = api.WaitingUploads{Total: total, Items: make([]api.WaitingUpload, 0, len(ups))}
		for _, u := range ups {
			c, err := caseOf(u.CaseID)
			if err != nil {
				return d, err
			}
			item := api.WaitingUpload{Kind: u.Kind, ID: u.ID, CaseID: c.ID, CaseNumber: c.Number, CaseTitle: c.Title, At: u.At, Files: 1}
			switch u.Kind {
			case store.WaitingRequest:
				req, err := tx.Request(u.CaseID, u.ID)
				if err != nil {
					return d, err
				}
				item.Kind, item.Title, item.Files = api.UploadRequest, req.Title, len(req.DocumentIDs)
			default:
				doc, err := tx.Document(u.ID)
				if err != nil {
					return d, err
				}
				item.Kind, item.Title = api.UploadDocument, doc.FileName
			}
			d.Uploads.Items = append(d.Uploads.Items, item)
		}
		d.Activity, err = activityWeeks(tx, tx.Now(), weeks)
		return d, err
	})
}

// activityWeeks sums the days of the last weeks weeks (Monday to Sunday in
// the office's time zone), oldest first, the current week last.
func activityWeeks(tx *store.Tx, now time.Time, weeks int) ([]api.ActivityWeek, error) {
	loc := time.UTC
	if set, err := tx.Settings(); err != nil {
		return nil, err
	} else if l, err := time.LoadLocation(set.TimeZone); err == nil && set.TimeZone != "" {
		loc = l
	}
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	first := monday.AddDate(0, 0, -7*(weeks-1))
	days, err := tx.ActivityIn(first, today, loc)
	if err != nil {
		return nil, err
	}
	out := make([]api.ActivityWeek, weeks)
	for i := range out {
		start := first.AddDate(0, 0, 7*i)
		out[i].Week = start.Format(time.DateOnly)
		for d := range 7 {
			a := days[start.AddDate(0, 0, d).Format(time.DateOnly)]
			out[i].SignIns += a.SignIns
			out[i].Messages += a.Messages
			out[i].Uploads += a.Uploads
		}
	}
	return out, nil
}

// excerpt is the beginning of a message, cut at a rune boundary.
func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= excerptRunes {
		return s
	}
	r := []rune(s)
	return string(r[:excerptRunes-1]) + "…"
}
