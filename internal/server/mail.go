package server

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"plein/internal/config"
	"plein/internal/mail"
	"plein/internal/store"
)

// The settings keys of the DKIM keys Plein makes, as PEM text.
const (
	settingDKIMRSA     = "dkim_rsa_key"
	settingDKIMEd25519 = "dkim_ed25519_key"
)

// DKIMSigner returns the signer of the domain of m.From: with the keys of
// m.DKIMKeyFile, or else with an RSA and an Ed25519 key kept in st's
// settings, made the first time they are asked for (st may be nil with a
// key file). When several nodes make them at once, the first stored wins
// for all. The RSA key signs as m.DKIMSelector, the Ed25519 key as
// m.DKIMSelector + config.DKIMEd25519Suffix.
func DKIMSigner(ctx context.Context, st store.Settings, m config.Mail) (*mail.DKIMSigner, error) {
	if m.Domain() == "" {
		return nil, errors.New("DKIM needs --mail-from, the address whose domain signs")
	}
	if m.DKIMSelector == "" {
		m.DKIMSelector = config.DefaultDKIMSelector
	}
	var keys []crypto.Signer
	var err error
	if m.DKIMKeyFile != "" {
		keys, err = readDKIMKeyFile(m.DKIMKeyFile)
	} else {
		keys, err = storedDKIMKeys(ctx, st)
	}
	if err != nil {
		return nil, err
	}
	var dk []mail.DKIMKey
	for _, k := range keys {
		selector := m.DKIMSelector
		if _, ok := k.(ed25519.PrivateKey); ok {
			selector += config.DKIMEd25519Suffix
		}
		dk = append(dk, mail.DKIMKey{Selector: selector, Key: k})
	}
	return mail.NewDKIMSigner(m.Domain(), dk...)
}

// readDKIMKeyFile reads at most one RSA and one Ed25519 key from a PEM
// file; its errors are sentences that name the flag.
func readDKIMKeyFile(path string) ([]crypto.Signer, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		reason := err
		var pe *fs.PathError
		if errors.As(err, &pe) {
			reason = pe.Err
		}
		return nil, fmt.Errorf("--dkim-key %s cannot be read: %v", path, reason)
	}
	keys, err := mail.DecodeDKIMKeys(text)
	if err != nil {
		return nil, fmt.Errorf("--dkim-key %s must hold an RSA or Ed25519 private key, or one of each, as PEM: %w", path, err)
	}
	var rsaKeys, edKeys int
	for _, k := range keys {
		switch k := k.(type) {
		case *rsa.PrivateKey:
			rsaKeys++
			if bits := k.N.BitLen(); bits < 1024 {
				return nil, fmt.Errorf("--dkim-key %s holds an RSA key of %d bits; receivers ignore signatures by keys under 1024 bits, and %d are recommended", path, bits, mail.DKIMRSABits)
			}
		case ed25519.PrivateKey:
			edKeys++
		}
	}
	if rsaKeys > 1 || edKeys > 1 {
		return nil, fmt.Errorf("--dkim-key %s holds %d RSA and %d Ed25519 keys; give at most one of each", path, rsaKeys, edKeys)
	}
	return keys, nil
}

// storedDKIMKeys returns the RSA and Ed25519 keys kept in the settings,
// making and storing them when they are missing.
func storedDKIMKeys(ctx context.Context, st store.Settings) ([]crypto.Signer, error) {
	if st == nil {
		return nil, errors.New("server: DKIM keys: no settings store")
	}
	stored := map[string]string{}
	missing := false
	for _, key := range []string{settingDKIMRSA, settingDKIMEd25519} {
		v, err := st.Setting(ctx, key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			missing = true
		case err != nil:
			return nil, fmt.Errorf("server: DKIM key: %w", err)
		default:
			stored[key] = v
		}
	}
	if missing {
		rsaKey, edKey, err := mail.GenerateDKIMKeys()
		if err != nil {
			return nil, err
		}
		for key, k := range map[string]crypto.Signer{settingDKIMRSA: rsaKey, settingDKIMEd25519: edKey} {
			if _, ok := stored[key]; ok {
				continue
			}
			text, err := mail.EncodeDKIMKey(k)
			if err != nil {
				return nil, err
			}
			// Another node may have stored one meanwhile: the stored key
			// wins.
			if stored[key], err = st.InitSetting(ctx, key, text); err != nil {
				return nil, fmt.Errorf("server: DKIM key: %w", err)
			}
		}
	}
	var keys []crypto.Signer
	for _, key := range []string{settingDKIMRSA, settingDKIMEd25519} {
		k, err := mail.DecodeDKIMKeys([]byte(stored[key]))
		if err != nil {
			return nil, fmt.Errorf("server: the stored DKIM key %s: %w", key, err)
		}
		if len(k) != 1 {
			return nil, fmt.Errorf("server: the stored DKIM key %s holds %d keys", key, len(k))
		}
		keys = append(keys, k[0])
	}
	return keys, nil
}

// NewRelay returns the relay m describes, signing with signer; now is its
// clock.
func NewRelay(m config.Mail, signer *mail.DKIMSigner, now func() time.Time) (*mail.Relay, error) {
	mode, err := mail.ParseTLSMode(m.SMTPTLS)
	if err != nil {
		return nil, err
	}
	return mail.NewRelay(mail.RelayConfig{
		Addr: m.SMTPAddr, TLS: mode, User: m.SMTPUser, Password: m.SMTPPassword,
		From: m.From, DKIM: signer, Rate: m.Rate, Now: now,
	})
}
