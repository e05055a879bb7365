// Package apiclient is the Go client of the staff API: one typed method per
// route, taking a context and the request and response types of package api,
// with the route paths the service itself registers. Error answers come back
// as *api.Error (status, code, field, message, and the wait of Retry-After).
//
// The control panel (app/) talks to the service only through it.
package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"clientportal/server/api"
)

// maxAnswer bounds the answer the client reads: a page of 500 records is far
// smaller, and a broken or hostile server must not fill the caller's memory.
const maxAnswer = 32 << 20

// Client calls one service's staff API. It is safe for concurrent use; after
// Login it sends the session's token with every call.
type Client struct {
	base string // scheme://host[:port][/prefix], no trailing slash
	http *http.Client

	pin *string // WithPinnedFingerprint

	mu    sync.Mutex
	token string
	lang  string // Accept-Language of every call ("": none, the service's English)
}

// Option changes how New makes a Client.
type Option func(*Client)

// WithHTTPClient sends the calls through hc (its transport, TLS roots and
// timeout) instead of a client with a 30-second timeout.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithToken starts the client with the token of a session opened earlier.
func WithToken(token string) Option { return func(c *Client) { c.token = token } }

// WithLanguage asks the service to say its refusals in lang ("en", "es").
func WithLanguage(lang string) Option { return func(c *Client) { c.lang = lang } }

// SetLanguage asks the service to say its refusals in lang ("en", "es"; ""
// for the service's default, English) from the next call on.
func (c *Client) SetLanguage(lang string) {
	c.mu.Lock()
	c.lang = lang
	c.mu.Unlock()
}

// Language is the language the client asks refusals in ("" for none).
func (c *Client) Language() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lang
}

// New returns a client of the service at baseURL (such as
// "https://portal.example.org"): an absolute http or https URL with no query.
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("service address %q: %w", baseURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("service address %q: want http:// or https:// and a host name", baseURL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("service address %q: want only the scheme, host, port and path", baseURL)
	}
	c := &Client{
		base: strings.TrimSuffix(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"),
		http: &http.Client{Timeout: 30 * time.Second},
	}
	for _, opt := range opts {
		opt(c)
	}
	if c.pin != nil {
		if err := c.usePin(u); err != nil {
			return nil, err
		}
	}
	// A redirect is not followed: Go would resend a POST as a GET without
	// its body, and drop the token on the way to another host. The caller
	// is told the address to use instead.
	hc := *c.http
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &hc
	return c, nil
}

// Token is the session token the client sends ("" when logged out).
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

func (c *Client) setToken(t string) {
	c.mu.Lock()
	c.token = t
	c.mu.Unlock()
}

// ListOptions narrow a list: Q searches, After and Limit page (0: the
// service's default of 50; the service takes 1 to 500).
type ListOptions struct {
	Q     string
	After uint64
	Limit int
	// Cases only: Unread, only cases with client messages no staff member
	// has read; Status, only those whose current status is this id;
	// Advocate, only those of this staff advocate.
	Unread   bool
	Status   string
	Advocate uint64
	// Cases only: Waiting, only cases with a client upload waiting for
	// staff; Sort, one of the api.CaseSort* orders ("": by id, the order
	// cases were opened in); Order, api.OrderAsc or api.OrderDesc (""
	// ascending, but newest first for activity).
	Waiting bool
	Sort    string
	Order   string
}

func (o ListOptions) query() url.Values {
	v := url.Values{}
	if o.Q != "" {
		v.Set("q", o.Q)
	}
	if o.After != 0 {
		v.Set("after", strconv.FormatUint(o.After, 10))
	}
	if o.Limit != 0 {
		v.Set("limit", strconv.Itoa(o.Limit))
	}
	if o.Unread {
		v.Set("unread", "true")
	}
	if o.Status != "" {
		v.Set("status", o.Status)
	}
	if o.Advocate != 0 {
		v.Set("advocate", strconv.FormatUint(o.Advocate, 10))
	}
	if o.Waiting {
		v.Set("waiting", "true")
	}
	if o.Sort != "" {
		v.Set("sort", o.Sort)
	}
	if o.Order != "" {
		v.Set("order", o.Order)
	}
	return v
}

// AuditOptions page the audit log, newest first: Before is the Next of the
// page before (0: the newest entries).
type AuditOptions struct {
	Before uint64
	Limit  int
}

// path fills pattern's {name} segments, in order, with ids.
func path(pattern string, ids ...uint64) string {
	var b strings.Builder
	rest := pattern
	for _, id := range ids {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest, '}')
		if open < 0 || end < open {
			panic("apiclient: more ids than segments in " + pattern)
		}
		b.WriteString(rest[:open])
		b.WriteString(strconv.FormatUint(id, 10))
		rest = rest[end+1:]
	}
	if strings.IndexByte(rest, '{') >= 0 {
		panic("apiclient: fewer ids than segments in " + pattern)
	}
	b.WriteString(rest)
	return b.String()
}

