package cli

import (
	"strings"

	"plein/internal/auth"
	"plein/internal/contact"
	"plein/internal/model"
	"plein/internal/server"
)

// setTopics replaces the topics of the organisation's contact form with
// those in list, separated by semicolons; an empty list clears them.
func (e *env) setTopics(app *server.App, actor auth.Actor, o *model.Org, list, as string) error {
	var labels []string
	if strings.TrimSpace(list) != "" {
		labels = strings.Split(list, ";")
	}
	if err := app.Contact.SetTopics(e.ctx, actor, o.ID, labels); err != nil {
		return forbidden(err, as, "change the topics of @"+o.Handle+" (admins only)")
	}
	return nil
}

// topicsLine is how the settings show the topics of the contact form.
func topicsLine(topics []string) string {
	if len(topics) == 0 {
		return "none (a general question only)"
	}
	return strings.Join(topics, "; ") + "; (other)"
}

// topicFilter returns the stored topic the --topic value names: one of the
// organisation's topics (ignoring case), general or other.
func (e *env) topicFilter(app *server.App, o *model.Org, value string) (string, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return "", nil
	}
	if v := strings.ToLower(value); v == contact.TopicGeneral || v == contact.TopicOther {
		return v, nil
	}
	topics, err := app.Contact.Topics(e.ctx, o.ID)
	if err != nil {
		return "", err
	}
	for _, t := range topics {
		if strings.EqualFold(t, value) {
			return t, nil
		}
	}
	return "", usageErrorf("--topic %q: @%s has no such topic; use one of: %s", value, o.Handle,
		strings.Join(append(append([]string{}, topics...), contact.TopicGeneral, contact.TopicOther), ", "))
}

// topicCell is a question's topic in the list of questions.
func topicCell(topic string) string {
	if topic == "" {
		return contact.TopicGeneral
	}
	return topic
}
