package privacy

// contactCategories describe the personal data of the contact form.
var contactCategories = map[string]category{
	"questions": {
		name: text{"Vragen via het contactformulier", "Questions through the contact form"},
		subjects: text{
			nl: "Wie de organisatie een vraag stelt via het contactformulier of met een direct (niet-openbaar) bericht uit de Fediverse.",
			en: "People who ask the organisation a question through the contact form or with a direct (non-public) message from the Fediverse.",
		},
		data: text{
			nl: "De vraag, het onderwerp, de naam als die is ingevuld, het e-mail- of Fediverse-adres voor het antwoord, de taal van het formulier, het referentienummer, het tijdstip van ontvangst en de antwoorden van medewerkers; bij een direct bericht het Fediverse-account van de afzender en de tekst van het bericht, zonder opmaak of afbeeldingen. Geen IP-adres en geen cookie: het formulier telt inzendingen per adres alleen in het geheugen, een kwartier lang.",
			en: "The question, the topic, the name when given, the e-mail or Fediverse address for the answer, the language of the form, the reference number, when it arrived and the staff's answers; for a direct message the sender's Fediverse account and the message's text, without markup or images. No IP address and no cookie: the form counts submissions per address in memory only, for a quarter of an hour.",
		},
		purpose: text{
			nl: "De vraag beantwoorden.",
			en: "Answering the question.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Het formulier waarschuwt voordat het een BSN, IBAN of paspoort- of ID-kaartnummer verstuurt. De ontvangstbevestiging per e-mail bevat niets van wat is ingevuld, alleen het referentienummer. Medewerkers zien zulke nummers in de inbox pas als ze erom vragen, en dat wordt vastgelegd.",
			en: "The form warns before it sends a BSN, an IBAN or a passport or identity-card number. The acknowledgement by e-mail carries nothing that was typed, only the reference number. Staff see such numbers in the inbox only when they ask to, which is recorded.",
		},
		retention: text{"{max} na ontvangst, tenzij de organisatie een andere termijn koos; een vraag die als klacht is gemarkeerd vijf jaar (of de termijn van de organisatie). Daarna verwijderd.",
			"{max} after it arrived, unless the organisation chose another period; a question marked as a complaint five years (or the organisation's period). Then deleted."},
	},
}

func init() {
	for k, c := range contactCategories {
		categories[k] = c
	}
}
