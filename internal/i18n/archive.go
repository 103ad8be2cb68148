package i18n

// archiveMessages is the text of the offline pages of an organisation's
// archive and of the staff's archive screen.
var archiveMessages = map[string][2]string{
	"archive.title":           {"Archief van %s", "Archive of %s"},
	"archive.intro":           {"Een archief van de openbare berichten van %s, gemaakt op %s. Het is zonder internet te lezen.", "An archive of the public posts of %s, made on %s. It can be read without the internet."},
	"archive.posts":           {"Berichten", "Posts"},
	"archive.profile":         {"Profiel en zijn geschiedenis", "Profile and its history"},
	"archive.audit":           {"Logboek van wijzigingen", "Log of changes"},
	"archive.back":            {"Terug naar het overzicht", "Back to the overview"},
	"archive.state":           {"Status", "State"},
	"archive.state.draft":     {"concept", "draft"},
	"archive.state.scheduled": {"ingepland", "scheduled"},
	"archive.state.published": {"gepubliceerd", "published"},
	"archive.state.deleted":   {"verwijderd", "deleted"},
	"archive.published":       {"Gepubliceerd", "Published"},
	"archive.updated":         {"Gewijzigd", "Changed"},
	"archive.deleted":         {"Verwijderd", "Deleted"},
	"archive.created":         {"Aangemaakt", "Created"},
	"archive.warning":         {"Inhoudswaarschuwing", "Content warning"},
	"archive.images":          {"Afbeeldingen", "Images"},
	"archive.revisions":       {"Versies", "Versions"},
	"archive.revision":        {"Versie %d, %s, door %s", "Version %d, %s, by %s"},
	"archive.replies":         {"Reacties", "Replies"},
	"archive.reply":           {"Reactie van %s, %s", "Reply by %s, %s"},
	"archive.reply.state":     {"Moderatie: %s", "Moderation: %s"},
	"archive.reply.pending":   {"nog niet beoordeeld", "not yet decided"},
	"archive.reply.shown":     {"getoond", "shown"},
	"archive.reply.refused":   {"geweigerd", "refused"},
	"archive.reply.hidden":    {"verborgen", "hidden"},
	"archive.decided":         {"Besloten op %s door %s", "Decided on %s by %s"},
	"archive.statement":       {"Verklaring van redenen", "Statement of reasons"},
	"archive.none":            {"Geen.", "None."},
	"archive.handles":         {"Eerdere namen (handles)", "Former handles"},
	"archive.handle.until":    {"@%s, tot %s", "@%s, until %s"},
	"archive.aka":             {"Eerdere accounts", "Earlier accounts"},
	"archive.links":           {"Links", "Links"},
	"archive.replydisplay":    {"Reacties tonen: %s", "Showing replies: %s"},
	"archive.audit.when":      {"Wanneer", "When"},
	"archive.audit.who":       {"Wie", "Who"},
	"archive.audit.what":      {"Wat", "What"},
	"archive.audit.about":     {"Waarover", "About"},
	"archive.operator":        {"de beheerder op de opdrachtregel", "the operator on the command line"},
	"archive.unknown":         {"onbekend", "unknown"},

	"staff.archive":          {"Archief", "Archive"},
	"staff.archive.intro":    {"Download een archief van alle berichten van deze organisatie, met hun versies en verwijderingen, de afbeeldingen, de reacties met de besluiten van de moderatie, het logboek en de geschiedenis van het profiel: als Activity Streams JSON, als pagina's die zonder internet te lezen zijn, en met een MDTO-record per informatieobject. Het archief is een zipbestand; het is de openbare registratie volgens de Archiefwet en de Woo.", "Download an archive of every post of this organisation, with its versions and deletions, the images, the replies with moderation's decisions, the log and the profile's history: as Activity Streams JSON, as pages that can be read without the internet, and with an MDTO record per information object. The archive is a zip file; it is the public record under the Archives Act and the Open Government Act."},
	"staff.archive.download": {"Archief downloaden", "Download archive"},
	"staff.archive.cli":      {"WARC-bestanden van de openbare pagina's maakt de beheerder met plein archive export --warc.", "The operator makes WARC files of the public pages with plein archive export --warc."},
}

func init() {
	for k, v := range archiveMessages {
		messages[k] = v
	}
}
