// Package i18n holds the Dutch and English text of Plein's interface and
// formats dates the way each language writes them.
package i18n

import (
	"fmt"
	"strings"
	"time"
)

// Languages are the interface languages, the default first.
var Languages = []string{"nl", "en"}

// Pick returns the interface language for a requested language code,
// falling back to fallback and then to Dutch.
func Pick(requested, fallback string) string {
	for _, c := range []string{requested, fallback} {
		base, _, _ := strings.Cut(strings.ToLower(c), "-")
		for _, l := range Languages {
			if base == l {
				return l
			}
		}
	}
	return Languages[0]
}

// T returns the text for key in lang, formatted with args; arguments that
// can be told in a language (a Message, a time.Time) are told in lang. A
// missing key returns the key itself, so that it shows up in review and
// tests.
func T(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m[0]
	if lang == "en" {
		s = m[1]
	}
	return format(lang, s, args)
}

// messages maps a key to its Dutch and English text.
var messages = map[string][2]string{
	"skip":                       {"Naar de inhoud", "Skip to content"},
	"site.tagline":               {"Berichten van overheden, zonder volgen of cookies", "Messages from public bodies, without tracking or cookies"},
	"directory.title":            {"Organisaties", "Organisations"},
	"directory.intro":            {"Lees de berichten van deze organisaties hier, in uw feedlezer of vanaf de Fediverse.", "Read these organisations' messages here, in your feed reader or from the Fediverse."},
	"directory.empty":            {"Er zijn nog geen organisaties.", "There are no organisations yet."},
	"org.posts":                  {"Berichten", "Posts"},
	"org.pinned":                 {"Vastgezet", "Pinned"},
	"org.noposts":                {"Nog geen berichten.", "No posts yet."},
	"tag.title":                  {"#%s – berichten van %s", "#%s – posts by %s"},
	"tag.none":                   {"Geen recente berichten met dit onderwerp.", "No recent posts on this topic."},
	"tag.all":                    {"Alle berichten van %s", "All posts by %s"},
	"org.older":                  {"Oudere berichten", "Older posts"},
	"org.newest":                 {"Nieuwste berichten", "Newest posts"},
	"org.follow":                 {"Volgen", "Follow"},
	"org.fediverse":              {"Volg vanaf Mastodon of een andere Fediverse-server: zoek daar naar", "Follow from Mastodon or another Fediverse server: search there for"},
	"unavailable.title":          {"Tijdelijk niet beschikbaar", "Temporarily unavailable"},
	"unavailable.body":           {"Deze pagina kan nu niet worden opgehaald. Probeer het over een paar seconden opnieuw.", "This page cannot be fetched right now. Please try again in a few seconds."},
	"org.feeds":                  {"Volg deze berichten in uw feedlezer: %s, %s of %s.", "Follow these posts in your feed reader: %s, %s or %s."},
	"org.links":                  {"Links", "Links"},
	"post.edited":                {"bewerkt", "edited"},
	"post.history":               {"Bewerkingsgeschiedenis", "Edit history"},
	"post.historyof":             {"Bewerkingsgeschiedenis van een bericht van %s", "Edit history of a post by %s"},
	"post.version":               {"Versie %d", "Version %d"},
	"post.published":             {"Gepubliceerd", "Published"},
	"post.cw":                    {"Inhoudswaarschuwing", "Content warning"},
	"post.showcw":                {"toon bericht", "show post"},
	"post.by":                    {"Bericht van %s", "Post by %s"},
	"post.back":                  {"Alle berichten van %s", "All posts by %s"},
	"post.permalink":             {"Vaste link", "Permanent link"},
	"post.gone":                  {"Dit bericht is verwijderd", "This post was removed"},
	"post.gonebody":              {"%s heeft dit bericht op %s verwijderd.", "%s removed this post on %s."},
	"notfound.title":             {"Niet gevonden", "Not found"},
	"notfound.body":              {"Deze pagina bestaat niet (meer).", "This page does not exist (any more)."},
	"error.title":                {"Er ging iets mis", "Something went wrong"},
	"error.body":                 {"Probeer het later nog eens.", "Please try again later."},
	"lang.switch":                {"Read in English", "Lees in het Nederlands"},
	"footer.privacy":             {"Deze site plaatst geen cookies, slaat niets op in uw browser en laadt niets van andere websites.", "This site sets no cookies, stores nothing in your browser and loads nothing from other websites."},
	"footer.privacylink":         {"Privacyverklaring", "Privacy statement"},
	"privacy.title":              {"Privacyverklaring van %s", "Privacy statement of %s"},
	"privacy.title.installation": {"Privacyverklaring", "Privacy statement"},
	"footer.chrono":              {"Berichten staan op volgorde van tijd, voor iedereen hetzelfde.", "Posts are in order of time, the same for everyone."},
	"nav.home":                   {"Alle organisaties", "All organisations"},
	"feed.atom":                  {"Atom", "Atom"},
	"feed.rss":                   {"RSS", "RSS"},
	"feed.json":                  {"JSON Feed", "JSON Feed"},
	"image.count":                {"%d afbeeldingen", "%d images"},
}

var months = [2][12]string{
	{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// DateTime formats t, already in the wanted zone, as a reader of lang
// expects: "23 november 2026 om 09:30" or "23 November 2026, 09:30".
func DateTime(lang string, t time.Time) string {
	if lang == "en" {
		return fmt.Sprintf("%d %s %d, %02d:%02d", t.Day(), months[1][t.Month()-1], t.Year(), t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%d %s %d om %02d:%02d", t.Day(), months[0][t.Month()-1], t.Year(), t.Hour(), t.Minute())
}
