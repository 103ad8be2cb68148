package i18n

// The text of moderation: its refusals, its audit sentences, the statement
// of reasons sent to a reply's author, and its staff screens.
const (
	ErrReplyState         Key = "error.reply.state"       // the value given
	ErrGround             Key = "error.ground"            // the value given
	ErrExplanationEmpty   Key = "error.explanation.empty" //
	ErrExplanationTooLong Key = "error.explanation.long"  // length, limit
	ErrLawEmpty           Key = "error.law.empty"
	ErrLawTooLong         Key = "error.law.long" // length, limit
	ErrCategory           Key = "error.category" // the value given
	ErrReplyDisplay       Key = "error.replydisplay"
	ErrBlockTarget        Key = "error.block.target" // the value given

	AuditReplyApprove            Key = "audit.reply.approve"             // actor, post
	AuditReplyRefuseIllegal      Key = "audit.reply.refuse.illegal"      // actor, post
	AuditReplyRefuseIncompatible Key = "audit.reply.refuse.incompatible" // actor, post
	AuditReplyHideIllegal        Key = "audit.reply.hide.illegal"        // actor, post
	AuditReplyHideIncompatible   Key = "audit.reply.hide.incompatible"   // actor, post
	AuditReplyDisplay            Key = "audit.reply.display"             // actor, organisation, setting
	AuditBlockAdd                Key = "audit.block.add"                 // actor, what is blocked
	AuditBlockRemove             Key = "audit.block.remove"              // actor, what was blocked

	// The statement of reasons sent to a reply's author.
	StatementRefused      Key = "statement.refused"      // post title
	StatementHidden       Key = "statement.hidden"       // post title
	StatementIllegal      Key = "statement.illegal"      // law
	StatementIncompatible Key = "statement.incompatible" // rule
	StatementExplanation  Key = "statement.explanation"  // explanation
	StatementFacts        Key = "statement.facts"
	StatementAutomated    Key = "statement.automated"
	StatementRedress      Key = "statement.redress"   // address of the complaint form
	StatementReference    Key = "statement.reference" // statement id
)

