package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// S3Config says where uploads live in S3 or an S3-compatible store.
type S3Config struct {
	Bucket string // S3_BUCKET_NAME
	Region string // AWS_REGION
	Prefix string // FILES_S3_PREFIX: folder inside the bucket ("uploads/")
	// Endpoint (FILES_S3_ENDPOINT) with scheme, for S3-compatible stores (MinIO, R2);
	// empty for AWS. PathStyle (FILES_S3_PATH_STYLE) addresses bucket/key in the path.
	Endpoint  string
	PathStyle bool
	// Static credentials; empty takes the usual AWS chain (environment, shared config, role).
	AccessKeyID, SecretAccessKey string
}

// S3 keeps files in a bucket under a prefix; downloads are presigned GETs.
type S3 struct {
	cfg     S3Config
	client  *s3.Client
	presign *s3.PresignClient
}

// NewS3 builds the client (no request is made until used).
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("files: S3 needs a bucket (S3_BUCKET_NAME)")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	cfg.Prefix = NormalizePrefix(cfg.Prefix)
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRegion(cfg.Region),
		// Checksums only where S3 requires them: S3-compatible stores do not all accept the
		// newer trailing checksums the SDK sends by default.
		awsconfig.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		awsconfig.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
	}
	if cfg.AccessKeyID != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, "")))
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("files: aws config: %w", err)
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
	})
	return &S3{cfg: cfg, client: client, presign: s3.NewPresignClient(client)}, nil
}

// NormalizePrefix is prefix with no leading slash and one trailing slash ("" stays "").
func NormalizePrefix(p string) string {
	p = strings.Trim(p, "/")
	if p == "" {
		return ""
	}
	return p + "/"
}

func (s *S3) key(k string) string { return s.cfg.Prefix + k }

// Put uploads body in one PUT: S3 stores an object whole or not at all.
func (s *S3) Put(ctx context.Context, key string, body io.ReadSeeker, size int64, mimeType string) error {
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.cfg.Bucket),
		Key:           aws.String(s.key(key)),
		Body:          body,
		ContentLength: aws.Int64(size),
		ContentType:   aws.String(mimeType),
	})
	if err != nil {
		return unavailable(fmt.Errorf("s3 put %s: %w", key, err))
	}
	return nil
}

// Get streams key's object.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: aws.String(s.key(key))})
	if err != nil {
		var nsk *types.NoSuchKey
		if errors.As(err, &nsk) || apiCode(err) == "NotFound" {
			return nil, ErrNotExist
		}
		return nil, unavailable(fmt.Errorf("s3 get %s: %w", key, err))
	}
	return out.Body, nil
}

// Delete removes key's object (S3 answers success for a missing key).
func (s *S3) Delete(ctx context.Context, key string) error {
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: aws.String(s.key(key))})
	if err != nil {
		return fmt.Errorf("s3 delete %s: %w", key, err)
	}
	return nil
}

// SignedURL presigns a GET that answers with d's file name and type.
func (s *S3) SignedURL(ctx context.Context, key string, d Download) (string, error) {
	in := &s3.GetObjectInput{
		Bucket:                     aws.String(s.cfg.Bucket),
		Key:                        aws.String(s.key(key)),
		ResponseContentDisposition: aws.String(ContentDisposition(d.FileName)),
	}
	if d.MIME != "" {
		if _, _, err := mime.ParseMediaType(d.MIME); err == nil {
			in.ResponseContentType = aws.String(d.MIME)
		}
	}
	req, err := s.presign.PresignGetObject(ctx, in, s3.WithPresignExpires(d.TTL))
	if err != nil {
		return "", fmt.Errorf("s3 presign %s: %w", key, err)
	}
	return req.URL, nil
}

// Check asks for the bucket (HEAD): it fails when S3 is unreachable or refuses us.
func (s *S3) Check(ctx context.Context) error {
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.cfg.Bucket)})
	return err
}

// Location is s3://bucket/prefix (and the endpoint when not AWS).
func (s *S3) Location() string {
	loc := "s3://" + s.cfg.Bucket + "/" + s.cfg.Prefix
	if s.cfg.Endpoint != "" {
		loc += " at " + s.cfg.Endpoint
	}
	return loc
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
