package apiclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"

	"clientportal/server/api"
)

// Documents lists the case's documents, oldest first.
func (c *Client) Documents(ctx context.Context, caseID uint64) ([]api.Document, error) {
	var out api.Documents
	return out.Items, c.call(ctx, http.MethodGet, path(api.PathCaseDocuments, caseID), nil, nil, &out)
}

// UploadFile is one file of an upload: its name and its content, read
// once, as the request is sent.
type UploadFile struct {
	Name    string
	Content io.Reader
}

// UploadDocuments sends files to the case as one streamed multipart request
// (never held in memory), shared with the case's clients when portal is true.
func (c *Client) UploadDocuments(ctx context.Context, caseID uint64, portal bool, files ...UploadFile) ([]api.Document, error) {
	p := path(api.PathCaseDocuments, caseID)
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := mw.WriteField("portal", strconv.FormatBool(portal))
		for _, f := range files {
			if err != nil {
				break
			}
			var part io.Writer
			if part, err = mw.CreateFormFile("file", f.Name); err == nil {
				_, err = io.Copy(part, f.Content)
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+p, pr)
	if err != nil {
		pr.Close()
		return nil, fmt.Errorf("POST %s: %w", p, err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.send(req)
	if err != nil {
		pr.CloseWithError(err)
		return nil, fmt.Errorf("POST %s: %w", p, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("POST %s: read the answer: %w", p, err)
	}
	if resp.StatusCode >= 300 {
		return nil, decodeError(resp, data)
	}
	var out api.Documents
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("POST %s: decode the answer: %w", p, err)
	}
	return out.Items, nil
}

// SetDocumentPortal shares a document with the case's clients (true) or
// withdraws it (false).
func (c *Client) SetDocumentPortal(ctx context.Context, id uint64, portal bool) (api.Document, error) {
	var out api.Document
	return out, c.call(ctx, http.MethodPatch, path(api.PathDocument, id), nil, api.DocumentInput{Portal: &portal}, &out)
}

// DocumentContent opens a document's content; rangeHeader, when not "",
// is sent as the Range header (e.g. "bytes=100-199": the answer is then 206
// with those bytes). The caller closes the answer's Body.
func (c *Client) DocumentContent(ctx context.Context, id uint64, rangeHeader string) (*http.Response, error) {
	p := path(api.PathDocumentContent, id)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+p, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", p, err)
	}
	if rangeHeader != "" {
		req.Header.Set("Range", rangeHeader)
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", p, err)
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return nil, decodeError(resp, data)
	}
	return resp, nil
}

// send sends req with the session's token.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	req.Header.Set("Accept", "application/json")
	if token := c.Token(); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lang := c.Language(); lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	return c.do(req)
}

// ForTransfers returns a client of the same service and session, through
// the same transport (its TLS roots and pinned fingerprint), without the
// overall timeout of each call: an upload or download of a large document
// takes as long as the line needs, bounded by its context instead.
func (c *Client) ForTransfers() *Client {
	hc := *c.http
	hc.Timeout = 0
	return &Client{base: c.base, http: &hc, pin: c.pin, token: c.Token(), lang: c.Language()}
}
