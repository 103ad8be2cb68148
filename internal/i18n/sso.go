package i18n

// Keys of single sign-on and staff sessions that domain code names.
const (
	ErrRoleMapEntry     Key = "sso.error.rolemap.entry"  // the mapping, what is wrong
	ErrRoleMapLong      Key = "sso.error.rolemap.long"   // limit
	ErrRoleMapMany      Key = "sso.error.rolemap.many"   // limit
	ErrRoleMapSyntax    Key = "sso.error.rolemap.syntax" //
	ErrRoleMapValue     Key = "sso.error.rolemap.value"  // limit
	ErrRoleMapHandle    Key = "sso.error.rolemap.handle" // handle
	ErrRoleMapRole      Key = "sso.error.rolemap.role"   // role
	ErrRoleMapTwice     Key = "sso.error.rolemap.twice"  // value, handle
	ErrSubject          Key = "sso.error.subject"        // limit
	ErrSubjectTaken     Key = "sso.error.subject.taken"
	ErrSSONotConfigured Key = "sso.error.notconfigured"
	ErrNotLinked        Key = "sso.error.notlinked"
	ErrNoSuchSession    Key = "sessions.error.none"
	// SessionDeviceUnknown names a device whose browser is not known.
	SessionDeviceUnknown Key = "sessions.device.unknown"

	AuditSSOLink          Key = "audit.sso.link"     // actor, account
	AuditSSOUnlink        Key = "audit.sso.unlink"   // actor, account
	AuditSSOUnlinked      Key = "audit.sso.unlinked" // client, subject, issuer
	AuditSessionEnd       Key = "audit.session.end"  // actor, device
	AuditSessionEndOthers Key = "audit.session.endothers"
	AuditSessionEndAll    Key = "audit.session.endall" // actor, account, number
	AuditSSO              Key = "audit.sso"            // the actor of what single sign-on does itself
)

