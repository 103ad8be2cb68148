package i18n

import "strings"

// Keys of the sensitive-data guard: the names of the kinds of number it
// finds, the refusal of a post that holds one, and the audit sentence of a
// confirmation.
const (
	SensitiveBSN        Key = "sensitive.bsn"
	SensitiveIBAN       Key = "sensitive.iban"
	SensitiveIDDocument Key = "sensitive.iddocument"
	SensitiveAnd        Key = "sensitive.and" // the list so far, the last item
	// ErrSensitivePost refuses a post that holds sensitive numbers until
	// its author confirms it; its argument is a SensitiveKinds list.
	ErrSensitivePost Key = "post.sensitive"
	// AuditPostSensitive: actor, post, the kinds found.
	AuditPostSensitive Key = "audit.post.sensitive"
	// StaffSensitiveConfirm labels the box that confirms such a post.
	StaffSensitiveConfirm Key = "staff.sensitive.confirm"
	// StaffModerationSensitive flags a reply in the moderation queue; its
	// argument is a SensitiveKinds list.
	StaffModerationSensitive Key = "staff.moderation.sensitive"
)

var sensitiveMessages = map[Key][2]string{
	SensitiveBSN:        {"een BSN (burgerservicenummer)", "a BSN (citizen service number)"},
	SensitiveIBAN:       {"een IBAN (rekeningnummer)", "an IBAN (bank account number)"},
	SensitiveIDDocument: {"een paspoort- of ID-kaartnummer", "a passport or identity-card number"},
	SensitiveAnd:        {"%s en %s", "%s and %s"},
	ErrSensitivePost: {"de tekst lijkt %s te bevatten. Zulke nummers horen niet in een openbaar bericht: haal ze weg, of bevestig dat het bericht ze toch mag bevatten",
		"the text seems to contain %s. Numbers like these do not belong in a public post: remove them, or confirm that the post may contain them anyway"},
	AuditPostSensitive: {"%s bevestigde na een waarschuwing dat het bericht ‘%s’ %s mag bevatten",
		"%s confirmed after a warning that the post ‘%s’ may contain %s"},
	StaffSensitiveConfirm: {"Ik heb de tekst nagekeken: het bericht mag deze gegevens bevatten",
		"I have checked the text: the post may contain these numbers"},
	StaffModerationSensitive: {"deze reactie lijkt %s te bevatten: toon haar niet voordat u dat hebt nagekeken",
		"this reply seems to contain %s: do not show it before you have checked"},
}

// SensitiveKinds names the kinds of sensitive number found ("bsn", "iban",
// "id-document", as the detector names them) as one list in the reader's
// language: "a BSN (citizen service number) and an IBAN (bank account
// number)". A kind it does not know is named as it is.
func SensitiveKinds(kinds []string) List {
	var l List
	for _, k := range kinds {
		switch k {
		case "bsn":
			l = append(l, M(SensitiveBSN))
		case "iban":
			l = append(l, M(SensitiveIBAN))
		case "id-document":
			l = append(l, M(SensitiveIDDocument))
		default:
			l = append(l, k)
		}
	}
	return l
}

// List is a list of items told in the reader's language, the last two
// joined by "and" ("en") and the others by commas.
type List []any

// In returns the list in lang.
func (l List) In(lang string) string {
	items := localize(lang, l)
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = strings.TrimSpace(format(lang, "%v", []any{it}))
	}
	switch n := len(parts); n {
	case 0:
		return ""
	case 1:
		return parts[0]
	default:
		return T(lang, string(SensitiveAnd), strings.Join(parts[:n-1], ", "), parts[n-1])
	}
}

func init() {
	for k, v := range sensitiveMessages {
		messages[string(k)] = v
	}
}
