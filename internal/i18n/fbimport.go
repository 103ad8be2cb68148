package i18n

// Keys of the import of a Facebook Page export: the report's reasons, the
// audit sentences and the staff screen.
const (
	ImportUnknownShape   Key = "import.unknown.shape"   // what
	ImportEmpty          Key = "import.empty"           //
	ImportMissingFile    Key = "import.missing.file"    // file
	ImportImageTooLarge  Key = "import.image.toolarge"  // file, limit in MiB
	ImportTooManyImages  Key = "import.image.toomany"   // kept, found
	ImportNoDescription  Key = "import.image.nodesc"    // file
	ImportVideo          Key = "import.video"           // file
	ImportBadPath        Key = "import.bad.path"        // file
	ImportFileTooLarge   Key = "import.file.toolarge"   // file, limit in MiB
	ImportTotalTooLarge  Key = "import.total.toolarge"  // limit in MiB
	ImportNoPosts        Key = "import.no.posts"        //
	ImportNotExport      Key = "import.not.export"      //
	ImportReportTitle    Key = "import.report.title"    //
	ImportReportDryTitle Key = "import.report.drytitle" //
	ImportReportCounts   Key = "import.report.counts"   // found, imported, before, images, held back
	ImportReportDryCount Key = "import.report.drycount" // found, to import, before, images, held back
	ImportReportProblems Key = "import.report.problems" // count
	ImportReportHeld     Key = "import.report.held"     // count
	ImportItem           Key = "import.item"            // file, number

	AuditPostImport     Key = "audit.post.import"     // actor, post
	AuditPostDescribe   Key = "audit.post.describe"   // actor, post
	AuditImportFacebook Key = "audit.import.facebook" // actor, summary
	AuditImportSummary  Key = "audit.import.summary"  // imported, images, held back, problems
)

// importMessages is the text of the import of a Facebook Page export.
var importMessages = map[string][2]string{
	string(ImportUnknownShape):  {"niet herkend: %s", "not recognised: %s"},
	string(ImportEmpty):         {"leeg bericht: geen tekst, afbeelding of link", "empty post: no text, image or link"},
	string(ImportMissingFile):   {"het bestand %s staat niet in de export", "the file %s is not in the export"},
	string(ImportImageTooLarge): {"de afbeelding %s is groter dan %d MiB", "the image %s is larger than %d MiB"},
	string(ImportTooManyImages): {"alleen de eerste %d van %d afbeeldingen zijn meegenomen", "only the first %d of %d images were brought along"},
	string(ImportNoDescription): {"de afbeelding %s heeft geen beschrijving en blijft verborgen tot iemand haar beschrijft", "the image %s has no description and stays hidden until someone describes it"},
	string(ImportVideo):         {"de video %s is niet meegenomen: Plein toont alleen afbeeldingen", "the video %s was not brought along: Plein shows images only"},
	string(ImportBadPath):       {"de verwijzing %s wijst buiten de export", "the reference %s points outside the export"},
	string(ImportFileTooLarge):  {"het bestand %s is groter dan %d MiB en is niet gelezen", "the file %s is larger than %d MiB and was not read"},
	string(ImportTotalTooLarge): {"de export is groter dan %d MiB; de import is gestopt", "the export is larger than %d MiB; the import stopped"},
	string(ImportNoPosts):       {"de export bevat geen berichten van een pagina (posts/… .json)", "the export holds no posts of a Page (posts/… .json)"},
	string(ImportNotExport):     {"dit is geen zip-bestand of map van een Facebook-export", "this is not a zip file or folder of a Facebook export"},
	string(ImportReportTitle):   {"Import uit Facebook", "Import from Facebook"},
	string(ImportReportDryTitle): {"Proef: import uit Facebook (er is niets geïmporteerd)",
		"Dry run: import from Facebook (nothing was imported)"},
	string(ImportReportCounts): {"%d gevonden, %d geïmporteerd, %d al eerder geïmporteerd; %d afbeeldingen, waarvan %d verborgen tot ze beschreven zijn",
		"%d found, %d imported, %d imported before; %d images, %d of them hidden until described"},
	string(ImportReportDryCount): {"%d gevonden, %d te importeren, %d al eerder geïmporteerd; %d afbeeldingen, waarvan %d verborgen tot ze beschreven zijn",
		"%d found, %d to import, %d imported before; %d images, %d of them hidden until described"},
	string(ImportReportProblems): {"Niet geïmporteerd (%d)", "Not imported (%d)"},
	string(ImportReportHeld):     {"Afbeeldingen zonder beschrijving, verborgen (%d)", "Images without a description, hidden (%d)"},
	string(ImportItem):           {"%s, nummer %d", "%s, number %d"},

	string(AuditPostImport):     {"%s importeerde het bericht ‘%s’", "%s imported the post ‘%s’"},
	string(AuditPostDescribe):   {"%s beschreef een afbeelding van het bericht ‘%s’", "%s described an image of the post ‘%s’"},
	string(AuditImportFacebook): {"%s importeerde een Facebook-export: %s", "%s imported a Facebook export: %s"},
	string(AuditImportSummary): {"%s berichten, %s afbeeldingen, %s verborgen, %s niet geïmporteerd",
		"%s posts, %s images, %s hidden, %s not imported"},

	"post.imported.facebook": {"geïmporteerd van Facebook", "imported from Facebook"},

	"staff.import":             {"Import uit Facebook", "Import from Facebook"},
	"staff.import.intro":       {"Laad de export van uw Facebook-pagina (‘Je gegevens downloaden’, JSON-formaat) als zip-bestand. Kijk eerst met een proef wat er gebeurt; importeer daarna. Berichten houden hun oorspronkelijke datum en worden niet als nieuw naar volgers of abonnees gestuurd. Afbeeldingen zonder beschrijving blijven verborgen tot u ze beschrijft.", "Upload your Facebook Page's export (‘Download your information’, JSON format) as a zip file. Check first with a dry run what will happen; then import. Posts keep their original date and are not sent to followers or subscribers as new. Images without a description stay hidden until you describe them."},
	"staff.import.file":        {"Export (zip, hoogstens %d MiB)", "Export (zip, at most %d MiB)"},
	"staff.import.dryrun":      {"Proef (importeert niets)", "Dry run (imports nothing)"},
	"staff.import.run":         {"Importeren", "Import"},
	"staff.import.held":        {"Afbeeldingen om te beschrijven", "Images to describe"},
	"staff.import.held.none":   {"Alle afbeeldingen zijn beschreven.", "Every image is described."},
	"staff.import.describe":    {"Beschrijving", "Description"},
	"staff.import.describe.do": {"Beschrijving bewaren en tonen", "Save the description and show the image"},
	"staff.done.described":     {"De afbeelding is beschreven en nu zichtbaar.", "The image is described and now shown."},
	"staff.import.nofile":      {"Kies het zip-bestand van de export.", "Choose the export's zip file."},
	"staff.import.toolarge":    {"Het bestand is groter dan %d MiB.", "The file is larger than %d MiB."},
}

func init() {
	for k, v := range importMessages {
		messages[k] = v
	}
}
