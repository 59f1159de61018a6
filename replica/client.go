package replica

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/benbjohnson/litestream"
	lsfile "github.com/benbjohnson/litestream/file"
	lss3 "github.com/benbjohnson/litestream/s3"
)

// MarkerName is the object kept beside the replica's LTX files that names
// the database the replica belongs to (see Marker).
const MarkerName = "metalpro-replica.json"

// Marker identifies the database a replica holds, so a server never starts
// replicating a different database over it (which would make the next
// restore return the wrong data).
type Marker struct {
	DatabaseID string    `json:"databaseId"`
	CreatedAt  time.Time `json:"createdAt"`
	Host       string    `json:"host,omitempty"`
}

// caBundleMu serialises the moments the process runs without AWS_CA_BUNDLE.
var caBundleMu sync.Mutex

// withoutCABundle runs fn with AWS_CA_BUNDLE unset: Litestream hands the AWS
// SDK a plain *http.Client, and the SDK then refuses to load a CA bundle
// ("has no WithTransportOptions"). Used only at boot and in the restore
// command, before anything else runs; the replicator child never has it.
func withoutCABundle(fn func() error) error {
	caBundleMu.Lock()
	defer caBundleMu.Unlock()
	v, ok := os.LookupEnv("AWS_CA_BUNDLE")
	if ok {
		os.Unsetenv("AWS_CA_BUNDLE")
		defer os.Setenv("AWS_CA_BUNDLE", v)
	}
	return fn()
}

// newClient builds the Litestream replica client for cfg and initialises it.
func newClient(ctx context.Context, cfg Config) (litestream.ReplicaClient, error) {
	var c litestream.ReplicaClient
	switch cfg.Type {
	case TypeFile:
		if err := os.MkdirAll(cfg.Dir, 0o750); err != nil {
			return nil, fmt.Errorf("replica dir: %w", err)
		}
		c = lsfile.NewReplicaClient(cfg.Dir)
	case TypeS3:
		s := lss3.NewReplicaClient()
		s.Bucket, s.Path, s.Region = cfg.Bucket, cfg.Path, cfg.Region
		s.Endpoint, s.ForcePathStyle = cfg.Endpoint, cfg.ForcePathStyle
		s.AccessKeyID, s.SecretAccessKey = cfg.AccessKeyID, cfg.SecretAccessKey
		c = s
	default:
		return nil, fmt.Errorf("replica: replication is off")
	}
	if err := withoutCABundle(func() error { return c.Init(ctx) }); err != nil {
		return nil, fmt.Errorf("replica: init %s: %w", cfg, err)
	}
	return c, nil
}

// hasData reports whether the replica holds any LTX file, at any level.
func hasData(ctx context.Context, c litestream.ReplicaClient) (bool, error) {
	for level := 0; level <= litestream.SnapshotLevel; level++ {
		itr, err := c.LTXFiles(ctx, level, 0, false)
		if err != nil {
			return false, fmt.Errorf("replica: list level %d: %w", level, err)
		}
		found := itr.Next()
		if err := itr.Close(); err != nil {
			return false, fmt.Errorf("replica: list level %d: %w", level, err)
		}
		if found {
			return true, nil
		}
	}
	return false, nil
}

// markerStore reads and writes the marker object beside the replica.
type markerStore interface {
	read(ctx context.Context) (*Marker, error) // nil, nil when absent
	write(ctx context.Context, m Marker) error
}

func newMarkerStore(ctx context.Context, cfg Config) (markerStore, error) {
	switch cfg.Type {
	case TypeFile:
		return fileMarker(filepath.Join(cfg.Dir, MarkerName)), nil
	case TypeS3:
		opts := s3.Options{
			Region:       cfg.Region,
			UsePathStyle: cfg.ForcePathStyle,
		}
		if cfg.Endpoint != "" {
			opts.BaseEndpoint = aws.String(cfg.Endpoint)
			opts.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			opts.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}
		if cfg.AccessKeyID != "" {
			opts.Credentials = credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, "")
		} else {
			// Instance role / environment chain, as Litestream does.
			err := withoutCABundle(func() error {
				awsCfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(cfg.Region))
				opts.Credentials = awsCfg.Credentials
				return err
			})
			if err != nil {
				return nil, fmt.Errorf("replica: aws config: %w", err)
			}
		}
		return s3Marker{client: s3.New(opts), bucket: cfg.Bucket, key: path.Join(cfg.Path, MarkerName)}, nil
	}
	return nil, fmt.Errorf("replica: replication is off")
}

type fileMarker string

func (f fileMarker) read(ctx context.Context) (*Marker, error) {
	raw, err := os.ReadFile(string(f))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return decodeMarker(raw)
}

func (f fileMarker) write(ctx context.Context, m Marker) error {
	raw, _ := json.Marshal(m)
	if err := os.MkdirAll(filepath.Dir(string(f)), 0o750); err != nil {
		return err
	}
	tmp := string(f) + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, string(f))
}

type s3Marker struct {
	client      *s3.Client
	bucket, key string
}

func (s s3Marker) read(ctx context.Context) (*Marker, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: &s.key})
	if err != nil {
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NoSuchKey" || apiErr.ErrorCode() == "NotFound") {
			return nil, nil
		}
		return nil, fmt.Errorf("replica: read marker s3://%s/%s: %w", s.bucket, s.key, err)
	}
	defer out.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(out.Body, 1<<16))
	if err != nil {
		return nil, err
	}
	return decodeMarker(raw)
}

func (s s3Marker) write(ctx context.Context, m Marker) error {
	raw, _ := json.Marshal(m)
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &s.bucket, Key: &s.key, Body: bytes.NewReader(raw),
		ContentType: aws.String("application/json"),
	})
	if err != nil {
		return fmt.Errorf("replica: write marker s3://%s/%s: %w", s.bucket, s.key, err)
	}
	return nil
}

func decodeMarker(raw []byte) (*Marker, error) {
	var m Marker
	if err := json.Unmarshal(raw, &m); err != nil || m.DatabaseID == "" {
		return nil, fmt.Errorf("replica: marker %s is unreadable", MarkerName)
	}
	return &m, nil
}
