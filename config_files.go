package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/replica"
)

// filesConfig says where uploads live: S3 when S3_BUCKET_NAME is set, else a folder under
// the data dir.
type filesConfig struct {
	S3  *files.S3Config // nil: local disk
	Dir string          // FILES_DIR: the local folder (DATA_DIR/uploads)
	// APIURL (API_URL) is the API's public address, for file links in operator emails.
	APIURL string
}

// loadFilesConfig reads S3_BUCKET_NAME, AWS_REGION, FILES_S3_ENDPOINT, FILES_S3_PREFIX,
// FILES_S3_PATH_STYLE and FILES_DIR, and refuses a store that would share the
// Litestream replica's place: deleting or sweeping one must never touch the other.
func loadFilesConfig(getenv func(string) string, dataDir, apiURL string, rep replica.Config) (filesConfig, []string) {
	env := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	var errs []string
	fc := filesConfig{
		Dir:    env("FILES_DIR", filepath.Join(dataDir, "uploads")),
		APIURL: apiURL, // API_URL, read and defaulted with the edge's settings (config_edge.go)
	}
	if bucket := env("S3_BUCKET_NAME", ""); bucket != "" {
		s3 := &files.S3Config{
			Bucket:          bucket,
			Region:          env("AWS_REGION", "eu-central-1"),
			Prefix:          files.NormalizePrefix(env("FILES_S3_PREFIX", "uploads/")),
			Endpoint:        env("FILES_S3_ENDPOINT", ""),
			AccessKeyID:     getenv("AWS_ACCESS_KEY_ID"),
			SecretAccessKey: getenv("AWS_SECRET_ACCESS_KEY"),
		}
		if s3.Endpoint != "" && !strings.Contains(s3.Endpoint, "://") {
			s3.Endpoint = "https://" + s3.Endpoint
		}
		if v := getenv("FILES_S3_PATH_STYLE"); v != "" {
			ps, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Sprintf("FILES_S3_PATH_STYLE must be true or false, not %q", v))
			}
			s3.PathStyle = ps
		} else {
			s3.PathStyle = s3.Endpoint != "" // S3-compatible stores rarely resolve bucket.host names
		}
		fc.S3 = s3
	}
	if p := filesOverlapReplica(fc, rep); p != "" {
		errs = append(errs, p)
	}
	return fc, errs
}

// filesOverlapReplica names the problem when uploads would live in or around the replica:
// the same bucket (at the same endpoint) with one prefix inside the other, or one local
// folder inside the other.
func filesOverlapReplica(fc filesConfig, rep replica.Config) string {
	switch {
	case fc.S3 != nil && rep.Type == replica.TypeS3 && fc.S3.Bucket == rep.Bucket &&
		strings.TrimRight(fc.S3.Endpoint, "/") == strings.TrimRight(rep.Endpoint, "/") &&
		nested(fc.S3.Prefix, files.NormalizePrefix(rep.Path)):
		return fmt.Sprintf("FILES_S3_PREFIX %q and the database replica's path %q overlap in bucket %s: "+
			"uploads must live in their own bucket or prefix", fc.S3.Prefix, rep.Path, rep.Bucket)
	case fc.S3 == nil && rep.Type == replica.TypeFile && rep.Dir != "":
		a, errA := filepath.Abs(fc.Dir)
		b, errB := filepath.Abs(rep.Dir)
		if errA == nil && errB == nil && nested(filepath.ToSlash(a)+"/", filepath.ToSlash(b)+"/") {
			return fmt.Sprintf("FILES_DIR %s and the database replica's folder %s overlap: uploads must live in their own folder", a, b)
		}
	}
	return ""
}

// nested reports whether one of two slash-terminated prefixes contains the other ("" contains all).
func nested(a, b string) bool { return strings.HasPrefix(a, b) || strings.HasPrefix(b, a) }
