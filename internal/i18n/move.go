package i18n

// Keys of moving followers in and out.
const (
	ErrOrgMoved     Key = "move.error.moved"     // the account it moved to
	ErrMoveTarget   Key = "move.error.target"    // the value given
	ErrMoveNotAlias Key = "move.error.notalias"  // the target, the organisation's actor id
	ErrMoveSelf     Key = "move.error.self"      // -
	ErrMoveFetch    Key = "move.error.fetch"     // the target
	AuditOrgMove    Key = "audit.org.move"       // actor, organisation, the target
	MovedNotice     Key = "move.notice"          // name of the organisation
	MoveInNone      Key = "move.in.none"         // -
	MoveInArrived   Key = "move.in.arrived"      // earlier account, time
	MoveInFollows   Key = "move.in.follows"      // count
	MoveOutConfirm  Key = "move.out.confirmtext" // the handle to type
)

// moveMessages is the text of moving followers: refusals, the notice on a
// moved organisation's page, and the staff screen's guide.
var moveMessages = map[string][2]string{
	string(ErrOrgMoved): {"deze organisatie is verhuisd naar %s en publiceert hier niet meer",
		"this organisation moved to %s and no longer publishes here"},
	string(ErrMoveTarget): {"\"%s\" is geen Fediverse-account; schrijf @naam@server of https://server/users/naam",
		"\"%s\" is not a Fediverse account; write @name@server or https://server/users/name"},
	string(ErrMoveNotAlias): {"%s noemt deze organisatie niet als eerder account; zet daar eerst %s bij de eerdere accounts (alsoKnownAs) en probeer het opnieuw",
		"%s does not list this organisation as an earlier account; first add %s to its earlier accounts (alsoKnownAs) there, then try again"},
	string(ErrMoveSelf):  {"een organisatie kan niet naar zichzelf verhuizen", "an organisation cannot move to itself"},
	string(ErrMoveFetch): {"het account %s kon niet worden opgehaald; controleer het adres en probeer het later opnieuw", "the account %s could not be fetched; check the address and try again later"},
	string(AuditOrgMove): {"%s verhuisde %s naar %s; de volgers krijgen een Move", "%s moved %s to %s; its followers are sent a Move"},
	string(MovedNotice):  {"%s is verhuisd en publiceert hier niet meer. U vindt de nieuwe berichten op het nieuwe account:", "%s has moved and no longer publishes here. You will find new posts on the new account:"},
	string(MoveInNone):   {"Er is nog geen verhuizing (Move) naar deze organisatie aangekomen.", "No move (Move) to this organisation has arrived yet."},
	string(MoveInArrived): {"Verhuizing van %s aangekomen op %s.",
		"Move from %s arrived on %s."},
	string(MoveInFollows):  {"Sindsdien %d nieuwe volgers.", "%d new followers since."},
	string(MoveOutConfirm): {"Typ de handle %s om te bevestigen", "Type the handle %s to confirm"},

	"staff.done.moved":  {"De organisatie is verhuisd. Volgers krijgen bericht; publiceren is uitgeschakeld.", "The organisation has moved. Followers are being told; publishing is off."},
	"move.title":        {"Volgers verhuizen", "Moving followers"},
	"move.in.title":     {"Verhuizen vanaf Mastodon", "Moving here from Mastodon"},
	"move.in.step1":     {"Zet hierboven bij ‘Eerdere Fediverse-accounts’ het adres van het oude account, bijvoorbeeld https://mastodon.example/users/gemeente, en bewaar.", "Above, under ‘Earlier Fediverse accounts’, enter the old account's address, for example https://mastodon.example/users/municipality, and save."},
	"move.in.step2":     {"Ga op Mastodon naar Voorkeuren › Account › Naar een ander account verhuizen, en geef daar dit account op:", "On Mastodon, go to Preferences › Account › Move to a different account, and give this account there:"},
	"move.in.step3":     {"De servers van uw volgers volgen dan dit account. Hieronder ziet u wie er sinds de verhuizing bij zijn gekomen.", "Your followers' servers then follow this account. Below you see who joined since the move."},
	"move.in.earlier":   {"Eerdere accounts nu", "Earlier accounts now"},
	"move.in.noearlier": {"Nog geen eerder account opgegeven: stap 1 is nog niet gedaan.", "No earlier account given yet: step 1 is not done."},
	"move.in.list":      {"Nieuwe volgers sinds de verhuizing (nieuwste eerst)", "New followers since the move (newest first)"},
	"move.out.title":    {"Verhuizen naar een ander account", "Moving to another account"},
	"move.out.intro":    {"Verhuist de organisatie naar een ander Fediverse-account? Zet op het nieuwe account eerst dit account bij de eerdere accounts (alsoKnownAs): %s. Daarna stuurt Plein uw volgers een Move, toont de openbare pagina waar de organisatie nu is, en kan er hier niet meer worden gepubliceerd. Dit kan niet ongedaan worden gemaakt.", "Is the organisation moving to another Fediverse account? First add this account to the new account's earlier accounts (alsoKnownAs): %s. Plein then sends your followers a Move, the public page shows where the organisation is now, and publishing here is off. This cannot be undone."},
	"move.out.to":       {"Nieuw account (@naam@server of adres)", "New account (@name@server or address)"},
	"move.out.submit":   {"Verhuizen", "Move"},
	"move.out.moved":    {"Deze organisatie is verhuisd naar %s op %s. Publiceren is uitgeschakeld.", "This organisation moved to %s on %s. Publishing is off."},
	"move.out.confirm":  {"Bevestiging", "Confirmation"},
	"move.out.noconfirm": {"typ de handle van de organisatie om te bevestigen",
		"type the organisation's handle to confirm"},
}

func init() {
	for k, v := range moveMessages {
		messages[k] = v
	}
}
