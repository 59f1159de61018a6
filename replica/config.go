// Package replica replicates the SQLite database continuously with the
// Litestream library, restores it, and supervises the replicator.
//
// Litestream v0.5 uses modernc.org/sqlite internally while the app uses
// mattn/go-sqlite3. Two SQLite libraries in one process do not see each
// other's POSIX locks (committed rows lost, corrupt files: see
// shared/research/litestream-prototype.md), so the library never runs in the
// server process while it has the database open. Instead `serve` re-executes
// its own binary as `metalpro replicate` (RunChild) and supervises it
// (Supervisor). Restore runs in-process, but only before the app opens the
// database.
package replica

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Replica types.
const (
	TypeOff  = "off"
	TypeFile = "file"
	TypeS3   = "s3"
)

// Default intervals. RPO ≈ max(MonitorInterval, SyncInterval): measured at
// median 0.5 s, max ≈ 1 s with these values (a few PUTs per second at most
// under load, ~0 when idle). Lower both together for a smaller RPO.
const (
	DefaultMonitorInterval    = time.Second
	DefaultSyncInterval       = time.Second
	DefaultCheckpointInterval = time.Minute
	DefaultS3Path             = "metalpro"
	DefaultRegion             = "us-east-1"
)

// Config says where and how often the database is replicated. It holds
// credentials: never log it whole (use String).
type Config struct {
	Type string `json:"type"` // off | file | s3

	// File replica: a directory (default DATA_DIR/replica).
	Dir string `json:"dir,omitempty"`

	// S3 replica.
	Bucket          string `json:"bucket,omitempty"`
	Path            string `json:"path,omitempty"`
	Region          string `json:"region,omitempty"`
	Endpoint        string `json:"endpoint,omitempty"` // with scheme; empty for AWS
	ForcePathStyle  bool   `json:"forcePathStyle,omitempty"`
	AccessKeyID     string `json:"accessKeyId,omitempty"`
	SecretAccessKey string `json:"secretAccessKey,omitempty"`

	MonitorInterval    time.Duration `json:"monitorInterval"`
	SyncInterval       time.Duration `json:"syncInterval"`
	CheckpointInterval time.Duration `json:"checkpointInterval"`

	// Source names where the settings came from, for the startup log.
	Source string `json:"source,omitempty"`
}

// Enabled reports whether replication is on.
func (c Config) Enabled() bool { return c.Type != TypeOff && c.Type != "" }

// RPO is the expected worst-case window of acknowledged writes lost when the
// whole machine dies: the replicator turns the WAL into LTX files every
// MonitorInterval and uploads them every SyncInterval.
func (c Config) RPO() time.Duration { return max(c.MonitorInterval, c.SyncInterval) }

// String describes the replica without secrets.
func (c Config) String() string {
	switch c.Type {
	case TypeFile:
		return "file://" + c.Dir
	case TypeS3:
		s := "s3://" + c.Bucket + "/" + c.Path
		if c.Endpoint != "" {
			s += " (endpoint " + c.Endpoint + ")"
		}
		return s
	default:
		return "off"
	}
}

