package i18n

// Keys of publishing to Bluesky.
const (
	ErrBlueskyPDS       Key = "bluesky.error.pds"
	ErrBlueskyHandle    Key = "bluesky.error.handle"
	ErrBlueskyPassword  Key = "bluesky.error.password"
	ErrBlueskyPolicy    Key = "bluesky.error.policy"
	ErrBlueskyLogin     Key = "bluesky.error.login"
	ErrBlueskyReach     Key = "bluesky.error.reach"
	ErrBlueskyNotLinked Key = "bluesky.error.notconnected"
	BlueskyCorrection   Key = "bluesky.correction"       // the corrected text
	AuditBlueskyConnect Key = "audit.bluesky.connect"    // actor, handle
	AuditBlueskyPolicy  Key = "audit.bluesky.policy"     // actor, policy
	AuditBlueskyUnlink  Key = "audit.bluesky.disconnect" // actor
)

// blueskyMessages is the text of publishing to Bluesky: refusals when
// connecting, the state of a post there, and audit sentences.
var blueskyMessages = map[string][2]string{
	string(ErrBlueskyPDS):       {"geef het adres van de PDS, zoals https://bsky.social", "give the address of the PDS, such as https://bsky.social"},
	string(ErrBlueskyHandle):    {"geef de Bluesky-naam van het account, zoals gemeente.bsky.social", "give the account's Bluesky handle, such as gemeente.bsky.social"},
	string(ErrBlueskyPassword):  {"geef een app-wachtwoord van het account (Instellingen → Privacy en beveiliging → App-wachtwoorden)", "give an app password of the account (Settings → Privacy and security → App passwords)"},
	string(ErrBlueskyPolicy):    {"kies ‘reply’ (een correctie als antwoord) of ‘republish’ (verwijderen en opnieuw plaatsen)", "choose ‘reply’ (a correction as a reply) or ‘republish’ (delete and post again)"},
	string(ErrBlueskyLogin):     {"de PDS weigerde deze naam en dit app-wachtwoord; er is niets bewaard", "the PDS refused this handle and app password; nothing was saved"},
	string(ErrBlueskyReach):     {"de PDS gaf geen bruikbaar antwoord; controleer het adres en probeer het later opnieuw; er is niets bewaard", "the PDS gave no usable answer; check the address and try again later; nothing was saved"},
	string(ErrBlueskyNotLinked): {"deze organisatie heeft geen Bluesky-account gekoppeld", "this organisation has no Bluesky account connected"},
	string(BlueskyCorrection):   {"Correctie: %s", "Correction: %s"},

	string(AuditBlueskyConnect): {"%s koppelde het Bluesky-account %s", "%s connected the Bluesky account %s"},
	string(AuditBlueskyPolicy):  {"%s koos voor bewerkingen op Bluesky: %s", "%s chose for edits on Bluesky: %s"},
	string(AuditBlueskyUnlink):  {"%s ontkoppelde het Bluesky-account", "%s disconnected the Bluesky account"},

	"bluesky.state.pending":   {"Bluesky: wacht op plaatsing", "Bluesky: waiting to be posted"},
	"bluesky.state.published": {"Bluesky: geplaatst", "Bluesky: posted"},
	"bluesky.state.failing":   {"Bluesky: mislukt, wordt opnieuw geprobeerd", "Bluesky: failed, will be tried again"},
	"bluesky.state.deleted":   {"Bluesky: verwijderd", "Bluesky: deleted"},

	"bluesky.failure.auth":     {"de PDS weigerde het app-wachtwoord; koppel het account opnieuw", "the PDS refused the app password; connect the account again"},
	"bluesky.failure.rate":     {"de PDS vroeg om te wachten (te veel verzoeken)", "the PDS asked to wait (too many requests)"},
	"bluesky.failure.server":   {"de PDS gaf een fout of was niet bereikbaar", "the PDS failed or could not be reached"},
	"bluesky.failure.rejected": {"de PDS weigerde het bericht", "the PDS refused the post"},
	"bluesky.failure.password": {"het bewaarde app-wachtwoord kan niet worden geopend met de sleutel van deze installatie; koppel het account opnieuw", "the stored app password cannot be opened with this installation's key; connect the account again"},
	"bluesky.failure.image":    {"een afbeelding kon niet worden gelezen of verkleind", "an image could not be read or made smaller"},
	"bluesky.failure.other":    {"een onverwachte fout; zie het logboek van de server", "an unexpected error; see the server's log"},

	"bluesky.policy.reply":     {"een correctie als antwoord", "a correction as a reply"},
	"bluesky.policy.republish": {"verwijderen en opnieuw plaatsen", "delete and post again"},

	"staff.bluesky.title":      {"Bluesky", "Bluesky"},
	"staff.bluesky.intro":      {"Elk nieuw bericht wordt ook op het Bluesky-account van de organisatie geplaatst. Maak in Bluesky een app-wachtwoord aan; het wordt versleuteld bewaard en nooit meer getoond.", "Each new post is also posted to the organisation's Bluesky account. Make an app password in Bluesky; it is stored encrypted and never shown again."},
	"staff.bluesky.connected":  {"Gekoppeld: %s op %s", "Connected: %s on %s"},
	"staff.bluesky.none":       {"Er is geen Bluesky-account gekoppeld.", "No Bluesky account is connected."},
	"staff.bluesky.pds":        {"Adres van de PDS", "Address of the PDS"},
	"staff.bluesky.handle":     {"Bluesky-naam", "Bluesky handle"},
	"staff.bluesky.password":   {"App-wachtwoord", "App password"},
	"staff.bluesky.policy":     {"Bij een bewerking", "When a post is edited"},
	"staff.bluesky.connect":    {"Koppelen", "Connect"},
	"staff.bluesky.savepolicy": {"Keuze bewaren", "Save choice"},
	"staff.bluesky.disconnect": {"Ontkoppelen", "Disconnect"},
	"staff.bluesky.view":       {"Bekijk op Bluesky", "View on Bluesky"},
	"staff.done.bluesky":       {"Het Bluesky-account is gekoppeld.", "The Bluesky account is connected."},
	"staff.done.blueskypolicy": {"De keuze is bewaard.", "The choice has been saved."},
	"staff.done.blueskyunlink": {"Het Bluesky-account is ontkoppeld.", "The Bluesky account is disconnected."},
	"site.bluesky":             {"Op Bluesky", "On Bluesky"},
}

// BlueskyState is the sentence for a state of a post's copy on Bluesky
// (model.BlueskyPending and the others).
func BlueskyState(state string) Message { return M(Key("bluesky.state." + state)) }

// BlueskyFailure is the sentence for a kind of failure to publish on
// Bluesky (the kinds of package crosspost).
func BlueskyFailure(kind string) Message { return M(Key("bluesky.failure." + kind)) }

// BlueskyPolicy names an edit policy (model.BlueskyEditReply or
// model.BlueskyEditRepublish).
func BlueskyPolicy(policy string) Message { return M(Key("bluesky.policy." + policy)) }

func init() {
	for k, v := range blueskyMessages {
		messages[k] = v
	}
}
