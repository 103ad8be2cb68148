package i18n

// The refusals domain packages return (model.Invalid) and the values they
// name. Each text is a clause without a final full stop, written to follow
// the field it refuses ("text: a post needs text" on the command line);
// the staff screens show it as a sentence next to that field.
const (
	// Post text, content warning, language and images.
	ErrTextNotUTF8      Key = "error.text.utf8"
	ErrTextEmpty        Key = "error.text.empty"
	ErrTextTooLong      Key = "error.text.toolong"    // length, limit
	ErrSummaryTooLong   Key = "error.summary.toolong" // length, limit
	ErrLanguageCode     Key = "error.language"        // the value given
	ErrTooManyImages    Key = "error.images.toomany"  // limit
	ErrAltMissing       Key = "error.alt.missing"     // image name
	ErrAltTooLong       Key = "error.alt.toolong"     // image name, length, limit
	ErrImageNoFile      Key = "error.image.nofile"    // image name
	ErrNoFile           Key = "error.file.none"
	ErrImageNotUsable   Key = "error.image.notusable"
	ErrImageInUse       Key = "error.image.inuse"
	ErrScheduleInPast   Key = "error.schedule.past" // the time given
	ErrDeletedNoEdit    Key = "error.post.deleted.edit"
	ErrPublishNotDraft  Key = "error.post.publish.state"
	ErrDeletedNoPin     Key = "error.post.deleted.pin"
	ErrAlreadyDeleted   Key = "error.post.deleted.already"
	ImageNumber         Key = "value.image.number" // the image's place in the post, from 1
	ImageHeader         Key = "value.image.header"
	FileUnnamed         Key = "value.file"
	ErrImageTooLarge    Key = "error.image.toolarge"    // file name, limit in MB
	ErrImageTooManyPx   Key = "error.image.pixels"      // file name, megapixels, pixels per side
	ErrImageNotImage    Key = "error.image.notimage"    // file name
	ErrImageDamaged     Key = "error.image.damaged"     // file name
	ErrImageUnsupported Key = "error.image.unsupported" // file name

	// Staff accounts and members.
	ErrNoAccount       Key = "error.account.none"    // e-mail address
	ErrEmailInvalid    Key = "error.email.invalid"   // the value given
	ErrEmailTaken      Key = "error.email.taken"     // e-mail address
	ErrNameTooLong     Key = "error.name.toolong"    // limit
	ErrPasswordLength  Key = "error.password.length" // shortest, longest
	ErrNotCurrent      Key = "error.password.current"
	ErrRemoveSelf      Key = "error.member.self"
	ErrNoSuchAccount   Key = "error.member.noaccount"
	ErrNotAMember      Key = "error.member.not"
	ErrLinkFormat      Key = "error.links.format"
	ErrPeriodNotOffer  Key = "error.period"          // days
	ErrCLIAltMissing   Key = "error.cli.alt"         // file name
	ErrCLIHeaderAlt    Key = "error.cli.headeralt"   // file name
	ErrCLIUnreadable   Key = "error.cli.unreadable"  // file name, reason
	ErrCLINotAFile     Key = "error.cli.notfile"     // file name
	ErrDisplayName     Key = "error.org.name"        // longest
	ErrDescriptionLong Key = "error.org.description" // longest

	// Organisations.
	ErrHandleInvalid  Key = "error.handle.invalid"  // the value given, longest
	ErrHandleReserved Key = "error.handle.reserved" // handle
	ErrHandleTaken    Key = "error.handle.taken"    // handle
	ErrHandleFormerly Key = "error.handle.formerly" // handle
	ErrTimeZone       Key = "error.timezone"        // the value given
	ErrTooManyLinks   Key = "error.links.toomany"   // limit
	ErrLinkURL        Key = "error.links.url"       // the value given
	ErrLinkLabel      Key = "error.links.label"     // longest
	ErrTooManyAka     Key = "error.aka.toomany"     // limit
	ErrAkaInvalid     Key = "error.aka.invalid"     // the value given

	// E-mail subscriptions.
	ErrConsentTooLong    Key = "error.consent.toolong" // limit
	ErrCSVNoHeader       Key = "error.csv.noheader"
	ErrCSVNoEmail        Key = "error.csv.noemail"
	ErrResendUnpublished Key = "error.mail.resend"
	ErrOperatorNoAddress Key = "error.mail.operator"
)

