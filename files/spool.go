package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"

	"github.com/metalpro/backend/store"
)

// Spooled is an upload received into a temporary file, judged and within the limits; the
// file goes with Close. It is unlinked as soon as it is made (where the system allows), so
// not even a crash leaves it behind.
type Spooled struct {
	f    *os.File
	name string // "" once unlinked
	Size int64
	Type Type
}

// Spool copies at most MaxUploadBytes from r into a temporary file in dir ("" for the
// system's), then sniffs it: ErrTooLarge past the limit, a 415 for a content kind does not
// accept, a 400 for an empty file. On any error nothing is left on disk.
func Spool(ctx context.Context, dir string, kind Kind, r io.Reader) (_ *Spooled, err error) {
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, unavailable(fmt.Errorf("spool: %w", err))
	}
	s := &Spooled{f: f, name: f.Name()}
	if os.Remove(f.Name()) == nil {
		s.name = ""
	}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	n, err := io.Copy(f, io.LimitReader(&ctxReader{ctx, r}, MaxUploadBytes+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || n > MaxUploadBytes:
		return nil, ErrTooLarge
	case err != nil:
		e := store.Errorf(store.ECodeInvalid, "Încărcarea fișierului s-a întrerupt. Te rugăm să încerci din nou.",
			"The upload was interrupted. Please try again.")
		e.Err = err
		return nil, e
	}
	s.Size = n
	t, err := Sniff(f, n)
	if err != nil {
		return nil, refusalError(kind, err)
	}
	if !slices.Contains(Allowed[kind], t) {
		return nil, notAllowedError(kind, t)
	}
	s.Type = t
	return s, nil
}

// Reader reads the content from its start (each call a fresh reader).
func (s *Spooled) Reader() *io.SectionReader { return io.NewSectionReader(s.f, 0, s.Size) }

// Close removes the temporary file.
func (s *Spooled) Close() error {
	err := s.f.Close()
	if s.name != "" {
		os.Remove(s.name)
	}
	return err
}
