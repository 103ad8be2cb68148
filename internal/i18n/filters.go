package i18n

// The text of keyword filters, block modes, blocklist imports and the
// public transparency report.
const (
	ErrFilterAction      Key = "error.filter.action"      // the value given
	ErrFilterPhraseEmpty Key = "error.filter.phrase"      //
	ErrFilterPhraseLong  Key = "error.filter.phraselong"  // length, limit
	ErrFilterPhraseWords Key = "error.filter.phrasewords" // limit
	ErrFilterTooMany     Key = "error.filter.toomany"     // limit
	ErrFilterExists      Key = "error.filter.exists"      // phrase
	ErrBlockMode         Key = "error.block.mode"         // the value given
	ErrBlockExists       Key = "error.block.exists"       // target
	ErrBlocklistTooLarge Key = "error.blocklist.large"    // limit in MiB
	ErrBlocklistEncoding Key = "error.blocklist.encoding" //
	ErrBlocklistLines    Key = "error.blocklist.lines"    // lines, limit
	ErrBlocklistMissing  Key = "error.blocklist.missing"  //

	// Why a line of a blocklist was not imported.
	BlocklistUnreadable Key = "blocklist.unreadable"
	BlocklistNoop       Key = "blocklist.noop"
	BlocklistSeverity   Key = "blocklist.severity" // the value given
	BlocklistObfuscated Key = "blocklist.obfuscated"
	BlocklistDomain     Key = "blocklist.domain"
	BlocklistRepeated   Key = "blocklist.repeated"
	BlocklistAlready    Key = "blocklist.already"

	AuditFilterAdd    Key = "audit.filter.add"    // actor, phrase, action
	AuditFilterRemove Key = "audit.filter.remove" // actor, phrase
	AuditBlockImport  Key = "audit.block.import"  // actor, count

	// The explanation and facts of an automated refusal, sent to the
	// author.
	StatementFiltered       Key = "statement.filtered"
	StatementFilteredPhrase Key = "statement.filtered.phrase" // phrase
	StatementHiddenServer   Key = "statement.hiddenserver"
	StatementFactsAutomated Key = "statement.facts.automated"
)

var filterMessages = map[Key][2]string{
	ErrFilterAction:      {"\"%s\" is geen actie van een filter; kies hold (vasthouden voor beoordeling) of refuse (automatisch weigeren)", "\"%s\" is not a filter action; choose hold (hold for review) or refuse (refuse automatically)"},
	ErrFilterPhraseEmpty: {"geef een woord of woordgroep", "give a word or phrase"},
	ErrFilterPhraseLong:  {"het filter is %d tekens lang; het maximum is %d", "the filter is %d characters long; the limit is %d"},
	ErrFilterPhraseWords: {"een filter heeft ten hoogste %d woorden", "a filter has at most %d words"},
	ErrFilterTooMany:     {"deze organisatie heeft al %d filters, het maximum; verwijder er eerst een", "this organisation has %d filters already, the limit; remove one first"},
	ErrFilterExists:      {"er is al een filter op ‘%s’", "there is a filter on ‘%s’ already"},
	ErrBlockMode:         {"\"%s\" is geen soort blokkade; kies suspend (alles weigeren) of hide-replies (reacties nooit tonen)", "\"%s\" is not a kind of block; choose suspend (refuse everything) or hide-replies (never show replies)"},
	ErrBlockExists:       {"%s is al geblokkeerd", "%s is blocked already"},
	ErrBlocklistTooLarge: {"het bestand is te groot; het maximum is %d MiB", "the file is too large; the limit is %d MiB"},
	ErrBlocklistEncoding: {"het bestand is geen UTF-8-tekst", "the file is not UTF-8 text"},
	ErrBlocklistLines:    {"het bestand heeft %d regels; het maximum is %d", "the file has %d lines; the limit is %d"},
	ErrBlocklistMissing:  {"kies een bestand met een blokkadelijst", "choose a file with a blocklist"},

	BlocklistUnreadable: {"geen leesbare CSV-regel", "not a readable CSV line"},
	BlocklistNoop:       {"ernst noop: niets te blokkeren", "severity noop: nothing to block"},
	BlocklistSeverity:   {"onbekende ernst ‘%s’; verwacht suspend, silence of noop", "unknown severity ‘%s’; expected suspend, silence or noop"},
	BlocklistObfuscated: {"domein met * verhuld: het is niet te herkennen", "domain obfuscated with *: it cannot be matched"},
	BlocklistDomain:     {"geen domeinnaam", "not a domain name"},
	BlocklistRepeated:   {"staat al eerder in het bestand", "repeats an earlier line"},
	BlocklistAlready:    {"al geblokkeerd", "blocked already"},

	AuditFilterAdd:    {"%s voegde het filter ‘%s’ toe (%s)", "%s added the filter ‘%s’ (%s)"},
	AuditFilterRemove: {"%s verwijderde het filter ‘%s’", "%s removed the filter ‘%s’"},
	AuditBlockImport:  {"%s importeerde een blokkadelijst: %s servers geblokkeerd", "%s imported a blocklist: %s servers blocked"},

	StatementFiltered:       {"De reactie bevat een woord of woordgroep die de organisatie in reacties niet toelaat.", "The reply contains a word or phrase the organisation does not allow in replies."},
	StatementFilteredPhrase: {"Gevonden: ‘%s’.", "Found: ‘%s’."},
	StatementHiddenServer:   {"De organisatie toont geen reacties van de server waar deze reactie vandaan kwam.", "The organisation does not show replies from the server this reply came from."},
	StatementFactsAutomated: {"Dit is automatisch vastgesteld en besloten, zonder dat een medewerker de reactie las. Maakt u bezwaar, dan beoordeelt een medewerker het besluit.", "This was detected and decided automatically, without a staff member reading the reply. If you object, a staff member reviews the decision."},
}

