package i18n

// Second factors: authenticator apps, recovery codes and passkeys, the
// policy that requires them, and their audit sentences.
const (
	ErrTOTPExists      Key = "error.totp.exists"
	ErrTOTPNoSetup     Key = "error.totp.nosetup"
	ErrCodeWrong       Key = "error.code.wrong"
	ErrNoSecondFactor  Key = "error.secondfactor.none"
	ErrTooManyPasskeys Key = "error.passkey.toomany" // limit
	ErrPasskeyName     Key = "error.passkey.name"    // longest
	ErrPasskeyExpired  Key = "error.passkey.expired"
	ErrPasskeyRefused  Key = "error.passkey.refused"
	ErrPasskeyTaken    Key = "error.passkey.taken"
	ErrNoSuchPasskey   Key = "error.passkey.none"
	ErrRequirement     Key = "error.secondfactor.require" // the value given
	ErrGrace           Key = "error.secondfactor.grace"   // longest, in days

	AuditTOTPAdd            Key = "audit.secondfactor.totp.add"       // actor
	AuditTOTPRemove         Key = "audit.secondfactor.totp.remove"    // actor
	AuditPasskeyAdd         Key = "audit.secondfactor.passkey.add"    // actor, passkey name
	AuditPasskeyRemove      Key = "audit.secondfactor.passkey.remove" // actor, passkey name
	AuditCodesNew           Key = "audit.secondfactor.codes.new"      // actor
	AuditCodesUsed          Key = "audit.secondfactor.codes.used"     // actor, codes left
	AuditSecondFactorReset  Key = "audit.secondfactor.reset"          // actor, account, factors removed
	AuditSecondFactorPolicy Key = "audit.secondfactor.policy"         // actor, whom, grace in days
	AuditOrgSecondFactorOn  Key = "audit.org.secondfactor.on"         // actor, organisation
	AuditOrgSecondFactorOff Key = "audit.org.secondfactor.off"        // actor, organisation
	AuditLoginFactorFailed  Key = "audit.login.secondfactorfailed"    // client, account
	AuditLoginPasskeyFailed Key = "audit.login.passkeyfailed"         // client, account

	// Whom the installation's policy requires a second factor of.
	RequireAdmins   Key = "secondfactor.require.admins"
	RequireEveryone Key = "secondfactor.require.everyone"
	RequireNone     Key = "secondfactor.require.none"
)

var secondFactorMessages = map[Key][2]string{
	ErrTOTPExists: {"u hebt al een authenticator-app ingesteld; verwijder die eerst als u een andere wilt gebruiken",
		"you already have an authenticator app set up; remove it first to use another one"},
	ErrTOTPNoSetup: {"er wordt geen app ingesteld, of het instellen duurde te lang: begin opnieuw",
		"no app is being set up, or setting it up took too long: please start again"},
	ErrCodeWrong: {"deze code klopt niet; typ de code die de app nu toont",
		"this code is not right; type the code the app shows now"},
	ErrNoSecondFactor:  {"stel eerst een tweede factor in", "set up a second factor first"},
	ErrTooManyPasskeys: {"een account heeft ten hoogste %d passkeys; verwijder er eerst een", "an account has at most %d passkeys; remove one first"},
	ErrPasskeyName:     {"geef de passkey een naam van ten hoogste %d tekens, zoals ‘laptop’", "give the passkey a name of at most %d characters, such as ‘laptop’"},
	ErrPasskeyExpired:  {"het toevoegen duurde te lang of is al afgerond: probeer het opnieuw", "adding it took too long or was already finished: please try again"},
	ErrPasskeyRefused:  {"de browser gaf geen bruikbare passkey: probeer het opnieuw", "the browser gave no usable passkey: please try again"},
	ErrPasskeyTaken:    {"deze passkey is al toegevoegd", "this passkey has already been added"},
	ErrNoSuchPasskey:   {"u hebt geen passkey met deze naam (meer)", "you have no such passkey (any more)"},
	ErrRequirement:     {"%q is geen keuze: kies admins, everyone of none", "%q is not a choice: choose admins, everyone or none"},
	ErrGrace:           {"de termijn is ten hoogste %d dagen", "the grace period is at most %d days"},

	AuditTOTPAdd:            {"%s stelde een authenticator-app in als tweede factor", "%s set up an authenticator app as a second factor"},
	AuditTOTPRemove:         {"%s verwijderde de eigen authenticator-app", "%s removed their authenticator app"},
	AuditPasskeyAdd:         {"%s voegde de passkey ‘%s’ toe", "%s added the passkey ‘%s’"},
	AuditPasskeyRemove:      {"%s verwijderde de passkey ‘%s’", "%s removed the passkey ‘%s’"},
	AuditCodesNew:           {"%s maakte nieuwe herstelcodes", "%s made new recovery codes"},
	AuditCodesUsed:          {"%s logde in met een herstelcode (nog %s over)", "%s logged in with a recovery code (%s left)"},
	AuditSecondFactorReset:  {"%s verwijderde de tweede factoren van %s (%s) en beëindigde de sessies", "%s removed the second factors of %s (%s) and ended their sessions"},
	AuditSecondFactorPolicy: {"%s stelde in dat een tweede factor nodig is voor: %s, met %s dagen om er een in te stellen", "%s set that a second factor is required of: %s, with %s days to set one up"},
	AuditOrgSecondFactorOn:  {"%s stelde in dat elk lid van %s een tweede factor nodig heeft", "%s required a second factor of every member of %s"},
	AuditOrgSecondFactorOff: {"%s stelde in dat %s niet van elk lid een tweede factor vraagt", "%s no longer requires a second factor of every member of %s"},
	AuditLoginFactorFailed:  {"%s gaf een onjuiste tweede factor voor %s, na het juiste wachtwoord", "%s gave a wrong second factor for %s, after the right password"},
	AuditLoginPasskeyFailed: {"%s probeerde in te loggen op %s met een passkey die werd geweigerd", "%s tried to log in to %s with a passkey that was refused"},

	RequireAdmins:   {"installatiebeheerders en beheerders van organisaties", "instance administrators and organisation admins"},
	RequireEveryone: {"elk account", "every account"},
	RequireNone:     {"geen account, tenzij een organisatie het vraagt", "no account, unless an organisation requires it"},
}

