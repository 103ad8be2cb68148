package i18n

// The text of complaints about moderation decisions (Digital Services Act,
// Art. 20): refusals, audit sentences, the Notes sent to authors, the
// public complaint form and the staff screen; and the mail that tells a
// reporter the decision on their notice (Art. 16(5)).
const (
	ErrComplaintState         Key = "complaint.error.state"   // the value given
	ErrComplaintOutcome       Key = "complaint.error.outcome" // the value given
	ErrComplaintTooFast       Key = "complaint.error.toofast"
	ErrComplaintReplyGone     Key = "complaint.error.replygone"
	ErrComplaintExists        Key = "complaint.error.exists" // when it was received
	ErrComplaintLate          Key = "complaint.error.late"   // date of the decision, months
	ErrComplaintText          Key = "complaint.error.text"
	ErrComplaintTextLong      Key = "complaint.error.textlong" // length, limit
	ErrComplaintOperator      Key = "complaint.error.operator"
	ErrComplaintDecided       Key = "complaint.error.decided" // the outcome
	ErrOutcomeExplanation     Key = "complaint.error.explanation"
	ErrComplaintOwnDecision   Key = "complaint.error.own"
	ErrComplaintOnlyModerator Key = "complaint.error.onlymoderator"
	ErrNoticeNotAbout         Key = "complaint.error.notice" // the notice id

	AuditComplaintUpheld   Key = "audit.complaint.upheld"   // actor, post
	AuditComplaintRejected Key = "audit.complaint.rejected" // actor, post

	// The Notes sent to the author of a reply about their complaint.
	ComplaintNoteUpheld      Key = "complaint.note.upheld"      // post title
	ComplaintNoteRejected    Key = "complaint.note.rejected"    // post title
	ComplaintNoteExplanation Key = "complaint.note.explanation" // explanation
	ComplaintNoteRedress     Key = "complaint.note.redress"
	ComplaintNoteLate        Key = "complaint.note.late" // date of the decision, months
	// StatementNotice tells the author of a reply that the decision
	// followed a notice (Art. 17(3)(b)).
	StatementNotice Key = "statement.notice"

	// The mail telling a reporter the decision on their notice.
	NoticeDecisionSubject Key = "notice.decision.subject" // organisation, reference
	NoticeDecisionBody    Key = "notice.decision.body"    // organisation, reference, date of the notice, decision
	NoticeDecisionRefused Key = "notice.decision.refused"
	NoticeDecisionHidden  Key = "notice.decision.hidden"
)