// filterStaff is the text of the filter and block screens.
var filterStaff = map[string][2]string{
	"staff.filters":                    {"Filters en blokkades", "Filters and blocks"},
	"staff.filters.title":              {"Woordfilters", "Keyword filters"},
	"staff.filters.intro":              {"Een filter werkt op reacties die binnenkomen of worden bewerkt: op hele woorden, hoofdletters maken niet uit. ‘Vasthouden’ markeert de reactie in de lijst te beoordelen; ‘weigeren’ weigert haar automatisch, en de schrijver krijgt een motivering waarin staat dat het besluit geautomatiseerd is en hoe bezwaar te maken.", "A filter applies to replies as they arrive or are edited: whole words, in any case. ‘Hold’ flags the reply in the list to review; ‘refuse’ refuses it automatically, and the author is sent a statement of reasons that says the decision was automated and how to object."},
	"staff.filters.phrase":             {"Woord of woordgroep", "Word or phrase"},
	"staff.filters.phrase.hint":        {"Ten hoogste 100 tekens en 10 woorden.", "At most 100 characters and 10 words."},
	"staff.filters.action":             {"Actie", "Action"},
	"staff.filters.action.hold":        {"Vasthouden voor beoordeling", "Hold for review"},
	"staff.filters.action.refuse":      {"Automatisch weigeren", "Refuse automatically"},
	"staff.filters.add":                {"Filter toevoegen", "Add filter"},
	"staff.filters.remove":             {"Verwijderen", "Remove"},
	"staff.filters.none":               {"Nog geen filters.", "No filters yet."},
	"staff.filters.since":              {"Sinds", "Since"},
	"staff.filters.manage.only":        {"Alleen beheerders van de organisatie kunnen filters en blokkades wijzigen.", "Only the organisation's admins can change filters and blocks."},
	"staff.done.filteradded":           {"Het filter is toegevoegd.", "The filter was added."},
	"staff.done.filterremoved":         {"Het filter is verwijderd.", "The filter was removed."},
	"staff.moderation.filtered":        {"Gevonden door de filters: %s", "Matched the filters: %s"},
	"staff.moderation.automated":       {"Automatisch geweigerd op %s", "Refused automatically on %s"},
	"staff.blocks":                     {"Blokkades", "Blocks"},
	"staff.blocks.intro":               {"Blokkeer een account (https://server/users/naam) of een hele server (server.example). ‘Opschorten’ weigert alles van die server en beëindigt zijn volgers; ‘reacties verbergen’ laat volgen toe maar weigert elke reactie automatisch.", "Block an account (https://server/users/name) or a whole server (server.example). ‘Suspend’ refuses everything from it and ends its follows; ‘hide replies’ lets it follow but refuses every reply automatically."},
	"staff.blocks.instance":            {"Blokkades van de hele installatie", "Blocks of the whole installation"},
	"staff.blocks.instance.intro":      {"Deze blokkades gelden voor elke organisatie van deze installatie; alleen beheerders van de installatie stellen ze in.", "These blocks apply to every organisation of this installation; only instance administrators set them."},
	"staff.blocks.target":              {"Account of server", "Account or server"},
	"staff.blocks.target.hint":         {"Zoals spam.example of https://social.example/users/naam.", "Such as spam.example or https://social.example/users/name."},
	"staff.blocks.mode":                {"Soort blokkade", "Kind of block"},
	"staff.blocks.mode.suspend":        {"Opschorten: alles weigeren", "Suspend: refuse everything"},
	"staff.blocks.mode.hide-replies":   {"Reacties verbergen", "Hide replies"},
	"staff.blocks.reason":              {"Reden (voor andere medewerkers)", "Reason (for the other staff)"},
	"staff.blocks.add":                 {"Blokkeren", "Block"},
	"staff.blocks.remove":              {"Opheffen", "Lift"},
	"staff.blocks.none":                {"Geen blokkades.", "No blocks."},
	"staff.blocks.what":                {"Wat", "What"},
	"staff.blocks.kind.account":        {"account", "account"},
	"staff.blocks.kind.server":         {"server", "server"},
	"staff.blocks.import":              {"Blokkadelijst importeren", "Import a blocklist"},
	"staff.blocks.import.file":         {"Bestand (CSV)", "File (CSV)"},
	"staff.blocks.import.hint":         {"Het CSV-formaat van Mastodon (#domain,#severity,…) of één domein per regel; ten hoogste 2 MiB. suspend wordt opschorten, silence reacties verbergen; noop en domeinen met * worden overgeslagen.", "Mastodon's CSV format (#domain,#severity,…) or one domain a line; at most 2 MiB. suspend becomes suspend, silence hide replies; noop and domains with * are skipped."},
	"staff.blocks.import.submit":       {"Importeren", "Import"},
	"staff.blocks.import.result":       {"%d toegevoegd, %d overgeslagen, %d ongeldig.", "%d added, %d skipped, %d invalid."},
	"staff.blocks.import.line":         {"regel %d", "line %d"},
	"staff.blocks.import.skipped":      {"Overgeslagen", "Skipped"},
	"staff.blocks.import.invalid":      {"Ongeldig", "Invalid"},
	"staff.done.blockadded":            {"De blokkade is ingesteld.", "The block was set."},
	"staff.done.blockremoved":          {"De blokkade is opgeheven.", "The block was lifted."},
	"transparency.title":               {"Transparantieverslag", "Transparency report"},
	"transparency.title.org":           {"Transparantieverslag van %s", "Transparency report of %s"},
	"transparency.intro":               {"Hoe reacties uit de Fediverse en meldingen over inhoud zijn behandeld, per kwartaal (Digital Services Act). Alleen totalen, berekend uit de gegevens van deze installatie; geen namen, geen reacties.", "How replies from the Fediverse and notices about content were handled, per quarter (Digital Services Act). Totals only, computed from this installation's data; no names, no replies."},
	"transparency.intro.instance":      {"Totalen van alle organisaties op deze installatie.", "Totals of every organisation on this installation."},
	"transparency.retention":           {"De cijfers komen uit wat nog bewaard wordt: geweigerde reacties, meldingen en motiveringen worden na hun bewaartermijn verwijderd, dus oudere kwartalen kunnen lagere aantallen tonen.", "The figures come from what is still kept: refused replies, notices and statements are deleted after their retention period, so older quarters may show lower numbers."},
	"transparency.quarter":             {"Kwartaal", "Quarter"},
	"transparency.quarter.name":        {"%d K%d", "%d Q%d"},
	"transparency.replies":             {"Reacties", "Replies"},
	"transparency.received":            {"ontvangen", "received"},
	"transparency.shown":               {"getoond", "shown"},
	"transparency.refused":             {"Geweigerd", "Refused"},
	"transparency.hidden":              {"Verwijderd na tonen", "Removed after being shown"},
	"transparency.illegal":             {"onwettig", "illegal"},
	"transparency.incompatible":        {"in strijd met de regels", "against the rules"},
	"transparency.automated":           {"waarvan geautomatiseerd", "of which automated"},
	"transparency.notices":             {"Meldingen", "Notices"},
	"transparency.notices.form":        {"via het meldformulier", "through the report form"},
	"transparency.notices.flag":        {"uit de Fediverse", "from the Fediverse"},
	"transparency.objections":          {"bezwaren als antwoord", "objections by answer"},
	"transparency.median":              {"Mediane tijd tot besluit", "Median time to decision"},
	"transparency.median.none":         {"–", "–"},
	"transparency.duration.lessminute": {"minder dan 1 min", "under 1 min"},
	"transparency.duration.minutes":    {"%d min", "%d min"},
	"transparency.duration.hours":      {"%d uur", "%d h"},
	"transparency.duration.days":       {"%d dagen", "%d days"},
	"transparency.none":                {"Nog geen gegevens.", "No data yet."},
	"transparency.link":                {"Transparantieverslag", "Transparency report"},
	"transparency.complaints":          {"Klachten over besluiten", "Complaints about decisions"},
	"transparency.complaints.received": {"ontvangen", "received"},
	"transparency.complaints.upheld":   {"toegewezen: besluit herzien", "upheld: decision reversed"},
	"transparency.complaints.rejected": {"afgewezen: besluit blijft", "rejected: decision stands"},
	"transparency.installation":        {"Transparantieverslag van de hele installatie", "Transparency report of the whole installation"},
}

func init() {
	for k, v := range filterMessages {
		messages[string(k)] = v
	}
	for k, v := range filterStaff {
		messages[k] = v
	}
}