// ssoMessages is the text of single sign-on, the sessions screens and the
// mail about a log-in from a new device.
var ssoMessages = map[Key][2]string{
	ErrRoleMapEntry:  {"de rolkoppeling ‘%s’ klopt niet: %s", "the role mapping ‘%s’ is wrong: %s"},
	ErrRoleMapLong:   {"de rolkoppelingen zijn samen langer dan %d tekens", "the role mappings are longer than %d characters together"},
	ErrRoleMapMany:   {"er zijn meer dan %d rolkoppelingen", "there are more than %d role mappings"},
	ErrRoleMapSyntax: {"schrijf haar als waarde=organisatie:rol, zoals communicatie=gemeente:editor", "write it as value=organisation:role, such as communications=city:editor"},
	ErrRoleMapValue:  {"de waarde is langer dan %d tekens", "the value is longer than %d characters"},
	ErrRoleMapHandle: {"‘%s’ is geen handle van een organisatie", "‘%s’ is not the handle of an organisation"},
	ErrRoleMapRole:   {"‘%s’ is geen rol (admin, editor, moderator of analyst)", "‘%s’ is not a role (admin, editor, moderator or analyst)"},
	ErrRoleMapTwice:  {"de waarde ‘%s’ krijgt al een rol bij @%s", "the value ‘%s’ already has a role at @%s"},
	ErrSubject:       {"het kenmerk (subject) moet 1 tot %d tekens lang zijn", "the subject must be 1 to %d characters long"},
	ErrSubjectTaken:  {"deze identiteit is al aan een ander account gekoppeld", "this identity is already linked to another account"},
	ErrSSONotConfigured: {"er is geen OpenID Connect-provider ingesteld (--oidc-issuer)",
		"no OpenID Connect provider is configured (--oidc-issuer)"},
	ErrNotLinked:     {"dit account is niet gekoppeld aan de provider", "this account is not linked to the provider"},
	ErrNoSuchSession: {"deze sessie bestaat niet (meer)", "this session does not exist (any more)"},

	AuditSSOLink:   {"%s koppelde het account van %s aan eenmalige aanmelding", "%s linked the account of %s to single sign-on"},
	AuditSSOUnlink: {"%s hief de koppeling van het account van %s aan eenmalige aanmelding op", "%s unlinked the account of %s from single sign-on"},
	AuditSSOUnlinked: {"%s meldde zich via eenmalige aanmelding aan met een identiteit die aan geen account is gekoppeld (kenmerk %s bij %s); geweigerd",
		"%s logged in through single sign-on with an identity linked to no account (subject %s at %s); refused"},
	AuditSessionEnd:       {"%s beëindigde een eigen sessie (%s)", "%s ended one of their sessions (%s)"},
	AuditSessionEndOthers: {"%s beëindigde al hun andere sessies", "%s ended all their other sessions"},
	AuditSessionEndAll:    {"%s beëindigde alle sessies van %s (%s)", "%s ended all sessions of %s (%s)"},
	AuditSSO:              {"eenmalige aanmelding", "single sign-on"},

	"staff.login.sso":  {"Inloggen met %s", "Log in with %s"},
	"sso.failed.title": {"Inloggen is niet gelukt", "Logging in did not succeed"},
	"sso.unlinked.body": {"U bent bij %s aangemeld, maar die identiteit is aan geen account van Plein gekoppeld. Er is geen account aangemaakt. Vraag een beheerder uw account te koppelen en geef dit kenmerk door:",
		"You signed in at %s, but that identity is linked to no Plein account. No account was created. Ask an administrator to link your account, and pass on this subject:"},
	"sso.unlinked.self": {"Hebt u al een account met een wachtwoord? Log daarmee in en koppel het onder ‘Eenmalige aanmelding’.",
		"Do you already have an account with a password? Log in with it and link it under ‘Single sign-on’."},
	"sso.state.body": {"Deze terugkeer van de provider hoort niet bij een aanmelding die in deze browser begon, of de aanmelding duurde langer dan 10 minuten. Er is niets gewijzigd.",
		"This return from the provider does not belong to a log-in that began in this browser, or the log-in took longer than 10 minutes. Nothing was changed."},
	"sso.provider.body": {"%s kon de aanmelding niet bevestigen, of is nu niet bereikbaar. Probeer het later opnieuw of log in met uw wachtwoord.",
		"%s could not confirm the log-in, or cannot be reached now. Please try again later or log in with your password."},
	"sso.denied.body":    {"De aanmelding bij %s is afgebroken.", "The log-in at %s was cancelled."},
	"sso.locked.body":    {"Te veel mislukte pogingen. Probeer het na %s opnieuw.", "Too many failed attempts. Please try again after %s."},
	"sso.tryagain":       {"Opnieuw inloggen", "Log in again"},
	"sso.title":          {"Eenmalige aanmelding", "Single sign-on"},
	"sso.linked":         {"Uw account is gekoppeld aan %s, sinds %s. U kunt daar inloggen in plaats van met uw wachtwoord.", "Your account is linked to %s since %s. You can log in there instead of with your password."},
	"sso.notlinked":      {"Uw account is niet gekoppeld aan %s. Koppel het om voortaan daar in te loggen: u meldt zich eenmaal bij %s aan en keert dan hier terug.", "Your account is not linked to %s. Link it to log in there from now on: you sign in at %s once and return here."},
	"sso.continue.intro": {"Meld u nu eenmaal aan bij %s; daarna keert u hier terug en is uw account gekoppeld.", "Now sign in at %s once; then you return here and your account is linked."},
	"sso.continue":       {"Verder naar %s", "Continue to %s"},
	"sso.link":           {"Mijn account koppelen", "Link my account"},
	"sso.unlink":         {"Koppeling opheffen", "Unlink"},
	"sso.none":           {"Deze installatie heeft geen eenmalige aanmelding.", "This installation has no single sign-on."},
	"sso.linked.other":   {"Deze identiteit van %s is al aan een ander account gekoppeld. Er is niets gewijzigd.", "This identity at %s is already linked to another account. Nothing was changed."},

	"staff.done.sso-linked":     {"Uw account is gekoppeld.", "Your account is linked."},
	"staff.done.sso-unlinked":   {"De koppeling is opgeheven.", "The link is removed."},
	"staff.done.session-ended":  {"De sessie is beëindigd.", "The session has ended."},
	"staff.done.sessions-ended": {"De andere sessies zijn beëindigd.", "The other sessions have ended."},
	"staff.done.user-sessions":  {"Alle sessies van dit account zijn beëindigd.", "Every session of this account has ended."},
	"staff.sessions":            {"Sessies", "Sessions"},
	"sessions.page":             {"Inloggen en sessies", "Log-in and sessions"},
	"sessions.active":           {"Actieve sessies", "Active sessions"},
	"sessions.intro":            {"Hier bent u nu ingelogd. Een sessie eindigt na %s zonder gebruik, en uiterlijk %s na het inloggen.", "You are logged in here now. A session ends after %s without use, and at the latest %s after logging in."},
	"sessions.device":           {"Apparaat", "Device"},
	"sessions.created":          {"Ingelogd", "Logged in"},
	"sessions.lastseen":         {"Laatst gebruikt", "Last used"},
	"sessions.via":              {"Via", "Through"},
	"sessions.action":           {"Actie", "Action"},
	"sessions.device.unknown":   {"Onbekende browser", "Unknown browser"},
	"sessions.via.password":     {"wachtwoord", "password"},
	"sessions.via.oidc":         {"eenmalige aanmelding", "single sign-on"},
	"sessions.via.passkey":      {"passkey", "passkey"},
	"sessions.current":          {"deze sessie", "this session"},
	"sessions.end":              {"Beëindigen", "End"},
	"sessions.end.label":        {"Sessie op %s beëindigen", "End the session on %s"},
	"sessions.endothers":        {"Alle andere sessies beëindigen", "End all other sessions"},
	"sessions.none":             {"Geen actieve sessies.", "No active sessions."},
	"sessions.admin.title":      {"Sessies van %s", "Sessions of %s"},
	"sessions.admin.endall":     {"Alle sessies beëindigen", "End all sessions"},
	"sessions.admin.intro":      {"Beëindig alle sessies na een verloren laptop of een gestolen wachtwoord, samen met een nieuw wachtwoord.", "End all sessions after a lost laptop or a stolen password, together with a new password."},
	"newdevice.subject":         {"Nieuwe aanmelding bij uw account van Plein", "New log-in to your Plein account"},
	"newdevice.body":            {"Er is zojuist ingelogd op uw account vanaf een browser die dat nog niet eerder deed.\n\nApparaat: %s\nTijd: %s\nVia: %s", "Your account was just logged in to from a browser that had not done so before.\n\nDevice: %s\nTime: %s\nThrough: %s"},
	"newdevice.notyou":          {"Was u dit niet? Beëindig de sessie op %s en wijzig uw wachtwoord, of vraag een beheerder om hulp.", "Was this not you? End the session at %s and change your password, or ask an administrator for help."},
}

func init() {
	for k, v := range ssoMessages {
		messages[string(k)] = v
	}
}
