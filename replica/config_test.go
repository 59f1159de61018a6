package replica_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/replica"
)

func TestLoadConfig(t *testing.T) {
	yml := filepath.Join(t.TempDir(), "litestream.yml")
	require.NoError(t, os.WriteFile(yml, []byte(`
dbs:
  - path: ${DATA_DIR}/metalpro.db
    monitor-interval: 500ms
    replica:
      type: s3
      bucket: ${LITESTREAM_S3_BUCKET}
      path: ${LITESTREAM_S3_PATH}
      endpoint: ${LITESTREAM_S3_ENDPOINT}
      access-key-id: ${AWS_ACCESS_KEY_ID}
      secret-access-key: ${AWS_SECRET_ACCESS_KEY}
      sync-interval: 2s
`), 0o600))

	for _, tt := range []struct {
		name string
		env  map[string]string
		want replica.Config
	}{
		{"DefaultIsFileInDataDir", nil, replica.Config{Type: "file", Dir: "/data/replica", Source: "default"}},
		{"Off", map[string]string{"REPLICA_URL": "off"}, replica.Config{Type: "off", Source: "REPLICA_URL"}},
		{"URLFile", map[string]string{"REPLICA_URL": "file:///backups/db"}, replica.Config{Type: "file", Dir: "/backups/db", Source: "REPLICA_URL"}},
		{"URLS3CustomEndpointGetsSchemeAndPathStyle", map[string]string{
			"REPLICA_URL": "s3://bkt/prod/db?endpoint=minio.local:9000", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
		}, replica.Config{Type: "s3", Bucket: "bkt", Path: "prod/db", Region: "us-east-1", Endpoint: "https://minio.local:9000",
			ForcePathStyle: true, AccessKeyID: "a", SecretAccessKey: "b", Source: "REPLICA_URL"}},
		{"EnvS3OnAWS", map[string]string{"LITESTREAM_S3_BUCKET": "bkt", "AWS_REGION": "eu-central-1"},
			replica.Config{Type: "s3", Bucket: "bkt", Path: "metalpro", Region: "eu-central-1", Source: "LITESTREAM_S3_BUCKET"}},
		{"YAMLExpandsEnvironment", map[string]string{
			"LITESTREAM_CONFIG": yml, "LITESTREAM_S3_BUCKET": "bkt", "LITESTREAM_S3_ENDPOINT": "http://127.0.0.1:9000",
			"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
		}, replica.Config{Type: "s3", Bucket: "bkt", Path: "metalpro", Region: "us-east-1", Endpoint: "http://127.0.0.1:9000",
			ForcePathStyle: true, AccessKeyID: "a", SecretAccessKey: "b", Source: yml,
			MonitorInterval: 500 * time.Millisecond, SyncInterval: 2 * time.Second}},
		{"YAMLWithoutBucketFallsBackToFile", map[string]string{"LITESTREAM_CONFIG": yml},
			replica.Config{Type: "file", Dir: "/data/replica", Source: "default",
				MonitorInterval: 500 * time.Millisecond, SyncInterval: 2 * time.Second}},
		{"IntervalsFromEnv", map[string]string{"LITESTREAM_MONITOR_INTERVAL": "100ms", "LITESTREAM_SYNC_INTERVAL": "100ms"},
			replica.Config{Type: "file", Dir: "/data/replica", Source: "default",
				MonitorInterval: 100 * time.Millisecond, SyncInterval: 100 * time.Millisecond}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := replica.LoadConfig(mapEnv(tt.env), "/data")
			require.NoError(t, err)
			want := tt.want
			if want.MonitorInterval == 0 {
				want.MonitorInterval = replica.DefaultMonitorInterval
			}
			if want.SyncInterval == 0 {
				want.SyncInterval = replica.DefaultSyncInterval
			}
			want.CheckpointInterval = replica.DefaultCheckpointInterval
			assert.Equal(t, want, got)
		})
	}

	for name, env := range map[string]map[string]string{
		"ErrUnknownScheme":   {"REPLICA_URL": "gs://bkt/x"},
		"ErrHalfAKey":        {"LITESTREAM_S3_BUCKET": "b", "AWS_ACCESS_KEY_ID": "a"},
		"ErrBadInterval":     {"LITESTREAM_SYNC_INTERVAL": "soon"},
		"ErrMissingYAML":     {"LITESTREAM_CONFIG": "/nonexistent/litestream.yml"},
		"ErrNegativeMonitor": {"LITESTREAM_MONITOR_INTERVAL": "-1s"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := replica.LoadConfig(mapEnv(env), "/data")
			assert.Error(t, err)
		})
	}

	t.Run("StringHidesSecrets", func(t *testing.T) {
		cfg := replica.Config{Type: "s3", Bucket: "b", Path: "p", SecretAccessKey: "topsecret"}
		assert.NotContains(t, cfg.String(), "topsecret")
	})
}