var complaintMessages = map[Key][2]string{
	ErrComplaintState:   {"\"%s\" is geen toestand van een klacht; kies open, upheld of rejected", "\"%s\" is not a state of a complaint; choose open, upheld or rejected"},
	ErrComplaintOutcome: {"\"%s\" is geen uitkomst; kies upheld (de klacht is terecht, het besluit wordt teruggedraaid) of rejected (het besluit blijft)", "\"%s\" is not an outcome; choose upheld (the complaint is right, the decision is reversed) or rejected (the decision stands)"},
	ErrComplaintTooFast: {"het formulier werd te snel of te vaak verstuurd; wacht even en verstuur het opnieuw", "the form was sent too quickly or too often; wait a moment and send it again"},
	ErrComplaintReplyGone: {"de reactie waarover het besluit ging, is er niet meer; er valt niets meer terug te draaien",
		"the reply the decision was about is no longer here; there is nothing left to reverse"},
	ErrComplaintExists: {"over dit besluit is al een klacht ontvangen, op %s; u krijgt de uitkomst als bericht", "a complaint about this decision was already received, on %s; you will be sent the outcome as a message"},
	ErrComplaintLate: {"het besluit van %s is meer dan %d maanden oud; een klacht kan alleen binnen die termijn. U kunt nog naar de rechter of een geschillenbeslechtingsorgaan (art. 21 DSA)",
		"the decision of %s is more than %d months old; a complaint is only possible within that time. You can still go to court or to an out-of-court dispute settlement body (Art. 21 DSA)"},
	ErrComplaintText:     {"schrijf waarom u het niet eens bent met het besluit", "write why you disagree with the decision"},
	ErrComplaintTextLong: {"uw klacht is %d tekens lang; de grens is %d", "your complaint is %d characters long; the limit is %d"},
	ErrComplaintOperator: {"een klacht wordt beslist door een medewerker met een naam: geef --as met het e-mailadres van een moderator of beheerder die het besluit niet zelf nam",
		"a complaint is decided by a named staff member: give --as with the e-mail address of a moderator or admin who did not take the decision"},
	ErrComplaintDecided:   {"over deze klacht is al beslist: %s", "this complaint was already decided: %s"},
	ErrOutcomeExplanation: {"leg de schrijver uit waarom u zo beslist", "explain to the author why you decide so"},
	ErrComplaintOwnDecision: {"u nam het besluit waarover deze klacht gaat; een andere moderator of beheerder van de organisatie moet de klacht beoordelen",
		"you took the decision this complaint is about; another moderator or admin of the organisation must review the complaint"},
	ErrComplaintOnlyModerator: {"u nam het besluit waarover deze klacht gaat, en u bent de enige moderator van de organisatie; een beheerder moet eerst een andere medewerker de rol moderator of beheerder geven, want niemand beoordeelt een klacht over zijn eigen besluit",
		"you took the decision this complaint is about, and you are the organisation's only moderator; an admin must first give another staff member the moderator or admin role, as nobody reviews a complaint about their own decision"},
	ErrNoticeNotAbout: {"melding %s is geen melding van deze organisatie over deze reactie; 'plein moderation notices' toont de meldingen", "notice %s is not a notice of this organisation about this reply; 'plein moderation notices' lists the notices"},

	AuditComplaintUpheld:   {"%s wees een klacht over een besluit op een reactie op het bericht ‘%s’ toe; de reactie wordt weer getoond", "%s upheld a complaint about a decision on a reply to the post ‘%s’; the reply is shown again"},
	AuditComplaintRejected: {"%s wees een klacht over een besluit op een reactie op het bericht ‘%s’ af", "%s rejected a complaint about a decision on a reply to the post ‘%s’"},

	ComplaintNoteUpheld: {"Uw klacht over ons besluit op uw reactie op ‘%s’ is toegewezen: het besluit is teruggedraaid en uw reactie wordt weer getoond.",
		"Your complaint about our decision on your reply to ‘%s’ was upheld: the decision was reversed and your reply is shown again."},
	ComplaintNoteRejected: {"Uw klacht over ons besluit op uw reactie op ‘%s’ is afgewezen: het besluit blijft.",
		"Your complaint about our decision on your reply to ‘%s’ was rejected: the decision stands."},
	ComplaintNoteExplanation: {"Toelichting: %s", "Explanation: %s"},
	ComplaintNoteRedress: {"Een andere medewerker dan degene die het besluit nam, heeft uw klacht beoordeeld. Bent u het niet eens met de uitkomst, dan kunt u naar de rechter of een geschillenbeslechtingsorgaan (art. 21 DSA).",
		"A staff member other than the one who took the decision reviewed your complaint. If you disagree with the outcome, you can go to court or to an out-of-court dispute settlement body (Art. 21 DSA)."},
	ComplaintNoteLate: {"Uw antwoord is geen klacht meer: het besluit van %s is meer dan %d maanden oud. U kunt nog naar de rechter of een geschillenbeslechtingsorgaan (art. 21 DSA).",
		"Your answer can no longer be taken as a complaint: the decision of %s is more than %d months old. You can still go to court or to an out-of-court dispute settlement body (Art. 21 DSA)."},

	StatementNotice: {"Dit besluit volgde op een melding dat de reactie in strijd was met de wet of met onze regels.",
		"This decision followed a notice that the reply was against the law or our rules."},

	NoticeDecisionSubject: {"%s: besluit over uw melding (%s)", "%s: decision on your report (%s)"},
	NoticeDecisionBody: {"%s heeft besloten over uw melding met referentienummer %s van %s: %s Degene over wiens inhoud het gaat, heeft een motivering gekregen.",
		"%s decided on your report with reference %s of %s: %s The person whose content it is about was sent a statement of reasons."},
	NoticeDecisionRefused: {"de inhoud wordt niet geplaatst.", "the content will not be published."},
	NoticeDecisionHidden:  {"de inhoud is verwijderd en wordt niet meer getoond.", "the content was removed and is no longer shown."},
}

