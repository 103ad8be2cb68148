package i18n

// Keys of the team's work on the inbox that domain code names.
const (
	ErrInboxReaders        Key = "inbox.error.readers"
	ErrInboxRetention      Key = "inbox.error.retention" // least days, most years
	ErrAssignee            Key = "inbox.error.assignee"  // e-mail address
	ErrQuestionNoteEmpty   Key = "inbox.error.note"
	ErrQuestionNoteTooLong Key = "inbox.error.notelong" // length, limit
	ErrSavedTitle          Key = "inbox.error.savedtitle"

	AuditQuestionAnswerDirect Key = "audit.question.answerdirect" // actor, reference
	AuditQuestionAssign       Key = "audit.question.assign"       // actor, reference, account
	AuditQuestionUnassign     Key = "audit.question.unassign"     // actor, reference
	AuditQuestionNote         Key = "audit.question.note"         // actor, reference
	AuditQuestionComplaint    Key = "audit.question.complaint"    // actor, reference
	AuditQuestionNoComplaint  Key = "audit.question.nocomplaint"  // actor, reference
	AuditQuestionExport       Key = "audit.question.export"       // actor, reference
	AuditSavedAdd             Key = "audit.saved.add"             // actor, title
	AuditSavedRemove          Key = "audit.saved.remove"          // actor, title
	AuditInboxSettings        Key = "audit.inbox.settings"        // actor, roles
)

