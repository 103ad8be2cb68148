package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// MinKeyLength is the fewest characters an installation key given in the
// environment may have.
const MinKeyLength = 32

// ErrDamaged is returned by Box.Open for a sealed value that is not one
// Seal made with this key: damaged, or sealed with another key.
var ErrDamaged = errors.New("keyring: the sealed value cannot be opened with this installation's key")

// Box seals secrets that Plein must be able to read back (such as the app
// password of an organisation's Bluesky account) before they are stored,
// with AES-256-GCM under a key that is not in the database: the value of
// an environment variable, or else a file in the data folder, made at
// random with mode 0600 when it is first needed. It is safe for concurrent
// use.
type Box struct {
	env, path, purpose string

	mu   sync.Mutex
	aead cipher.AEAD
}

// NewBox returns a Box for purpose (a label that keeps keys of different
// uses apart). Its key is env when not empty, else the contents of the
// file at path.
func NewBox(purpose, env, path string) *Box {
	return &Box{env: env, path: path, purpose: purpose}
}

// Seal encrypts plain, bound to context (such as the id of the row that
// stores it: a sealed value copied to another row does not open).
func (b *Box) Seal(context, plain string) (string, error) {
	aead, err := b.cipher()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand never fails
	return base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(plain), []byte(context))), nil
}

// Open decrypts what Seal made with the same context; ErrDamaged when it
// cannot.
func (b *Box) Open(context, sealed string) (string, error) {
	aead, err := b.cipher()
	if err != nil {
		return "", err
	}
	data, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(data) < aead.NonceSize() {
		return "", ErrDamaged
	}
	plain, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], []byte(context))
	if err != nil {
		return "", ErrDamaged
	}
	return string(plain), nil
}

// cipher returns the AEAD, reading or making the key on first use.
func (b *Box) cipher() (cipher.AEAD, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.aead != nil {
		return b.aead, nil
	}
	key := strings.TrimSpace(b.env)
	if key != "" && len(key) < MinKeyLength {
		return nil, fmt.Errorf("keyring: the %s key in the environment has %d characters; at least %d are needed", b.purpose, len(key), MinKeyLength)
	}
	if key == "" {
		var err error
		if key, err = fileKey(b.path); err != nil {
			return nil, fmt.Errorf("keyring: %s key: %w", b.purpose, err)
		}
	}
	sum := sha256.Sum256([]byte(b.purpose + "\x00" + key))
	block, err := aes.NewCipher(sum[:])
	if err != nil {
		return nil, fmt.Errorf("keyring: %s key: %w", b.purpose, err)
	}
	if b.aead, err = cipher.NewGCM(block); err != nil {
		return nil, fmt.Errorf("keyring: %s key: %w", b.purpose, err)
	}
	return b.aead, nil
}

// fileKey reads the key in the file at path, making the file with a new
// random key, readable by its owner only, when it does not exist.
func fileKey(path string) (string, error) {
	if path == "" {
		return "", errors.New("no key given and no file for one")
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Written whole beside the final name, then linked there, so that
		// another process never reads a half-written key, and the first
		// one made wins.
		key := rand.Text() + rand.Text()
		f, err := os.CreateTemp(filepath.Dir(path), ".key-*") // mode 0600
		if err != nil {
			return "", err
		}
		defer os.Remove(f.Name())
		if _, err := f.WriteString(key + "\n"); err != nil {
			f.Close()
			return "", err
		}
		if err := f.Close(); err != nil {
			return "", err
		}
		if err := os.Link(f.Name(), path); errors.Is(err, fs.ErrExist) {
			return fileKey(path)
		} else if err != nil {
			return "", err
		}
		return key, nil
	}
	if err != nil {
		return "", err
	}
	key := strings.TrimSpace(string(data))
	if len(key) < MinKeyLength {
		return "", fmt.Errorf("the file %s holds %d characters; at least %d are needed", path, len(key), MinKeyLength)
	}
	return key, nil
}
