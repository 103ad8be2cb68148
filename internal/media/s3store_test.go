package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// testSecret is the secret key the tests configure; no error may show it.
const testSecret = "s3cr3t-never-in-errors"

// fakeS3 is an in-memory S3 server that records the requests it receives.
type fakeS3 struct {
	endpoint string
	backend  *s3mem.Backend

	mu       sync.Mutex
	requests []*http.Request
}

func newFakeS3(t *testing.T) *fakeS3 {
	t.Helper()
	f := &fakeS3{backend: s3mem.New()}
	h := gofakes3.New(f.backend).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r.Clone(context.Background()))
		f.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.endpoint = strings.TrimPrefix(srv.URL, "http://")
	return f
}

// requestCount returns how many requests the server has received.
func (f *fakeS3) requestCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

// lastRequest returns the last request received with method.
func (f *fakeS3) lastRequest(method string) *http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.requests) - 1; i >= 0; i-- {
		if f.requests[i].Method == method {
			return f.requests[i]
		}
	}
	return nil
}

// config returns a configuration for bucket on the fake server.
func (f *fakeS3) config(bucket string) S3Config {
	return S3Config{
		Endpoint:     f.endpoint,
		Bucket:       bucket,
		Region:       "us-east-1",
		AccessKey:    "plein",
		SecretKey:    testSecret,
		PathStyle:    true,
		CreateBucket: true,
	}
}

// client returns a plain S3 client for looking at the server directly.
func (f *fakeS3) client(t *testing.T) *minio.Client {
	t.Helper()
	c, err := minio.New(f.endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4("plein", testSecret, ""),
		Region:       "us-east-1",
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newS3Store(t *testing.T, cfg S3Config) *S3Store {
	t.Helper()
	s, err := NewS3Store(context.Background(), cfg)
	if err != nil {
		t.Fatalf("NewS3Store: %v", err)
	}
	return s
}

func TestS3Store(t *testing.T) {
	testStore(t, func(t *testing.T) Store {
		return newS3Store(t, newFakeS3(t).config("plein-media"))
	})
}

func TestS3StorePut(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t)
	cfg := f.config("plein-media")
	cfg.Prefix = "media" // the store adds the slash
	s := newS3Store(t, cfg)
	data := []byte("png bytes")
	if err := s.Put(ctx, "a1/small.png", TypePNG, data); err != nil {
		t.Fatal(err)
	}

	req := f.lastRequest(http.MethodPut)
	if req == nil {
		t.Fatal("no PUT request reached the server")
	}
	if req.URL.Path != "/plein-media/media/a1/small.png" {
		t.Errorf("PUT path = %q, want the prefixed key", req.URL.Path)
	}
	for name, want := range map[string]string{
		"Content-Type":  TypePNG,
		"Cache-Control": "public, max-age=31536000, immutable",
	} {
		if got := req.Header.Get(name); got != want {
			t.Errorf("PUT %s = %q, want %q", name, got, want)
		}
	}

	info, err := f.client(t).StatObject(ctx, "plein-media", "media/a1/small.png", minio.StatObjectOptions{})
	if err != nil {
		t.Fatalf("object not under the prefix: %v", err)
	}
	if info.Size != int64(len(data)) || info.ContentType != TypePNG {
		t.Errorf("stored object: size %d, type %q; want %d, %q", info.Size, info.ContentType, len(data), TypePNG)
	}

	cfg.Prefix = ""
	bare := newS3Store(t, cfg)
	if _, err := bare.Open(ctx, "a1/small.png"); !errors.Is(err, ErrNotFound) {
		t.Errorf("store without prefix: Open: %v, want ErrNotFound", err)
	}
}

func TestS3StoreRefusesWithoutRequests(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t)
	s := newS3Store(t, f.config("plein-media"))
	before := f.requestCount()

	for _, key := range []string{"", "../x.jpg", "a/b/c.jpg", "A/b.jpg", "a/b.gif"} {
		if err := s.Put(ctx, key, TypeJPEG, []byte("x")); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Put(%q): %v, want ErrInvalidKey", key, err)
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Open(%q): %v, want ErrInvalidKey", key, err)
		}
		if err := s.Delete(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Delete(%q): %v, want ErrInvalidKey", key, err)
		}
	}
	if err := s.Put(ctx, "a/b.jpg", TypePNG, []byte("x")); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Put with mismatched type: %v, want ErrInvalidKey", err)
	}
	if n := f.requestCount() - before; n != 0 {
		t.Errorf("refused operations sent %d requests, want 0", n)
	}
}

