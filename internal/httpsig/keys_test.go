package httpsig

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyRoundTrip(t *testing.T) {
	key, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if got := key.N.BitLen(); got != KeyBits {
		t.Errorf("key size = %d bits, want %d", got, KeyBits)
	}
	priv, err := EncodePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(priv, "-----BEGIN PRIVATE KEY-----\n") {
		t.Errorf("private key PEM starts %q", priv[:30])
	}
	back, err := DecodePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(key) {
		t.Error("decoded private key differs")
	}
	pub, err := EncodePublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(pub, "-----BEGIN PUBLIC KEY-----\n") {
		t.Errorf("public key PEM starts %q", pub[:30])
	}
	backPub, err := DecodePublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if !backPub.Equal(&key.PublicKey) {
		t.Error("decoded public key differs")
	}
}

func TestDecodeKeyForms(t *testing.T) {
	key := loadKey(t, "key_a.pem")
	pkcs1Pub := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)}))
	pub, err := DecodePublicKey(pkcs1Pub)
	if err != nil {
		t.Fatalf("PKCS #1 public key: %v", err)
	}
	if !pub.Equal(&key.PublicKey) {
		t.Error("PKCS #1 public key differs")
	}
	pkcs1Priv := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	priv, err := DecodePrivateKey(pkcs1Priv)
	if err != nil {
		t.Fatalf("PKCS #1 private key: %v", err)
	}
	if !priv.Equal(key) {
		t.Error("PKCS #1 private key differs")
	}
	// Actors' publicKeyPem often has surrounding white space.
	pkix, err := EncodePublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodePublicKey("\n  " + pkix + "\n\n"); err != nil {
		t.Errorf("PEM with surrounding white space: %v", err)
	}
}

func TestDecodeKeyRefusesJunk(t *testing.T) {
	key := loadKey(t, "key_a.pem")
	privPEM, err := os.ReadFile(filepath.Join("testdata", "key_a.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := EncodePublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecPubDER, err := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	ecPrivDER, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	ecPub := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecPubDER}))
	ecPriv := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecPrivDER}))
	garbled := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("not DER at all")}))

	tests := []struct {
		name string
		text string
		pub  bool
	}{
		{"empty public", "", true},
		{"empty private", "", false},
		{"text public", "hello", true},
		{"text private", "hello", false},
		{"text before block", "junk " + pubPEM, true},
		{"text after block", pubPEM + "junk", true},
		{"two blocks", string(privPEM) + string(privPEM), false},
		{"truncated", pubPEM[:len(pubPEM)/2], true},
		{"garbled DER", garbled, true},
		{"private key as public", string(privPEM), true},
		{"public key as private", pubPEM, false},
		{"certificate block", strings.ReplaceAll(pubPEM, "PUBLIC KEY", "CERTIFICATE"), true},
		{"EC public key", ecPub, true},
		{"EC private key", ecPriv, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.pub {
				_, err = DecodePublicKey(tt.text)
			} else {
				_, err = DecodePrivateKey(tt.text)
			}
			if !errors.Is(err, ErrKey) {
				t.Errorf("error = %v, want ErrKey", err)
			}
		})
	}
}

func TestEncodeNilKey(t *testing.T) {
	if _, err := EncodePrivateKey(nil); !errors.Is(err, ErrKey) {
		t.Errorf("EncodePrivateKey(nil) error = %v", err)
	}
	if _, err := EncodePublicKey(nil); !errors.Is(err, ErrKey) {
		t.Errorf("EncodePublicKey(nil) error = %v", err)
	}
}