// LoadConfig resolves the replication settings, first match wins:
//  1. REPLICA_URL: "off", a directory or file:///dir, or
//     s3://bucket/path?endpoint=http://host:port&region=r
//  2. litestream.yml (LITESTREAM_CONFIG, else ./litestream.yml if present),
//     with ${VAR} expanded from the environment; an s3 replica whose bucket
//     expands to empty counts as not configured;
//  3. LITESTREAM_S3_BUCKET (+ _PATH, _REGION, _ENDPOINT);
//  4. a file replica in DATA_DIR/replica.
//
// Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (directly or
// through ${...} in the YAML); intervals from the YAML or
// LITESTREAM_MONITOR_INTERVAL / LITESTREAM_SYNC_INTERVAL.
func LoadConfig(getenv func(string) string, dataDir string) (Config, error) {
	cfg := Config{
		MonitorInterval:    DefaultMonitorInterval,
		SyncInterval:       DefaultSyncInterval,
		CheckpointInterval: DefaultCheckpointInterval,
	}
	fromYAML, err := loadYAML(getenv, &cfg)
	if err != nil {
		return cfg, err
	}
	switch {
	case getenv("REPLICA_URL") != "":
		if err := cfg.applyURL(getenv("REPLICA_URL")); err != nil {
			return cfg, err
		}
		cfg.Source = "REPLICA_URL"
	case fromYAML:
	case getenv("LITESTREAM_S3_BUCKET") != "":
		cfg.Type, cfg.Bucket = TypeS3, getenv("LITESTREAM_S3_BUCKET")
		cfg.Path = getenv("LITESTREAM_S3_PATH")
		cfg.Region = getenv("LITESTREAM_S3_REGION")
		cfg.Endpoint = getenv("LITESTREAM_S3_ENDPOINT")
		cfg.Source = "LITESTREAM_S3_BUCKET"
	default:
		cfg.Type, cfg.Dir, cfg.Source = TypeFile, filepath.Join(dataDir, "replica"), "default"
	}
	if cfg.Type == TypeS3 {
		cfg.AccessKeyID = firstNonEmpty(cfg.AccessKeyID, getenv("AWS_ACCESS_KEY_ID"))
		cfg.SecretAccessKey = firstNonEmpty(cfg.SecretAccessKey, getenv("AWS_SECRET_ACCESS_KEY"))
		cfg.Region = firstNonEmpty(cfg.Region, getenv("AWS_REGION"), DefaultRegion)
		cfg.Path = strings.Trim(firstNonEmpty(cfg.Path, DefaultS3Path), "/")
		if cfg.Endpoint != "" {
			// Custom endpoints (MinIO, R2, gofakes3...) need a scheme (the
			// library prepends https:// otherwise) and path-style addressing
			// (bucket.host DNS names do not resolve).
			if !strings.Contains(cfg.Endpoint, "://") {
				cfg.Endpoint = "https://" + cfg.Endpoint
			}
			cfg.ForcePathStyle = true
		}
	}
	for name, d := range map[string]*time.Duration{
		"LITESTREAM_MONITOR_INTERVAL": &cfg.MonitorInterval,
		"LITESTREAM_SYNC_INTERVAL":    &cfg.SyncInterval,
	} {
		if v := getenv(name); v != "" {
			if *d, err = time.ParseDuration(v); err != nil {
				return cfg, fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return cfg, cfg.validate()
}

func (c *Config) validate() error {
	switch c.Type {
	case TypeOff:
		return nil
	case TypeFile:
		if c.Dir == "" {
			return fmt.Errorf("replica: file replica needs a directory")
		}
	case TypeS3:
		if c.Bucket == "" {
			return fmt.Errorf("replica: s3 replica needs a bucket")
		}
		if (c.AccessKeyID == "") != (c.SecretAccessKey == "") {
			return fmt.Errorf("replica: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (instance role)")
		}
	default:
		return fmt.Errorf("replica: unknown replica type %q (want off, file or s3)", c.Type)
	}
	if c.MonitorInterval <= 0 || c.SyncInterval <= 0 {
		return fmt.Errorf("replica: monitor and sync intervals must be positive")
	}
	return nil
}

// applyURL parses REPLICA_URL.
func (c *Config) applyURL(raw string) error {
	if raw == TypeOff || raw == "false" || raw == "none" {
		c.Type = TypeOff
		return nil
	}
	if strings.HasPrefix(raw, "/") {
		c.Type, c.Dir = TypeFile, raw
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("REPLICA_URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		c.Type, c.Dir = TypeFile, u.Path
	case "s3":
		q := u.Query()
		c.Type, c.Bucket, c.Path = TypeS3, u.Host, strings.Trim(u.Path, "/")
		c.Region, c.Endpoint = q.Get("region"), q.Get("endpoint")
	default:
		return fmt.Errorf("REPLICA_URL: unsupported scheme %q (want off, file:// or s3://)", u.Scheme)
	}
	return nil
}

// yamlFile is the subset of Litestream's configuration format we read.
type yamlFile struct {
	DBs []struct {
		Path               string      `yaml:"path"`
		MonitorInterval    string      `yaml:"monitor-interval"`
		CheckpointInterval string      `yaml:"checkpoint-interval"`
		Replica            yamlReplica `yaml:"replica"`
	} `yaml:"dbs"`
}

type yamlReplica struct {
	Type            string `yaml:"type"`
	Path            string `yaml:"path"`
	Bucket          string `yaml:"bucket"`
	Region          string `yaml:"region"`
	Endpoint        string `yaml:"endpoint"`
	AccessKeyID     string `yaml:"access-key-id"`
	SecretAccessKey string `yaml:"secret-access-key"`
	SyncInterval    string `yaml:"sync-interval"`
}

// loadYAML applies litestream.yml to cfg; it reports whether the file
// configured a replica (false when there is no file or its replica expands to
// nothing). Intervals apply either way.
func loadYAML(getenv func(string) string, cfg *Config) (bool, error) {
	path := getenv("LITESTREAM_CONFIG")
	if path == "" {
		path = "litestream.yml"
		if _, err := os.Stat(path); err != nil {
			return false, nil
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("replica config: %w", err)
	}
	var f yamlFile
	if err := yaml.Unmarshal([]byte(os.Expand(string(raw), getenv)), &f); err != nil {
		return false, fmt.Errorf("replica config %s: %w", path, err)
	}
	if len(f.DBs) == 0 {
		return false, nil
	}
	db := f.DBs[0]
	for _, d := range []struct {
		s   string
		dst *time.Duration
	}{{db.MonitorInterval, &cfg.MonitorInterval}, {db.CheckpointInterval, &cfg.CheckpointInterval}, {db.Replica.SyncInterval, &cfg.SyncInterval}} {
		if d.s == "" {
			continue
		}
		if *d.dst, err = time.ParseDuration(d.s); err != nil {
			return false, fmt.Errorf("replica config %s: %w", path, err)
		}
	}
	r := db.Replica
	switch r.Type {
	case TypeS3:
		if r.Bucket == "" {
			return false, nil
		}
		cfg.Type, cfg.Bucket, cfg.Path, cfg.Region, cfg.Endpoint = TypeS3, r.Bucket, r.Path, r.Region, r.Endpoint
		cfg.AccessKeyID, cfg.SecretAccessKey = r.AccessKeyID, r.SecretAccessKey
	case TypeFile:
		if r.Path == "" {
			return false, nil
		}
		cfg.Type, cfg.Dir = TypeFile, r.Path
	case TypeOff:
		cfg.Type = TypeOff
	case "":
		return false, nil
	default:
		return false, fmt.Errorf("replica config %s: unknown replica type %q", path, r.Type)
	}
	cfg.Source = path
	return true, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