func TestS3StoreSeek(t *testing.T) {
	ctx := context.Background()
	s := newS3Store(t, newFakeS3(t).config("plein-media"))
	data := []byte("0123456789abcdefghijklmnopqrstuvwxyz")
	if err := s.Put(ctx, "a1/large.jpg", TypeJPEG, data); err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))

	tests := []struct {
		name     string
		readHead int // bytes read before seeking
		offset   int64
		whence   int
		wantPos  int64
	}{
		{"start to middle", 0, 18, io.SeekStart, 18},
		{"back to start after reading", 20, 0, io.SeekStart, 0},
		{"current forward", 4, 6, io.SeekCurrent, 10},
		{"current backward", 30, -25, io.SeekCurrent, 5},
		{"current zero keeps the stream", 7, 0, io.SeekCurrent, 7},
		{"from end", 0, -3, io.SeekEnd, size - 3},
		{"to end", 2, 0, io.SeekEnd, size},
		{"past the end", 0, size + 5, io.SeekStart, size + 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := s.Open(ctx, "a1/large.jpg")
			if err != nil {
				t.Fatal(err)
			}
			defer obj.Close()
			head := make([]byte, tt.readHead)
			if _, err := io.ReadFull(obj, head); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(head, data[:tt.readHead]) {
				t.Fatalf("read %q before seeking, want %q", head, data[:tt.readHead])
			}
			pos, err := obj.Seek(tt.offset, tt.whence)
			if err != nil || pos != tt.wantPos {
				t.Fatalf("Seek(%d, %d) = %d, %v; want %d", tt.offset, tt.whence, pos, err, tt.wantPos)
			}
			rest, err := io.ReadAll(obj)
			if err != nil {
				t.Fatal(err)
			}
			want := data[min(pos, size):]
			if !bytes.Equal(rest, want) {
				t.Errorf("read %q after seeking, want %q", rest, want)
			}
		})
	}

	t.Run("refused", func(t *testing.T) {
		obj, err := s.Open(ctx, "a1/large.jpg")
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			offset int64
			whence int
		}{{-1, io.SeekStart}, {-1, io.SeekCurrent}, {-size - 1, io.SeekEnd}, {0, 7}} {
			if _, err := obj.Seek(tt.offset, tt.whence); err == nil {
				t.Errorf("Seek(%d, %d) succeeded", tt.offset, tt.whence)
			}
		}
		if err := obj.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := obj.Read(make([]byte, 1)); err == nil {
			t.Error("Read after Close succeeded")
		}
		if err := obj.Close(); err == nil {
			t.Error("second Close succeeded")
		}
	})

	t.Run("http.ServeContent range", func(t *testing.T) {
		obj, err := s.Open(ctx, "a1/large.jpg")
		if err != nil {
			t.Fatal(err)
		}
		defer obj.Close()
		req := httptest.NewRequest(http.MethodGet, "/media/a1/large.jpg", nil)
		req.Header.Set("Range", "bytes=10-15")
		rec := httptest.NewRecorder()
		http.ServeContent(rec, req, "large.jpg", obj.ModTime(), obj)
		if rec.Code != http.StatusPartialContent {
			t.Fatalf("status %d, want 206", rec.Code)
		}
		if got := rec.Body.String(); got != string(data[10:16]) {
			t.Errorf("body %q, want %q", got, data[10:16])
		}
		if got := rec.Header().Get("Content-Range"); got != "bytes 10-15/36" {
			t.Errorf("Content-Range %q", got)
		}
	})
}

