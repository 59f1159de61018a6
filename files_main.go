package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/metalpro/backend/files"
	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
)

// openFiles opens the upload store the configuration names: S3 (or an S3-compatible store)
// when S3_BUCKET_NAME is set, else DATA_DIR/uploads, whose signed URLs the API serves.
func openFiles(ctx context.Context, cfg config, logger *slog.Logger) (files.Blobs, error) {
	var b files.Blobs
	var err error
	if cfg.Files.S3 != nil {
		b, err = files.NewS3(ctx, *cfg.Files.S3)
	} else {
		b, err = files.NewLocal(cfg.Files.Dir, apphttp.NewFileURLSigner(cfg.JWTSecret))
	}
	if err != nil {
		return nil, err
	}
	logger.Info("file store", "location", b.Location())
	return b, nil
}

// filesDetail is the "files" check's detail on /health.
type filesDetail struct {
	Location string `json:"location"`
	Problem  string `json:"problem,omitempty"`
}

// filesHealth reports whether the file store answers (an unreachable S3 makes uploads 503).
func filesHealth(b files.Blobs) apphttp.HealthCheck {
	return apphttp.HealthFunc(func(ctx context.Context) (bool, any) {
		d := filesDetail{Location: b.Location()}
		if err := b.Check(ctx); err != nil {
			d.Problem = err.Error()
		}
		return d.Problem == "", d
	})
}

// uploadSweepBatch bounds one sweep's deletions; the next sweep takes the rest.
const uploadSweepBatch = 500

// sweepUploads deletes uploads that no RFQ or project claimed within a day: the row first
// (only if still unclaimed), then the blob, so a file an RFQ claimed meanwhile keeps its
// content. A blob that cannot be deleted is logged and left unreferenced.
func sweepUploads(ctx context.Context, db *store.DB, blobs files.Blobs, logger *slog.Logger) {
	stale, err := db.UnclaimedUploads(ctx, uploadSweepBatch)
	if err != nil {
		logger.Error("cleanup failed", "what", "unclaimed uploads", "err", err)
		return
	}
	deleted := 0
	for _, u := range stale {
		ok, err := db.DeleteUnclaimedUpload(ctx, u.ID)
		if err != nil {
			logger.Error("cleanup failed", "what", "unclaimed uploads", "id", u.ID, "err", err)
			return
		}
		if !ok {
			continue
		}
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		if err := blobs.Delete(dctx, u.StorageKey); err != nil {
			logger.Error("cleanup: blob of a swept upload not deleted", "key", u.StorageKey, "err", err)
		}
		cancel()
		deleted++
	}
	if deleted > 0 {
		logger.Info("cleanup", "what", "unclaimed uploads", "count", deleted)
	}
}
