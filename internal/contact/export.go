package contact

import (
	"context"
	"fmt"
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/mail"
	"plein/internal/store"
)

// Export returns a question with its answers as one RFC 5322 message
// (.eml), for the organisation's case system: the question's details, its
// text and every answer with who wrote it and when, in the question's
// language. The team's internal notes are not in it. Sensitive numbers are
// masked unless reveal, which the audit log records as a reveal; the
// export itself is recorded too.
func (s *Service) Export(ctx context.Context, actor auth.Actor, id string, reveal bool) ([]byte, error) {
	it, err := s.Question(ctx, actor, id, reveal)
	if err != nil {
		return nil, err
	}
	o, err := s.st.OrgByID(ctx, it.OrgID)
	if err != nil {
		return nil, fmt.Errorf("contact: export: %w", err)
	}
	lang, loc := it.Lang, o.Location()
	when := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04 MST") }
	var b strings.Builder
	line := func(key string, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s: %s\n", i18n.T(lang, key), value)
		}
	}
	line("export.reference", it.Reference)
	line("export.organisation", o.DisplayName+" (@"+o.Handle+")")
	line("export.received", when(it.ReceivedAt))
	source := i18n.T(lang, "inbox.notice.form")
	if it.ActorID != "" {
		source = i18n.T(lang, "inbox.notice.fediverse")
	}
	line("export.source", source)
	line("export.from", it.ReplyTo)
	line("export.name", it.Name)
	line("export.state", i18n.QuestionStateName(string(it.State)).In(lang))
	if it.Complaint {
		line("export.complaint", i18n.T(lang, "export.yes"))
	}
	if it.Masked {
		fmt.Fprintf(&b, "%s\n", i18n.T(lang, "export.masked"))
	}
	fmt.Fprintf(&b, "\n%s\n", it.Text)
	for _, a := range it.Answers {
		sent := i18n.T(lang, "export.notsent")
		if !a.SentAt.IsZero() {
			sent = i18n.T(lang, "export.sent", when(a.SentAt))
		}
		fmt.Fprintf(&b, "\n-- %s\n%s\n", i18n.T(lang, "export.answer", a.Author, when(a.CreatedAt), sent), a.Text)
	}
	box := "inbox@" + s.host
	if !strings.Contains(s.host, ".") {
		box = "inbox@" + s.host + ".invalid"
	}
	to := box
	if !isFediverse(it.ReplyTo) {
		to = it.ReplyTo
	}
	msg, err := mail.Compose(&mail.Message{
		ID:       "question." + it.ID + "@" + strings.TrimPrefix(box, "inbox@"),
		FromName: o.DisplayName,
		To:       to,
		Subject:  i18n.T(lang, "export.subject", it.Reference, o.DisplayName),
		Lang:     lang,
		Date:     it.ReceivedAt,
		Text:     b.String(),
	}, box)
	if err != nil {
		return nil, fmt.Errorf("contact: export %s: %w", id, err)
	}
	now := s.now().UTC()
	if err := s.st.InTx(ctx, func(tx store.Tx) error {
		return auth.Audit(ctx, tx, actor, it.OrgID, AuditExport, it.ID, it.Reference, now)
	}); err != nil {
		return nil, fmt.Errorf("contact: export %s: %w", id, err)
	}
	return msg, nil
}
