package office_test

import (
	"errors"
	"testing"

	"clientportal/server/office"
	"clientportal/server/password"
	"clientportal/store"
	"clientportal/store/storetest"
)

// notes is a Notifier that keeps the events it is given inside the
// transaction, and fails when told to.
type notes struct {
	events []store.Event
	fail   error
}

func (n *notes) Notify(tx *store.Tx, e store.Event) error {
	n.events = append(n.events, e)
	return n.fail
}

// The notifier sees each event in the action's transaction with who raised
// it, so the mail side can tell a client's message from a staff one; when it
// fails, the change does not commit.
func TestNotifierSeesTheActorAndCanRefuse(t *testing.T) {
	st := storetest.New(t)
	n := &notes{}
	o := office.New(st, passwords{password.Hasher{Params: password.TestParams}}, office.WithNotifier(n))
	c, err := o.CreateClient(ctx, admin, office.NewClient{ClientFields: office.ClientFields{Name: ptr("Ana"), Email: ptr("ana@example.org")}})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := o.CreateCase(ctx, admin, office.CaseFields{Number: ptr("C-1"), Title: ptr("T"), ClientIDs: &[]uint64{c.ID},
		Kind: ptr("pro_bono"), Attorney: &store.Attorney{Name: "Helen Park"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.AddStatus(ctx, admin, cs.ID, office.StatusInput{Status: "received"}); err != nil {
		t.Fatal(err)
	}
	if len(n.events) != 1 || n.events[0].Type != "status.added" || n.events[0].ActorKind != "staff" || n.events[0].ID == 0 {
		t.Fatalf("notifier saw %+v, want one status.added by staff with its log id", n.events)
	}

	n.fail = errors.New("outbox full")
	if _, err := o.AddStatus(ctx, admin, cs.ID, office.StatusInput{Status: "accepted"}); err == nil {
		t.Fatal("AddStatus committed although the notifier failed")
	}
	st.View(ctx, func(tx *store.Tx) error {
		got, _ := tx.Case(cs.ID)
		if got.Current == nil || got.Current.Status != "received" {
			t.Errorf("current status %+v after a failed notification, want received", got.Current)
		}
		return nil
	})
}
