package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/i18n"
	"plein/internal/jobs"
	"plein/internal/mail"
	"plein/internal/store"
)

// NewDeviceArgs is the durable job that tells a staff member that their
// account was logged in to from a browser that had not logged in to it
// before. It carries no address: the mail names the device, the time and
// the way of logging in.
type NewDeviceArgs struct {
	UserID  string    `json:"user_id"`
	Session string    `json:"session"` // SessionRef, for the Message-ID
	Device  string    `json:"device"`
	Via     string    `json:"via"`
	At      time.Time `json:"at"`
	Lang    string    `json:"lang"`
}

// Kind implements river.JobArgs.
func (NewDeviceArgs) Kind() string { return "auth_new_device" }

// InsertOpts puts the notice on the mail queue.
func (NewDeviceArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueMail, MaxAttempts: 10}
}

// loginMailer sends the notices of logins from new devices.
type loginMailer struct {
	sender  mail.Sender
	baseURL string
	host    string
	logger  *slog.Logger
}

// UseLoginMail makes every log-in from a browser new to the account mail
// its owner through sender; baseURL is the installation's public URL.
// Without it, no such mail is sent. Call it before use only.
func (s *Service) UseLoginMail(sender mail.Sender, baseURL string, logger *slog.Logger) {
	if logger == nil {
		logger = slog.Default()
	}
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	s.mails = &loginMailer{sender: sender, baseURL: strings.TrimSuffix(baseURL, "/"), host: host, logger: logger}
}

// NewDeviceWorker sends NewDeviceArgs jobs.
type NewDeviceWorker struct {
	river.WorkerDefaults[NewDeviceArgs]
	svc *Service
}

// NewNewDeviceWorker returns the worker for NewDeviceArgs jobs.
func NewNewDeviceWorker(svc *Service) *NewDeviceWorker { return &NewDeviceWorker{svc: svc} }

// Work mails the notice, unless the account is gone or mail is off.
func (w *NewDeviceWorker) Work(ctx context.Context, job *river.Job[NewDeviceArgs]) error {
	return w.svc.sendNewDevice(ctx, job.Args)
}

func (s *Service) sendNewDevice(ctx context.Context, a NewDeviceArgs) error {
	m := s.mails
	if m == nil {
		return nil
	}
	u, err := s.users.UserByID(ctx, a.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("auth: new-device notice: %w", err)
	}
	lang := i18n.Pick(a.Lang, "")
	device := a.Device
	if device == "" {
		device = i18n.T(lang, "sessions.device.unknown")
	}
	via := i18n.T(lang, "sessions.via.password")
	if a.Via == ViaOIDC {
		via = i18n.T(lang, "sessions.via.oidc")
	}
	when := i18n.DateTime(lang, a.At.In(amsterdam))
	msg := &mail.Message{
		ID:      "login." + a.Session + "@" + m.host,
		To:      u.Email,
		Subject: i18n.T(lang, "newdevice.subject"),
		Lang:    lang,
		Text: i18n.T(lang, "newdevice.body", device, when, via) + "\n\n" +
			i18n.T(lang, "newdevice.notyou", m.baseURL+"/staff/sessions") + "\n\n-- \nPlein\n" + m.baseURL + "\n",
	}
	if err := m.sender.Send(ctx, msg); err != nil {
		if errors.Is(err, mail.ErrRejected) {
			m.logger.Warn("auth: new-device notice refused by the relay")
			return nil
		}
		return fmt.Errorf("auth: send new-device notice: %s", strings.ReplaceAll(err.Error(), u.Email, "[address]"))
	}
	return nil
}

// amsterdam is the zone the notice tells the time in.
var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.UTC
	}
	return loc
}()
