package i18n

// The sentences of the audit log. The first argument of each is who did
// it; the others are what it was about. Only %s is used, so that the staff
// screens can link an argument.
const (
	AuditPostPublished   Key = "audit.post.published"   // actor, post
	AuditPostScheduled   Key = "audit.post.scheduled"   // actor, post
	AuditPostDraft       Key = "audit.post.draft"       // actor, post
	AuditPostEdit        Key = "audit.post.edit"        // actor, post
	AuditPostSchedule    Key = "audit.post.schedule"    // actor, post
	AuditPostPin         Key = "audit.post.pin"         // actor, post
	AuditPostUnpin       Key = "audit.post.unpin"       // actor, post
	AuditPostDelete      Key = "audit.post.delete"      // actor, post
	AuditPostPurge       Key = "audit.post.purge"       // actor
	AuditPostAnswer      Key = "audit.post.answer"      // actor, post
	AuditUserCreate      Key = "audit.user.create"      // actor, account
	AuditUserCreateAdmin Key = "audit.user.createadmin" // actor, account
	AuditUserReset       Key = "audit.user.reset"       // actor, account
	AuditUserChange      Key = "audit.user.change"      // actor
	AuditUserChoose      Key = "audit.user.choose"      // actor
	AuditUserLogin       Key = "audit.user.login"       // actor
	AuditUserLogout      Key = "audit.user.logout"      // actor
	AuditMemberRole      Key = "audit.member.role"      // actor, account, role
	AuditMemberRemove    Key = "audit.member.remove"    // actor, account
	AuditOrgCreate       Key = "audit.org.create"       // actor, organisation
	AuditOrgRename       Key = "audit.org.rename"       // actor, organisation, former handle
	AuditOrgProfile      Key = "audit.org.profile"      // actor, organisation
	AuditOrgAvatarSet    Key = "audit.org.avatar.set"   // actor, organisation
	AuditOrgAvatarRemove Key = "audit.org.avatar.remove"
	AuditOrgHeaderSet    Key = "audit.org.header.set" // actor, organisation, alt text
	AuditOrgHeaderRemove Key = "audit.org.header.remove"
	AuditOther           Key = "audit.other" // actor, action code, what it was about

	// Failed staff log-ins; the actor is a client, told by its network.
	AuditLoginFailed        Key = "audit.login.failed"        // client, account
	AuditLoginFailedKnown   Key = "audit.login.failedknown"   // client, account
	AuditLoginLocked        Key = "audit.login.locked"        // client, account, attempts, minutes
	AuditLoginAccountAlert  Key = "audit.login.accountalert"  // client, account, failures, minutes
	AuditLoginAddressLocked Key = "audit.login.addresslocked" // client, failures, minutes

	// What the sentences name.
	AuditOperator       Key = "audit.operator"
	AuditClient         Key = "audit.client"         // network, such as 198.51.100.0/24
	AuditUnknownAccount Key = "audit.unknownaccount" // a log-in name that is no account
	RoleAdmin           Key = "staff.role.admin"
	RoleEditor          Key = "staff.role.editor"
	RoleModerator       Key = "staff.role.moderator"
	RoleAnalyst         Key = "staff.role.analyst"
)

