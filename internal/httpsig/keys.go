package httpsig

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// KeyBits is the size of the RSA keys GenerateKey makes, the size Mastodon
// expects of an actor's key.
const KeyBits = 2048

// ErrKey reports PEM text that does not hold a usable RSA key.
var ErrKey = errors.New("httpsig: not a usable RSA key")

// GenerateKey returns a new RSA key of KeyBits bits.
func GenerateKey() (*rsa.PrivateKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return nil, fmt.Errorf("httpsig: generate key: %w", err)
	}
	return key, nil
}

// EncodePrivateKey returns key as a PEM "PRIVATE KEY" block (PKCS #8).
func EncodePrivateKey(key *rsa.PrivateKey) (string, error) {
	if key == nil {
		return "", fmt.Errorf("%w: nil private key", ErrKey)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", fmt.Errorf("httpsig: encode private key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// DecodePrivateKey parses the single PEM block in text, an RSA private key
// as "PRIVATE KEY" (PKCS #8) or "RSA PRIVATE KEY" (PKCS #1). Text around the
// block other than white space is refused.
func DecodePrivateKey(text string) (*rsa.PrivateKey, error) {
	block, err := decodeBlock(text)
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrKey, err)
		}
		key, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%w: private key is %T, not RSA", ErrKey, k)
		}
		return key, nil
	case "RSA PRIVATE KEY":
		key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrKey, err)
		}
		return key, nil
	default:
		return nil, fmt.Errorf("%w: PEM block %q is not a private key", ErrKey, block.Type)
	}
}

// EncodePublicKey returns key as a PEM "PUBLIC KEY" block (PKIX), the form
// actors publish as publicKeyPem.
func EncodePublicKey(key *rsa.PublicKey) (string, error) {
	if key == nil {
		return "", fmt.Errorf("%w: nil public key", ErrKey)
	}
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return "", fmt.Errorf("httpsig: encode public key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

// DecodePublicKey parses the single PEM block in text, an RSA public key as
// "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY" (PKCS #1). Text around the block
// other than white space is refused.
func DecodePublicKey(text string) (*rsa.PublicKey, error) {
	block, err := decodeBlock(text)
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrKey, err)
		}
		key, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("%w: public key is %T, not RSA", ErrKey, k)
		}
		return key, nil
	case "RSA PUBLIC KEY":
		key, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrKey, err)
		}
		return key, nil
	default:
		return nil, fmt.Errorf("%w: PEM block %q is not a public key", ErrKey, block.Type)
	}
}

// decodeBlock returns the single PEM block in text.
func decodeBlock(text string) (*pem.Block, error) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "-----BEGIN ") {
		return nil, fmt.Errorf("%w: no PEM block", ErrKey)
	}
	block, rest := pem.Decode([]byte(text))
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block", ErrKey)
	}
	if strings.TrimSpace(string(rest)) != "" {
		return nil, fmt.Errorf("%w: unexpected text after PEM block", ErrKey)
	}
	return block, nil
}
