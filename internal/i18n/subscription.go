package i18n

import (
	"fmt"
	"time"
)

// subscriptionMessages is the text of e-mail subscriptions: the public
// pages to subscribe, confirm, change and end one, and the mail itself.
var subscriptionMessages = map[string][2]string{
	"org.subscribe":                 {"Ontvang de berichten per e-mail", "Get the posts by e-mail"},
	"tag.subscribe":                 {"Ontvang berichten over #%s per e-mail", "Get posts about #%s by e-mail"},
	"sub.title":                     {"Berichten van %s per e-mail", "Posts by %s by e-mail"},
	"sub.title.tag":                 {"Berichten van %s over #%s per e-mail", "Posts by %s about #%s by e-mail"},
	"sub.intro":                     {"Vul uw e-mailadres in. U krijgt eerst een e-mail met een link om uw aanmelding te bevestigen; zonder bevestiging sturen we niets en wissen we het adres binnen 48 uur.", "Enter your e-mail address. You first get an e-mail with a link to confirm; without confirmation we send nothing and erase the address within 48 hours."},
	"sub.notracking":                {"Onze e-mails bevatten geen volgpixels en geen omgeleide links: we zien niet of u ze opent of waarop u klikt. Uw adres gebruiken we alleen om u deze berichten te sturen.", "Our e-mails carry no tracking pixels and no redirected links: we cannot see whether you open them or what you click. We use your address only to send you these posts."},
	"sub.email":                     {"E-mailadres", "E-mail address"},
	"sub.frequency":                 {"Hoe vaak?", "How often?"},
	"sub.frequency.now":             {"Elk bericht direct", "Each post at once"},
	"sub.frequency.daily":           {"Eén overzicht per dag (om 07:00)", "One digest a day (at 07:00)"},
	"sub.frequency.weekly":          {"Eén overzicht per week (maandag om 07:00)", "One digest a week (Monday at 07:00)"},
	"sub.tag":                       {"Alleen berichten met dit onderwerp (hashtag, leeg voor alle berichten)", "Only posts on this topic (hashtag, empty for every post)"},
	"sub.submit":                    {"Aanmelden", "Subscribe"},
	"sub.privacy":                   {"Lees hoe we met uw gegevens omgaan in de privacyverklaring.", "Read how we handle your data in the privacy statement."},
	"sub.error":                     {"Het formulier bevat een fout. Zie hieronder.", "The form has an error. See below."},
	"sub.error.email":               {"Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl (hoogstens 254 tekens).", "Enter a valid e-mail address, such as name@example.org (at most 254 characters)."},
	"sub.error.tag":                 {"Een onderwerp is één hashtag: letters, cijfers en _, zonder spaties.", "A topic is one hashtag: letters, digits and _, without spaces."},
	"sub.error.frequency":           {"Kies hoe vaak u berichten wilt krijgen.", "Choose how often you want to get posts."},
	"sub.error.form":                {"Het formulier kon niet worden gelezen. Laad de pagina opnieuw en probeer het nog eens.", "The form could not be read. Reload the page and try again."},
	"sub.busy.title":                {"Te veel aanmeldingen", "Too many requests"},
	"sub.busy.body":                 {"Er zijn vanaf uw verbinding veel aanmeldingen gedaan. Probeer het over een kwartier opnieuw.", "Many subscriptions were made from your connection. Please try again in a quarter of an hour."},
	"sub.unavailable":               {"Deze installatie verstuurt geen e-mail.", "This installation sends no e-mail."},
	"sub.sent.title":                {"Kijk in uw mailbox", "Check your inbox"},
	"sub.sent.body":                 {"Als dit adres e-mail kan ontvangen, krijgt u binnen enkele minuten een e-mail van %s. Bevestig uw aanmelding met de link daarin. Geen e-mail gekregen? Kijk ook bij de ongewenste e-mail; u kunt het na een uur opnieuw proberen.", "If this address can receive e-mail, you will get an e-mail from %s within a few minutes. Confirm your subscription with the link in it. No e-mail? Also look in your junk mail; you can try again after an hour."},
	"sub.confirm.title":             {"Aanmelding bevestigen", "Confirm your subscription"},
	"sub.confirm.body":              {"Bevestig dat u de berichten van %s per e-mail wilt krijgen.", "Confirm that you want to get the posts by %s by e-mail."},
	"sub.confirm.button":            {"Ja, stuur mij de berichten", "Yes, send me the posts"},
	"sub.confirmed.title":           {"Uw aanmelding is bevestigd", "Your subscription is confirmed"},
	"sub.confirmed.body":            {"U krijgt de berichten van %s voortaan per e-mail. Onder elke e-mail staat een link om uw aanmelding te wijzigen of te beëindigen.", "From now on you get the posts by %s by e-mail. Every e-mail has a link at the bottom to change or end your subscription."},
	"sub.invalid.title":             {"Deze link werkt niet (meer)", "This link does not work (any more)"},
	"sub.invalid.body":              {"Een aanmelding die niet binnen 48 uur is bevestigd, wordt gewist. Meld u opnieuw aan op de pagina van de organisatie.", "A subscription not confirmed within 48 hours is erased. Please subscribe again on the organisation's page."},
	"sub.manage.title":              {"Uw aanmelding voor berichten van %s", "Your subscription to posts by %s"},
	"sub.manage.save":               {"Wijzigingen opslaan", "Save changes"},
	"sub.manage.saved":              {"Uw wijzigingen zijn opgeslagen.", "Your changes are saved."},
	"sub.manage.suspended":          {"We sturen u nu niets, omdat e-mail naar dit adres niet aankwam. Meld u opnieuw aan om weer berichten te krijgen.", "We are sending you nothing now, because e-mail to this address did not arrive. Subscribe again to get posts again."},
	"sub.unsubscribe.title":         {"Afmelden", "Unsubscribe"},
	"sub.unsubscribe.body":          {"Wilt u geen berichten van %s meer per e-mail krijgen?", "Do you no longer want to get the posts by %s by e-mail?"},
	"sub.unsubscribe.button":        {"Afmelden", "Unsubscribe"},
	"sub.unsubscribed.title":        {"U bent afgemeld", "You are unsubscribed"},
	"sub.unsubscribed.body":         {"U krijgt geen berichten meer per e-mail. Uw adres is gewist; we bewaren alleen een onherleidbare code ervan, zodat we u niet per ongeluk opnieuw aanmelden.", "You will get no more posts by e-mail. Your address is erased; we keep only a code made from it that cannot be turned back into it, so that we do not subscribe you again by mistake."},
	"sub.back":                      {"Naar de berichten van %s", "To the posts by %s"},
	"mail.confirm.subject":          {"Bevestig uw aanmelding voor berichten van %s", "Confirm your subscription to posts by %s"},
	"mail.confirm.body":             {"Iemand, hopelijk u, heeft dit adres aangemeld om de berichten van %s per e-mail te krijgen. Bevestig dat met deze link:", "Someone, hopefully you, asked to get the posts by %s by e-mail at this address. Confirm it with this link:"},
	"mail.confirm.ignore":           {"Hebt u dat niet gedaan? Dan hoeft u niets te doen: zonder bevestiging krijgt u niets en wissen we het adres binnen 48 uur.", "Did you not? Then you need not do anything: without confirmation you get nothing and we erase the address within 48 hours."},
	"mail.confirm.link":             {"Aanmelding bevestigen", "Confirm subscription"},
	"mail.already.subject":          {"U bent al aangemeld voor berichten van %s", "You are already subscribed to posts by %s"},
	"mail.already.body":             {"Er is gevraagd dit adres aan te melden voor de berichten van %s, maar het is al aangemeld. Er is niets veranderd. Uw aanmelding wijzigen of beëindigen kan met deze link:", "Someone asked to subscribe this address to the posts by %s, but it is subscribed already. Nothing has changed. You can change or end your subscription with this link:"},
	"mail.correction.subject":       {"Correctie: %s", "Correction: %s"},
	"mail.correction.intro":         {"Correctie: dit is de verbeterde tekst van een bericht dat u eerder van ons kreeg.", "Correction: this is the corrected text of a post we sent you earlier."},
	"mail.test.subject":             {"[Proef] %s", "[Test] %s"},
	"mail.test.intro":               {"Dit is een proef: zo ziet het bericht eruit in de e-mail van abonnees. Het is niet verstuurd aan abonnees.", "This is a test: this is how the post looks in subscribers' e-mail. It was not sent to subscribers."},
	"mail.daily.subject":            {"%s: berichten van %s", "%s: posts of %s"},
	"mail.weekly.subject":           {"%s: berichten van de week tot %s", "%s: posts of the week to %s"},
	"mail.digest.intro":             {"De berichten van %s sinds uw vorige overzicht:", "The posts by %s since your last digest:"},
	"mail.cw":                       {"Inhoudswaarschuwing", "Content warning"},
	"mail.image":                    {"Afbeelding", "Image"},
	"mail.read":                     {"Lees dit bericht op de website", "Read this post on the website"},
	"mail.why":                      {"U krijgt deze e-mail omdat u zich hebt aangemeld voor de berichten van %s.", "You get this e-mail because you subscribed to the posts by %s."},
	"mail.why.tag":                  {"U krijgt deze e-mail omdat u zich hebt aangemeld voor de berichten van %s over #%s.", "You get this e-mail because you subscribed to the posts by %s about #%s."},
	"mail.notracking":               {"Deze e-mail bevat geen volgpixels en geen omgeleide links.", "This e-mail carries no tracking pixels and no redirected links."},
	"mail.manage":                   {"Aanmelding wijzigen of beëindigen", "Change or end your subscription"},
	"insights.subscribers":          {"Abonnees per e-mail (aan het eind van de dag)", "E-mail subscribers (at the end of the day)"},
	"insights.subscribers_gained":   {"Nieuwe abonnees per e-mail", "New e-mail subscribers"},
	"insights.subscribers_lost":     {"Abonnees per e-mail vertrokken (afgemeld, klacht of onbestelbaar)", "E-mail subscribers lost (unsubscribed, complaint or undeliverable)"},
	"insights.mails_sent":           {"Berichten per e-mail bezorgd (openen en klikken worden niet gemeten)", "Posts delivered by e-mail (opening and clicking are not measured)"},
	"insights.mails":                {"Per e-mail", "By e-mail"},
	"staff.testmail":                {"Stuur mij een proef per e-mail", "Send me a test by e-mail"},
	"staff.testmail.sent":           {"Er is een proef gestuurd naar %s.", "A test was sent to %s."},
	"staff.mail":                    {"E-mail", "E-mail"},
	"staff.mail.sent":               {"Abonnees kregen dit bericht %d keer per e-mail (ook in overzichten). Openen en klikken wordt niet gemeten.", "Subscribers got this post %d times by e-mail (digests included). Opening and clicking are not measured."},
	"staff.mail.correction":         {"Stuur de verbeterde tekst opnieuw aan abonnees", "Send the corrected text to subscribers again"},
	"staff.mail.correction.explain": {"Voor een fout in een bericht dat al per e-mail is verstuurd: abonnees krijgen de huidige tekst, met „Correctie:” voor het onderwerp. Dat gebeurt één keer per versie van het bericht.", "For a mistake in a post sent by e-mail already: subscribers get the current text, with “Correction:” before the subject. It happens once per version of the post."},
	"staff.done.mailcorrection":     {"De verbeterde tekst gaat naar de abonnees.", "The corrected text is on its way to subscribers."},
}

// Date formats the day of t, already in the wanted zone, as a reader of
// lang expects: "4 mei 2026" or "4 May 2026".
func Date(lang string, t time.Time) string {
	i := 0
	if lang == "en" {
		i = 1
	}
	return fmt.Sprintf("%d %s %d", t.Day(), months[i][t.Month()-1], t.Year())
}

func init() {
	for k, v := range subscriptionMessages {
		messages[k] = v
	}
}
