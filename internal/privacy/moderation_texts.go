package privacy

// moderationCategories describe the personal data moderation keeps.
var moderationCategories = map[string]category{
	"moderation": {
		name: text{"Moderatie: meldingen, klachten, blokkades en motiveringen", "Moderation: notices, complaints, blocks and statements of reasons"},
		subjects: text{
			nl: "Wie iets meldt, met het meldformulier of vanuit de Fediverse (Flag), wie een klacht indient over een besluit over de eigen reactie, en accounts die geblokkeerd zijn.",
			en: "People who report something, with the report form or from the Fediverse (Flag), people who complain about a decision on their own reply, and accounts that are blocked.",
		},
		data: text{
			nl: "Bij een melding: de tekst, en het accountadres van de melder of de naam en het e-mailadres die deze opgaf. Bij een klacht: het accountadres van de schrijver, de tekst, de uitkomst en de medewerker die erover besliste. Bij een blokkade: het accountadres of de servernaam en de reden. Een motivering noemt geen persoon, wel de reactie waarover besloten is en de medewerker die besliste.",
			en: "For a notice: the text, and the reporter's account address or the name and e-mail address they gave. For a complaint: the author's account address, the text, the outcome and the staff member who decided it. For a block: the account address or server name and the reason. A statement of reasons names no person, but the reply decided on and the staff member who decided.",
		},
		purpose: text{
			nl: "Meldingen en klachten behandelen en verantwoorden welke reacties zijn geweigerd of verwijderd, zoals de Digital Services Act vraagt (art. 16, 17 en 20); naar de Transparantiedatabank van de EU gaan alleen motiveringen zonder persoonsgegevens.",
			en: "Handling notices and complaints and accounting for which replies were refused or removed, as the Digital Services Act requires (Art. 16, 17 and 20); only statements without personal data go to the EU Transparency Database.",
		},
		basis: text{
			nl: "Wettelijke verplichting (AVG art. 6 lid 1 onder c): de Digital Services Act.",
			en: "Legal obligation (GDPR art. 6(1)(c)): the Digital Services Act.",
		},
		protection: text{
			nl: "Alleen moderatoren en beheerders van de organisatie zien meldingen en klachten; inhoud van andere servers wordt opgeschoond.",
			en: "Only the organisation's moderators and admins see notices and complaints; content from other servers is sanitised.",
		},
		retention: text{
			nl: "Meldingen en motiveringen {max} na ontvangst of besluit, een klacht {max} na de uitkomst, daarna verwijderd; nooit zolang een klacht open is; een blokkade zolang zij geldt.",
			en: "Notices and statements {max} after they were received or decided, a complaint {max} after its outcome, then deleted; never while a complaint is open; a block as long as it stands.",
		},
	},
}

func init() {
	for k, c := range moderationCategories {
		categories[k] = c
	}
}