var moderationMessages = map[Key][2]string{
	ErrReplyState:         {"\"%s\" is geen toestand van een reactie; kies pending, shown, refused of hidden", "\"%s\" is not a state of a reply; choose pending, shown, refused or hidden"},
	ErrGround:             {"\"%s\" is geen grond; kies illegal (in strijd met de wet) of incompatible (in strijd met de regels voor reacties)", "\"%s\" is not a ground; choose illegal (against the law) or incompatible (against the rules for replies)"},
	ErrExplanationEmpty:   {"leg uit waarom, zonder persoonsgegevens: de schrijver krijgt deze uitleg en zij gaat zonder namen naar de Transparantiedatabank van de EU", "explain why, without personal data: the author is sent this explanation, and it goes without names to the EU Transparency Database"},
	ErrExplanationTooLong: {"de uitleg is %d tekens lang; het maximum is %d", "the explanation is %d characters long; the limit is %d"},
	ErrLawEmpty:           {"noem de wettelijke bepaling die de reactie overtreedt, zoals art. 137d Sr", "name the legal provision the reply breaks, such as art. 137d Sr"},
	ErrLawTooLong:         {"de wettelijke grond is %d tekens lang; het maximum is %d", "the legal ground is %d characters long; the limit is %d"},
	ErrCategory:           {"\"%s\" is geen categorie van de Transparantiedatabank, zoals illegal_or_harmful_speech of scams_and_fraud", "\"%s\" is not a category of the Transparency Database, such as illegal_or_harmful_speech or scams_and_fraud"},
	ErrReplyDisplay:       {"kies of reacties na goedkeuring worden getoond of nooit", "choose whether replies are shown after approval or never"},
	ErrBlockTarget:        {"\"%s\" is geen account (https://server/users/naam) of server (server.example)", "\"%s\" is not an account (https://server/users/name) or server (server.example)"},

	AuditReplyApprove:            {"%s keurde een reactie op het bericht ‘%s’ goed", "%s approved a reply to the post ‘%s’"},
	AuditReplyRefuseIllegal:      {"%s weigerde een reactie op het bericht ‘%s’ als onwettig", "%s refused a reply to the post ‘%s’ as illegal"},
	AuditReplyRefuseIncompatible: {"%s weigerde een reactie op het bericht ‘%s’ als in strijd met de regels", "%s refused a reply to the post ‘%s’ as against the rules"},
	AuditReplyHideIllegal:        {"%s verborg een reactie op het bericht ‘%s’ als onwettig", "%s hid a reply to the post ‘%s’ as illegal"},
	AuditReplyHideIncompatible:   {"%s verborg een reactie op het bericht ‘%s’ als in strijd met de regels", "%s hid a reply to the post ‘%s’ as against the rules"},
	AuditReplyDisplay:            {"%s stelde in dat %s reacties %s", "%s set %s to show replies %s"},
	AuditBlockAdd:                {"%s blokkeerde %s", "%s blocked %s"},
	AuditBlockRemove:             {"%s hief de blokkade van %s op", "%s lifted the block of %s"},

	StatementRefused:      {"Uw reactie op ons bericht ‘%s’ wordt niet geplaatst.", "Your reply to our post ‘%s’ will not be published."},
	StatementHidden:       {"Uw reactie op ons bericht ‘%s’ is verwijderd en wordt niet meer getoond.", "Your reply to our post ‘%s’ has been removed and is no longer shown."},
	StatementIllegal:      {"Grond: de reactie is in strijd met de wet (%s).", "Ground: the reply is against the law (%s)."},
	StatementIncompatible: {"Grond: de reactie is in strijd met onze regels voor reacties (%s).", "Ground: the reply is against our rules for replies (%s)."},
	StatementExplanation:  {"Toelichting: %s", "Explanation: %s"},
	StatementFacts:        {"Elke reactie wordt gelezen voordat zij wordt getoond. Een medewerker heeft dit besloten; er is geen geautomatiseerde opsporing of besluitvorming gebruikt.", "Every reply is read before it is shown. A staff member took this decision; no automated detection or decision-making was used."},
	StatementAutomated:    {"Er is geen geautomatiseerde opsporing of besluitvorming gebruikt.", "No automated detection or decision-making was used."},
	StatementRedress:      {"Bent u het niet eens met dit besluit? U kunt binnen zes maanden gratis een klacht indienen door op dit bericht te antwoorden, of met het formulier op %s; een andere medewerker dan degene die besloot, beoordeelt haar. U kunt ook naar de rechter of een geschillenbeslechtingsorgaan (art. 21 DSA).", "Do you disagree with this decision? You can complain free of charge within six months by answering this message, or with the form at %s; a staff member other than the one who decided will review it. You can also go to court or to an out-of-court dispute settlement body (Art. 21 DSA)."},
	StatementReference:    {"Kenmerk: %s", "Reference: %s"},
}

