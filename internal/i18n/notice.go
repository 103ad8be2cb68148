package i18n

// Keys of the public report form (Digital Services Act, Art. 16) that
// domain code names.
const (
	ErrNoticeTarget    Key = "notice.error.target"
	ErrNoticeGround    Key = "notice.error.ground"
	ErrNoticeLaw       Key = "notice.error.law"
	ErrNoticeLawLong   Key = "notice.error.lawlong" // length, limit
	ErrNoticeText      Key = "notice.error.text"
	ErrNoticeTextLong  Key = "notice.error.textlong" // length, limit
	ErrNoticeAddress   Key = "notice.error.email"
	ErrNoticeGoodFaith Key = "notice.error.goodfaith"
)

// noticeMessages is the text of the report form, its receipt and the
// receipt mail.
var noticeMessages = map[Key][2]string{
	ErrNoticeTarget: {"dit bericht of deze reactie is hier niet (meer) te zien", "this post or reply is not (or no longer) shown here"},
	ErrNoticeGround: {"kies of de inhoud in strijd is met de wet of met de regels van de organisatie",
		"choose whether the content is against the law or against the organisation's rules"},
	ErrNoticeLaw:      {"noem de wet of het wetsartikel waarmee de inhoud in strijd is", "name the law or article of law the content breaks"},
	ErrNoticeLawLong:  {"de wet is %d tekens lang; de grens is %d", "the law is %d characters long; the limit is %d"},
	ErrNoticeText:     {"leg uit waarom de inhoud in strijd is met de wet of de regels", "explain why the content breaks the law or the rules"},
	ErrNoticeTextLong: {"uw uitleg is %d tekens lang; de grens is %d", "your explanation is %d characters long; the limit is %d"},
	ErrNoticeAddress: {"vul een geldig e-mailadres in, zoals naam@voorbeeld.nl, of laat het veld leeg",
		"enter a valid e-mail address, such as name@example.org, or leave the field empty"},
	ErrNoticeGoodFaith: {"bevestig dat uw melding naar beste weten juist en volledig is",
		"confirm that your report is accurate and complete to the best of your knowledge"},
	"notice.mail.subject": {"%s: melding ontvangen (%s)", "%s: report received (%s)"},
	"notice.mail.body": {"%s heeft op %s een melding ontvangen via het meldformulier, met dit e-mailadres. Het referentienummer is %s. We laten u weten wat we met de melding doen.",
		"%s received a report through its report form on %s, with this e-mail address. The reference is %s. We will let you know what we decide."},
}

func init() {
	for k, v := range noticeMessages {
		messages[string(k)] = v
	}
}
