// Package docstore keeps the office's document files on disk: each upload is
// streamed through a size limit and a content-type check, hashed, and
// encrypted with age to the office key as it arrives, into a temp file that is
// fsynced and renamed to a name the store chooses. Reading decrypts with
// age.DecryptReaderAt, so a download can seek (Range requests).
package docstore

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"filippo.io/age"
	"github.com/gabriel-vasile/mimetype"
)

// DefaultMaxSize is the largest upload when none is configured: 50 MB.
const DefaultMaxSize = 50 << 20

// Errors an upload or a read can end with; each says what to do.
var (
	ErrTooLarge   = errors.New("the file is larger than the office accepts")
	ErrEmpty      = errors.New("the file is empty")
	ErrType       = errors.New("this kind of file is not accepted: send a PDF, a Word or Excel file, a photo (JPEG, PNG, HEIC), a TIFF scan or a plain text file")
	ErrUnreadable = errors.New("the stored file cannot be decrypted with the office key: it was encrypted to another key, or it is not an encrypted document")
	ErrName       = errors.New("not a stored document name")
)

// TooLarge is ErrTooLarge with the limit.
type TooLarge struct{ Max int64 }

func (e *TooLarge) Error() string {
	return fmt.Sprintf("the file is larger than the %d MB the office accepts", e.Max>>20)
}
func (e *TooLarge) Unwrap() error { return ErrTooLarge }

// Refused is ErrType with what the file was found to be. Kinds, when set,
// are the kinds the office allows (Kinds' names), for a message that says
// what to send instead.
type Refused struct {
	Detected string
	Kinds    []string
}

func (e *Refused) Error() string {
	if e.Kinds == nil {
		return ErrType.Error() + " (this file is " + e.Detected + ")"
	}
	var labels []string
	for _, k := range Kinds {
		if slices.Contains(e.Kinds, k.Name) {
			labels = append(labels, k.Label)
		}
	}
	return "this kind of file is not accepted: send " + strings.Join(labels, ", ") + " (this file is " + e.Detected + ")"
}
func (e *Refused) Unwrap() error { return ErrType }

// allowed are the content types an upload may have (mimetype's names):
// those of every kind.
var allowed = func() []string {
	var out []string
	for _, k := range Kinds {
		out = append(out, k.Types...)
	}
	return out
}()

// Kinds are the groups of content types an office may allow, by the name
// the office settings use for them (upload_types), in the order the README
// lists them.
var Kinds = []Kind{
	{"pdf", "PDF", []string{"application/pdf"}},
	{"word", "Word", []string{"application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.oasis.opendocument.text"}},
	{"excel", "Excel", []string{"application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.oasis.opendocument.spreadsheet"}},
	{"jpeg", "JPEG", []string{"image/jpeg"}},
	{"png", "PNG", []string{"image/png"}},
	{"heic", "HEIC/HEIF", []string{"image/heic", "image/heic-sequence", "image/heif", "image/heif-sequence"}},
	{"tiff", "TIFF", []string{"image/tiff"}},
	{"text", "plain text", []string{"text/plain"}},
}

// Kind is a group of content types allowed or refused together.
type Kind struct {
	Name  string   // as in the settings: "pdf", "heic"
	Label string   // as people call it: "PDF", "HEIC/HEIF"
	Types []string // mimetype's names
}

// KindNames are the names of every kind, in order.
func KindNames() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = k.Name
	}
	return out
}

// Limits are what one upload may be: at most MaxSize bytes (<= 0: the
// store's own limit), of one of the kinds named in Kinds (nil: every kind).
type Limits struct {
	MaxSize int64
	Kinds   []string
}

// allowedTypes are the content types lim allows, and whether it restricts
// them at all.
func (lim Limits) allowedTypes() []string {
	if lim.Kinds == nil {
		return allowed
	}
	var out []string
	for _, k := range Kinds {
		for _, name := range lim.Kinds {
			if k.Name == name {
				out = append(out, k.Types...)
			}
		}
	}
	return out
}

// Store is a folder of encrypted documents.
type Store struct {
	dir     string
	id      *age.X25519Identity
	maxSize int64
	hold    func(Stored) // test aid: see HoldAfterFile
}

// Open returns the store in dir (created when missing) that encrypts to and
// decrypts with id. maxSize <= 0 means DefaultMaxSize.
func Open(dir string, id *age.X25519Identity, maxSize int64) (*Store, error) {
	if id == nil {
		return nil, errors.New("docstore: no office key")
	}
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create documents folder: %w", err)
	}
	return &Store{dir: dir, id: id, maxSize: maxSize}, nil
}