// moderationStaff is the text of the moderation screens.
var moderationStaff = map[string][2]string{
	"staff.moderation":                     {"Reacties", "Replies"},
	"staff.moderation.intro":               {"Reacties uit de Fediverse worden pas getoond nadat een moderator ze heeft goedgekeurd. Bij elke weigering of verwijdering krijgt de schrijver een motivering (art. 17 DSA).", "Replies from the Fediverse are shown only after a moderator approved them. For every refusal or removal the author is sent a statement of reasons (Art. 17 DSA)."},
	"staff.moderation.state.pending":       {"Te beoordelen", "To review"},
	"staff.moderation.state.shown":         {"Getoond", "Shown"},
	"staff.moderation.state.refused":       {"Geweigerd", "Refused"},
	"staff.moderation.state.hidden":        {"Verborgen", "Hidden"},
	"staff.moderation.states":              {"Toestand", "State"},
	"staff.moderation.none":                {"Geen reacties in deze lijst.", "No replies in this list."},
	"staff.moderation.from":                {"Van %s (server %s)", "From %s (server %s)"},
	"staff.moderation.on":                  {"Op het bericht", "On the post"},
	"staff.moderation.received":            {"Ontvangen", "Received"},
	"staff.moderation.decided":             {"Besloten door %s op %s", "Decided by %s on %s"},
	"staff.moderation.original":            {"Origineel bekijken", "View the original"},
	"staff.moderation.approve":             {"Goedkeuren en tonen", "Approve and show"},
	"staff.moderation.refuse":              {"Weigeren", "Refuse"},
	"staff.moderation.hide":                {"Verbergen", "Hide"},
	"staff.moderation.reasons":             {"Motivering", "Statement of reasons"},
	"staff.moderation.ground":              {"Grond", "Ground"},
	"staff.moderation.ground.incompatible": {"In strijd met de regels voor reacties", "Against the rules for replies"},
	"staff.moderation.ground.illegal":      {"In strijd met de wet", "Against the law"},
	"staff.moderation.law":                 {"Wettelijke bepaling of regel", "Legal provision or rule"},
	"staff.moderation.law.hint":            {"Verplicht bij ‘in strijd met de wet’, zoals art. 137d Sr.", "Required for ‘against the law’, such as art. 137d Sr."},
	"staff.moderation.explanation":         {"Toelichting voor de schrijver", "Explanation for the author"},
	"staff.moderation.explanation.hint":    {"Zonder persoonsgegevens: de toelichting gaat ook, zonder namen, naar de Transparantiedatabank van de EU.", "Without personal data: the explanation also goes, without names, to the EU Transparency Database."},
	"staff.moderation.category":            {"Categorie (Transparantiedatabank)", "Category (Transparency Database)"},
	"staff.moderation.display":             {"Reacties onder berichten", "Replies under posts"},
	"staff.moderation.display.approved":    {"tonen na goedkeuring", "shown after approval"},
	"staff.moderation.display.never":       {"nooit tonen", "never shown"},
	"staff.done.approved":                  {"De reactie is goedgekeurd en wordt getoond.", "The reply was approved and is shown."},
	"staff.done.refused":                   {"De reactie is geweigerd; de schrijver krijgt de motivering.", "The reply was refused; the author is sent the statement of reasons."},
	"staff.done.hidden":                    {"De reactie is verborgen; de schrijver krijgt de motivering.", "The reply was hidden; the author is sent the statement of reasons."},
	"staff.done.display":                   {"De instelling is opgeslagen.", "The setting was saved."},
	"staff.moderation.decided.already":     {"Over deze reactie is intussen al besloten: zij is nu ‘%s’.", "This reply was decided on meanwhile: it is now ‘%s’."},
	"staff.notices":                        {"Meldingen en bezwaren", "Notices and objections"},
	"staff.notices.none":                   {"Geen meldingen of bezwaren.", "No notices or objections."},
	"staff.notice.kind":                    {"Soort", "Kind"},
	"staff.notice.from":                    {"Van", "From"},
	"staff.notice.text":                    {"Tekst en waarover", "Text and what it is about"},
	"staff.notice.source.flag":             {"Melding uit de Fediverse", "Report from the Fediverse"},
	"staff.notice.source.objection":        {"Bezwaar tegen een besluit", "Objection to a decision"},
	"staff.notice.source.form":             {"Melding via het meldformulier", "Report through the report form"},
	"staff.notice.ground.illegal":          {"In strijd met de wet", "Against the law"},
	"staff.notice.ground.incompatible":     {"In strijd met de regels", "Against the rules"},
	"post.replies":                         {"Reacties", "Replies"},
	"post.reply.by":                        {"Reactie van %s", "Reply by %s"},
}

func init() {
	for k, v := range moderationMessages {
		messages[string(k)] = v
	}
	for k, v := range moderationStaff {
		messages[k] = v
	}
}
