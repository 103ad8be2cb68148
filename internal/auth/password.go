package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters, following the RFC 9106 second recommendation
// (64 MiB, 3 passes) scaled to one lane per core of a small server.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLength and MaxPasswordLength are the shortest and longest
// password accepted, in characters.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// HashPassword returns an encoded argon2id hash of password in the PHC
// string format. It waits for a free slot of the hashing budget (see
// HashMemoryBudget) for as long as it takes.
func HashPassword(password string) string {
	_ = hashes.acquire(context.Background(), 0) // never fails without a limit or deadline
	defer hashes.release()
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt) // crypto/rand never fails
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// errBadHash reports a stored hash that is not one HashPassword made.
var errBadHash = errors.New("auth: unrecognised password hash")

// VerifyPassword reports whether password matches the encoded hash. It
// waits up to wait (no limit when 0) or until ctx ends for a free slot of
// the hashing budget (see HashMemoryBudget), and returns ErrBusy when none
// came free.
func VerifyPassword(ctx context.Context, encoded, password string, wait time.Duration) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	if err := hashes.acquire(ctx, wait); err != nil {
		return false, err
	}
	defer hashes.release()
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// RandomPassword returns a new random password (26 characters, 130 bits),
// for printing once to an operator.
func RandomPassword() string { return rand.Text() }