// complaintTexts is the text of the complaint form and the staff screen.
var complaintTexts = map[string][2]string{
	"complaint.state.open":     {"open", "open"},
	"complaint.state.upheld":   {"toegewezen", "upheld"},
	"complaint.state.rejected": {"afgewezen", "rejected"},
	"complaint.state.decided":  {"er is al een uitkomst", "it has an outcome already"},

	"complaint.title": {"Klacht over een besluit van %s", "Complaint about a decision of %s"},
	"complaint.intro": {"U kunt hier gratis een klacht indienen over het besluit over uw reactie. Een andere medewerker dan degene die het besluit nam, beoordeelt de klacht, en u krijgt de uitkomst als bericht in de Fediverse. U hebt geen account nodig.",
		"You can complain here, free of charge, about the decision on your reply. A staff member other than the one who took the decision reviews the complaint, and you are sent the outcome as a message on the Fediverse. You need no account."},
	"complaint.decision.refused": {"Besluit %s van %s: uw reactie op ‘%s’ wordt niet geplaatst.", "Decision %s of %s: your reply to ‘%s’ will not be published."},
	"complaint.decision.hidden":  {"Besluit %s van %s: uw reactie op ‘%s’ is verwijderd.", "Decision %s of %s: your reply to ‘%s’ was removed."},
	"complaint.decision.reason":  {"Toelichting bij het besluit: %s", "Explanation of the decision: %s"},
	"complaint.deadline":         {"U kunt een klacht indienen tot %s.", "You can complain until %s."},
	"complaint.text":             {"Waarom bent u het niet eens met het besluit?", "Why do you disagree with the decision?"},
	"complaint.text.hint":        {"Ten hoogste 5000 tekens.", "At most 5000 characters."},
	"complaint.submit":           {"Klacht indienen", "Send complaint"},
	"complaint.sent.title":       {"Klacht ontvangen", "Complaint received"},
	"complaint.sent.body": {"Uw klacht is ontvangen. Een andere medewerker dan degene die het besluit nam, beoordeelt haar; u krijgt de uitkomst als bericht in de Fediverse. Kenmerk: %s.",
		"Your complaint was received. A staff member other than the one who took the decision reviews it; you will be sent the outcome as a message on the Fediverse. Reference: %s."},
	"complaint.closed.title": {"Geen klacht mogelijk", "No complaint possible"},

	"staff.complaints":              {"Klachten over besluiten", "Complaints about decisions"},
	"staff.complaints.intro":        {"De schrijver van een geweigerde of verborgen reactie kan binnen zes maanden klagen (art. 20 DSA). Een andere medewerker dan degene die het besluit nam, beslist; bij toewijzing wordt de reactie weer getoond.", "The author of a refused or hidden reply can complain within six months (Art. 20 DSA). A staff member other than the one who took the decision decides; when the complaint is upheld the reply is shown again."},
	"staff.complaints.none":         {"Geen klachten in deze lijst.", "No complaints in this list."},
	"staff.complaints.states":       {"Klachten per toestand", "Complaints by state"},
	"staff.complaint.from":          {"Klacht van %s", "Complaint from %s"},
	"staff.complaint.via.fediverse": {"antwoord op de motivering in de Fediverse", "answer to the statement on the Fediverse"},
	"staff.complaint.via.form":      {"klachtformulier", "complaint form"},
	"staff.complaint.received":      {"Ontvangen op %s via %s", "Received on %s through %s"},
	"staff.complaint.decision":      {"Het besluit (%s), genomen door %s: %s", "The decision (%s), taken by %s: %s"},
	"staff.complaint.reply":         {"De reactie", "The reply"},
	"staff.complaint.reply.gone":    {"De reactie wordt niet meer bewaard.", "The reply is no longer kept."},
	"staff.complaint.text":          {"De klacht", "The complaint"},
	"staff.complaint.outcome":       {"Uitkomst", "Outcome"},
	"staff.complaint.upheld":        {"Toewijzen: het besluit terugdraaien en de reactie weer tonen", "Uphold: reverse the decision and show the reply again"},
	"staff.complaint.rejected":      {"Afwijzen: het besluit blijft", "Reject: the decision stands"},
	"staff.complaint.explanation":   {"Toelichting voor de schrijver", "Explanation for the author"},
	"staff.complaint.decide":        {"Beslissen", "Decide"},
	"staff.complaint.decided":       {"%s door %s op %s: %s", "%s by %s on %s: %s"},
	"staff.complaint.own":           {"U nam dit besluit zelf; een andere moderator of beheerder beslist over de klacht.", "You took this decision yourself; another moderator or admin decides the complaint."},
	"staff.done.complaint":          {"Over de klacht is beslist; de schrijver krijgt de uitkomst.", "The complaint was decided; the author is sent the outcome."},
	"staff.moderation.notice":       {"Naar aanleiding van melding", "Following the notice"},
	"staff.moderation.notice.none":  {"geen: eigen initiatief", "none: own initiative"},
}

func init() {
	for k, v := range complaintMessages {
		messages[string(k)] = v
	}
	for k, v := range complaintTexts {
		messages[k] = v
	}
}
