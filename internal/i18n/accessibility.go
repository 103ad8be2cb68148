package i18n

// Keys of the accessibility statement.
const (
	ErrA11yStatus      Key = "a11y.error.status"      // the value given
	ErrA11yNoStatus    Key = "a11y.error.nostatus"    //
	ErrA11yAuditNeeded Key = "a11y.error.auditneeded" // status
	ErrA11yAuditOld    Key = "a11y.error.auditold"    // status, years
	ErrA11yEvidence    Key = "a11y.error.evidence"    // status
	ErrA11ySignOff     Key = "a11y.error.signoff"     //
	ErrA11yFutureDate  Key = "a11y.error.future"      //
	ErrA11yMeasures    Key = "a11y.error.measures"    // limit
	ErrA11yDomain      Key = "a11y.error.domain"      // the value given
	ErrA11yDomains     Key = "a11y.error.domains"     // limit
	ErrA11yContact     Key = "a11y.error.contact"     // handle
	ErrA11yDate        Key = "a11y.error.date"        // the value given

	A11yStatusA Key = "a11y.status.A"
	A11yStatusB Key = "a11y.status.B"
	A11yStatusC Key = "a11y.status.C"
	A11yStatusD Key = "a11y.status.D"
	A11yStatusE Key = "a11y.status.E"

	AuditA11yStatement Key = "audit.a11y.statement" // actor, status
)

