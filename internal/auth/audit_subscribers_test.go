package auth

import (
	"testing"

	"plein/internal/model"
)

// TestSubscribersSentence tells the staff's imports, exports and endings
// of e-mail subscriptions in both languages, and leaves an entry whose
// detail it cannot read to the general sentence.
func TestSubscribersSentence(t *testing.T) {
	who := Ref{Kind: RefAccount, Text: "Anna (anna@gemeente.nl)"}
	tests := []struct {
		action, detail string
		ok             bool
		nl, en         string
	}{
		{"subscribers.import", "3 imported, 2 already subscribed, 1 suppressed, 4 invalid; consent: Nieuwsbrief, opt-in", true,
			"Anna (anna@gemeente.nl) importeerde 3 e-mailabonnees (2 waren al aangemeld, 1 overgeslagen omdat ze zich hier afmeldden of klaagden, 4 ongeldige regels), met als toestemming ‘Nieuwsbrief, opt-in’.",
			"Anna (anna@gemeente.nl) imported 3 e-mail subscribers (2 were subscribed already, 1 left out because they unsubscribed here or complained, 4 invalid lines), with the consent ‘Nieuwsbrief, opt-in’."},
		{"subscribers.export", "12 subscribers", true,
			"Anna (anna@gemeente.nl) exporteerde 12 e-mailabonnees als CSV.", "Anna (anna@gemeente.nl) exported 12 e-mail subscribers as CSV."},
		{"subscribers.end", "", true,
			"Anna (anna@gemeente.nl) beëindigde een e-mailabonnement op verzoek van de abonnee.",
			"Anna (anna@gemeente.nl) ended an e-mail subscription at the subscriber's request."},
		{"subscribers.end", "afval", true,
			"Anna (anna@gemeente.nl) beëindigde een e-mailabonnement op #afval op verzoek van de abonnee.",
			"Anna (anna@gemeente.nl) ended an e-mail subscription to #afval at the subscriber's request."},
		{"subscribers.import", "something else", false, "", ""},
		{"subscribers.export", "all", false, "", ""},
		{"subscribers.other", "", false, "", ""},
	}
	for _, tt := range tests {
		m, ok := subscribersSentence(&model.AuditEntry{Action: tt.action, Detail: tt.detail}, who)
		if ok != tt.ok {
			t.Errorf("%s %q: ok %v, want %v", tt.action, tt.detail, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if got := m.Sentence("nl"); got != tt.nl {
			t.Errorf("%s %q in Dutch:\n%s\nwant\n%s", tt.action, tt.detail, got, tt.nl)
		}
		if got := m.Sentence("en"); got != tt.en {
			t.Errorf("%s %q in English:\n%s\nwant\n%s", tt.action, tt.detail, got, tt.en)
		}
	}
}
