package app

import (
	"context"
	"fmt"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// pageSize is how many cases a page of the list holds by default; the
// service takes 1 to 500.
const pageSize = 50

// Cases is bound to the frontend as window.go.app.Cases: the case list and
// a case's own fields.
type Cases struct {
	link *link
}

// CaseRow is one line of the case list.
type CaseRow struct {
	ID         uint64 `json:"id"`
	Number     string `json:"number"`
	Title      string `json:"title"`
	Kind       string `json:"kind"`       // "staff" or "pro_bono"
	Advocate   string `json:"advocate"`   // the staff advocate's name, or the outside attorney's
	Status     string `json:"status"`     // the current status's name ("" before the first)
	StatusDate string `json:"statusDate"` // its date, YYYY-MM-DD
	Updated    string `json:"updated"`    // RFC 3339
	// In the list only: the clients' names ("Ana Ruiz, Luis Ruiz"), when
	// the case was opened and its last activity (RFC 3339).
	ClientNames string `json:"clientNames"`
	Opened      string `json:"opened"`
	Activity    string `json:"activity"`
}

// CaseList is a page of the list. Next, when not 0, is the after of the
// next page.
type CaseList struct {
	Items []CaseRow `json:"items"`
	Next  uint64    `json:"next"`
}

// Person is a client or staff member named on a case.
type Person struct {
	ID    uint64 `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Attorney is a pro bono case's outside attorney.
type Attorney struct {
	Name  string `json:"name"`
	Firm  string `json:"firm"`
	Phone string `json:"phone"`
	Email string `json:"email"`
}

// CaseDetail is one case with its people's names.
type CaseDetail struct {
	CaseRow
	Clients    []Person  `json:"clients"`
	AdvocateID uint64    `json:"advocateId"`
	Attorney   *Attorney `json:"attorney,omitempty"`
	Created    string    `json:"created"`
}

// CaseInput opens a case (every field but the attorney needed) or changes
// one (only the fields given change, so a colleague's change of another
// field at the same time stands).
type CaseInput struct {
	Number     *string   `json:"number,omitempty"`
	Title      *string   `json:"title,omitempty"`
	ClientIDs  *[]uint64 `json:"clientIds,omitempty"`
	Kind       *string   `json:"kind,omitempty"`
	AdvocateID *uint64   `json:"advocateId,omitempty"`
	Attorney   *Attorney `json:"attorney,omitempty"`
}

func (in CaseInput) api() api.CaseInput {
	out := api.CaseInput{Number: in.Number, Title: in.Title, ClientIDs: in.ClientIDs, Kind: in.Kind, AdvocateID: in.AdvocateID}
	if in.Attorney != nil {
		at := api.Attorney(*in.Attorney)
		out.Attorney = &at
	}
	return out
}

// List searches the cases (number, title, client name; case and accents
// ignored; "" lists all) and returns the page after the case after (0: the
// first page) of at most limit cases (0: 50). Only one page is ever read,
// so an office with tens of thousands of cases lists as fast as a small one.
func (cs *Cases) List(query string, after uint64, limit int) (CaseList, error) {
	return cs.list(apiclient.ListOptions{Q: strings.TrimSpace(query), After: after, Limit: limit})
}

// CaseFilter narrows the case list; zero fields do not narrow.
type CaseFilter struct {
	Query      string `json:"query"`      // as List's
	Status     string `json:"status"`     // the current status's id
	AdvocateID uint64 `json:"advocateId"` // the staff advocate
	Unread     bool   `json:"unread"`     // client messages no staff member has read
	// Waiting: a client upload waits for staff (as the dashboard's
	// "uploads waiting for staff").
	Waiting bool `json:"waiting"`
	// Sort: "activity", "number", "client", "status" or "opened" ("": the
	// order cases were opened in); Order: "asc" or "desc" ("": ascending,
	// newest first for activity).
	Sort  string `json:"sort"`
	Order string `json:"order"`
}

// Find is List narrowed by f. The service walks one of its indexes (the
// status's cases, the advocate's, the unread messages), so a filtered page
// too costs about the same in a large office.
func (cs *Cases) Find(f CaseFilter, after uint64, limit int) (CaseList, error) {
	return cs.list(apiclient.ListOptions{Q: strings.TrimSpace(f.Query), After: after, Limit: limit,
		Status: f.Status, Advocate: f.AdvocateID, Unread: f.Unread, Waiting: f.Waiting, Sort: f.Sort, Order: f.Order})
}

func (cs *Cases) list(o apiclient.ListOptions) (CaseList, error) {
	limit := o.Limit
	if limit <= 0 {
		limit = pageSize
	}
	if limit > 500 {
		return CaseList{}, uiText(apitext.New("error.page_cases", "a page holds at most 500 cases, not {{.Limit}}", "Limit", limit), nil)
	}
	var out CaseList
	err := cs.link.call(apitext.New("doing.list_cases", "list the cases"), func(ctx context.Context, c *apiclient.Client) error {
		o.Limit = limit
		page, err := c.ListCases(ctx, o)
		if err != nil {
			return err
		}
		names, err := staffNames(ctx, c)
		if err != nil {
			return err
		}
		out = CaseList{Items: make([]CaseRow, 0, len(page.Items)), Next: page.Next}
		for _, k := range page.Items {
			r := caseRow(k, names)
			r.ClientNames, r.Opened = strings.Join(k.ClientNames, ", "), stamp(k.Created)
			if k.LastActivity != nil {
				r.Activity = stamp(*k.LastActivity)
			}
			out.Items = append(out.Items, r)
		}
		return nil
	})
	return out, err
}

// Get reads one case with its clients' and advocate's names.
func (cs *Cases) Get(id uint64) (CaseDetail, error) {
	var out CaseDetail
	err := cs.link.call(apitext.New("doing.read_case", "read the case"), func(ctx context.Context, c *apiclient.Client) error {
		k, err := c.Case(ctx, id)
		if err != nil {
			return err
		}
		out, err = caseDetail(ctx, c, k)
		return err
	})
	return out, err
}

// Create opens a case.
func (cs *Cases) Create(in CaseInput) (CaseDetail, error) {
	var out CaseDetail
	err := cs.link.call(apitext.New("doing.open_case", "open the case"), func(ctx context.Context, c *apiclient.Client) error {
		k, err := c.CreateCase(ctx, in.api())
		if err != nil {
			return err
		}
		out, err = caseDetail(ctx, c, k)
		return err
	})
	return out, err
}

// Update changes the fields of case id that in gives.
func (cs *Cases) Update(id uint64, in CaseInput) (CaseDetail, error) {
	var out CaseDetail
	err := cs.link.call(apitext.New("doing.change_case", "change the case"), func(ctx context.Context, c *apiclient.Client) error {
		k, err := c.UpdateCase(ctx, id, in.api())
		if err != nil {
			return err
		}
		out, err = caseDetail(ctx, c, k)
		return err
	})
	return out, err
}

// Staff lists the staff members (for choosing an advocate).
func (cs *Cases) Staff() ([]Person, error) {
	var out []Person
	err := cs.link.call(apitext.New("doing.list_staff", "list the staff"), func(ctx context.Context, c *apiclient.Client) error {
		page, err := c.ListStaff(ctx)
		for _, s := range page.Items {
			if !s.Disabled {
				out = append(out, Person{ID: s.ID, Name: s.Name, Email: s.Email})
			}
		}
		return err
	})
	return out, err
}

// staffNames maps staff ids to names (one call for a whole page).
func staffNames(ctx context.Context, c *apiclient.Client) (map[uint64]string, error) {
	page, err := c.ListStaff(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[uint64]string, len(page.Items))
	for _, s := range page.Items {
		names[s.ID] = s.Name
	}
	return names, nil
}

func caseRow(k api.Case, staff map[uint64]string) CaseRow {
	r := CaseRow{ID: k.ID, Number: k.Number, Title: k.Title, Kind: k.Kind, Advocate: staff[k.AdvocateID], Updated: stamp(k.Updated)}
	if k.Attorney != nil && k.AdvocateID == 0 {
		r.Advocate = k.Attorney.Name
	}
	if k.Current != nil {
		r.Status, r.StatusDate = k.Current.StatusName, k.Current.Date
	}
	return r
}

func caseDetail(ctx context.Context, c *apiclient.Client, k api.Case) (CaseDetail, error) {
	names, err := staffNames(ctx, c)
	if err != nil {
		return CaseDetail{}, err
	}
	d := CaseDetail{CaseRow: caseRow(k, names), AdvocateID: k.AdvocateID, Created: stamp(k.Created), Clients: []Person{}}
	if k.Attorney != nil {
		at := Attorney(*k.Attorney)
		d.Attorney = &at
	}
	for _, id := range k.ClientIDs {
		cl, err := c.Client(ctx, id)
		if err != nil {
			return CaseDetail{}, fmt.Errorf("client %d of the case: %w", id, err)
		}
		d.Clients = append(d.Clients, Person{ID: cl.ID, Name: cl.Name, Email: cl.Email})
	}
	return d, nil
}