// accessibilityMessages is the text of the accessibility statement: its
// public page, its staff screen and its refusals.
var accessibilityMessages = map[string][2]string{
	string(ErrA11yStatus):      {"‘%s’ is geen status; kies A, B, C, D of E", "‘%s’ is not a status; choose A, B, C, D or E"},
	string(ErrA11yNoStatus):    {"kies een status, of geef de link naar de verklaring in het register", "choose a status, or give the link to the statement in the register"},
	string(ErrA11yAuditNeeded): {"status %s vraagt de datum van een toegankelijkheidsonderzoek volgens WCAG-EM", "status %s needs the date of an accessibility audit following WCAG-EM"},
	string(ErrA11yAuditOld):    {"status %s vraagt een onderzoek van minder dan %d jaar oud", "status %s needs an audit less than %d years old"},
	string(ErrA11yEvidence):    {"status %s vraagt een link naar het onderzoeksrapport", "status %s needs a link to the audit report"},
	string(ErrA11ySignOff):     {"een verklaring wordt ondertekend: geef naam, functie en datum van de ondertekenaar", "a statement is signed: give the name, role and date of the official who signs"},
	string(ErrA11yFutureDate):  {"deze datum ligt in de toekomst", "this date is in the future"},
	string(ErrA11yMeasures):    {"de maatregelen zijn hoogstens %d tekens lang", "the measures are at most %d characters long"},
	string(ErrA11yDomain):      {"‘%s’ is geen domeinnaam, zoals www.example.nl", "‘%s’ is not a domain name, such as www.example.nl"},
	string(ErrA11yDomains):     {"geef hoogstens %d domeinen", "give at most %d domains"},
	string(ErrA11yContact):     {"er is geen organisatie @%s", "there is no organisation @%s"},
	string(ErrA11yDate):        {"‘%s’ is geen datum; schrijf jjjj-mm-dd", "‘%s’ is not a date; write yyyy-mm-dd"},

	string(A11yStatusA): {"voldoet volledig", "fully compliant"},
	string(A11yStatusB): {"voldoet gedeeltelijk", "partially compliant"},
	string(A11yStatusC): {"eerste maatregelen genomen", "first measures taken"},
	string(A11yStatusD): {"voldoet niet", "not compliant"},
	string(A11yStatusE): {"geen toegankelijkheidsverklaring", "no accessibility statement"},

	string(AuditA11yStatement): {"%s legde de toegankelijkheidsverklaring vast (status %s)", "%s recorded the accessibility statement (status %s)"},

	"footer.a11ylink": {"Toegankelijkheid", "Accessibility"},
	"a11y.title":      {"Toegankelijkheidsverklaring", "Accessibility statement"},
	"a11y.intro": {"%s wil dat iedereen deze website kan gebruiken, ook wie slecht ziet, doof is, een toetsenbord in plaats van een muis gebruikt of een schermlezer. Overheidswebsites moeten daarom voldoen aan WCAG 2.1 op niveau AA (de Europese norm EN 301 549), zoals het Besluit digitale toegankelijkheid overheid vraagt. Deze verklaring volgt het landelijke model.",
		"%s wants everyone to be able to use this website, including people who see poorly, are deaf, use a keyboard instead of a mouse or use a screen reader. Dutch government websites must therefore meet WCAG 2.1 at level AA (the European standard EN 301 549), as the Besluit digitale toegankelijkheid overheid requires. This statement follows the Dutch national model."},
	"a11y.orgs.all":     {"de organisaties op deze website", "the organisations on this website"},
	"a11y.site":         {"Over welke website gaat het?", "Which website is this about?"},
	"a11y.domain.main":  {"Hoofddomein", "Main domain"},
	"a11y.domain.other": {"Andere domeinen van deze website", "Other domains of this website"},
	"a11y.domain.none":  {"geen", "none"},
	"a11y.orgs":         {"Organisaties die hier publiceren", "Organisations publishing here"},
	"a11y.orgs.none":    {"Er publiceert nog geen organisatie op deze website.", "No organisation publishes on this website yet."},

	"a11y.status":         {"Nalevingsstatus", "Compliance status"},
	"a11y.status.is":      {"De status van deze website is %s: %s.", "The status of this website is %s: %s."},
	"a11y.status.none":    {"De beheerder van deze website heeft de status nog niet vastgesteld. Plein kent zichzelf geen status toe: alleen een onderzoek volgens WCAG-EM, door mensen, kan laten zien dat de website voldoet.", "The administrator of this website has not determined the status yet. Plein does not award itself a status: only an audit following WCAG-EM, done by people, can show that the website complies."},
	"a11y.status.explain": {"Wat de statussen betekenen: A, voldoet volledig: een onderzoek volgens WCAG-EM van minder dan drie jaar oud vond dat aan alle eisen is voldaan. B, voldoet gedeeltelijk: zo’n onderzoek vond afwijkingen, en er zijn maatregelen om ze op te lossen. C, eerste maatregelen genomen: er is nog geen volledig onderzoek; het is gepland. D, voldoet niet: een verklaring zonder onderzoek of plan. E: geen verklaring.", "What the statuses mean: A, fully compliant: an audit following WCAG-EM less than three years old found every requirement met. B, partially compliant: such an audit found shortcomings, and there are measures to solve them. C, first measures taken: there is no complete audit yet; one is planned. D, not compliant: a statement without an audit or plan. E: no statement."},
	"a11y.register":       {"De verklaring van %s staat in het landelijke register van toegankelijkheidsverklaringen:", "The statement of %s is in the national register of accessibility statements:"},
	"a11y.register.link":  {"toegankelijkheidsverklaring in het register", "accessibility statement in the register"},

	"a11y.evidence":            {"Onderbouwing", "Evidence"},
	"a11y.audit":               {"De website is op %s onderzocht volgens WCAG-EM. Een onderzoek onderbouwt status A of B drie jaar lang: tot %s.", "The website was audited following WCAG-EM on %s. An audit supports status A or B for three years: until %s."},
	"a11y.audit.none":          {"Er is geen onderzoek volgens WCAG-EM opgegeven.", "No audit following WCAG-EM has been given."},
	"a11y.evidence.link":       {"Onderzoeksrapport en onderbouwing", "Audit report and evidence"},
	"a11y.signoff":             {"Ondertekening", "Approval"},
	"a11y.signoff.is":          {"Deze verklaring is op %s goedgekeurd door %s, %s.", "This statement was approved on %s by %s, %s."},
	"a11y.signoff.none":        {"Deze verklaring is nog niet ondertekend.", "This statement has not been signed yet."},
	"a11y.checks":              {"Wat Plein zelf controleert", "What Plein checks itself"},
	"a11y.checks.axe":          {"De software van deze website, Plein, wordt bij elke wijziging automatisch getest. Elke soort openbare pagina (het overzicht van organisaties, de pagina van een organisatie en oudere berichten, een bericht, de bewerkingsgeschiedenis, onderwerppagina’s, de formulieren voor abonnementen, contact, meldingen en klachten, het transparantieverslag, deze verklaring en de foutpagina’s) en de schermen voor medewerkers worden in de browser Chromium gecontroleerd met axe-core op de regels van WCAG 2.0 en 2.1, niveau A en AA: op een breed scherm (1280 bij 900 pixels), op een telefoon (375 bij 812) en twee keer vergroot.", "The software of this website, Plein, is tested automatically with every change. Every kind of public page (the list of organisations, an organisation’s page and its older posts, a post, the edit history, topic pages, the forms for subscriptions, contact, reports and complaints, the transparency report, this statement and the error pages) and the staff screens are checked in the Chromium browser with axe-core against the rules of WCAG 2.0 and 2.1, levels A and AA: on a wide screen (1280 by 900 pixels), on a phone (375 by 812) and zoomed to twice the size."},
	"a11y.checks.reflow":       {"Geen openbare pagina hoeft zijwaarts te scrollen bij 320 pixels breed (een venster van 1280 pixels, vier keer vergroot; WCAG-succescriterium 1.4.10).", "No public page scrolls sideways at 320 pixels wide (a 1280 pixel window zoomed four times; WCAG success criterion 1.4.10)."},
	"a11y.checks.limits":       {"Automatische controles vinden maar een deel van de mogelijke problemen. Ze vervangen geen onderzoek volgens WCAG-EM en ze beoordelen niet wat organisaties schrijven.", "Automated checks find only part of the possible problems. They do not replace an audit following WCAG-EM, and they do not judge what organisations write."},
	"a11y.gaps":                {"Bekende tekortkomingen in de inhoud", "Known gaps in the content"},
	"a11y.gaps.images":         {"%s: %d afbeeldingen zonder beschrijving", "%s: %d images without a description"},
	"a11y.gaps.image":          {"%s: 1 afbeelding zonder beschrijving", "%s: 1 image without a description"},
	"a11y.gaps.none":           {"Plein kent geen gepubliceerde afbeeldingen zonder beschrijving.", "Plein knows of no published images without a description."},
	"a11y.gaps.intro":          {"Plein telt de gepubliceerde afbeeldingen die geen beschrijving (alt-tekst) hebben:", "Plein counts the published images that have no description (alt text):"},
	"a11y.measures":            {"Maatregelen", "Measures"},
	"a11y.measures.plein":      {"Plein publiceert een afbeelding pas als er een beschrijving bij staat, markeert de taal van elk bericht en werkt zonder scripts.", "Plein publishes an image only with a description, marks the language of each post and works without scripts."},
	"a11y.report":              {"Problemen melden", "Reporting problems"},
	"a11y.report.intro":        {"Kunt u iets op deze website niet lezen of gebruiken? Laat het weten, dan zoeken we samen een oplossing.", "Is there something on this website that you cannot read or use? Let us know, and we will look for a solution together."},
	"a11y.report.form":         {"Het contactformulier van %s", "The contact form of %s"},
	"a11y.report.email":        {"E-mail: %s", "E-mail: %s"},
	"a11y.report.fallback":     {"Gebruik het contactformulier van de organisatie op wier pagina u het probleem tegenkwam.", "Use the contact form of the organisation on whose page you met the problem."},
	"a11y.enforcement":         {"Niet tevreden?", "Not satisfied?"},
	"a11y.enforcement.body":    {"Bent u niet tevreden over hoe uw melding is behandeld, dan kunt u een klacht indienen bij de organisatie en daarna terecht bij de ombudsman: de Nationale ombudsman, of de ombudsman van uw gemeente, provincie of waterschap.", "If you are not satisfied with how your report was handled, you can complain to the organisation and then turn to the ombudsman: the Nationale ombudsman, or the ombudsman of your municipality, province or water board."},
	"staff.a11y.title":         {"Toegankelijkheidsverklaring", "Accessibility statement"},
	"staff.a11y.intro":         {"Wat u hier invult, staat op de openbare toegankelijkheidsverklaring, naast wat Plein zelf weet: de domeinen, de organisaties, wat Plein controleert en de afbeeldingen zonder beschrijving. Plein kent zichzelf geen status toe.", "What you enter here is on the public accessibility statement, beside what Plein knows itself: the domains, the organisations, what Plein checks and the images without a description. Plein does not award itself a status."},
	"staff.a11y.page":          {"Bekijk de verklaring", "View the statement"},
	"staff.a11y.status":        {"Status volgens het landelijke model", "Status in the national model"},
	"staff.a11y.status.none":   {"Nog niet vastgesteld", "Not determined yet"},
	"staff.a11y.status.hint":   {"A en B vragen een onderzoek volgens WCAG-EM van minder dan drie jaar oud en een link naar het rapport. Elke status behalve E vraagt een ondertekening.", "A and B need an audit following WCAG-EM less than three years old and a link to its report. Every status except E needs a sign-off."},
	"staff.a11y.register":      {"Link naar de verklaring in het landelijke register", "Link to the statement in the national register"},
	"staff.a11y.register.hint": {"In plaats van of naast een status hier.", "Instead of, or beside, a status here."},
	"staff.a11y.body":          {"Verantwoordelijke organisatie(s)", "Responsible organisation(s)"},
	"staff.a11y.domains":       {"Andere domeinen van de website", "Other domains of the website"},
	"staff.a11y.domains.hint":  {"Eén per regel; het domein van deze installatie staat er al.", "One a line; the domain of this installation is there already."},
	"staff.a11y.auditdate":     {"Datum van het laatste onderzoek volgens WCAG-EM", "Date of the last audit following WCAG-EM"},
	"staff.a11y.evidence":      {"Link naar het onderzoeksrapport", "Link to the audit report"},
	"staff.a11y.signedby":      {"Naam van de ondertekenaar", "Name of the official who signed"},
	"staff.a11y.role":          {"Functie van de ondertekenaar", "Role of the official who signed"},
	"staff.a11y.date":          {"Datum van ondertekening", "Date of signing"},
	"staff.a11y.contact":       {"Contactformulier voor meldingen", "Contact form for reports"},
	"staff.a11y.contact.none":  {"Geen: bezoekers gebruiken het formulier van de organisatie zelf", "None: visitors use the organisation's own form"},
	"staff.a11y.email":         {"E-mailadres voor meldingen", "E-mail address for reports"},
	"staff.a11y.measures.hint": {"Wat u doet om de website toegankelijker te maken; een lege regel begint een nieuwe alinea.", "What you do to make the website more accessible; a blank line starts a new paragraph."},
	"a11y.updated":             {"Deze verklaring is bijgewerkt op %s.", "This statement was last updated on %s."},
}

func init() {
	for k, v := range accessibilityMessages {
		messages[k] = v
	}
}
