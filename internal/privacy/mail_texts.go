package privacy

// subjectsSubscribers are the people who subscribe by e-mail.
var subjectsSubscribers = text{
	nl: "Wie zich aanmeldt om berichten per e-mail te krijgen.",
	en: "People who subscribe to get posts by e-mail.",
}

// basisSubscribers is the legal basis of e-mail subscriptions.
var basisSubscribers = text{
	nl: "Toestemming (AVG art. 6 lid 1 onder a), bevestigd via een link in een e-mail (dubbele opt-in); in te trekken met de afmeldlink in elke e-mail.",
	en: "Consent (GDPR art. 6(1)(a)), confirmed through a link in an e-mail (double opt-in); withdrawn with the unsubscribe link in every e-mail.",
}

// mailCategories describe the personal data of e-mail subscriptions.
var mailCategories = map[string]category{
	"mail_subscribers": {
		name:     text{"Abonnees per e-mail", "E-mail subscribers"},
		subjects: subjectsSubscribers,
		data: text{
			nl: "Het e-mailadres, de gekozen frequentie en het onderwerp, de taal, en het tijdstip van aanmelden en bevestigen. Bij abonnees die van een vorige aanbieder zijn overgenomen ook de verklaring en datum van hun toestemming daar.",
			en: "The e-mail address, the chosen frequency and topic, the language, and when the subscription was made and confirmed. For subscribers moved from a previous provider also the statement and date of their consent there.",
		},
		purpose: text{
			nl: "De berichten van de organisatie per e-mail sturen aan wie daarom heeft gevraagd.",
			en: "Sending the organisation's posts by e-mail to those who asked for them.",
		},
		basis: basisSubscribers,
		protection: text{
			nl: "Geen volgpixels, geen omgeleide links, geen meting van openen of klikken; het adres staat nooit in een log. Aantallen in de statistieken zijn alleen totalen per dag.",
			en: "No tracking pixels, no redirected links, no measuring of opens or clicks; the address is never written to a log. Numbers in the insights are daily totals only.",
		},
		while: text{
			nl: "Zolang de aanmelding loopt; direct gewist bij afmelden of een klacht over ongewenste e-mail. Een adres waarheen e-mail niet aankomt, krijgt niets meer en wordt {max} later gewist.",
			en: "As long as the subscription runs; erased at once on unsubscribing or a spam complaint. An address that mail does not reach gets nothing more and is erased {max} later.",
		},
	},
	"mail_unconfirmed": {
		name:     text{"Onbevestigde aanmeldingen per e-mail", "Unconfirmed e-mail subscriptions"},
		subjects: subjectsSubscribers,
		data: text{
			nl: "Het opgegeven e-mailadres, frequentie, onderwerp en taal, tot het adres is bevestigd.",
			en: "The e-mail address given, with frequency, topic and language, until the address is confirmed.",
		},
		purpose: text{
			nl: "Eén e-mail sturen met een link om de aanmelding te bevestigen, zodat niemand een ander kan aanmelden.",
			en: "Sending one e-mail with a link to confirm the subscription, so that nobody can subscribe someone else.",
		},
		basis: basisSubscribers,
		protection: text{
			nl: "De bevestigingsmail bevat niets wat de aanmelder typte behalve het adres zelf. Openen van de link bevestigt niets; alleen de knop op de pagina doet dat.",
			en: "The confirmation e-mail carries nothing the subscriber typed but the address itself. Opening the link confirms nothing; only the button on the page does.",
		},
		retention: text{"Gewist als het adres niet binnen {max} is bevestigd.", "Erased when the address is not confirmed within {max}."},
	},
	"mail_reservations": {
		name:     text{"Beperking van bevestigingsmails", "Limit on confirmation e-mails"},
		subjects: subjectsSubscribers,
		data: text{
			nl: "Een sleutel-hash van een e-mailadres waarvoor een aanmelding is gedaan, met het tijdstip waarop een volgende e-mail mag; geen adres. Het aantal aanmeldingen per IP-adres wordt alleen in het geheugen geteld.",
			en: "A keyed hash of an e-mail address someone tried to subscribe, with the time the next e-mail may go; no address. Subscriptions per IP address are counted in memory only.",
		},
		purpose: text{
			nl: "Voorkomen dat het aanmeldformulier wordt gebruikt om iemands mailbox te overspoelen.",
			en: "Preventing the subscribe form from being used to flood someone's inbox.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Zonder de geheime sleutel is de hash niet naar een adres terug te voeren.",
			en: "Without the secret key the hash cannot be traced back to an address.",
		},
		retention: text{"{max}, daarna verwijderd.", "{max}, then deleted."},
	},
	"mail_outbox": {
		name:     text{"Verzendadministratie van e-mails", "Record of e-mails sent"},
		subjects: subjectsSubscribers,
		data: text{
			nl: "Per verstuurde e-mail: welke aanmelding, welk bericht, de Message-ID en of de mailserver het heeft aangenomen; geen adres.",
			en: "For each e-mail sent: which subscription, which post, the Message-ID and whether the mail server accepted it; no address.",
		},
		purpose: text{
			nl: "Elke e-mail precies één keer versturen, ook na een storing, en meldingen van onbestelbare e-mail aan de juiste aanmelding koppelen.",
			en: "Sending each e-mail exactly once, also after a failure, and matching reports of undeliverable e-mail to the right subscription.",
		},
		basis: basisSubscribers,
		protection: text{
			nl: "Er wordt niet vastgelegd of een e-mail is geopend of waarop is geklikt.",
			en: "Whether an e-mail was opened or clicked is not recorded.",
		},
		retention: text{"{max} na verzending, daarna verwijderd.", "{max} after sending, then deleted."},
	},
	"mail_suppression": {
		name:     text{"Lijst van afgemelde adressen", "List of unsubscribed addresses"},
		subjects: subjectsSubscribers,
		data: text{
			nl: "Na afmelden of een klacht alleen een sleutel-hash van het e-mailadres, met de reden; het adres zelf is gewist.",
			en: "After unsubscribing or a complaint only a keyed hash of the e-mail address, with the reason; the address itself is erased.",
		},
		purpose: text{
			nl: "Voorkomen dat een afgemeld adres opnieuw wordt aangemeld door een import, en dat wie over ongewenste e-mail klaagde nog e-mail krijgt.",
			en: "Preventing an unsubscribed address from being subscribed again by an import, and anyone who complained about unwanted e-mail from getting more.",
		},
		basis: basisPublicTask,
		protection: text{
			nl: "Zonder de geheime sleutel is de hash niet naar een adres terug te voeren. Wie zich zelf opnieuw aanmeldt en bevestigt, komt van de lijst af.",
			en: "Without the secret key the hash cannot be traced back to an address. Anyone who subscribes again and confirms comes off the list.",
		},
		retention: text{"{max} na het afmelden, daarna verwijderd.", "{max} after unsubscribing, then deleted."},
	},
}

func init() {
	for k, c := range mailCategories {
		categories[k] = c
	}
}
