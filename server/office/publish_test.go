package office_test

import (
	"fmt"
	"sync"
	"testing"

	"clientportal/store"
)

// A page keeps the id of the last event it got and reconnects with
// ?after=ID: if the hub heard of event 11 before event 10, a page that lost
// its connection in between would never see 10. So committed events must
// reach the publisher in the order of their ids, however many actions race.
func TestConcurrentActionsPublishInIDOrder(t *testing.T) {
	m := newMessageOffice(t)
	const writers, each = 8, 150
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := m.o.PostStaffMessage(ctx, m.staff, m.anaCase.ID, fmt.Sprintf("note %d.%d", w, i), store.Internal); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	m.pub.mu.Lock()
	defer m.pub.mu.Unlock()
	if len(m.pub.events) != writers*each {
		t.Fatalf("published %d events, want %d", len(m.pub.events), writers*each)
	}
	for i := 1; i < len(m.pub.events); i++ {
		if m.pub.events[i].ID <= m.pub.events[i-1].ID {
			t.Fatalf("event %d published after event %d", m.pub.events[i].ID, m.pub.events[i-1].ID)
		}
	}
}
