package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/metalpro/backend/store"
)

// Two processes may open a fresh data dir at the same moment: `metalpro serve` on its
// first boot and `metalpro user create` typed in another terminal. Each must find the
// database migrated, whoever applied a step, never fail on the other's table.
func TestOpen_ConcurrentMigrators(t *testing.T) {
	ctx := context.Background()
	migrations, err := store.ParseMigrations(store.Schema)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("fresh-%d.db", round))
		const openers = 4
		errs := make([]error, openers)
		versions := make([]int, openers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range openers {
			wg.Go(func() {
				<-start
				db, err := store.Open(ctx, path, store.Schema, store.Options{})
				if err != nil {
					errs[i] = err
					return
				}
				defer db.Close()
				versions[i], errs[i] = db.SchemaVersion(ctx)
			})
		}
		close(start)
		wg.Wait()
		for i := range openers {
			if errs[i] != nil {
				t.Fatalf("round %d, opener %d: %v", round, i, errs[i])
			}
			if versions[i] != len(migrations) {
				t.Errorf("round %d, opener %d: schema version %d, want %d", round, i, versions[i], len(migrations))
			}
		}
	}
}
