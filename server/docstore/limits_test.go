package docstore_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"clientportal/server/docstore"
)

// TestPutLimited: an upload follows the office's limits in place of the
// store's own: a smaller or larger size limit, and only the kinds allowed,
// with a refusal that says which kinds to send; nothing is left of a
// refused file.
func TestPutLimited(t *testing.T) {
	s, dir := open(t, 1<<20)
	ctx := context.Background()
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, bytes.Repeat([]byte{1}, 2000)...)
	heic := append([]byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'}, bytes.Repeat([]byte{7}, 2000)...)
	tests := []struct {
		name    string
		lim     docstore.Limits
		data    []byte
		wantErr string
	}{
		{"store's limit", docstore.Limits{}, pdf(1 << 20), ""},
		{"over the store's limit", docstore.Limits{}, pdf(1<<20 + 1), "larger than the 1 MB"},
		{"a larger office limit", docstore.Limits{MaxSize: 2 << 20}, pdf(2 << 20), ""},
		{"a smaller office limit", docstore.Limits{MaxSize: 1000}, pdf(1001), "larger than"},
		{"heic by default", docstore.Limits{}, heic, ""},
		{"pdf only: jpeg refused", docstore.Limits{Kinds: []string{"pdf"}}, jpeg, "send PDF (this file is image/jpeg)"},
		{"photos only", docstore.Limits{Kinds: []string{"jpeg", "heic"}}, heic, ""},
		{"photos only: pdf refused", docstore.Limits{Kinds: []string{"jpeg", "heic"}}, pdf(100), "send JPEG, HEIC/HEIF (this file is application/pdf)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(files(t, dir))
			st, err := s.PutLimited(ctx, bytes.NewReader(tt.data), tt.lim)
			if tt.wantErr == "" {
				if err != nil || st.Size != int64(len(tt.data)) {
					t.Fatalf("%v, %+v", err, st)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
			}
			if !errors.Is(err, docstore.ErrTooLarge) && !errors.Is(err, docstore.ErrType) {
				t.Errorf("error %v is neither ErrTooLarge nor ErrType", err)
			}
			if n := len(files(t, dir)); n != before {
				t.Errorf("%d files after a refusal, %d before", n, before)
			}
		})
	}
}

// TestKindsAreWhole: every kind has a name, a label and types, and no type
// is in two kinds (an office that refuses one would still get it).
func TestKindsAreWhole(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range docstore.Kinds {
		if k.Name == "" || k.Label == "" || len(k.Types) == 0 {
			t.Errorf("kind %+v", k)
		}
		for _, typ := range k.Types {
			if seen[typ] {
				t.Errorf("type %s in two kinds", typ)
			}
			seen[typ] = true
		}
	}
}
