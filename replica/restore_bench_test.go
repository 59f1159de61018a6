package replica_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/replica"
)

// BenchmarkRestore restores a replica of a database of RESTORE_BENCH_MB (default 40) of
// RFQ-sized rows (3.6 KB each, as through the API) from a folder replica: what the
// restore itself costs, without the network.
//
//	go test -tags sqlite_fts5 -run '^$' -bench Restore -benchtime 3x ./replica/
func BenchmarkRestore(b *testing.B) {
	mb := 40
	if v := os.Getenv("RESTORE_BENCH_MB"); v != "" {
		var err error
		mb, err = strconv.Atoi(v)
		require.NoError(b, err)
	}
	cfg := fast(replica.Config{Type: replica.TypeFile, Dir: filepath.Join(b.TempDir(), "replica")})
	dbPath := filepath.Join(b.TempDir(), "app.db")
	sup := MustStartSupervisor(b, cfg, dbPath)
	db := MustOpenAppDB(b, dbPath)
	rows := mb * 1_000_000 / 3600
	for done := 0; done < rows; done += 2000 {
		tx, err := db.Begin()
		require.NoError(b, err)
		for n := done; n < min(rows, done+2000); n++ {
			_, err := tx.Exec(`INSERT INTO rows (n, body) VALUES (?, ?)`, n,
				strings.Repeat(fmt.Sprintf("RFQ %d: Țeavă rectangulară 40×40×2 mm, oțel S235; ", n), 45))
			require.NoError(b, err)
		}
		require.NoError(b, tx.Commit())
	}
	waitFor(b, "the replica to catch up", func() bool {
		st := sup.Status()
		return st.LagSeconds == 0 && st.LocalTXID > 0 && st.ReplicaTXID == st.LocalTXID
	})
	require.NoError(b, db.Close())
	require.NoError(b, sup.Close(context.Background()))
	fi, err := os.Stat(dbPath)
	require.NoError(b, err)
	b.Logf("%d rows, %.0f MB", rows, float64(fi.Size())/1e6)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(b.TempDir(), "restored.db")
		start := time.Now()
		require.NoError(b, replica.Restore(context.Background(), cfg, out, time.Time{}))
		b.Logf("restore took %s", time.Since(start))
	}
}
