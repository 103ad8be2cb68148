package i18n

// Keys of the topics an organisation offers on its contact form.
const (
	ErrTopicLength    Key = "topics.error.length"    // limit
	ErrTopicCount     Key = "topics.error.count"     // limit
	ErrTopicDuplicate Key = "topics.error.duplicate" // topic
	ErrTopicReserved  Key = "topics.error.reserved"  // topic

	AuditInboxTopics      Key = "audit.inbox.topics"      // actor, topics
	AuditInboxTopicsClear Key = "audit.inbox.topicsclear" // actor
)

// topicMessages is the text of the contact form's topics: their refusals,
// audit sentences and the staff screens.
var topicMessages = map[string][2]string{
	string(ErrTopicLength): {"een onderwerp is 1 tot %d tekens lang, op één regel en zonder puntkomma",
		"a topic is 1 to %d characters long, on one line and without a semicolon"},
	string(ErrTopicCount):     {"geef hoogstens %d onderwerpen", "give at most %d topics"},
	string(ErrTopicDuplicate): {"het onderwerp ‘%s’ staat er twee keer in", "the topic ‘%s’ is there twice"},
	string(ErrTopicReserved):  {"‘%s’ kan geen onderwerp zijn; het formulier biedt zelf ‘Anders’ aan", "‘%s’ cannot be a topic; the form offers ‘Other’ itself"},

	string(AuditInboxTopics):      {"%s stelde de onderwerpen van het contactformulier in: %s", "%s set the topics of the contact form: %s"},
	string(AuditInboxTopicsClear): {"%s haalde de onderwerpen van het contactformulier weg", "%s removed the topics of the contact form"},

	"contact.topic.other":      {"Anders", "Other"},
	"contact.topic.choose":     {"Kies een onderwerp", "Choose a topic"},
	"staff.inbox.topics":       {"Onderwerpen van het contactformulier", "Topics of the contact form"},
	"staff.inbox.topics.hint":  {"Eén onderwerp per regel, in de volgorde van het formulier; hoogstens 20, elk hoogstens 60 tekens. Het formulier biedt ook ‘Anders’ aan. Leeg: alleen een algemene vraag.", "One topic a line, in the order of the form; at most 20, each at most 60 characters. The form also offers ‘Other’. Empty: a general question only."},
	"staff.inbox.topics.save":  {"Onderwerpen bewaren", "Save topics"},
	"staff.inbox.topic":        {"Onderwerp", "Topic"},
	"staff.inbox.topic.all":    {"Alle onderwerpen", "All topics"},
	"staff.inbox.topic.filter": {"Toon", "Show"},
	"staff.done.inboxtopics":   {"De onderwerpen zijn bewaard.", "The topics have been saved."},
}

func init() {
	for k, v := range topicMessages {
		messages[k] = v
	}
}