// call sends in (when not nil) as JSON to method path?query and decodes a
// successful answer into out (when not nil). An error answer is an *api.Error.
func (c *Client) call(ctx context.Context, method, path string, query url.Values, in, out any) error {
	target := c.base + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s: encode the request: %w", method, path, err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token := c.Token(); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lang := c.Language(); lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := c.do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return fmt.Errorf("%s %s: read the answer: %w", method, path, err)
	}
	if len(data) > maxAnswer {
		return fmt.Errorf("%s %s: the answer is larger than %d MiB", method, path, maxAnswer>>20)
	}
	if resp.StatusCode >= 300 {
		return decodeError(resp, data)
	}
	if out == nil {
		return nil
	}
	if !isJSON(resp.Header.Get("Content-Type")) {
		return fmt.Errorf("%s %s: the answer is %q, not JSON: is %s the portal service?", method, path, resp.Header.Get("Content-Type"), c.base)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decode the answer: %w", method, path, err)
	}
	return nil
}

// do sends req. A read (GET or HEAD, no body) that fails on the way is sent
// once more: after the service restarts, the first call can meet a kept
// connection the service already closed, and the person at the window should
// not see "cannot reach the service" for it. Nothing else is sent twice: a
// change might have been applied before its answer was lost. A refused
// certificate and an ended context are final.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	resp, err := c.http.Do(req)
	if err == nil || (req.Method != http.MethodGet && req.Method != http.MethodHead) || req.Body != nil {
		return resp, err
	}
	var pe *PinError
	if req.Context().Err() != nil || errors.As(err, &pe) {
		return resp, err
	}
	return c.http.Do(req)
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// decodeError turns an error answer into an *api.Error. An answer that is not
// the API's JSON (a proxy's error page, say) keeps its status, with the
// status text as its message.
func decodeError(resp *http.Response, data []byte) *api.Error {
	e := &api.Error{}
	if loc := resp.Header.Get("Location"); resp.StatusCode < 400 && loc != "" {
		e = &api.Error{Code: "redirect", Message: fmt.Sprintf("the service answered %d %s to %s: use that address", resp.StatusCode, http.StatusText(resp.StatusCode), loc)}
	} else if !isJSON(resp.Header.Get("Content-Type")) || json.Unmarshal(data, e) != nil || e.Code == "" {
		e = &api.Error{Code: "http_" + strconv.Itoa(resp.StatusCode),
			Message: fmt.Sprintf("the service answered %d %s, not an API error", resp.StatusCode, http.StatusText(resp.StatusCode))}
	}
	e.Status = resp.StatusCode
	e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
	if allow := resp.Header.Get("Allow"); allow != "" {
		for _, m := range strings.Split(allow, ",") {
			e.Allow = append(e.Allow, strings.TrimSpace(m))
		}
	}
	return e
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// IsCode reports whether err is an API error answer with the given code
// (such as "not_found", "conflict" or "rate_limited").
func IsCode(err error, code string) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Code == code
}
