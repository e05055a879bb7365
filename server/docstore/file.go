package docstore

import (
	"errors"
	"io"
	"os"
)

// readBuffer is how much of a document one read decrypts at once.
const readBuffer = 256 << 10

// File is an open, decrypted document: it reads, seeks (for Range requests)
// and reads at an offset. Reads go through a buffer of readBuffer bytes:
// every ReadAt of age's decrypter allocates a 64 KiB chunk, so the 32 KiB
// reads of io.Copy and http.ServeContent would turn each download into twice
// its size in garbage, and the service's memory would grow with the file.
type File struct {
	sr     *io.SectionReader
	f      *os.File
	buf    []byte // decrypted bytes from bufOff
	bufOff int64
	pos    int64
}

func newFile(sr *io.SectionReader, f *os.File) *File { return &File{sr: sr, f: f} }

// Size is the document's size in bytes (plaintext).
func (f *File) Size() int64 { return f.sr.Size() }

// Read reads from the current position.
func (f *File) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if f.pos >= f.sr.Size() {
		return 0, io.EOF
	}
	if f.pos < f.bufOff || f.pos >= f.bufOff+int64(len(f.buf)) {
		if f.buf == nil {
			f.buf = make([]byte, readBuffer)
		}
		n, err := f.sr.ReadAt(f.buf[:cap(f.buf)], f.pos)
		if n == 0 {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		f.buf, f.bufOff = f.buf[:n], f.pos
	}
	n := copy(p, f.buf[f.pos-f.bufOff:])
	f.pos += int64(n)
	return n, nil
}

// Seek sets the position for the next Read, as io.Seeker says.
func (f *File) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += f.sr.Size()
	default:
		return 0, errors.New("docstore: seek: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("docstore: seek: negative position")
	}
	f.pos = offset
	return offset, nil
}

// ReadAt reads len(p) bytes at off, leaving the position as it is.
func (f *File) ReadAt(p []byte, off int64) (int, error) { return f.sr.ReadAt(p, off) }

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }
