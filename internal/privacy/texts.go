package privacy

import "time"

// text is a text in Dutch and English. Placeholders in braces, such as
// {max}, are filled in by Build.
type text struct{ nl, en string }

// in returns the text in lang.
func (t text) in(lang string) string {
	if lang == "nl" {
		return t.nl
	}
	return t.en
}

// sessionIdle is the default idle limit of a staff session.
const sessionIdle = time.Hour

// category describes one category of data. retention is used for a policy
// with a maximum age; while and whileNoLimit for a policy that lasts while
// the relationship does, with and without a maximum age; off when the
// processing is disabled. An empty while, whileNoLimit or off falls back to
// the generic text.
type category struct {
	name, subjects, data, purpose, basis, protection text
	retention, while, whileNoLimit, off              text
}

// Legal bases. Public bodies cannot rely on legitimate interests (GDPR art.
// 6(1)(f)) for their tasks, so the basis is their public task.
var (
	basisPublicTask = text{
		nl: "Taak van algemeen belang (AVG art. 6 lid 1 onder e): de organisatie informeert het publiek en communiceert met wie daarop reageert.",
		en: "Public task (GDPR art. 6(1)(e)): the organisation informs the public and communicates with those who respond.",
	}
	basisStaff = text{
		nl: "Taak van algemeen belang (AVG art. 6 lid 1 onder e), uitgevoerd door medewerkers in het kader van hun dienstverband.",
		en: "Public task (GDPR art. 6(1)(e)), carried out by staff members in their employment relationship.",
	}
	basisNone = text{
		nl: "Niet van toepassing: geen persoonsgegevens.",
		en: "Not applicable: no personal data.",
	}
)

// Data subjects used by several categories.
var (
	subjectsVisitors = text{
		nl: "Bezoekers van de openbare pagina's en feeds.",
		en: "Visitors of the public pages and feeds.",
	}
	subjectsStaff = text{
		nl: "Medewerkers met een account.",
		en: "Staff members with an account.",
	}
)

// categories holds the known category keys.
var categories = map[string]category{
	"access_log": {
		name:     text{"Toegangslog van de webserver", "Web server access log"},
		subjects: subjectsVisitors,
		data: text{
			nl: "Per verzoek één regel met tijdstip, verzoek en antwoordstatus, en het IP-adres ingekort (IPv4 tot /24, IPv6 tot /48).",
			en: "One line per request with the time, the request and the response status, and the IP address shortened (IPv4 to /24, IPv6 to /48).",
		},
		purpose: text{
			nl: "Beveiliging, en het opsporen van storingen en misbruik.",
			en: "Security, and finding faults and abuse.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Het IP-adres wordt ingekort voordat het wordt weggeschreven: een volledig IP-adres komt nooit op schijf. Plein bewaart gegevens over bezoekers nooit langer dan 7 dagen.",
			en: "The IP address is shortened before it is written: a full IP address never reaches disk. Plein never keeps data about visitors longer than 7 days.",
		},
		retention: text{"{max}, daarna verwijderd.", "{max}, then deleted."},
		off: text{
			nl: "Plein houdt geen toegangslog bij: het toegangslog staat uit in deze installatie.",
			en: "Plein keeps no access log: access logging is off on this installation.",
		},
	},
	"visitor_estimate": {
		name:     text{"Schatting van unieke bezoekers", "Unique-visitor estimate"},
		subjects: subjectsVisitors,
		data: text{
			nl: "Een HyperLogLog-schets van gezouten hashes van (IP-adres, user agent, organisatie). Het IP-adres en de user agent zelf worden niet opgeslagen.",
			en: "A HyperLogLog sketch of salted hashes of (IP address, user agent, organisation). The IP address and the user agent themselves are not stored.",
		},
		purpose: text{
			nl: "Het aantal verschillende bezoekers per dag schatten, voor de statistieken van de organisatie.",
			en: "Estimating the number of distinct visitors per day, for the organisation's insights.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Het zout is willekeurig, staat alleen in het geheugen en wordt elke dag (en bij elke herstart) vervangen, zodat bezoekers niet te herkennen zijn en niet over dagen heen te koppelen. De schets bewaart geen hashes, alleen registermaxima.",
			en: "The salt is random, held only in memory and replaced every day (and on every restart), so visitors cannot be re-identified or linked across days. The sketch keeps no hashes, only register maxima.",
		},
		retention: text{
			nl: "De schets van een dag wordt {max} na het begin van die dag verwijderd; alleen het geschatte aantal bezoekers van die dag blijft bewaard.",
			en: "A day's sketch is deleted {max} after that day began; only the day's estimated number of visitors is kept.",
		},
	},
	"referrers": {
		name:     text{"Verwijzende websites", "Referring websites"},
		subjects: subjectsVisitors,
		data: text{
			nl: "De hostnaam van de verwijzende website (uit de Referer-header), geteld per dag. Geen volledig adres, pad of zoekopdracht.",
			en: "The host name of the referring website (from the Referer header), counted per day. No full address, path or query.",
		},
		purpose: text{
			nl: "Zien via welke websites bezoekers de pagina's vinden.",
			en: "Seeing through which websites visitors find the pages.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Alleen een telling per hostnaam, niet gekoppeld aan een bezoeker.",
			en: "Only a count per host name, not linked to any visitor.",
		},
		retention: text{
			nl: "Hostnamen met {threshold} op een dag worden {max} na het begin van die dag samengevoegd tot „overig”.",
			en: "Host names with {threshold} in a day are folded into “other” {max} after that day began.",
		},
	},
	"login_throttle": {
		name: text{"Beperking van inlogpogingen", "Log-in throttling"},
		subjects: text{
			nl: "Medewerkers met een account, en wie probeert in te loggen.",
			en: "Staff members with an account, and anyone who tries to log in.",
		},
		data: text{
			nl: "Het aantal mislukte inlogpogingen per account, per IP-adres van de client en per combinatie van die twee, elk onder een sleutelhash (HMAC met een geheim van de installatie): het e-mailadres en het IP-adres zelf worden hier niet opgeslagen. Een browser die met succes inlogt krijgt een apparaatcookie, dat alleen naar het inlogformulier wordt gestuurd. Elke mislukte poging en elke blokkade staat in het auditlog van de installatie (zie daar).",
			en: "The number of failed log-in attempts per account, per client IP address and per pair of the two, each under a keyed hash (HMAC with a secret of the installation): neither the e-mail address nor the IP address itself is stored here. A browser that logs in successfully gets a device cookie, sent to the log-in form only. Every failed attempt and every lock is in the installation's audit log (see there).",
		},
		purpose: text{
			nl: "Het raden van wachtwoorden tegengaan, zonder dat iemand een medewerker kan buitensluiten.",
			en: "Preventing password guessing, without letting anyone lock a staff member out.",
		},
		basis: basisStaff,
		protection: text{
			nl: "Alleen sleutelhashes, in de database die alle servers van de installatie delen. Een account wordt nooit voor iedereen geblokkeerd: alleen het adres dat het wachtwoord raadt.",
			en: "Keyed hashes only, in the database every server of the installation shares. An account is never locked for everyone: only the address that guesses its password.",
		},
		retention: text{
			nl: "{max} na de eerste mislukte poging; daarna telt de poging niet meer en wordt ze binnen het uur verwijderd.",
			en: "{max} after the first failed attempt; then it no longer counts and is deleted within the hour.",
		},
	},
	"followers": {
		name: text{"Volgers in de Fediverse", "Followers on the Fediverse"},
		subjects: text{
			nl: "Wie de organisatie volgt vanuit een Fediverse-account.",
			en: "People who follow the organisation from a Fediverse account.",
		},
		data: text{
			nl: "Het accountadres en de inbox van de server van het account.",
			en: "The account address and its server's inbox.",
		},
		purpose: text{
			nl: "De berichten van de organisatie bezorgen bij wie daarom heeft gevraagd.",
			en: "Delivering the organisation's posts to those who asked for them.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Geen profiel, voorkeuren of gedrag; een bericht gaat één keer naar elke server, niet per volger.",
			en: "No profile, preferences or behaviour is kept; a post goes once to each server, not per follower.",
		},
		retention: text{
			nl: "Direct verwijderd bij ontvolgen (Undo) of verwijderen van het account (Delete); verwijderd als de server {max} lang elke bezorging heeft geweigerd of niet heeft aangenomen.",
			en: "Removed at once on unfollow (Undo) or deletion of the account (Delete); removed when its server has refused or failed every delivery for {max}.",
		},
		while: text{
			nl: "Zolang het account volgt; direct verwijderd bij ontvolgen (Undo) of verwijderen van het account (Delete); verwijderd als de server {max} lang elke bezorging heeft geweigerd of niet heeft aangenomen.",
			en: "As long as the account follows; removed at once on unfollow (Undo) or deletion of the account (Delete); removed when its server has refused or failed every delivery for {max}.",
		},
		whileNoLimit: text{
			nl: "Zolang het account volgt; direct verwijderd bij ontvolgen (Undo) of verwijderen van het account (Delete); geen andere termijn.",
			en: "As long as the account follows; removed at once on unfollow (Undo) or deletion of the account (Delete); no other limit.",
		},
	},
	"replies": {
		name: text{"Reacties uit de Fediverse", "Replies from the Fediverse"},
		subjects: text{
			nl: "Wie vanuit een Fediverse-account openbaar reageert op een bericht.",
			en: "People who publicly reply to a post from a Fediverse account.",
		},
		data: text{
			nl: "De inhoud van de reactie en het accountadres van de schrijver.",
			en: "The content of the reply and the author's account address.",
		},
		purpose: text{
			nl: "Reacties modereren en beantwoorden.",
			en: "Moderating and answering replies.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Inhoud van andere servers wordt opgeschoond (geen scripts of opmaak van buiten). Een reactie die de schrijver verwijdert (Delete), wordt direct verwijderd.",
			en: "Content from other servers is sanitised (no outside scripts or styling). A reply its author deletes (Delete) is removed at once.",
		},
		retention: text{
			nl: "{max} na ontvangst, of korter als de schrijver de reactie verwijdert.",
			en: "{max} after it was received, or less when the author deletes it.",
		},
	},
	"reactions": {
		name: text{"Likes en boosts", "Likes and boosts"},
		subjects: text{
			nl: "Wie vanuit een Fediverse-account een bericht liket of boost.",
			en: "People who like or boost a post from a Fediverse account.",
		},
		data: text{
			nl: "Alleen een sleutel-hash van (account, bericht), om een ongedaanmaking (Undo) te herkennen; het accountadres zelf wordt niet bewaard.",
			en: "Only a keyed hash of (account, post), to match an Undo; the account address itself is not kept.",
		},
		purpose: text{
			nl: "Likes en boosts tellen en een Undo juist verwerken.",
			en: "Counting likes and boosts and processing an Undo correctly.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Zonder de geheime sleutel is de hash niet naar een account terug te voeren. Een Undo wordt direct verwerkt.",
			en: "Without the secret key the hash cannot be traced back to an account. An Undo is processed at once.",
		},
		retention: text{
			nl: "{max}; daarna wordt de hash verwijderd en telt de like of boost alleen nog mee in de aantallen van het bericht.",
			en: "{max}; then the hash is deleted and the like or boost remains only in the post's counts.",
		},
	},
	"remote_actors": {
		name: text{"Openbare profielgegevens van Fediverse-accounts", "Public profile data of Fediverse accounts"},
		subjects: text{
			nl: "Fediverse-accounts die met de organisatie interacteren.",
			en: "Fediverse accounts that interact with the organisation.",
		},
		data: text{
			nl: "Accountadres, inbox en openbare sleutel, zoals de server van het account die publiceert.",
			en: "Account address, inbox and public key, as the account's server publishes them.",
		},
		purpose: text{
			nl: "Handtekeningen van binnenkomende berichten controleren en berichten bezorgen.",
			en: "Verifying the signatures of incoming messages and delivering messages.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Alleen openbare gegevens; een binnenkomend verzoek zonder geldige handtekening wordt geweigerd.",
			en: "Public data only; an incoming request without a valid signature is refused.",
		},
		retention: text{"{max} na het laatste ophalen.", "{max} after it was last fetched."},
	},
	"seen_activities": {
		name: text{"Ontvangen activiteiten (ontdubbeling)", "Received activities (deduplication)"},
		subjects: text{
			nl: "Fediverse-accounts die activiteiten sturen.",
			en: "Fediverse accounts that send activities.",
		},
		data: text{
			nl: "Hashes van de id's van ontvangen activiteiten.",
			en: "Hashes of the ids of received activities.",
		},
		purpose: text{
			nl: "Elke activiteit één keer verwerken, ook als die vaker wordt bezorgd.",
			en: "Processing each activity once, even when it is delivered more than once.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Alleen een hash van de id, niet de inhoud.",
			en: "Only a hash of the id, not the content.",
		},
		retention: text{"{max} na ontvangst.", "{max} after receipt."},
	},
	"staff_sessions": {
		name:     text{"Inlogsessies van medewerkers", "Staff log-in sessions"},
		subjects: subjectsStaff,
		data: text{
			nl: "Een hash van het sessietoken, de tijdstippen van inloggen en laatste gebruik, een korte naam van de browser en het systeem (zoals „Firefox (Linux)”, niets anders uit de User-Agent) en of met een wachtwoord of via eenmalige aanmelding is ingelogd. Geen IP-adres.",
			en: "A hash of the session token, the times of log-in and last use, a short name of the browser and system (such as “Firefox (Linux)”, nothing else of the User-Agent) and whether the person logged in with a password or through single sign-on. No IP address.",
		},
		purpose: text{
			nl: "Medewerkers ingelogd houden en sessies kunnen beëindigen.",
			en: "Keeping staff members logged in and being able to end sessions.",
		},
		basis: basisStaff,
		protection: text{
			nl: "Het token staat alleen in een HttpOnly-cookie dat beperkt is tot de medewerkerspagina's; de database bevat alleen de SHA-256-hash ervan.",
			en: "The token lives only in an HttpOnly cookie limited to the staff pages; the database holds only its SHA-256 hash.",
		},
		retention: text{
			nl: "Een sessie vervalt na {idle} zonder gebruik en uiterlijk {max} na het inloggen, en wordt dan verwijderd.",
			en: "A session expires after {idle} without use and at the latest {max} after log-in, and is then deleted.",
		},
	},
	"staff_accounts": {
		name:     text{"Accounts van medewerkers", "Staff accounts"},
		subjects: subjectsStaff,
		data: text{
			nl: "Naam, e-mailadres, rollen per organisatie, een argon2id-hash van het wachtwoord, en de tweede factoren: het geheim van een authenticator-app (versleuteld), de publieke sleutels van passkeys, gehashte herstelcodes, en bij eenmalige aanmelding de uitgever en het kenmerk van de gekoppelde identiteit.",
			en: "Name, e-mail address, roles per organisation, an argon2id hash of the password, and the second factors: the secret of an authenticator app (encrypted), the public keys of passkeys, hashed recovery codes, and with single sign-on the issuer and subject of the linked identity.",
		},
		purpose: text{
			nl: "Medewerkers laten inloggen met de rechten die hun rol geeft, met een tweede factor waar het beleid die vraagt.",
			en: "Letting staff members log in with the permissions their role gives, with a second factor where the policy asks for one.",
		},
		basis: basisStaff,
		protection: text{
			nl: "Wachtwoorden en herstelcodes alleen als hash; het app-geheim versleuteld met AES-GCM; van passkeys alleen de publieke sleutel.",
			en: "Passwords and recovery codes only as hashes; the app secret encrypted with AES-GCM; of passkeys only the public key.",
		},
		retention: text{
			nl: "Een account wordt {max} na het laatste gebruik verwijderd.",
			en: "An account is deleted {max} after its last use.",
		},
		whileNoLimit: text{
			nl: "Zolang het account bestaat; verwijderd met het account. Een tweede factor die de medewerker verwijdert of een beheerder herstelt, wordt meteen verwijderd.",
			en: "While the account exists; deleted with the account. A second factor the staff member removes or an administrator resets is deleted at once.",
		},
	},
	"audit_log": {
		name: text{"Auditlog van medewerkers", "Staff audit log"},
		subjects: text{
			nl: "Medewerkers met een account, en wie probeert in te loggen.",
			en: "Staff members with an account, and anyone who tries to log in.",
		},
		data: text{
			nl: "Welke medewerker wat deed en wanneer, zoals publiceren, wijzigen, goedkeuren, terugsturen met een opmerking, direct publiceren met een reden en modereren. Ook elke mislukte inlogpoging (bij eenmalige aanmelding met een niet-gekoppelde identiteit ook haar kenmerk bij de provider) en elke blokkade: het netwerk van de client (het IP-adres ingekort tot /24 bij IPv4 of /48 bij IPv6, nooit het volledige adres) en het account, of „een onbekend account” zonder het ingetypte e-mailadres.",
			en: "Which staff member did what and when, such as publishing, editing, approving, returning with a note, publishing directly with a reason and moderating. Also every failed log-in (through single sign-on with an unlinked identity, also its subject at the provider) and every lock: the client's network (the IP address cut to /24 for IPv4 or /48 for IPv6, never the full address) and the account, or “an unknown account” without the e-mail address typed.",
		},
		purpose: text{
			nl: "Verantwoording over publicaties en moderatie, mede voor de Woo en de Archiefwet.",
			en: "Accountability for publications and moderation, also under the Dutch open-government and public-records laws (Woo, Archiefwet).",
		},
		basis: basisStaff,
		protection: text{
			nl: "Elke wijziging schrijft haar regel in dezelfde transactie als de wijziging zelf, zodat het log volledig is.",
			en: "Each change writes its entry in the same transaction as the change itself, so the log is complete.",
		},
		retention: text{"{max}, daarna verwijderd.", "{max}, then deleted."},
	},
	"insights": {
		name:     text{"Statistieken", "Insights"},
		subjects: text{"Geen: alleen totalen.", "None: totals only."},
		data: text{
			nl: "Dagtotalen: weergaven, opvragingen van feeds, gewonnen en verloren volgers, reacties, likes en boosts, en bezorgingen (één per server).",
			en: "Daily totals: views, feed fetches, followers gained and lost, replies, likes and boosts, and deliveries (one per server).",
		},
		purpose: text{
			nl: "Medewerkers laten zien hoe berichten worden gelezen en gedeeld.",
			en: "Showing staff how posts are read and shared.",
		},
		basis: basisNone,
		protection: text{
			nl: "Berekend uit tellers: er wordt nooit iets over een individuele bezoeker vastgelegd.",
			en: "Computed from counters: nothing is ever recorded about an individual visitor.",
		},
		retention: text{"{max}, daarna verwijderd.", "{max}, then deleted."},
	},
	"uploads": {
		name: text{"Niet-gebruikte uploads", "Unused uploads"},
		subjects: text{
			nl: "Medewerkers die een afbeelding uploaden, en wie op een afbeelding staat.",
			en: "Staff members who upload an image, and people shown in an image.",
		},
		data: text{
			nl: "Afbeeldingen die een medewerker heeft geüpload maar nooit aan een bericht heeft gekoppeld.",
			en: "Images a staff member uploaded but never attached to a post.",
		},
		purpose: text{
			nl: "Berichten voorbereiden.",
			en: "Preparing posts.",
		},
		basis: basisStaff,
		protection: text{
			nl: "Bij het uploaden worden alle metadata verwijderd, zoals EXIF-gegevens en GPS-positie.",
			en: "All metadata, such as EXIF data and GPS position, is removed on upload.",
		},
		retention: text{
			nl: "{max} na het uploaden, als de afbeelding niet aan een bericht is gekoppeld.",
			en: "{max} after upload, when the image is not attached to a post.",
		},
	},
}