// Dir is the documents folder.
func (s *Store) Dir() string { return s.dir }

// MaxSize is the largest upload the store accepts, in bytes.
func (s *Store) MaxSize() int64 { return s.maxSize }

// Stored is a file safely on disk.
type Stored struct {
	Name        string // the store's name for it
	Size        int64  // plaintext bytes
	SHA256      string // hex, of the plaintext
	ContentType string
}

// Put streams r into a new encrypted file. On any error (too large, refused
// type, a read error such as a cut connection, ctx done) nothing is left in
// the folder. Once Put returns, the file is fsynced and renamed.
func (s *Store) Put(ctx context.Context, r io.Reader) (st Stored, err error) {
	return s.PutLimited(ctx, r, Limits{})
}

// PutLimited is Put within lim: the office's size limit and allowed kinds
// in place of the store's defaults.
func (s *Store) PutLimited(ctx context.Context, r io.Reader, lim Limits) (st Stored, err error) {
	maxSize := lim.MaxSize
	if maxSize <= 0 {
		maxSize = s.maxSize
	}
	name, err := newName()
	if err != nil {
		return Stored{}, err
	}
	tmp, err := os.CreateTemp(s.dir, tempPrefix+"*")
	if err != nil {
		return Stored{}, fmt.Errorf("create temp file: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// One byte over the limit tells a too-large file from one exactly at it.
	src := bufio.NewReaderSize(&ctxReader{ctx: ctx, r: io.LimitReader(r, maxSize+1)}, 3072)
	head, err := src.Peek(3072)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return Stored{}, fmt.Errorf("read upload: %w", err)
	}
	if len(head) == 0 {
		return Stored{}, ErrEmpty
	}
	ct, err := sniff(head, lim.allowedTypes())
	if err != nil {
		var refused *Refused
		if errors.As(err, &refused) {
			refused.Kinds = lim.Kinds
		}
		return Stored{}, err
	}
	bw := bufio.NewWriterSize(tmp, 64<<10)
	enc, err := age.Encrypt(bw, s.id.Recipient())
	if err != nil {
		return Stored{}, fmt.Errorf("encrypt: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(enc, h), src)
	if err != nil {
		return Stored{}, fmt.Errorf("read upload: %w", err)
	}
	if n > maxSize {
		return Stored{}, &TooLarge{Max: maxSize}
	}
	if err := enc.Close(); err != nil {
		return Stored{}, fmt.Errorf("encrypt: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return Stored{}, fmt.Errorf("write document: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return Stored{}, fmt.Errorf("sync document: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Stored{}, fmt.Errorf("close document: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Stored{}, err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.dir, name)); err != nil {
		return Stored{}, fmt.Errorf("store document: %w", err)
	}
	if err := syncDir(s.dir); err != nil {
		os.Remove(filepath.Join(s.dir, name))
		return Stored{}, err
	}
	st = Stored{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), ContentType: ct}
	if s.hold != nil {
		s.hold(st)
	}
	return st, nil
}

// sniff names the upload's type from its first bytes. Only the type itself
// counts, never a parent: HTML is text, but not plain text a browser may show.
func sniff(head []byte, allowed []string) (string, error) {
	m := mimetype.Detect(head)
	for _, a := range allowed {
		if m.Is(a) {
			if a == "text/plain" {
				return "text/plain; charset=utf-8", nil
			}
			return a, nil
		}
	}
	return "", &Refused{Detected: m.String()}
}

// Open opens a stored document for reading; it seeks, for Range requests.
// A file not encrypted to the office key is ErrUnreadable.
func (s *Store) Open(name string) (*File, error) {
	if !validName(name) {
		return nil, ErrName
	}
	f, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return nil, fmt.Errorf("open document: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open document: %w", err)
	}
	ra, size, err := age.DecryptReaderAt(f, fi.Size(), s.id)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("document %s: %w (%v)", name, ErrUnreadable, err)
	}
	return newFile(io.NewSectionReader(ra, 0, size), f), nil
}

// Remove deletes a stored document (a record that failed to commit).
func (s *Store) Remove(name string) error {
	if !validName(name) {
		return ErrName
	}
	if err := os.Remove(filepath.Join(s.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove document: %w", err)
	}
	return nil
}

var nameRE = regexp.MustCompile(`^[0-9a-f]{32}\.age$`)

func validName(name string) bool { return nameRE.MatchString(name) }

func newName() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]) + ".age", nil
}

// syncDir makes a rename in dir survive a crash (a no-op where directories
// cannot be synced).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync documents folder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("sync documents folder: %w", err)
	}
	return nil
}

// ctxReader stops a read once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