// auditMessages is the Dutch and English text of the audit log.
var auditMessages = map[Key][2]string{
	AuditPostPublished:   {"%s publiceerde het bericht ‘%s’", "%s published the post ‘%s’"},
	AuditPostScheduled:   {"%s schreef het bericht ‘%s’ en plande het in", "%s wrote the post ‘%s’ and scheduled it"},
	AuditPostDraft:       {"%s begon het concept ‘%s’", "%s started the draft ‘%s’"},
	AuditPostEdit:        {"%s bewerkte het bericht ‘%s’", "%s edited the post ‘%s’"},
	AuditPostSchedule:    {"%s plande het bericht ‘%s’ in", "%s scheduled the post ‘%s’"},
	AuditPostPin:         {"%s zette het bericht ‘%s’ vast", "%s pinned the post ‘%s’"},
	AuditPostUnpin:       {"%s maakte het bericht ‘%s’ los", "%s unpinned the post ‘%s’"},
	AuditPostDelete:      {"%s verwijderde het bericht ‘%s’", "%s deleted the post ‘%s’"},
	AuditPostPurge:       {"%s wiste een bericht met zijn hele geschiedenis voorgoed", "%s purged a post with its whole history for good"},
	AuditPostAnswer:      {"%s beantwoordde een reactie met het bericht ‘%s’", "%s answered a reply with the post ‘%s’"},
	AuditUserCreate:      {"%s maakte het account van %s aan", "%s created the account of %s"},
	AuditUserCreateAdmin: {"%s maakte het account van %s aan, als installatiebeheerder", "%s created the account of %s, as an instance administrator"},
	AuditUserReset:       {"%s gaf %s een nieuw wachtwoord", "%s gave %s a new password"},
	AuditUserChange:      {"%s wijzigde het eigen wachtwoord", "%s changed their password"},
	AuditUserChoose:      {"%s koos een eigen wachtwoord", "%s chose their own password"},
	AuditUserLogin:       {"%s logde in", "%s logged in"},
	AuditUserLogout:      {"%s logde uit", "%s logged out"},
	AuditMemberRole:      {"%s gaf %s de rol %s", "%s gave %s the role of %s"},
	AuditMemberRemove:    {"%s haalde %s uit de organisatie", "%s removed %s from the organisation"},
	AuditOrgCreate:       {"%s maakte de organisatie %s aan", "%s created the organisation %s"},
	AuditOrgRename:       {"%s gaf de organisatie %s haar nieuwe handle (eerder %s)", "%s gave the organisation %s its new handle (formerly %s)"},
	AuditOrgProfile:      {"%s wijzigde het profiel van %s", "%s changed the profile of %s"},
	AuditOrgAvatarSet:    {"%s gaf %s een nieuw logo", "%s gave %s a new logo"},
	AuditOrgAvatarRemove: {"%s verwijderde het logo van %s", "%s removed the logo of %s"},
	AuditOrgHeaderSet:    {"%s gaf %s een nieuwe headerafbeelding: ‘%s’", "%s gave %s a new header image: ‘%s’"},
	AuditOrgHeaderRemove: {"%s verwijderde de headerafbeelding van %s", "%s removed the header image of %s"},
	AuditOther:           {"%s: %s (%s)", "%s: %s (%s)"},

	AuditLoginFailed:      {"mislukte inlogpoging als %[2]s door %[1]s", "failed log-in as %[2]s by %[1]s"},
	AuditLoginFailedKnown: {"mislukte inlogpoging als %[2]s door %[1]s, in een browser die eerder op dit account inlogde", "failed log-in as %[2]s by %[1]s, in a browser that logged in to this account before"},
	AuditLoginLocked: {"inloggen als %[2]s door %[1]s geblokkeerd voor ten hoogste %[4]s minuten, na %[3]s pogingen vanaf dit adres of deze browser; andere adressen en browsers kunnen nog inloggen",
		"log-ins as %[2]s by %[1]s locked for at most %[4]s minutes, after %[3]s attempts from this address or browser; other addresses and browsers can still log in"},
	AuditLoginAccountAlert: {"%[3]s mislukte inlogpogingen als %[2]s binnen %[4]s minuten vanaf alle adressen samen, de laatste door %[1]s: inloggen vanuit onbekende browsers wordt vertraagd; het account is niet geblokkeerd",
		"%[3]s failed log-ins as %[2]s within %[4]s minutes from all addresses together, the last by %[1]s: log-ins from browsers it does not know are slowed down; the account is not locked"},
	AuditLoginAddressLocked: {"inloggen door %[1]s geblokkeerd voor ten hoogste %[3]s minuten, na %[2]s mislukte pogingen voor alle accounts samen; browsers die eerder op een account inlogden kunnen nog inloggen",
		"log-ins by %[1]s locked for at most %[3]s minutes, after %[2]s failed attempts for all accounts together; browsers that logged in to an account before can still log in"},

	AuditOperator:       {"De beheerder op de opdrachtregel", "The operator on the command line"},
	AuditClient:         {"een client in %s", "a client in %s"},
	AuditUnknownAccount: {"een onbekend account", "an unknown account"},
}

func init() {
	for k, v := range auditMessages {
		messages[string(k)] = v
	}
}