// unknownCategory describes a category key this version does not know.
func unknownCategory(key string) category {
	key = oneLine(key)
	return category{
		name: text{key, key},
		data: text{
			nl: "Categorie „" + key + "”: geen beschrijving beschikbaar in deze versie van Plein.",
			en: "Category “" + key + "”: no description available in this version of Plein.",
		},
		retention: text{"Uiterlijk {max}, daarna verwijderd.", "At most {max}, then deleted."},
	}
}

// Generic retention texts.
var (
	notProcessed = text{
		nl: "Deze verwerking vindt in deze installatie niet plaats.",
		en: "This processing does not take place on this installation.",
	}
	whileNoLimit = text{
		nl: "Zolang de relatie bestaat; direct verwijderd bij Undo, Delete of afmelden; geen andere termijn.",
		en: "While the relationship exists; deleted at once on Undo, Delete or unsubscribe; no other limit.",
	}
	whileLimit = text{
		nl: "Zolang de relatie bestaat; direct verwijderd bij Undo, Delete of afmelden; uiterlijk {max} na de laatste activiteit.",
		en: "While the relationship exists; deleted at once on Undo, Delete or unsubscribe; at the latest {max} after the last activity.",
	}
	noLimit = text{
		nl: "Geen maximale bewaartermijn ingesteld.",
		en: "No maximum retention is configured.",
	}
	fixedNote = text{
		nl: "(Vastgelegd in de software, niet instelbaar.)",
		en: "(Set by the software, not configurable.)",
	}
	fewVisits   = text{"weinig bezoeken", "few visits"}
	visitsBelow = text{"minder dan {n} bezoeken", "fewer than {n} visits"}
)

// Controller and contact texts.
var (
	allOrgs        = text{"De organisaties hieronder", "The organisations below"}
	eachOrgContact = text{
		nl: "Elke organisatie is verwerkingsverantwoordelijke voor haar eigen pagina; neem contact op via het adres bij die organisatie.",
		en: "Each organisation is the controller for its own page; contact it at the address listed with it.",
	}
	operatorContact = text{
		nl: "Beheerder van deze installatie: {addr}",
		en: "Operator of this installation: {addr}",
	}
	orgContact = text{
		nl: "Voor vragen over uw gegevens en om uw rechten uit te oefenen: {addr}",
		en: "For questions about your data and to exercise your rights: {addr}",
	}
	orgGeneralContact = text{
		nl: "Gebruik de algemene contactgegevens op de website van de organisatie: {addr}",
		en: "Use the general contact details on the organisation's website: {addr}",
	}
	orgNoContact = text{
		nl: "Gebruik de algemene contactgegevens van de organisatie.",
		en: "Use the organisation's general contact details.",
	}
)

// Recipient texts.
var (
	fediverseOrg = text{
		nl: "Fediverse-servers van volgers (nu {servers}): zij ontvangen de openbare berichten van de organisatie. De server van een account dat reageert, liket of boost, wordt benaderd om het openbare profiel en de sleutel op te halen.",
		en: "Fediverse servers of followers (currently {servers}): they receive the organisation's public posts. The server of an account that replies, likes or boosts is contacted to fetch its public profile and key.",
	}
	fediverseInstallation = text{
		nl: "Fediverse-servers van volgers (nu {servers}): zij ontvangen de openbare berichten van de organisaties. De server van een account dat reageert, liket of boost, wordt benaderd om het openbare profiel en de sleutel op te halen.",
		en: "Fediverse servers of followers (currently {servers}): they receive the organisations' public posts. The server of an account that replies, likes or boosts is contacted to fetch its public profile and key.",
	}
	noMail = text{
		nl: "Er wordt geen e-mail verstuurd.",
		en: "No e-mail is sent.",
	}
	mailRelay = text{
		nl: "E-mail gaat via de mailrelay {host}, een verwerker die de beheerder heeft gekozen.",
		en: "E-mail is sent through the mail relay {host}, a processor chosen by the operator.",
	}
	ownDisks = text{
		nl: "Media worden opgeslagen op de eigen schijven van deze installatie.",
		en: "Media are stored on this installation's own disks.",
	}
	objectStore = text{
		nl: "Media worden opgeslagen in de S3-compatibele objectopslag {host}, een verwerker die de beheerder heeft gekozen.",
		en: "Media are stored in the S3-compatible object store {host}, a processor chosen by the operator.",
	}
	blueskyPDS = text{
		nl: "Berichten worden ook gepubliceerd op Bluesky, via de AT Protocol-server (PDS) {host} van het account dat de organisatie heeft gekoppeld: alleen de openbare berichten en hun afbeeldingen, geen gegevens van lezers.",
		en: "Posts are also published to Bluesky, through the AT Protocol server (PDS) {host} of the account the organisation connected: only the public posts and their images, no data about readers.",
	}
	cdn = text{
		nl: "Verzoeken lopen via het CDN of de reverse proxy {host}, een verwerker die de beheerder heeft gekozen; die ziet de IP-adressen van bezoekers.",
		en: "Requests pass through the CDN or reverse proxy {host}, a processor chosen by the operator, which sees visitors' IP addresses.",
	}
)

// rightsTexts are the rights of the people concerned.
var rightsTexts = []text{
	{
		nl: "Inzage (AVG art. 15): u kunt vragen welke gegevens over u worden verwerkt.",
		en: "Access (GDPR art. 15): you can ask which data about you is processed.",
	},
	{
		nl: "Rectificatie (AVG art. 16): u kunt onjuiste gegevens laten verbeteren.",
		en: "Rectification (GDPR art. 16): you can have incorrect data corrected.",
	},
	{
		nl: "Wissing (AVG art. 17): u kunt vragen uw gegevens te verwijderen.",
		en: "Erasure (GDPR art. 17): you can ask for your data to be deleted.",
	},
	{
		nl: "Beperking (AVG art. 18): u kunt vragen de verwerking tijdelijk te beperken.",
		en: "Restriction (GDPR art. 18): you can ask for processing to be restricted for a time.",
	},
	{
		nl: "Bezwaar (AVG art. 21): tegen verwerking voor een taak van algemeen belang kunt u bezwaar maken vanwege uw specifieke situatie.",
		en: "Objection (GDPR art. 21): you can object to processing for a public task on grounds relating to your particular situation.",
	},
	{
		nl: "Klacht: u kunt een klacht indienen bij de Autoriteit Persoonsgegevens.",
		en: "Complaint: you can lodge a complaint with the Autoriteit Persoonsgegevens, the Dutch data protection authority.",
	},
	{
		nl: "Gegevens uit de Fediverse verwijdert u ook zelf: ontvolg, maak een like of boost ongedaan, of verwijder uw reactie of account. Plein verwerkt Undo en Delete direct.",
		en: "You can also remove Fediverse data yourself: unfollow, undo a like or boost, or delete your reply or account. Plein processes Undo and Delete at once.",
	},
}

// noTrackingTexts answer the risks that a DPIA found on social media pages.
var noTrackingTexts = []text{
	{
		nl: "Geen cookies voor bezoekers: het enige cookie is de inlogcookie van medewerkers, alleen op de medewerkerspagina's.",
		en: "No cookies for visitors: the only cookie is the staff log-in cookie, used only on staff pages.",
	},
	{
		nl: "Niets in de browser van de bezoeker: geen local storage, session storage, IndexedDB of service worker.",
		en: "Nothing stored in the visitor's browser: no local storage, session storage, IndexedDB or service worker.",
	},
	{
		nl: "Geen verzoeken aan derden: openbare pagina's laden niets van andere websites (geen scripts, lettertypen, afbeeldingen of ingesloten inhoud).",
		en: "No third-party requests: public pages load nothing from other websites (no scripts, fonts, images or embedded content).",
	},
	{
		nl: "Geen personalisatie: een pagina toont de berichten van nieuw naar oud, voor iedereen hetzelfde.",
		en: "No personalisation: a page shows posts newest first, the same for everyone.",
	},
	{
		nl: "Geen profielen: Plein bewaart geen identificatiegegevens van bezoekers en maakt geen profielen van bezoekers of volgers; IP-adressen komen nooit volledig op schijf.",
		en: "No profiles: Plein stores no visitor identifiers and builds no profiles of visitors or followers; IP addresses never reach disk whole.",
	},
	{
		nl: "Geen advertenties, en geen gebruik van gegevens voor een ander doel dan in dit register staat.",
		en: "No advertising, and no use of data for any purpose other than those in this register.",
	},
}