// staffSecondFactorMessages is the text of the second-factor screens.
var staffSecondFactorMessages = map[string][2]string{
	"staff.sf.title":                     {"Tweede factor", "Second factor"},
	"staff.sf.intro":                     {"Met een tweede factor kan niemand inloggen met alleen uw wachtwoord. Gebruik een passkey (uw telefoon, laptop of beveiligingssleutel) of een authenticator-app.", "With a second factor nobody can log in with your password alone. Use a passkey (your phone, laptop or security key) or an authenticator app."},
	"staff.sf.required":                  {"Voor uw account is een tweede factor verplicht. Stel er een in vóór %s.", "A second factor is required for your account. Please set one up before %s."},
	"staff.sf.enrolonly":                 {"Voor uw account is een tweede factor verplicht en de termijn is voorbij. Stel er nu een in om verder te werken.", "A second factor is required for your account and the grace period has ended. Please set one up now to continue."},
	"staff.sf.later":                     {"Later instellen", "Set up later"},
	"staff.sf.app":                       {"Authenticator-app", "Authenticator app"},
	"staff.sf.app.on":                    {"Er is een authenticator-app ingesteld.", "An authenticator app is set up."},
	"staff.sf.app.intro":                 {"Scan deze QR-code met een authenticator-app (zoals FreeOTP, Aegis, Google Authenticator of Microsoft Authenticator) en typ de code die de app toont.", "Scan this QR code with an authenticator app (such as FreeOTP, Aegis, Google Authenticator or Microsoft Authenticator) and type the code the app shows."},
	"staff.sf.app.qr":                    {"QR-code om Plein aan uw authenticator-app toe te voegen", "QR code to add Plein to your authenticator app"},
	"staff.sf.app.key":                   {"Kunt u niet scannen? Typ dan deze sleutel in de app:", "Cannot scan? Type this key into the app:"},
	"staff.sf.app.uri":                   {"Adres voor de app", "Address for the app"},
	"staff.sf.app.code":                  {"Code uit de app (6 cijfers)", "Code from the app (6 digits)"},
	"staff.sf.app.confirm":               {"App bevestigen", "Confirm app"},
	"staff.sf.app.remove":                {"App verwijderen", "Remove app"},
	"staff.sf.passkeys":                  {"Passkeys", "Passkeys"},
	"staff.sf.passkeys.none":             {"U hebt nog geen passkey.", "You have no passkey yet."},
	"staff.sf.passkeys.intro":            {"Een passkey logt u in met uw vingerafdruk, gezicht, pincode of beveiligingssleutel, ook zonder wachtwoord.", "A passkey logs you in with your fingerprint, face, PIN or security key, even without a password."},
	"staff.sf.passkeys.off":              {"Passkeys werken alleen als Plein een domeinnaam heeft, geen IP-adres.", "Passkeys only work when Plein has a domain name, not an IP address."},
	"staff.sf.passkey.name":              {"Naam van de passkey, zoals ‘laptop’", "Name of the passkey, such as ‘laptop’"},
	"staff.sf.passkey.add":               {"Passkey toevoegen", "Add passkey"},
	"staff.sf.passkey.remove":            {"Verwijderen", "Remove"},
	"staff.sf.passkey.added":             {"toegevoegd %s", "added %s"},
	"staff.sf.passkey.used":              {"laatst gebruikt %s", "last used %s"},
	"staff.sf.needsjs":                   {"Passkeys werken met JavaScript; zet het aan in deze browser of gebruik een authenticator-app.", "Passkeys need JavaScript; turn it on in this browser or use an authenticator app."},
	"staff.sf.failed":                    {"Dat lukte niet. Probeer het opnieuw.", "That did not work. Please try again."},
	"staff.sf.codes":                     {"Herstelcodes", "Recovery codes"},
	"staff.sf.codes.left":                {"Nog %d herstelcodes over. Elke code werkt één keer, als u uw app of passkey kwijt bent.", "%d recovery codes left. Each works once, when you have lost your app or passkey."},
	"staff.sf.codes.new":                 {"Nieuwe herstelcodes maken", "Make new recovery codes"},
	"staff.sf.codes.shown":               {"Uw herstelcodes", "Your recovery codes"},
	"staff.sf.codes.keep":                {"Bewaar deze codes op een veilige plek, zoals een wachtwoordmanager of op papier. Elke code werkt één keer. Ze worden niet nog eens getoond; eerdere codes werken niet meer.", "Keep these codes in a safe place, such as a password manager or on paper. Each code works once. They are not shown again; earlier codes no longer work."},
	"staff.sf.step.title":                {"Tweede stap", "Second step"},
	"staff.sf.step.code":                 {"Code uit uw authenticator-app, of een herstelcode", "Code from your authenticator app, or a recovery code"},
	"staff.sf.step.passkey":              {"Gebruik uw passkey", "Use your passkey"},
	"staff.sf.step.restart":              {"Opnieuw inloggen", "Log in again"},
	"staff.sf.step.expired":              {"Het inloggen duurde te lang. Log opnieuw in.", "Logging in took too long. Please log in again."},
	"staff.sf.step.badcode":              {"Deze code klopt niet of is al gebruikt.", "This code is not right or has been used."},
	"staff.sf.login.passkey":             {"Inloggen met een passkey", "Log in with a passkey"},
	"staff.sf.policy.org":                {"Tweede factor voor leden", "Second factor for members"},
	"staff.sf.policy.org.intro":          {"Installatiebeheerders en beheerders van organisaties hebben altijd een tweede factor nodig, tenzij de installatie anders is ingesteld. Hier vraagt u er een van elk lid van deze organisatie.", "Instance administrators and organisation admins need a second factor unless the installation is set otherwise. Here you require one of every member of this organisation."},
	"staff.sf.policy.org.require":        {"Elk lid moet een tweede factor gebruiken", "Every member must use a second factor"},
	"staff.sf.policy.installation":       {"Beleid voor tweede factoren", "Second-factor policy"},
	"staff.sf.policy.installation.intro": {"Van wie vraagt deze installatie een tweede factor (een passkey of authenticator-app), en hoeveel dagen krijgt iemand om die in te stellen vanaf de eerste keer inloggen onder dit beleid?", "Of whom does this installation require a second factor (a passkey or authenticator app), and how many days does someone get to set one up from their first log-in under this policy?"},
	"staff.sf.policy.require":            {"Tweede factor verplicht voor", "Second factor required of"},
	"staff.sf.policy.grace":              {"Dagen om er een in te stellen", "Days to set one up"},
	"staff.done.codes":                   {"Er zijn nieuwe herstelcodes gemaakt.", "New recovery codes were made."},
	"staff.done.totp":                    {"De authenticator-app is ingesteld.", "The authenticator app is set up."},
	"staff.done.totpremoved":             {"De authenticator-app is verwijderd.", "The authenticator app was removed."},
	"staff.done.passkey":                 {"De passkey is toegevoegd.", "The passkey was added."},
	"staff.done.passkeyremoved":          {"De passkey is verwijderd.", "The passkey was removed."},
}

func init() {
	for k, v := range secondFactorMessages {
		messages[string(k)] = v
	}
	for k, v := range staffSecondFactorMessages {
		messages[k] = v
	}
}