// errorMessages is the Dutch and English text of every refusal.
var errorMessages = map[Key][2]string{
	ErrConsentTooLong:    {"de verklaring van toestemming is langer dan %d tekens", "the consent statement is longer than %d characters"},
	ErrCSVNoHeader:       {"het bestand heeft geen kopregel met kolomnamen", "the file has no CSV header row"},
	ErrCSVNoEmail:        {"de kopregel heeft geen kolom email", "the header row has no column email"},
	ErrResendUnpublished: {"alleen een gepubliceerd bericht kan opnieuw worden verstuurd", "only a published post can be sent again"},
	ErrOperatorNoAddress: {"de beheerder op de opdrachtregel heeft geen adres om een test naar te sturen; handel als een medewerker", "the operator has no address to send a test to; act as a staff account"},
	ErrTextNotUTF8:       {"de tekst bevat tekens die geen geldige UTF-8 zijn", "is not valid UTF-8 text"},
	ErrTextEmpty:         {"een bericht heeft tekst nodig", "a post needs text"},
	ErrTextTooLong:       {"de tekst is %d tekens lang; het maximum is %d", "the text is %d characters long; the limit is %d"},
	ErrSummaryTooLong:    {"de inhoudswaarschuwing is %d tekens lang; het maximum is %d", "the content warning is %d characters long; the limit is %d"},
	ErrLanguageCode:      {"\"%s\" is geen taalcode zoals nl of en", "\"%s\" is not a language code such as nl or en"},
	ErrTooManyImages:     {"een bericht heeft hoogstens %d afbeeldingen", "at most %d images per post"},
	ErrAltMissing:        {"%s heeft geen alt-tekst: beschrijf de afbeelding voor wie haar niet kan zien", "%s has no alt text: describe the image for people who cannot see it"},
	ErrAltTooLong:        {"de alt-tekst van %s is %d tekens lang; het maximum is %d", "the alt text of %s is %d characters long; the limit is %d"},
	ErrImageNoFile:       {"%s heeft geen bestand", "%s has no file"},
	ErrNoFile:            {"er is geen bestand gekozen", "no file"},
	ErrImageNotUsable:    {"deze afbeelding hoort bij een andere organisatie of bestaat niet meer, en kan niet worden gebruikt", "an image of another organisation, or one that no longer exists, cannot be used"},
	ErrImageInUse:        {"deze afbeelding hoort bij een ander bericht; upload haar opnieuw", "this image belongs to another post; upload it again"},
	ErrScheduleInPast:    {"%s ligt in het verleden", "%s is in the past"},
	ErrDeletedNoEdit:     {"een verwijderd bericht kan niet worden bewerkt", "a deleted post cannot be edited"},
	ErrPublishNotDraft:   {"alleen concepten en ingeplande berichten kunnen worden gepubliceerd", "only drafts and scheduled posts can be published"},
	ErrDeletedNoPin:      {"een verwijderd bericht kan niet worden vastgezet", "a deleted post cannot be pinned"},
	ErrAlreadyDeleted:    {"het bericht is al verwijderd", "the post is already deleted"},
	ImageNumber:          {"afbeelding %d", "image %d"},
	ImageHeader:          {"de headerafbeelding", "the header image"},
	FileUnnamed:          {"het bestand", "the file"},
	ErrImageTooLarge:     {"%s is groter dan %d MB", "%s is larger than %d MB"},
	ErrImageTooManyPx:    {"%s is te groot: hoogstens %d megapixel en %d pixels per zijde", "%s is too large: at most %d megapixels and %d pixels per side"},
	ErrImageNotImage:     {"%s is geen afbeelding die Plein kan lezen (PNG, JPEG, GIF of WebP)", "%s is not an image Plein can read (PNG, JPEG, GIF or WebP)"},
	ErrImageDamaged:      {"%s is beschadigd of onvolledig; sla de afbeelding opnieuw op als PNG, JPEG, GIF of WebP", "%s is damaged or incomplete; save the image again as PNG, JPEG, GIF or WebP"},
	ErrImageUnsupported:  {"%s is in een vorm die Plein niet aanneemt (zoals HEIC, SVG of bewegende WebP); sla de afbeelding op als gewone PNG, JPEG, GIF of WebP", "%s is in a form Plein does not accept (such as HEIC, SVG or animated WebP); save the image as a plain PNG, JPEG, GIF or WebP"},

	ErrNoAccount:       {"er is geen medewerkersaccount met e-mailadres \"%s\"", "no staff account with e-mail address \"%s\""},
	ErrEmailInvalid:    {"\"%s\" is geen e-mailadres", "\"%s\" is not an e-mail address"},
	ErrEmailTaken:      {"er bestaat al een account met e-mailadres %s", "an account with e-mail address %s already exists"},
	ErrNameTooLong:     {"een naam heeft hoogstens %d tekens", "must be at most %d characters"},
	ErrPasswordLength:  {"een wachtwoord is %d tot %d tekens lang", "must be %d to %d characters long"},
	ErrNotCurrent:      {"dit is niet uw huidige wachtwoord", "this is not your current password"},
	ErrRemoveSelf:      {"u kunt uzelf niet uit de organisatie halen; vraag een andere beheerder", "you cannot remove yourself; ask another admin"},
	ErrNoSuchAccount:   {"dit medewerkersaccount bestaat niet", "no such staff account"},
	ErrNotAMember:      {"dit account is geen lid", "this account is not a member"},
	ErrLinkFormat:      {"schrijf elke link als: Label = https://…", "write each link as: Label = https://…"},
	ErrPeriodNotOffer:  {"een periode van %d dagen wordt niet aangeboden; kies 7, 30 of 90", "a period of %d days is not offered; choose 7, 30 or 90"},
	ErrCLIAltMissing:   {"%s heeft geen --alt: beschrijf de afbeelding voor wie haar niet kan zien", "%s has no --alt: describe the image for people who cannot see it"},
	ErrCLIHeaderAlt:    {"%s heeft geen --header-alt: beschrijf de afbeelding voor wie haar niet kan zien", "%s has no --header-alt: describe the image for people who cannot see it"},
	ErrCLIUnreadable:   {"%s kan niet worden gelezen: %v", "cannot read %s: %v"},
	ErrCLINotAFile:     {"%s is geen bestand", "%s is not a file"},
	ErrDisplayName:     {"een naam van 1 tot %d tekens is verplicht", "a display name of 1 to %d characters is required"},
	ErrDescriptionLong: {"een beschrijving heeft hoogstens %d tekens", "must be at most %d characters"},

	ErrHandleInvalid:  {"\"%s\" is geen geldige handle: gebruik 1 tot %d kleine letters, cijfers, '-' of '_'", "\"%s\" is not a valid handle: use 1 to %d lower-case letters, digits, '-' or '_'"},
	ErrHandleReserved: {"\"%s\" is gereserveerd", "\"%s\" is reserved"},
	ErrHandleTaken:    {"de handle \"%s\" is al in gebruik", "the handle \"%s\" is already taken"},
	ErrHandleFormerly: {"de handle \"%s\" is, nu of vroeger, van een andere organisatie", "the handle \"%s\" is taken, now or formerly, by another organisation"},
	ErrTimeZone:       {"\"%s\" is geen tijdzone zoals Europe/Amsterdam", "\"%s\" is not a time zone such as Europe/Amsterdam"},
	ErrTooManyLinks:   {"hoogstens %d links", "at most %d links"},
	ErrLinkURL:        {"\"%s\" is geen webadres", "\"%s\" is not a web address"},
	ErrLinkLabel:      {"elke link heeft een label van hoogstens %d tekens nodig", "each link needs a label of at most %d characters"},
	ErrTooManyAka:     {"hoogstens %d eerdere accounts", "at most %d earlier accounts"},
	ErrAkaInvalid:     {"\"%s\" is niet het adres van een Fediverse-account, zoals https://mastodon.example/users/naam", "\"%s\" is not the address of a Fediverse account, such as https://mastodon.example/users/name"},
}

func init() {
	for k, v := range errorMessages {
		messages[string(k)] = v
	}
}
