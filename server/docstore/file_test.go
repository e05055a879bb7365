package docstore_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"testing"
)

// TestFileReadsAndSeeks: a stored document reads back the same through any
// mix of read sizes, seeks from each end and reads at offsets, across the
// read buffer's and age's chunk boundaries.
func TestFileReadsAndSeeks(t *testing.T) {
	s, _ := open(t, 8<<20)
	data := pdf(3<<20 + 12345)
	st, err := s.Put(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.Open(st.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Size() != int64(len(data)) {
		t.Fatalf("size %d", f.Size())
	}
	whole, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(whole, data) {
		t.Fatalf("read all: %v, equal %v", err, bytes.Equal(whole, data))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		var pos int64
		switch i % 3 {
		case 0:
			pos, err = f.Seek(rng.Int64N(int64(len(data))), io.SeekStart)
		case 1:
			pos, err = f.Seek(-rng.Int64N(int64(len(data))), io.SeekEnd)
		case 2:
			pos, err = f.Seek(rng.Int64N(70000)-35000, io.SeekCurrent)
			if pos < 0 || pos > int64(len(data)) {
				f.Seek(0, io.SeekStart)
				continue
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		p := make([]byte, 1+rng.IntN(200000))
		n, err := io.ReadFull(f, p)
		want := data[pos:min(pos+int64(len(p)), int64(len(data)))]
		if !bytes.Equal(p[:n], want) || (n < len(p) && err != io.ErrUnexpectedEOF && err != io.EOF) {
			t.Fatalf("read %d at %d: %d bytes, %v, equal %v", len(p), pos, n, err, bytes.Equal(p[:n], want))
		}
		off := rng.Int64N(int64(len(data)))
		q := make([]byte, min(4096, int64(len(data))-off))
		if _, err := f.ReadAt(q, off); err != nil && err != io.EOF || !bytes.Equal(q, data[off:off+int64(len(q))]) {
			t.Fatalf("ReadAt %d: %v", off, err)
		}
	}
	if _, err := f.Seek(-1, io.SeekStart); err == nil {
		t.Error("a seek before the start passed")
	}
	f.Seek(0, io.SeekEnd)
	if n, err := f.Read(make([]byte, 10)); n != 0 || err != io.EOF {
		t.Errorf("read at the end: %d, %v", n, err)
	}
}
