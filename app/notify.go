package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"clientportal/server/apiclient"
	"clientportal/server/apitext"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Desktop notifications: a client's new message or upload, seen on the live
// feed, raises one notification of the operating system (several within
// coalesceWindow raise one between them). The live event says what and
// where, not who: the author is read through the API, so staff actions (the
// person's own included) never raise one, and the text names only the
// case's number, never the content.

// coalesceWindow is how long after a client's event others are gathered
// into the same notification.
const coalesceWindow = 3 * time.Second

// Notification is one desktop notification.
type Notification struct {
	ID    string // the same ID replaces an earlier one where the OS allows
	Title string
	Body  string
}

// Notifier shows desktop notifications. In the window it is the Wails
// runtime (D-Bus org.freedesktop.Notifications on Linux, toasts on
// Windows, the notification centre on macOS); tests record what is shown.
type Notifier interface {
	Notify(Notification) error
}

// wailsNotifier shows notifications through the Wails runtime.
type wailsNotifier struct{ ctx context.Context }

func (w wailsNotifier) Notify(n Notification) error {
	return runtime.SendNotification(w.ctx, runtime.NotificationOptions{ID: n.ID, Title: n.Title, Body: n.Body})
}

// startWailsNotifier connects to the OS's notifications when the window
// starts; nil when they are not available (on Linux, no session bus).
func startWailsNotifier(ctx context.Context) Notifier {
	if err := runtime.InitializeNotifications(ctx); err != nil {
		slog.Warn("desktop notifications are not available", "err", err)
		return nil
	}
	if ok, err := runtime.RequestNotificationAuthorization(ctx); !ok || err != nil {
		slog.Warn("desktop notifications are not allowed", "err", err)
	}
	return wailsNotifier{ctx: ctx}
}

// NotificationSettings is the control panel's own notification setting
// (kept on this computer, not in the service).
type NotificationSettings struct {
	Enabled bool `json:"enabled"` // raise desktop notifications for clients' messages and uploads
}

// Notifications is bound to the frontend as window.go.app.Notifications:
// the setting that turns desktop notifications off and on.
type Notifications struct {
	notes *notes
}

// Settings reads the setting (on unless turned off).
func (n *Notifications) Settings() (NotificationSettings, error) {
	on, err := n.notes.enabled()
	return NotificationSettings{Enabled: on}, err
}

// SetEnabled turns the notifications on or off and keeps the choice in the
// control panel's settings file.
func (n *Notifications) SetEnabled(on bool) (NotificationSettings, error) {
	if err := n.notes.setEnabled(on); err != nil {
		return NotificationSettings{Enabled: !on}, err
	}
	return NotificationSettings{Enabled: on}, nil
}

// notes turns a session's live events into desktop notifications.
type notes struct {
	link   *link
	file   string        // the settings file ("": no file, always on)
	window time.Duration // coalescing window

	mu      sync.Mutex
	send    Notifier // nil: none shown
	on      *bool    // the setting once read or set
	pending []LiveEvent
	timer   *time.Timer
	numbers map[uint64]string // case id -> number, read once
}

func newNotes(l *link, file string) *notes {
	return &notes{link: l, file: file, window: coalesceWindow, numbers: map[uint64]string{}}
}

// defaultSettingsFile is the settings file in the user's configuration
// folder ("" when the OS names none).
func defaultSettingsFile() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "clientportal", "notifications.json")
}

func (n *notes) setNotifier(s Notifier) {
	n.mu.Lock()
	n.send = s
	n.mu.Unlock()
}

// enabled reads the setting. A file that cannot be read leaves them on and
// says so (setting it again rewrites the file).
func (n *notes) enabled() (bool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.on != nil {
		return *n.on, nil
	}
	if n.file == "" {
		return true, nil
	}
	data, err := os.ReadFile(n.file)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	var s NotificationSettings
	if err == nil {
		err = json.Unmarshal(data, &s)
	}
	if err != nil {
		return true, uiText(apitext.New("error.notify_setting_read", "could not read the notification setting from {{.File}} ({{.Err}}): notifications stay on; turn them off or on again to rewrite the file", "File", n.file, "Err", err.Error()), err)
	}
	n.on = &s.Enabled
	return s.Enabled, nil
}

// setEnabled writes the setting: to a new file, synced, then renamed over
// the old one, so a crash leaves either the old setting or the new.
func (n *notes) setEnabled(on bool) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.file != "" {
		if err := writeJSONFile(n.file, NotificationSettings{Enabled: on}); err != nil {
			return uiText(apitext.New("error.notify_setting_save", "could not save the notification setting in {{.File}}: {{.Err}}; check that the folder is writable", "File", n.file, "Err", err.Error()), err)
		}
	}
	n.on = &on
	if !on {
		n.pending = nil
	}
	return nil
}

