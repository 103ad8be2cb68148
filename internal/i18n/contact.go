package i18n

// Keys of the contact form that domain code names.
const (
	ErrContactToken         Key = "contact.error.token"
	ErrContactQuestionEmpty Key = "contact.error.question"
	ErrContactQuestionLong  Key = "contact.error.questionlong" // length, limit
	ErrContactName          Key = "contact.error.name"         // limit
	ErrContactAddress       Key = "contact.error.email"
	ErrContactTopic         Key = "contact.error.topic"
	// ErrContactSensitive warns a citizen about sensitive numbers in the
	// question; its argument is a SensitiveKinds list.
	ErrContactSensitive Key = "contact.sensitive"

	// The staff inbox.
	ErrQuestionState    Key = "inbox.error.state"
	ErrAnswerEmpty      Key = "inbox.error.answer"
	ErrAnswerTooLong    Key = "inbox.error.answerlong" // length, limit
	ErrAnswerFediverse  Key = "inbox.error.fediverse"
	AuditQuestionReveal Key = "audit.question.reveal" // actor, reference
	AuditQuestionState  Key = "audit.question.state"  // actor, reference, state
	AuditQuestionAnswer Key = "audit.question.answer" // actor, reference
)

// contactMessages is the text of the contact form, its confirmation and
// the acknowledgement mail.
var contactMessages = map[string][2]string{
	string(ErrContactToken): {"het formulier stond te lang open of is beschadigd. Controleer uw vraag en verstuur hem opnieuw",
		"the form was open too long or is damaged. Check your question and send it again"},
	string(ErrContactQuestionEmpty): {"schrijf uw vraag", "write your question"},
	string(ErrContactQuestionLong):  {"uw vraag is %d tekens lang; de grens is %d", "your question is %d characters long; the limit is %d"},
	string(ErrContactName):          {"een naam is hoogstens %d tekens, op één regel", "a name is at most %d characters, on one line"},
	string(ErrContactAddress): {"vul een geldig e-mailadres in, zoals naam@voorbeeld.nl, of een Fediverse-adres, zoals @naam@server.nl",
		"enter a valid e-mail address, such as name@example.org, or a Fediverse address, such as @name@server.example"},
	string(ErrContactTopic): {"kies een onderwerp uit de lijst", "choose a topic from the list"},
	string(ErrContactSensitive): {"uw vraag lijkt %s te bevatten. Dat hoeft u ons niet te sturen: wij vragen er zelf om als we het nodig hebben, via een veilige weg. Wilt u het weghalen? Of verstuur uw vraag toch zoals hij is",
		"your question seems to contain %s. You need not send us that: we ask for it ourselves, through a safe channel, when we need it. Do you want to remove it? Or send your question anyway as it is"},

	"contact.link":            {"Stel een vraag", "Ask a question"},
	"contact.title":           {"Een vraag aan %s", "A question for %s"},
	"contact.intro":           {"Stel hier uw vraag. U heeft geen account nodig. We sturen het antwoord naar het adres dat u opgeeft.", "Ask your question here. You need no account. We send the answer to the address you give."},
	"contact.privacy":         {"We bewaren uw vraag %s en gebruiken hem alleen om hem te beantwoorden. Deze pagina zet geen cookie en bewaart uw IP-adres niet.", "We keep your question for %s and use it only to answer it. This page sets no cookie and does not keep your IP address."},
	"contact.nosensitive":     {"Stuur geen burgerservicenummer (BSN), rekeningnummer of paspoortnummer mee: dat is voor een antwoord niet nodig.", "Do not send your citizen service number (BSN), bank account or passport number: an answer does not need them."},
	"contact.question":        {"Uw vraag", "Your question"},
	"contact.question.hint":   {"Hoogstens %d tekens.", "At most %d characters."},
	"contact.name":            {"Uw naam (niet verplicht)", "Your name (optional)"},
	"contact.email":           {"Uw e-mailadres of Fediverse-adres, voor het antwoord", "Your e-mail address or Fediverse address, for the answer"},
	"contact.email.hint":      {"Bijvoorbeeld naam@voorbeeld.nl of @naam@mastodon.nl.", "For example name@example.org or @name@mastodon.example."},
	"contact.topic":           {"Onderwerp", "Topic"},
	"contact.topic.general":   {"Algemene vraag", "General question"},
	"contact.honeypot":        {"Laat dit veld leeg", "Leave this field empty"},
	"contact.submit":          {"Vraag versturen", "Send question"},
	"contact.sendanyway":      {"Toch versturen zoals hij is", "Send anyway as it is"},
	"contact.error":           {"Het formulier bevat een fout. Zie hieronder.", "The form has an error. See below."},
	"contact.sensitive.title": {"Let op: gevoelige gegevens", "Please note: sensitive data"},
	"contact.sent.title":      {"Uw vraag is verstuurd", "Your question has been sent"},
	"contact.sent.reference":  {"Uw referentienummer is %s. Noem het als u ons over deze vraag benadert.", "Your reference number is %s. Mention it when you contact us about this question."},
	"contact.sent.mailed":     {"We hebben een ontvangstbevestiging gestuurd naar het adres dat u opgaf. Die bevat alleen het referentienummer, niet uw vraag.", "We sent an acknowledgement to the address you gave. It carries only the reference number, not your question."},
	"contact.sent.answer":     {"We sturen het antwoord naar het adres dat u opgaf.", "We send the answer to the address you gave."},
	"contact.busy.title":      {"Te veel vragen tegelijk", "Too many questions at once"},

	string(ErrQuestionState):    {"kies een van de toestanden nieuw, in behandeling, beantwoord, gesloten of vastgehouden", "choose one of the states new, in progress, answered, closed or held"},
	string(ErrAnswerEmpty):      {"schrijf een antwoord", "write an answer"},
	string(ErrAnswerTooLong):    {"het antwoord is %d tekens lang; de grens is %d", "the answer is %d characters long; the limit is %d"},
	string(ErrAnswerFediverse):  {"deze vraag heeft een Fediverse-adres; antwoorden met een direct bericht kan nog niet", "this question has a Fediverse address; answering by direct message is not possible yet"},
	string(AuditQuestionReveal): {"%s toonde de verborgen nummers in vraag %s", "%s revealed the hidden numbers in question %s"},
	string(AuditQuestionState):  {"%s zette vraag %s op ‘%s’", "%s set question %s to ‘%s’"},
	string(AuditQuestionAnswer): {"%s beantwoordde vraag %s per e-mail", "%s answered question %s by e-mail"},
	"inbox.state.new":           {"nieuw", "new"},
	"inbox.state.in_progress":   {"in behandeling", "in progress"},
	"inbox.state.answered":      {"beantwoord", "answered"},
	"inbox.state.closed":        {"gesloten", "closed"},
	"inbox.state.held":          {"vastgehouden", "held"},
	"staff.inbox":               {"Vragen", "Questions"},
	"staff.inbox.question":      {"Vraag %s", "Question %s"},
	"staff.inbox.question.col":  {"Vraag", "Question"},
	"staff.inbox.reference":     {"Referentie", "Reference"},
	"staff.inbox.from":          {"Antwoordadres", "Answer address"},
	"staff.inbox.state":         {"Toestand", "State"},
	"staff.inbox.setstate":      {"Toestand wijzigen", "Change state"},
	"staff.inbox.masked":        {"bevat verborgen nummers", "holds hidden numbers"},
	"staff.inbox.maskedhint":    {"Nummers als een BSN, IBAN of paspoortnummer zijn verborgen. Tonen wordt vastgelegd in het logboek.", "Numbers such as a BSN, IBAN or passport number are hidden. Showing them is recorded in the audit log."},
	"staff.inbox.reveal":        {"Verborgen nummers tonen", "Show hidden numbers"},
	"staff.inbox.revealed":      {"De verborgen nummers worden getoond; dat is vastgelegd in het logboek.", "The hidden numbers are shown; this is recorded in the audit log."},
	"staff.inbox.answerby":      {"Antwoord van %s, %s", "Answer by %s, %s"},
	"staff.inbox.answer":        {"Antwoord per e-mail", "Answer by e-mail"},
	"staff.inbox.send":          {"Antwoord versturen", "Send answer"},
	"staff.inbox.sent":          {"Verzonden op %s.", "Sent on %s."},
	"staff.inbox.notsent":       {"Nog niet verzonden.", "Not sent yet."},
	"staff.inbox.back":          {"Terug naar de vragen", "Back to the questions"},
	"staff.done.questionstate":  {"De toestand van de vraag is gewijzigd.", "The state of the question was changed."},
	"contact.answer.subject":    {"Antwoord van %s op uw vraag (%s)", "Answer from %s to your question (%s)"},
	"contact.answer.reference":  {"Referentienummer: %s", "Reference number: %s"},

	"contact.mail.subject": {"Uw vraag aan %s is ontvangen (%s)", "Your question for %s has arrived (%s)"},
	"contact.mail.body": {"%s heeft op %s een vraag ontvangen via het contactformulier, met dit e-mailadres voor het antwoord. Het referentienummer is %s. We sturen het antwoord naar dit adres.",
		"%s received a question through its contact form on %s, with this e-mail address for the answer. The reference number is %s. We will send the answer to this address."},
	"contact.mail.ignore": {"Heeft u geen vraag gesteld? Dan heeft iemand anders uw adres ingevuld; u kunt deze e-mail negeren. U krijgt van ons niets anders dan het antwoord.",
		"Did you not ask a question? Then someone else entered your address; you can ignore this e-mail. You will get nothing from us but the answer."},
}

func init() {
	for k, v := range contactMessages {
		messages[k] = v
	}
}

// QuestionStateName names a state of a question ("new", "in_progress",
// "answered", "closed", "held") in the reader's language.
func QuestionStateName(state string) interface{ In(lang string) string } { return questionState(state) }

type questionState string

func (s questionState) In(lang string) string {
	if _, ok := messages["inbox.state."+string(s)]; !ok {
		return string(s)
	}
	return T(lang, "inbox.state."+string(s))
}