// inboxMessages is the text of the inbox's assignment, notes, saved
// answers, settings, notices to the team and exports.
var inboxMessages = map[string][2]string{
	string(ErrInboxReaders): {"kies rollen uit beheerder, redacteur, moderator en analist", "choose roles from admin, editor, moderator and analyst"},
	string(ErrInboxRetention): {"een bewaartermijn is minstens %d dag en hoogstens %d jaar; leeg is de standaard",
		"a retention is at least %d day and at most %d years; empty is the default"},
	string(ErrAssignee):            {"%s is geen collega die de vragen mag lezen", "%s is not a colleague who may read the questions"},
	string(ErrQuestionNoteEmpty):   {"schrijf een notitie", "write a note"},
	string(ErrQuestionNoteTooLong): {"de notitie is %d tekens lang; de grens is %d", "the note is %d characters long; the limit is %d"},
	string(ErrSavedTitle):          {"geef een titel van hoogstens %d tekens, op één regel", "give a title of at most %d characters, on one line"},

	string(AuditQuestionAnswerDirect): {"%s beantwoordde vraag %s met een direct bericht", "%s answered question %s by direct message"},
	string(AuditQuestionAssign):       {"%s wees vraag %s toe aan %s", "%s assigned question %s to %s"},
	string(AuditQuestionUnassign):     {"%s haalde de toewijzing van vraag %s weg", "%s took the assignment of question %s away"},
	string(AuditQuestionNote):         {"%s schreef een interne notitie bij vraag %s", "%s wrote an internal note on question %s"},
	string(AuditQuestionComplaint):    {"%s markeerde vraag %s als klacht", "%s marked question %s as a complaint"},
	string(AuditQuestionNoComplaint):  {"%s haalde de klachtmarkering van vraag %s weg", "%s took the complaint mark off question %s"},
	string(AuditQuestionExport):       {"%s exporteerde vraag %s", "%s exported question %s"},
	string(AuditSavedAdd):             {"%s bewaarde het standaardantwoord ‘%s’", "%s saved the standard answer ‘%s’"},
	string(AuditSavedRemove):          {"%s verwijderde het standaardantwoord ‘%s’", "%s removed the standard answer ‘%s’"},
	string(AuditInboxSettings):        {"%s wijzigde de instellingen van de vragen (lezen: %s)", "%s changed the settings of the questions (read by: %s)"},

	"inbox.notice.subject":   {"Nieuwe vraag voor %s (%s)", "New question for %s (%s)"},
	"inbox.notice.body":      {"%s heeft een nieuwe vraag ontvangen %s, met referentienummer %s. Lees en beantwoord hem in Plein:", "%s received a new question %s, with reference number %s. Read and answer it in Plein:"},
	"inbox.notice.form":      {"via het contactformulier", "through the contact form"},
	"inbox.notice.fediverse": {"als direct bericht uit de Fediverse", "as a direct message from the Fediverse"},

	"export.subject":      {"Vraag %s aan %s", "Question %s to %s"},
	"export.reference":    {"Referentienummer", "Reference number"},
	"export.organisation": {"Organisatie", "Organisation"},
	"export.received":     {"Ontvangen", "Received"},
	"export.source":       {"Bron", "Source"},
	"export.from":         {"Antwoordadres", "Answer address"},
	"export.name":         {"Naam", "Name"},
	"export.state":        {"Toestand", "State"},
	"export.complaint":    {"Klacht", "Complaint"},
	"export.yes":          {"ja", "yes"},
	"export.masked":       {"Nummers als een BSN, IBAN of paspoortnummer zijn verborgen.", "Numbers such as a BSN, IBAN or passport number are hidden."},
	"export.answer":       {"Antwoord van %s, %s (%s)", "Answer by %s, %s (%s)"},
	"export.sent":         {"verzonden %s", "sent %s"},
	"export.notsent":      {"nog niet verzonden", "not sent yet"},

	"staff.inbox.assign":         {"Toewijzen aan", "Assign to"},
	"staff.inbox.nobody":         {"niemand", "nobody"},
	"staff.inbox.assignee":       {"Toegewezen aan", "Assigned to"},
	"staff.inbox.doassign":       {"Toewijzen", "Assign"},
	"staff.inbox.notes":          {"Interne notities", "Internal notes"},
	"staff.inbox.notes.hint":     {"Alleen voor collega's; wordt nooit verstuurd.", "For colleagues only; never sent."},
	"staff.inbox.note":           {"Nieuwe notitie", "New note"},
	"staff.inbox.addnote":        {"Notitie toevoegen", "Add note"},
	"staff.inbox.noteby":         {"%s, %s", "%s, %s"},
	"staff.inbox.complaint":      {"Dit is een klacht (bewaard volgens de termijn voor klachten)", "This is a complaint (kept for the retention of complaints)"},
	"staff.inbox.complaintbadge": {"klacht", "complaint"},
	"staff.inbox.setcomplaint":   {"Klacht opslaan", "Save complaint mark"},
	"staff.inbox.export":         {"Exporteren als .eml (voor het zaaksysteem)", "Export as .eml (for the case system)"},
	"staff.inbox.usesaved":       {"Standaardantwoord gebruiken", "Use a standard answer"},
	"staff.inbox.saved":          {"Standaardantwoorden", "Standard answers"},
	"staff.inbox.saved.title":    {"Titel", "Title"},
	"staff.inbox.saved.text":     {"Tekst", "Text"},
	"staff.inbox.saved.add":      {"Standaardantwoord bewaren", "Save standard answer"},
	"staff.inbox.saved.remove":   {"Verwijderen", "Remove"},
	"staff.inbox.saved.use":      {"Gebruiken", "Use"},
	"staff.inbox.answerdirect":   {"Antwoord als direct bericht", "Answer by direct message"},
	"staff.inbox.source":         {"Bron", "Source"},
	"staff.inbox.settings":       {"Instellingen van de vragen", "Settings of the questions"},
	"staff.inbox.readers":        {"Wie mag de vragen lezen en beantwoorden (beheerders altijd)", "Who may read and answer the questions (admins always)"},
	"staff.inbox.retention":      {"Vragen bewaren, in dagen (leeg: de standaard van %s dagen)", "Keep questions, in days (empty: the default of %s days)"},
	"staff.inbox.complaintdays":  {"Klachten bewaren, in dagen (leeg: de standaard van %s dagen)", "Keep complaints, in days (empty: the default of %s days)"},
	"staff.inbox.notify":         {"Stuur het team een e-mail bij een nieuwe vraag (zonder de tekst van de vraag)", "E-mail the team of a new question (without the question's text)"},
	"staff.inbox.savesettings":   {"Instellingen opslaan", "Save settings"},
	"staff.done.assigned":        {"De vraag is toegewezen.", "The question was assigned."},
	"staff.done.noted":           {"De notitie is toegevoegd.", "The note was added."},
	"staff.done.complaintmark":   {"De klachtmarkering is opgeslagen.", "The complaint mark was saved."},
	"staff.done.savedanswer":     {"Het standaardantwoord is bewaard.", "The standard answer was saved."},
	"staff.done.savedremoved":    {"Het standaardantwoord is verwijderd.", "The standard answer was removed."},
	"staff.done.inboxsettings":   {"De instellingen zijn opgeslagen.", "The settings were saved."},
	"staff.done.answeredmail":    {"Het antwoord wordt per e-mail verstuurd.", "The answer is being sent by e-mail."},
	"staff.done.answereddirect":  {"Het antwoord wordt als direct bericht verstuurd.", "The answer is being sent by direct message."},
	"contact.answer.direct":      {"Antwoord van %s op uw vraag (referentienummer %s):", "Answer from %s to your question (reference number %s):"},
}

func init() {
	for k, v := range inboxMessages {
		messages[k] = v
	}
}