// observe takes a live event; a message or upload starts (or joins) the
// coalescing window. It never blocks the feed: reading the author and the
// case number happens when the window ends.
func (n *notes) observe(ev LiveEvent) {
	if ev.Type != "message.created" && ev.Type != "document.uploaded" {
		return
	}
	if on, _ := n.enabled(); !on {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.send == nil {
		return
	}
	n.pending = append(n.pending, ev)
	if n.timer == nil {
		n.timer = time.AfterFunc(n.window, n.flush)
	}
}

// reset forgets what a session gathered (a new connection, or logout).
func (n *notes) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.pending = nil
	n.numbers = map[uint64]string{}
}

// flush ends a coalescing window: it keeps the events that clients caused
// and raises one notification for them.
func (n *notes) flush() {
	n.mu.Lock()
	evs, send := n.pending, n.send
	n.pending, n.timer = nil, nil
	n.mu.Unlock()
	if len(evs) == 0 || send == nil {
		return
	}
	_, c := n.link.connected()
	if c == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	var messages, documents int
	var cases []string
	for _, ev := range evs {
		client, err := byClient(ctx, c, ev)
		if err != nil {
			slog.Warn("desktop notification: could not read who caused an event", "type", ev.Type, "case", ev.CaseID, "err", err)
			continue
		}
		if !client {
			continue
		}
		number, err := n.caseNumber(ctx, c, ev.CaseID)
		if err != nil {
			slog.Warn("desktop notification: could not read the case", "case", ev.CaseID, "err", err)
			continue
		}
		if ev.Type == "message.created" {
			messages++
		} else {
			documents++
		}
		if !slices.Contains(cases, number) {
			cases = append(cases, number)
		}
	}
	if messages+documents == 0 {
		return
	}
	if on, _ := n.enabled(); !on {
		return // turned off while the window was open
	}
	info, _ := n.link.connected()
	title := n.link.say(apitext.New("notify.title", "clientportal"))
	if info.Office != "" {
		title = info.Office
	}
	note := Notification{ID: fmt.Sprintf("clientportal-%d", evs[0].ID), Title: title, Body: n.link.say(describe(messages, documents, cases))}
	if err := send.Notify(note); err != nil {
		slog.Warn("desktop notification not shown", "err", err)
	}
}

// describe says what clients did, without content: "New message from a
// client in case IMM-2026-0142", or a count for several (with each
// language's plurals).
func describe(messages, documents int, cases []string) apitext.Text {
	where := apitext.Plural("notify.in_cases", "in case {{.Cases}}", "in cases {{.Cases}}", len(cases), "Cases", strings.Join(cases, ", "))
	switch {
	case messages == 1 && documents == 0:
		return apitext.New("notify.one_message", "New message from a client {{.Where}}", "Where", where)
	case messages == 0 && documents == 1:
		return apitext.New("notify.one_document", "New document from a client {{.Where}}", "Where", where)
	}
	msgs := apitext.Plural("notify.messages", "{{.Count}} new message", "{{.Count}} new messages", messages)
	docs := apitext.Plural("notify.documents", "{{.Count}} new document", "{{.Count}} new documents", documents)
	what := msgs
	switch {
	case messages == 0:
		what = docs
	case documents > 0:
		what = apitext.New("notify.and", "{{.First}} and {{.Second}}", "First", msgs, "Second", docs)
	}
	return apitext.New("notify.from_clients", "{{.What}} from clients {{.Where}}", "What", what, "Where", where)
}

// byClient reads whether a client wrote the message or uploaded the
// document the event names.
func byClient(ctx context.Context, c *apiclient.Client, ev LiveEvent) (bool, error) {
	if ev.Type == "document.uploaded" {
		docs, err := c.Documents(ctx, ev.CaseID)
		if err != nil {
			return false, err
		}
		for _, d := range docs {
			if d.ID == ev.Ref {
				return d.UploaderKind == "client", nil
			}
		}
		return false, fmt.Errorf("document %d is not in case %d", ev.Ref, ev.CaseID)
	}
	// Newest first: a new message is on the first page, unless many came
	// after it.
	var before uint64
	for range 5 {
		page, err := c.Messages(ctx, ev.CaseID, apiclient.MessagesOptions{Before: before, Limit: 50})
		if err != nil {
			return false, err
		}
		for _, m := range page.Items {
			if m.ID == ev.Ref {
				return m.AuthorKind == "client", nil
			}
		}
		if page.Next == 0 {
			break
		}
		before = page.Next
	}
	return false, fmt.Errorf("message %d is not among case %d's recent messages", ev.Ref, ev.CaseID)
}

// caseNumber reads a case's number once per session.
func (n *notes) caseNumber(ctx context.Context, c *apiclient.Client, id uint64) (string, error) {
	n.mu.Lock()
	number, ok := n.numbers[id]
	n.mu.Unlock()
	if ok {
		return number, nil
	}
	cs, err := c.Case(ctx, id)
	if err != nil {
		return "", err
	}
	n.mu.Lock()
	n.numbers[id] = cs.Number
	n.mu.Unlock()
	return cs.Number, nil
}
