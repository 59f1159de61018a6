package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// bomOf is a valid bomData document of about n bytes.
func bomOf(n int) json.RawMessage {
	return json.RawMessage(`{"rows":"` + strings.Repeat("x", n-len(`{"rows":""}`)) + `"}`)
}

func projectInput(name string, bom json.RawMessage) store.ProjectInput {
	file := "bom.csv"
	return store.ProjectInput{Name: &name, FileName: &file, BOMData: bom}
}

// TestQuota_Projects: the disk bomb (100 × 1 MB bomData from one new account) stops
// at the per-user quotas, counted and summed inside the write transaction.
func TestQuota_Projects(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)

	t.Run("ErrBytes", func(t *testing.T) {
		user := storetest.MustCreateUser(t, db, "bomba@firma.ro")
		var err error
		var saved int
		for saved = 0; saved < 100; saved++ {
			if _, err = db.CreateProject(ctx, user, projectInput(fmt.Sprint("P", saved), bomOf(1<<20-100))); err != nil {
				break
			}
		}
		require.Equal(t, "quota_exceeded", store.ErrorCode(err), "after %d projects of 1 MB", saved)
		require.Equal(t, 10, saved, "10 MB of BOM data per account")
	})
	t.Run("ErrCount", func(t *testing.T) {
		user := storetest.MustCreateUser(t, db, "multe@firma.ro")
		for i := 0; i < 100; i++ {
			_, err := db.CreateProject(ctx, user, projectInput(fmt.Sprint("P", i), json.RawMessage(`[]`)))
			require.NoError(t, err)
		}
		_, err := db.CreateProject(ctx, user, projectInput("P100", json.RawMessage(`[]`)))
		require.Equal(t, "quota_exceeded", store.ErrorCode(err))
		var e *store.Error
		require.ErrorAs(t, err, &e)
		require.Contains(t, e.Message.RO, "100 de proiecte")
		require.Contains(t, e.Message.EN, "100 projects")
		// Another account is not affected.
		_, err = db.CreateProject(ctx, storetest.MustCreateUser(t, db, "alt@firma.ro"), projectInput("A", json.RawMessage(`[]`)))
		require.NoError(t, err)
	})
	t.Run("ErrGrowingPastBytes", func(t *testing.T) {
		user := storetest.MustCreateUser(t, db, "creste@firma.ro")
		var ids []string
		for i := 0; i < 11; i++ {
			p, err := db.CreateProject(ctx, user, projectInput(fmt.Sprint("P", i), json.RawMessage(`[]`)))
			require.NoError(t, err)
			ids = append(ids, p.ID)
		}
		for i, id := range ids[:10] {
			_, err := db.UpdateProject(ctx, user, id, store.ProjectInput{BOMData: bomOf(1<<20 - 100)})
			require.NoError(t, err, "update %d", i)
		}
		_, err := db.UpdateProject(ctx, user, ids[10], store.ProjectInput{BOMData: bomOf(1<<20 - 100)})
		require.Equal(t, "quota_exceeded", store.ErrorCode(err), "a PATCH that grows past the quota")
		// Shrinking, renaming and deleting stay possible.
		_, err = db.UpdateProject(ctx, user, ids[0], store.ProjectInput{BOMData: json.RawMessage(`[]`)})
		require.NoError(t, err)
		_, err = db.UpdateProject(ctx, user, ids[10], store.ProjectInput{BOMData: bomOf(1<<20 - 100)})
		require.NoError(t, err, "room again after a shrink")
	})
}

// TestQuota_Parallel: requests that arrive together cannot pass the quota together.
func TestQuota_Parallel(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	user := storetest.MustCreateUser(t, db, "paralel@firma.ro")
	for i := 0; i < 95; i++ {
		_, err := db.CreateProject(ctx, user, projectInput(fmt.Sprint("P", i), json.RawMessage(`[]`)))
		require.NoError(t, err)
	}
	const tries = 20
	errs := make(chan error, tries)
	var wg sync.WaitGroup
	for i := 0; i < tries; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.CreateProject(ctx, user, projectInput(fmt.Sprint("Q", i), json.RawMessage(`[]`)))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	ok, refused := 0, 0
	for err := range errs {
		switch store.ErrorCode(err) {
		case "":
			ok++
		case "quota_exceeded":
			refused++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	require.Equal(t, 5, ok)
	require.Equal(t, tries-5, refused)
	_, total, err := db.FindProjects(ctx, store.ProjectFilter{UserID: user, Page: 1, Limit: 10})
	require.NoError(t, err)
	require.Equal(t, 100, total)
}

// TestQuota_Addresses: the address quota uses the same mechanism and error.
func TestQuota_Addresses(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	user := storetest.MustCreateUser(t, db, "adrese@firma.ro")
	str := func(s string) *string { return &s }
	in := store.AddressInput{Type: str("DELIVERY"), Street: str("Str. Fabricii 12"), City: str("Cluj-Napoca"), County: str("Cluj"), PostalCode: str("400001")}
	for i := 0; i < 50; i++ {
		_, err := db.CreateAddress(ctx, user, in)
		require.NoError(t, err)
	}
	_, err := db.CreateAddress(ctx, user, in)
	require.Equal(t, "quota_exceeded", store.ErrorCode(err))
}
