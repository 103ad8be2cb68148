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
