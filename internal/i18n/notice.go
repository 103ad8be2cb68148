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
	"report.link.post":  {"Melden", "Report"},
	"report.link.reply": {"Deze reactie melden", "Report this reply"},
	"report.title":      {"Inhoud melden bij %s", "Report content to %s"},
	"report.intro": {"Meld hier een bericht of reactie die volgens u in strijd is met de wet of met de regels van de organisatie. U hebt geen account nodig; uw naam en e-mailadres zijn niet verplicht.",
		"Report a post or reply here that you believe breaks the law or the organisation's rules. You need no account; your name and e-mail address are optional."},
	"report.ground":              {"Waarmee is de inhoud in strijd?", "What does the content break?"},
	"report.ground.illegal":      {"Met de wet", "The law"},
	"report.ground.incompatible": {"Met de regels van de organisatie", "The organisation's rules"},
	"report.law":                 {"Welke wet of welk wetsartikel?", "Which law or article of law?"},
	"report.law.hint":            {"Alleen nodig als u kiest voor de wet.", "Only needed if you chose the law."},
	"report.explanation":         {"Uitleg", "Explanation"},
	"report.name":                {"Uw naam (niet verplicht)", "Your name (optional)"},
	"report.email":               {"Uw e-mailadres (niet verplicht)", "Your e-mail address (optional)"},
	"report.email.hint": {"Dan sturen we een ontvangstbevestiging en laten we u weten wat we besluiten.",
		"We then send a receipt and let you know what we decide."},
	"report.goodfaith": {"Ik verklaar dat deze melding naar beste weten juist en volledig is.",
		"I declare that this report is accurate and complete to the best of my knowledge."},
	"report.submit":         {"Melding versturen", "Send report"},
	"report.sent.title":     {"Melding ontvangen", "Report received"},
	"report.sent.reference": {"Uw melding is ontvangen. Het referentienummer is %s.", "Your report was received. The reference is %s."},
	"report.sent.mailed":    {"U krijgt een ontvangstbevestiging per e-mail.", "You will get a receipt by e-mail."},
	"report.sent.next": {"Een medewerker van de organisatie beoordeelt de melding.",
		"A staff member of the organisation reviews the report."},
	"notice.mail.subject": {"%s: melding ontvangen (%s)", "%s: report received (%s)"},
	"notice.mail.body": {"%s heeft op %s een melding ontvangen via het meldformulier, met dit e-mailadres. Het referentienummer is %s. We laten u weten wat we met de melding doen.",
		"%s received a report through its report form on %s, with this e-mail address. The reference is %s. We will let you know what we decide."},
}

func init() {
	for k, v := range noticeMessages {
		messages[string(k)] = v
	}
}
