package auth

import (
	"fmt"
	"strconv"
	"strings"

	"plein/internal/i18n"
	"plein/internal/model"
)

// subscribersSentence tells an import, export or ending of e-mail
// subscriptions by staff. The entries hold no address, and neither do
// the sentences: only numbers, the stated consent and the topic. False
// when the entry's detail is not as the subscription package writes it.
func subscribersSentence(e *model.AuditEntry, who Ref) (i18n.Message, bool) {
	switch e.Action {
	case "subscribers.import":
		// "3 imported, 1 already subscribed, 1 suppressed, 2 invalid; consent: …"
		counts, consent, ok := strings.Cut(e.Detail, "; consent: ")
		var imported, existing, suppressed, invalid int
		if _, err := fmt.Sscanf(counts, "%d imported, %d already subscribed, %d suppressed, %d invalid",
			&imported, &existing, &suppressed, &invalid); !ok || err != nil {
			return i18n.Message{}, false
		}
		return i18n.M(i18n.AuditSubscribersImport, who, strconv.Itoa(imported), strconv.Itoa(existing),
			strconv.Itoa(suppressed), strconv.Itoa(invalid), consent), true
	case "subscribers.export":
		var n int
		if _, err := fmt.Sscanf(e.Detail, "%d subscribers", &n); err != nil {
			return i18n.Message{}, false
		}
		return i18n.M(i18n.AuditSubscribersExport, who, strconv.Itoa(n)), true
	case "subscribers.end":
		if e.Detail == "" {
			return i18n.M(i18n.AuditSubscribersEnd, who), true
		}
		return i18n.M(i18n.AuditSubscribersEndTopic, who, "#"+e.Detail), true
	}
	return i18n.Message{}, false
}
