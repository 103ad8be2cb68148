package privacy

// moderationCategories describe the personal data moderation keeps.
var moderationCategories = map[string]category{
	"moderation": {
		name: text{"Moderatie: meldingen, bezwaren, blokkades en motiveringen", "Moderation: notices, objections, blocks and statements of reasons"},
		subjects: text{
			nl: "Wie vanuit de Fediverse iets meldt (Flag), wie bezwaar maakt tegen een besluit over de eigen reactie, en accounts die geblokkeerd zijn.",
			en: "People who report something from the Fediverse (Flag), people who object to a decision on their own reply, and accounts that are blocked.",
		},
		data: text{
			nl: "Bij een melding of bezwaar: het accountadres van de melder en de tekst. Bij een blokkade: het accountadres of de servernaam en de reden. Een motivering noemt geen persoon, wel de reactie waarover besloten is en de medewerker die besliste.",
			en: "For a notice or objection: the reporter's account address and the text. For a block: the account address or server name and the reason. A statement of reasons names no person, but the reply decided on and the staff member who decided.",
		},
		purpose: text{
			nl: "Meldingen en bezwaren behandelen en verantwoorden welke reacties zijn geweigerd of verwijderd, zoals de Digital Services Act vraagt (art. 16, 17 en 20); naar de Transparantiedatabank van de EU gaan alleen motiveringen zonder persoonsgegevens.",
			en: "Handling notices and objections and accounting for which replies were refused or removed, as the Digital Services Act requires (Art. 16, 17 and 20); only statements without personal data go to the EU Transparency Database.",
		},
		basis: text{
			nl: "Wettelijke verplichting (AVG art. 6 lid 1 onder c): de Digital Services Act.",
			en: "Legal obligation (GDPR art. 6(1)(c)): the Digital Services Act.",
		},
		protection: text{
			nl: "Alleen moderatoren en beheerders van de organisatie zien meldingen en bezwaren; inhoud van andere servers wordt opgeschoond.",
			en: "Only the organisation's moderators and admins see notices and objections; content from other servers is sanitised.",
		},
		retention: text{
			nl: "Meldingen, bezwaren en motiveringen {max} na ontvangst of besluit, daarna verwijderd; een blokkade zolang zij geldt.",
			en: "Notices, objections and statements {max} after they were received or decided, then deleted; a block as long as it stands.",
		},
	},
}

func init() {
	for k, c := range moderationCategories {
		categories[k] = c
	}
}