func TestS3StoreObjectChangesWhileOpen(t *testing.T) {
	ctx := context.Background()
	old := bytes.Repeat([]byte("o"), 4096)
	tests := []struct {
		name    string
		change  func(s *S3Store) error
		wantErr error // nil: any error
	}{
		{"replaced", func(s *S3Store) error {
			return s.Put(ctx, "a1/large.jpg", TypeJPEG, bytes.Repeat([]byte("n"), 4096))
		}, nil},
		{"deleted", func(s *S3Store) error { return s.Delete(ctx, "a1/large.jpg") }, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newS3Store(t, newFakeS3(t).config("plein-media"))
			if err := s.Put(ctx, "a1/large.jpg", TypeJPEG, old); err != nil {
				t.Fatal(err)
			}
			reader, err := s.Open(ctx, "a1/large.jpg")
			if err != nil {
				t.Fatal(err)
			}
			defer reader.Close()
			seeker, err := s.Open(ctx, "a1/large.jpg")
			if err != nil {
				t.Fatal(err)
			}
			defer seeker.Close()
			if err := tt.change(s); err != nil {
				t.Fatal(err)
			}

			// The response already under way still delivers the old object.
			got, err := io.ReadAll(reader)
			if err != nil || !bytes.Equal(got, old) {
				t.Errorf("reading on: %d bytes, %v; want the %d old bytes", len(got), err, len(old))
			}
			// A new range request must not deliver another version.
			if _, err := seeker.Seek(100, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			got, err = io.ReadAll(seeker)
			if err == nil {
				t.Fatalf("read after seeking succeeded with %d bytes, want an error", len(got))
			}
			if bytes.ContainsRune(got, 'n') {
				t.Error("read bytes of the new version")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("read after seeking: %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestNewS3StoreConfig(t *testing.T) {
	f := newFakeS3(t)
	tests := []struct {
		name   string
		change func(*S3Config)
		want   string // part of the error
	}{
		{"empty endpoint", func(c *S3Config) { c.Endpoint = "" }, "endpoint is empty"},
		{"endpoint with scheme", func(c *S3Config) { c.Endpoint = "http://" + c.Endpoint }, "without a scheme"},
		{"endpoint with path", func(c *S3Config) { c.Endpoint += "/bucket" }, "host:port only"},
		{"empty bucket", func(c *S3Config) { c.Bucket = "" }, "bucket is empty"},
		{"bad bucket name", func(c *S3Config) { c.Bucket = "Plein_Media" }, `bucket "Plein_Media"`},
		{"empty access key", func(c *S3Config) { c.AccessKey = "" }, "access key is empty"},
		{"empty secret key", func(c *S3Config) { c.SecretKey = "" }, "secret key is empty"},
		{"absolute prefix", func(c *S3Config) { c.Prefix = "/media/" }, "prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := f.config("plein-media")
			tt.change(&cfg)
			before := f.requestCount()
			s, err := NewS3Store(context.Background(), cfg)
			if err == nil {
				t.Fatalf("NewS3Store succeeded: %+v", s)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("error %q shows the secret key", err)
			}
			if n := f.requestCount() - before; n != 0 {
				t.Errorf("invalid configuration sent %d requests", n)
			}
		})
	}
}

func TestNewS3StoreBucket(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t)
	client := f.client(t)
	cfg := f.config("plein-media")

	cfg.CreateBucket = false
	_, err := NewS3Store(ctx, cfg)
	if !errors.Is(err, ErrBucketMissing) {
		t.Fatalf("missing bucket: %v, want ErrBucketMissing", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "plein-media") || strings.Contains(msg, testSecret) {
		t.Errorf("missing bucket: error %q should name the bucket and not show the secret", msg)
	}
	if ok, err := client.BucketExists(ctx, "plein-media"); err != nil || ok {
		t.Fatalf("bucket created without CreateBucket: %v, %v", ok, err)
	}

	cfg.CreateBucket = true
	for i := range 2 { // the second run finds the bucket there
		if _, err := NewS3Store(ctx, cfg); err != nil {
			t.Fatalf("CreateBucket, run %d: %v", i+1, err)
		}
	}
	if ok, err := client.BucketExists(ctx, "plein-media"); err != nil || !ok {
		t.Fatalf("CreateBucket did not create the bucket: %v, %v", ok, err)
	}
	cfg.CreateBucket = false
	if _, err := NewS3Store(ctx, cfg); err != nil {
		t.Errorf("existing bucket: %v", err)
	}
}

func TestS3StoreBucketRemoved(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t)
	s := newS3Store(t, f.config("plein-media"))
	if err := s.Put(ctx, "a1/large.jpg", TypeJPEG, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := f.backend.ForceDeleteBucket("plein-media"); err != nil {
		t.Fatal(err)
	}

	_, openErr := s.Open(ctx, "a1/large.jpg")
	errs := map[string]error{
		"Put":    s.Put(ctx, "a1/large.jpg", TypeJPEG, []byte("x")),
		"Open":   openErr,
		"Delete": s.Delete(ctx, "a1/large.jpg"),
	}
	for op, err := range errs {
		if !errors.Is(err, ErrBucketMissing) || errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v, want ErrBucketMissing and not ErrNotFound", op, err)
		}
	}
}

func TestNewS3StoreUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := l.Addr().String()
	l.Close() // nothing listens there now

	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	cfg := S3Config{Endpoint: endpoint, Bucket: "plein-media", Region: "us-east-1", AccessKey: "plein", SecretKey: testSecret, PathStyle: true}
	_, err = NewS3Store(ctx, cfg)
	if err == nil {
		t.Fatal("NewS3Store succeeded with no server")
	}
	if msg := err.Error(); !strings.Contains(msg, endpoint) || strings.Contains(msg, testSecret) {
		t.Errorf("error %q should name the endpoint and not show the secret", msg)
	}
}
