package contact

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// Limits on the topics an organisation offers on its contact form.
const (
	MaxTopics      = 20
	MaxTopicLength = 60 // characters
)

// TopicOther is the topic a citizen chooses when none of the
// organisation's topics fits; the form offers it whenever there are topics.
const TopicOther = "other"

// AuditTopics is the audit action of a change of the topics; its detail is
// the topics separated by "; ".
const AuditTopics = "inbox.topics"

// FieldTopics names the list of topics in a model.FieldError.
const FieldTopics = "topics"

// NormalizeTopics checks a list of topics and returns it trimmed, without
// empty entries: each 1 to MaxTopicLength characters on one line without a
// semicolon, at most MaxTopics, no two the same ignoring case, and neither
// of the topics the form names itself (general, other).
func NormalizeTopics(labels []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, l := range labels {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if !utf8.ValidString(l) || utf8.RuneCountInString(l) > MaxTopicLength || strings.ContainsRune(l, ';') ||
			strings.IndexFunc(l, unicode.IsControl) >= 0 {
			return nil, model.Invalid(FieldTopics, i18n.M(i18n.ErrTopicLength, MaxTopicLength))
		}
		key := strings.ToLower(l)
		if key == TopicGeneral || key == TopicOther {
			return nil, model.Invalid(FieldTopics, i18n.M(i18n.ErrTopicReserved, l))
		}
		if seen[key] {
			return nil, model.Invalid(FieldTopics, i18n.M(i18n.ErrTopicDuplicate, l))
		}
		seen[key] = true
		out = append(out, l)
	}
	if len(out) > MaxTopics {
		return nil, model.Invalid(FieldTopics, i18n.M(i18n.ErrTopicCount, MaxTopics))
	}
	return out, nil
}

// Topics returns the topics the organisation offers on its contact form,
// in order; none: only TopicGeneral. The form is public, so anyone may ask.
func (s *Service) Topics(ctx context.Context, orgID string) ([]string, error) {
	set, err := s.settings(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return set.Topics, nil
}

// SetTopics replaces the topics of the organisation's contact form (none:
// only a general question). Only admins may; the audit log records it.
func (s *Service) SetTopics(ctx context.Context, actor auth.Actor, orgID string, labels []string) error {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return err
	}
	topics, err := NormalizeTopics(labels)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.PutInboxTopics(ctx, orgID, topics); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, orgID, AuditTopics, orgID, strings.Join(topics, "; "), now)
	})
	if err != nil {
		return fmt.Errorf("contact: topics: %w", err)
	}
	return nil
}

// TopicLabel returns how a question's topic reads in lang: the
// organisation's own label, or the name of general or other.
func TopicLabel(lang, topic string) string {
	switch topic {
	case TopicGeneral, "":
		return i18n.T(lang, "contact.topic.general")
	case TopicOther:
		return i18n.T(lang, "contact.topic.other")
	}
	return topic
}

// validTopic reports whether topic is one the form offers, given the
// organisation's topics.
func validTopic(topic string, topics []string) bool {
	if len(topics) == 0 {
		return topic == TopicGeneral
	}
	if topic == TopicOther {
		return true
	}
	for _, t := range topics {
		if t == topic {
			return true
		}
	}
	return false
}
