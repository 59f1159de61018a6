package files_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/store"
)

// patterned streams n bytes of a PDF without holding them in memory.
type patterned struct{ left int64 }

func (p *patterned) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(b)), p.left)
	for i := range b[:n] {
		b[i] = 'x'
	}
	p.left -= n
	return int(n), nil
}

func TestSpoolLimitsAndCleansUp(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	big := io.MultiReader(bytes.NewReader([]byte("%PDF-1.7\n")), &patterned{left: 51 << 20})
	_, err := files.Spool(ctx, dir, files.KindAttachment, big)
	require.ErrorIs(t, err, files.ErrTooLarge)
	require.Equal(t, store.ECodeTooLarge, store.ErrorCode(err))
	requireEmptyDir(t, dir)

	_, err = files.Spool(ctx, dir, files.KindBOM, bytes.NewReader([]byte("%PDF-1.7\n")))
	require.Equal(t, store.ECodeUnsupported, store.ErrorCode(err))
	require.Contains(t, err.(*store.Error).Message.RO, "Tipuri de fișiere permise: CSV, XLSX.")
	requireEmptyDir(t, dir)

	_, err = files.Spool(ctx, dir, files.KindAttachment, bytes.NewReader(nil))
	require.Equal(t, store.ECodeInvalid, store.ErrorCode(err))

	content := []byte("Denumire;Cantitate\nHEA200;2\n")
	s, err := files.Spool(ctx, dir, files.KindBOM, bytes.NewReader(content))
	require.NoError(t, err)
	require.Equal(t, files.TypeCSV, s.Type)
	require.EqualValues(t, len(content), s.Size)
	requireEmptyDir(t, dir) // unlinked at once: only the open handle holds it
	for range 2 {
		got, err := io.ReadAll(s.Reader())
		require.NoError(t, err)
		require.Equal(t, content, got)
	}
	require.NoError(t, s.Close())
}

func requireEmptyDir(tb testing.TB, dir string) {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(tb, err)
	require.Empty(tb, entries)
}
