package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// ErrBucketMissing means the bucket an S3Store is configured for does not
// exist.
var ErrBucketMissing = errors.New("media: s3 bucket does not exist")

// s3CacheControl is sent with every object. A media key names one encoding
// of one upload, so an object never needs revalidating.
const s3CacheControl = "public, max-age=31536000, immutable"

// S3Config configures an S3Store.
type S3Config struct {
	// Endpoint is the server's host and port, such as "s3.example.org:9000",
	// without a scheme.
	Endpoint string
	// Bucket is the bucket holding the objects.
	Bucket string
	// Region is the bucket's region. When empty the client asks the server.
	Region string
	// AccessKey and SecretKey are the credentials for signing requests.
	AccessKey, SecretKey string
	// UseTLS selects https instead of http.
	UseTLS bool
	// Prefix is prepended to every key, such as "media/". A missing
	// trailing slash is added.
	Prefix string
	// PathStyle addresses the bucket in the URL path rather than in the
	// host name. Most self-hosted servers need it.
	PathStyle bool
	// CreateBucket creates the bucket when it does not exist, instead of
	// failing.
	CreateBucket bool
}

// S3Store is a Store in a bucket of an S3-compatible object store, so that
// several nodes can share media. An object with key "<id>/<name>.<ext>" is
// stored under the configured prefix followed by the key.
type S3Store struct {
	client *minio.Client
	bucket string
	prefix string
}

var _ Store = (*S3Store)(nil)

// NewS3Store validates cfg, connects and checks that the bucket exists,
// creating it when cfg.CreateBucket is set. A missing bucket gives an error
// matching ErrBucketMissing.
func NewS3Store(ctx context.Context, cfg S3Config) (*S3Store, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.UseTLS,
		Region:       cfg.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("media: s3 endpoint %q: %w", cfg.Endpoint, err)
	}

	exists, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("media: s3 checking bucket %q at %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	if !exists {
		if !cfg.CreateBucket {
			return nil, fmt.Errorf("%w: %q at %s", ErrBucketMissing, cfg.Bucket, cfg.Endpoint)
		}
		err := client.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region})
		if err != nil && minio.ToErrorResponse(err).Code != minio.BucketAlreadyOwnedByYou {
			return nil, fmt.Errorf("media: s3 creating bucket %q at %s: %w", cfg.Bucket, cfg.Endpoint, err)
		}
	}

	prefix := cfg.Prefix
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return &S3Store{client: client, bucket: cfg.Bucket, prefix: prefix}, nil
}

// validate reports the first missing or malformed setting. Errors never
// include the secret key.
func (cfg S3Config) validate() error {
	switch {
	case cfg.Endpoint == "":
		return errors.New("media: s3 endpoint is empty")
	case strings.Contains(cfg.Endpoint, "://"):
		return fmt.Errorf("media: s3 endpoint %q must be host:port without a scheme (UseTLS selects https)", cfg.Endpoint)
	case strings.ContainsAny(cfg.Endpoint, "/?#@ "):
		return fmt.Errorf("media: s3 endpoint %q must be host:port only", cfg.Endpoint)
	case cfg.Bucket == "":
		return errors.New("media: s3 bucket is empty")
	case cfg.AccessKey == "":
		return errors.New("media: s3 access key is empty")
	case cfg.SecretKey == "":
		return errors.New("media: s3 secret key is empty")
	case strings.HasPrefix(cfg.Prefix, "/"):
		return fmt.Errorf("media: s3 prefix %q must not start with a slash", cfg.Prefix)
	}
	if err := s3utils.CheckValidBucketNameStrict(cfg.Bucket); err != nil {
		return fmt.Errorf("media: s3 bucket %q: %w", cfg.Bucket, err)
	}
	return nil
}

