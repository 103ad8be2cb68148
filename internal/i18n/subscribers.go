package i18n

// The audit sentences of the staff's work with e-mail subscribers. None
// names a subscriber's address.
const (
	AuditSubscribersImport   Key = "audit.subscribers.import"   // actor, imported, existing, suppressed, invalid, consent
	AuditSubscribersExport   Key = "audit.subscribers.export"   // actor, number
	AuditSubscribersEnd      Key = "audit.subscribers.end"      // actor
	AuditSubscribersEndTopic Key = "audit.subscribers.endtopic" // actor, #topic
)

// subscribersMessages is the text of the staff's subscribers screen and
// its audit sentences.
var subscribersMessages = map[string][2]string{
	string(AuditSubscribersImport): {"%s importeerde %s e-mailabonnees (%s waren al aangemeld, %s overgeslagen omdat ze zich hier afmeldden of klaagden, %s ongeldige regels), met als toestemming ‘%s’",
		"%s imported %s e-mail subscribers (%s were subscribed already, %s left out because they unsubscribed here or complained, %s invalid lines), with the consent ‘%s’"},
	string(AuditSubscribersExport):   {"%s exporteerde %s e-mailabonnees als CSV", "%s exported %s e-mail subscribers as CSV"},
	string(AuditSubscribersEnd):      {"%s beëindigde een e-mailabonnement op verzoek van de abonnee", "%s ended an e-mail subscription at the subscriber's request"},
	string(AuditSubscribersEndTopic): {"%s beëindigde een e-mailabonnement op %s op verzoek van de abonnee", "%s ended an e-mail subscription to %s at the subscriber's request"},

	"staff.subscribers":              {"E-mailabonnees", "E-mail subscribers"},
	"staff.subs.counts":              {"Aantallen", "Numbers"},
	"staff.subs.total":               {"In totaal %d abonnementen.", "%d subscriptions in all."},
	"staff.subs.countsonly":          {"U ziet alleen aantallen. De adressen zijn persoonsgegevens; alleen beheerders van de organisatie zien ze.", "You see numbers only. The addresses are personal data; only the organisation's administrators see them."},
	"staff.subs.bystate":             {"Per toestand", "By state"},
	"staff.subs.byfrequency":         {"Actieve abonnees per frequentie", "Active subscribers by frequency"},
	"staff.subs.bytopic":             {"Actieve abonnees per onderwerp", "Active subscribers by topic"},
	"staff.subs.count":               {"Aantal", "Number"},
	"staff.subs.state":               {"Toestand", "State"},
	"staff.subs.state.active":        {"Actief", "Active"},
	"staff.subs.state.pending":       {"Wacht op bevestiging", "Waiting for confirmation"},
	"staff.subs.state.suspended":     {"Opgeschort (e-mail kwam niet aan)", "Suspended (mail did not arrive)"},
	"staff.subs.frequency":           {"Frequentie", "Frequency"},
	"staff.subs.frequency.now":       {"Elk bericht direct", "Each post at once"},
	"staff.subs.frequency.daily":     {"Dagelijks overzicht", "Daily digest"},
	"staff.subs.frequency.weekly":    {"Wekelijks overzicht", "Weekly digest"},
	"staff.subs.topic":               {"Onderwerp", "Topic"},
	"staff.subs.topic.all":           {"Alle berichten", "Every post"},
	"staff.subs.list":                {"Abonnees", "Subscribers"},
	"staff.subs.personal":            {"E-mailadressen zijn persoonsgegevens: gebruik ze alleen om abonnees te sturen waar ze om vroegen, en neem ze niet over in andere bestanden.", "E-mail addresses are personal data: use them only to send subscribers what they asked for, and do not copy them into other files."},
	"staff.subs.email":               {"E-mailadres", "E-mail address"},
	"staff.subs.since":               {"Sinds", "Since"},
	"staff.subs.actions":             {"Actie", "Action"},
	"staff.subs.none":                {"Nog geen abonnees.", "No subscribers yet."},
	"staff.subs.next":                {"Volgende pagina", "Next page"},
	"staff.subs.first":               {"Eerste pagina", "First page"},
	"staff.subs.end":                 {"Beëindigen", "End"},
	"staff.subs.end.help":            {"Beëindig een abonnement voor een abonnee die daarom vraagt, bijvoorbeeld aan de telefoon. Het adres wordt gewist en niet opnieuw aangemeld door een import; het logboek vermeldt het zonder adres.", "End a subscription for a subscriber who asks for it, for example on the telephone. The address is erased and is not subscribed again by an import; the audit log records it without the address."},
	"staff.subs.find":                {"Abonnee zoeken", "Find a subscriber"},
	"staff.subs.find.button":         {"Zoeken", "Find"},
	"staff.subs.find.none":           {"Er is geen abonnement met dit adres.", "There is no subscription with this address."},
	"staff.subs.find.error":          {"Vul een volledig e-mailadres in, zoals naam@voorbeeld.nl.", "Enter a whole e-mail address, such as name@example.org."},
	"staff.subs.find.found":          {"Gevonden", "Found"},
	"staff.subs.gone":                {"Dit abonnement bestaat niet (meer).", "This subscription does not exist (any more)."},
	"staff.done.subended":            {"Het abonnement is beëindigd en het adres gewist. Er gaat geen e-mail meer naartoe.", "The subscription has ended and the address is erased. No more mail goes to it."},
	"staff.subs.export":              {"Exporteren", "Export"},
	"staff.subs.export.help":         {"Download de actieve abonnees als CSV, met de kolommen email, tag, frequency, lang, confirmed_at, consent en consent_at, om ze naar een andere dienst over te zetten. De export komt in het logboek.", "Download the active subscribers as CSV, with the columns email, tag, frequency, lang, confirmed_at, consent and consent_at, to move them to another service. The export is recorded in the audit log."},
	"staff.subs.export.button":       {"CSV downloaden", "Download CSV"},
	"staff.subs.import":              {"Importeren", "Import"},
	"staff.subs.import.help":         {"Importeer abonnees van een andere dienst uit een CSV-bestand met een kopregel: email (verplicht), en eventueel tag, frequency (now, daily of weekly), lang (nl of en), consent en consent_at. Geïmporteerde abonnees krijgen geen bevestigingsmail. Adressen die zich hier afmeldden of klaagden, worden overgeslagen.", "Import subscribers from another service from a CSV file with a header row: email (required), and optionally tag, frequency (now, daily or weekly), lang (nl or en), consent and consent_at. Imported subscribers get no confirmation mail. Addresses that unsubscribed here or complained are left out."},
	"staff.subs.import.file":         {"CSV-bestand (hoogstens %d MB)", "CSV file (at most %d MB)"},
	"staff.subs.import.consent":      {"Toestemming: wie gaf toestemming, hoe en waar", "Consent: who gave it, how and where"},
	"staff.subs.import.consent.help": {"Bijvoorbeeld: ‘Aangemeld voor de nieuwsbrief op www.voorbeeld.nl, met dubbele opt-in’. Dit wordt met de datum bij elke geïmporteerde abonnee bewaard, behalve bij regels met een eigen kolom consent. Zonder toestemming importeren we niets.", "For example: ‘Signed up for the newsletter on www.example.org, with double opt-in’. It is kept with its date with every imported subscriber, except rows with their own consent column. Without consent nothing is imported."},
	"staff.subs.import.date":         {"Datum van de toestemming", "Date of the consent"},
	"staff.subs.import.button":       {"Importeren", "Import"},
	"staff.subs.error.consent":       {"Beschrijf de toestemming die de abonnees gaven: wie, hoe en wanneer. Er is niets geïmporteerd.", "Describe the consent the subscribers gave: who, how and when. Nothing was imported."},
	"staff.subs.error.date":          {"Vul de datum van de toestemming in, zoals 2025-01-31, niet in de toekomst. Er is niets geïmporteerd.", "Enter the date of the consent, such as 2025-01-31, not in the future. Nothing was imported."},
	"staff.subs.error.file":          {"Kies een CSV-bestand.", "Choose a CSV file."},
	"staff.subs.error.toolarge":      {"Het bestand is groter dan %d MB. Splits het in delen en importeer die na elkaar.", "The file is larger than %d MB. Split it and import the parts one after another."},
	"staff.subs.report":              {"Resultaat van de import", "Result of the import"},
	"staff.subs.report.imported":     {"Toegevoegd: %d", "Added: %d"},
	"staff.subs.report.existing":     {"Al aangemeld: %d", "Subscribed already: %d"},
	"staff.subs.report.suppressed":   {"Overgeslagen omdat ze zich hier afmeldden of klaagden: %d", "Left out because they unsubscribed here or complained: %d"},
	"staff.subs.report.invalid":      {"Ongeldig (geen geldig adres, onderwerp, frequentie of toestemming): %d", "Invalid (no valid address, topic, frequency or consent): %d"},
	"staff.subs.report.lines":        {"Ongeldige regels: %s", "Invalid lines: %s"},
	"staff.subs.report.more":         {"en nog %d", "and %d more"},
}

func init() {
	for k, v := range subscribersMessages {
		messages[k] = v
	}
}