// Put implements Store. The object is uploaded in one PUT request, which S3
// applies atomically, with its content type and a Cache-Control header
// marking it immutable.
func (s *S3Store) Put(ctx context.Context, key, contentType string, data []byte) error {
	ct, err := keyContentType(key)
	if err != nil {
		return err
	}
	if contentType != ct {
		return fmt.Errorf("%w: content type %q does not match key %q", ErrInvalidKey, contentType, key)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = s.client.PutObject(ctx, s.bucket, s.prefix+key, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{
			ContentType:      ct,
			CacheControl:     s3CacheControl,
			DisableMultipart: true,
		})
	if err != nil {
		return s.wrap("put", key, err)
	}
	return nil
}

// Open implements Store. The object's later reads use ctx, so it must stay
// live while the object is read. The returned object is not safe for
// concurrent use.
func (s *S3Store) Open(ctx context.Context, key string) (Object, error) {
	ct, err := keyContentType(key)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o := &s3Object{ctx: ctx, store: s, key: key, contentType: ct}
	body, info, err := o.get(0)
	if err != nil {
		return nil, err
	}
	if info.Size < 0 {
		body.Close()
		return nil, fmt.Errorf("media: s3 open %s in bucket %s: server sent no object size", key, s.bucket)
	}
	o.etag, o.size, o.modTime = info.ETag, info.Size, info.LastModified
	o.body = body
	return o, nil
}

// Delete implements Store.
func (s *S3Store) Delete(ctx context.Context, key string) error {
	if _, err := keyContentType(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.client.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{})
	if err != nil && !isNoSuchKey(err) {
		return s.wrap("delete", key, err)
	}
	return nil
}

// isNoSuchKey reports whether err is a server's answer that the object does
// not exist. A missing bucket does not count: it is a fault of the
// installation, not of the key.
func isNoSuchKey(err error) bool {
	var resp minio.ErrorResponse
	if !errors.As(err, &resp) {
		return false
	}
	return resp.Code == minio.NoSuchKey || resp.StatusCode == http.StatusNotFound && resp.Code != minio.NoSuchBucket
}

// wrap adds the operation, key and bucket to err, and maps a missing object
// to ErrNotFound and a missing bucket to ErrBucketMissing.
func (s *S3Store) wrap(op, key string, err error) error {
	switch {
	case isNoSuchKey(err):
		return fmt.Errorf("media: s3 %s %s: %w", op, key, ErrNotFound)
	case minio.ToErrorResponse(err).Code == minio.NoSuchBucket:
		return fmt.Errorf("media: s3 %s %s: %w: %q", op, key, ErrBucketMissing, s.bucket)
	}
	return fmt.Errorf("media: s3 %s %s in bucket %s: %w", op, key, s.bucket, err)
}

// s3Object is an Object read from S3. It holds one GET response at a time;
// a Seek away from where that response stands makes the next Read ask for a
// new range, on condition that the object still has the ETag it had when
// opened, so a read never mixes two versions of an object.
type s3Object struct {
	ctx         context.Context
	store       *S3Store
	key         string
	contentType string
	etag        string
	size        int64
	modTime     time.Time

	body    io.ReadCloser // nil when no response is open
	bodyPos int64         // offset of the next byte body delivers
	pos     int64         // offset of the next Read
	closed  bool
}

// get sends a GET for the object from offset off to its end. After Open it
// requires the ETag seen then.
func (o *s3Object) get(off int64) (io.ReadCloser, minio.ObjectInfo, error) {
	var opts minio.GetObjectOptions
	if o.etag != "" {
		if err := opts.SetMatchETag(o.etag); err != nil {
			return nil, minio.ObjectInfo{}, fmt.Errorf("media: s3 read %s: %w", o.key, err)
		}
	}
	if off > 0 {
		if err := opts.SetRange(off, 0); err != nil {
			return nil, minio.ObjectInfo{}, fmt.Errorf("media: s3 read %s: %w", o.key, err)
		}
	}
	core := minio.Core{Client: o.store.client}
	body, info, _, err := core.GetObject(o.ctx, o.store.bucket, o.store.prefix+o.key, opts)
	switch {
	case err != nil && o.etag == "":
		return nil, minio.ObjectInfo{}, o.store.wrap("open", o.key, err)
	case err != nil && minio.ToErrorResponse(err).StatusCode == http.StatusPreconditionFailed:
		return nil, minio.ObjectInfo{}, fmt.Errorf("media: s3 read %s: object replaced since it was opened", o.key)
	case err != nil:
		return nil, minio.ObjectInfo{}, o.store.wrap("read", o.key, err)
	}
	// Not every server honours If-Match on GET.
	if o.etag != "" && info.ETag != o.etag {
		body.Close()
		return nil, minio.ObjectInfo{}, fmt.Errorf("media: s3 read %s: object replaced since it was opened", o.key)
	}
	return body, info, nil
}

func (o *s3Object) Read(p []byte) (int, error) {
	if o.closed {
		return 0, fmt.Errorf("media: s3 read %s: %w", o.key, fs.ErrClosed)
	}
	if o.pos >= o.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if o.body != nil && o.bodyPos != o.pos {
		o.body.Close()
		o.body = nil
	}
	if o.body == nil {
		body, _, err := o.get(o.pos)
		if err != nil {
			return 0, err
		}
		o.body, o.bodyPos = body, o.pos
	}
	if rest := o.size - o.pos; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := o.body.Read(p)
	o.pos += int64(n)
	o.bodyPos += int64(n)
	switch {
	case err == io.EOF && o.pos < o.size:
		return n, fmt.Errorf("media: s3 read %s: %w", o.key, io.ErrUnexpectedEOF)
	case err == io.EOF:
		return n, nil
	case err != nil:
		return n, fmt.Errorf("media: s3 read %s: %w", o.key, err)
	}
	return n, nil
}

func (o *s3Object) Seek(offset int64, whence int) (int64, error) {
	if o.closed {
		return 0, fmt.Errorf("media: s3 seek %s: %w", o.key, fs.ErrClosed)
	}
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = o.pos + offset
	case io.SeekEnd:
		abs = o.size + offset
	default:
		return 0, fmt.Errorf("media: s3 seek %s: invalid whence %d", o.key, whence)
	}
	if abs < 0 {
		return 0, fmt.Errorf("media: s3 seek %s: negative position %d", o.key, abs)
	}
	o.pos = abs
	return abs, nil
}

func (o *s3Object) Close() error {
	if o.closed {
		return fmt.Errorf("media: s3 close %s: %w", o.key, fs.ErrClosed)
	}
	o.closed = true
	if o.body != nil {
		err := o.body.Close()
		o.body = nil
		if err != nil {
			return fmt.Errorf("media: s3 close %s: %w", o.key, err)
		}
	}
	return nil
}

func (o *s3Object) ContentType() string { return o.contentType }
func (o *s3Object) Size() int64         { return o.size }
func (o *s3Object) ModTime() time.Time  { return o.modTime }
