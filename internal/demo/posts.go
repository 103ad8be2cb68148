package demo

// demoPosts are the demo's posts, oldest first: what a Dutch municipality
// publishes in a month, mostly in Dutch and a few in English for expats and
// status holders.
var demoPosts = []demoPost{
	{
		daysAgo: 29, clock: "10:00", pinned: true,
		text: `**Gemeente Demodorp publiceert nu ook hier**

Vanaf vandaag vindt u al ons nieuws op deze pagina: afvalinzameling, wegwerkzaamheden, besluiten van de gemeenteraad en berichten bij calamiteiten.

- U hoeft geen account te hebben om mee te lezen.
- We houden niet bij wie deze pagina bezoekt: geen cookies, geen advertenties, geen profielen.
- Volgen kan via RSS, Atom of JSON Feed, of vanaf Mastodon en andere servers in de Fediverse.

Een vraag aan de gemeente? Kijk op [demodorp.example/contact](https://www.demodorp.example/contact). Stuur nooit uw burgerservicenummer of een foto van uw identiteitsbewijs via sociale media.`,
	},
	{
		daysAgo: 27, clock: "09:00",
		text: `**Nieuwe ophaaldagen voor afval vanaf volgende maand**

Vanaf de eerste van volgende maand halen we het afval op andere dagen op. De containers gaan op deze dagen mee:

- **Gft** (groen): elke dinsdag in Molenwijk en Centrum, elke woensdag in Polderhoek
- **Papier** (blauw): de eerste vrijdag van de maand
- **Plastic, metalen en drankkartons** (oranje): om de week op donderdag

Zet uw container vóór 7.30 uur aan de straat. De nieuwe afvalkalender staat op [demodorp.example/afval](https://www.demodorp.example/afval) en in de app van de afvaldienst.`,
		image: bins,
	},
	{
		daysAgo: 25, clock: "14:30",
		text: `**Dorpsstraat drie weken afgesloten**

Vanaf maandag vervangen wij het riool en de bestrating in de Dorpsstraat tussen de Kerkbrink en de Molenweg. De straat is drie weken afgesloten voor al het verkeer.

Fietsers en automobilisten volgen de omleiding via de Molenweg en de Dijkweg. Voetgangers kunnen de winkels blijven bereiken. Bus 12 rijdt om en stopt niet bij de halte Dorpsstraat.

Meer over de werkzaamheden: [demodorp.example/dorpsstraat](https://www.demodorp.example/dorpsstraat).`,
		image: roadMap,
	},
	{
		daysAgo: 24, clock: "11:00", lang: "en",
		text: `**Road works: Dorpsstraat closed for three weeks**

From Monday we are replacing the sewer and the paving in the Dorpsstraat between the Kerkbrink and the Molenweg. The street is closed to all traffic for three weeks.

Cyclists and drivers follow the diversion via the Molenweg and the Dijkweg. Shops stay open and can be reached on foot. Bus 12 is diverted and does not stop at Dorpsstraat.`,
	},
	{
		daysAgo: 22, clock: "16:00",
		text: `**Gemeenteraad vergadert donderdag 19.30 uur**

Op de agenda van de raadsvergadering staan onder meer:

1. het plan voor de nieuwe brede school in Polderhoek;
2. de subsidieregeling voor het verduurzamen van woningen;
3. de voorjaarsnota.

U bent welkom op de publieke tribune in het gemeentehuis. De vergadering is ook live te volgen. Agenda en stukken: [demodorp.example/raad](https://www.demodorp.example/raad).`,
	},
	{
		daysAgo: 20, clock: "08:30",
		text: `**Nieuwe openingstijden bibliotheek**

Vanaf volgende week is de bibliotheek aan het Marktplein langer open:

- maandag tot en met vrijdag van 10.00 tot 20.00 uur
- zaterdag van 10.00 tot 16.00 uur

De inleverbus naast de ingang is altijd open. Boeken lenen kan ook digitaal via [onlinebibliotheek.nl](https://www.onlinebibliotheek.nl).`,
	},
	{
		daysAgo: 18, clock: "12:00",
		text: `**Vacature: beleidsmedewerker klimaatadaptatie (32-36 uur)**

Hoosbuien, hitte en droogte: ook Demodorp krijgt ermee te maken. Wil jij meewerken aan een gemeente die daar klaar voor is? We zoeken een beleidsmedewerker die wijken samen met bewoners groener en waterbestendiger maakt.

Reageer binnen vier weken. Lees de hele vacature op [demodorp.example/werken](https://www.demodorp.example/werken).`,
	},
	{
		daysAgo: 16, clock: "07:45", summary: "Stormwaarschuwing: code oranje",
		text: `Het KNMI heeft voor vanmiddag en vanavond **code oranje** afgegeven voor zware windstoten tot 110 km/u.

- Zet tuinmeubels, trampolines en afvalcontainers vast of binnen.
- Blijf zo veel mogelijk binnen en vermijd bossen en parken.
- Fiets niet met een aanhanger en houd rekening met omgewaaide bomen.

Is er direct gevaar? Bel 112. Een omgevallen boom op de weg meldt u bij de gemeente via 14 0123. Actuele waarschuwingen: [knmi.nl](https://www.knmi.nl).`,
	},
	{
		daysAgo: 15, clock: "13:00",
		text: `**Na de storm: meldingen en opruimwerk**

Onze buitendienst heeft sinds gisteravond meer dan veertig omgewaaide bomen en takken opgeruimd. Alle wegen zijn weer open. In het Molenpark ruimen we de komende dagen nog op; blijf daar van de afgezette paden af.

Schade aan uw huis of auto? Neem contact op met uw verzekeraar. Schade aan gemeentelijk eigendom meldt u via [demodorp.example/melding](https://www.demodorp.example/melding).`,
	},
	{
		daysAgo: 13, clock: "10:00",
		text: `**Verkiezingen: uw stempas is onderweg**

Deze week ontvangt u uw stempas. Neem op de verkiezingsdag uw stempas én een geldig identiteitsbewijs mee; dat mag tot vijf jaar verlopen zijn.

- De stemlokalen zijn open van 7.30 tot 21.00 uur.
- U kunt in elk stemlokaal in Demodorp stemmen.
- Kunt u zelf niet gaan? Machtig iemand anders op de achterkant van uw stempas.

Alle stemlokalen en hun toegankelijkheid vindt u op [waarismijnstemlokaal.nl](https://waarismijnstemlokaal.nl).`,
	},
	{
		daysAgo: 12, clock: "10:30", lang: "en",
		text: `**Elections: can you vote in Demodorp?**

In municipal elections you can vote if you are 18 or older and live in Demodorp, and you are:

- a citizen of an EU country, or
- a citizen of another country who has lived in the Netherlands legally for at least five years.

Your voting pass comes by post. Bring it and a valid ID to any polling station in Demodorp. More in English at [elections.nl](https://www.elections.nl).`,
	},
	{
		daysAgo: 10, clock: "09:00",
		text: `**Hitteplan van kracht: let op elkaar**

De komende dagen wordt het boven de 30 graden. Het hitteplan is van kracht.

- Drink genoeg water, ook als u geen dorst hebt.
- Blijf tussen 12.00 en 16.00 uur zo veel mogelijk uit de zon.
- Bel of bezoek oudere buren en kwetsbare familieleden.

De bibliotheek en het gemeentehuis zijn koele plekken waar iedereen binnen mag lopen. Gratis water tappen kan bij de watertappunten op het Marktplein en bij het station.`,
		image: heat,
	},
	{
		daysAgo: 9, clock: "15:00", lang: "en",
		text: `**Heat plan in force**

Temperatures will be above 30 °C in the coming days.

- Drink plenty of water, even if you are not thirsty.
- Stay out of the sun between 12:00 and 16:00.
- Check on elderly neighbours and people who live alone.

The library and the town hall are cool places open to everyone. Free drinking water is available at the Marktplein and at the station.`,
	},
	{
		daysAgo: 7, clock: "08:00",
		text: `**Hoogwater in de rivier: dijk is veilig**

Door de regenval in Duitsland en België staat het water in de rivier hoog. Bij de Demodorpse brug meten we 6,20 meter boven NAP. De dijken zijn sterk genoeg; het waterschap controleert ze dagelijks.

De uiterwaarden en het fietspad langs de rivier zijn afgesloten. Blijf van de dijk af met auto's en laat de kijkers het werk niet hinderen. Actuele waterstanden: [rijkswaterstaat.nl](https://www.rijkswaterstaat.nl/water/waterdata-en-waterberichtgeving).`,
		edit: `**Hoogwater in de rivier: dijk is veilig**

Door de regenval in Duitsland en België staat het water in de rivier hoog. Bij de Demodorpse brug meten we 6,20 meter boven NAP. De dijken zijn sterk genoeg; het waterschap controleert ze dagelijks.

**Update 11.00 uur:** het water stijgt minder snel dan verwacht. De hoogste stand, rond 6,35 meter, verwachten we morgenochtend.

De uiterwaarden en het fietspad langs de rivier zijn afgesloten. Blijf van de dijk af met auto's en laat de kijkers het werk niet hinderen. Actuele waterstanden: [rijkswaterstaat.nl](https://www.rijkswaterstaat.nl/water/waterdata-en-waterberichtgeving).`,
		image: dyke,
	},
	{
		daysAgo: 6, clock: "17:00",
		text: `**Grof vuil ophalen: maak een afspraak**

Een oude bank, een matras of een kast? We halen grof vuil gratis bij u op, tot vier keer per jaar. Maak een afspraak via [demodorp.example/grofvuil](https://www.demodorp.example/grofvuil) of bel 14 0123.

Zet het grof vuil op de afgesproken dag vóór 7.30 uur aan de straat. Elektrische apparaten en chemisch afval horen er niet bij; die kunt u kwijt bij de milieustraat aan de Industrieweg.`,
	},
	{
		daysAgo: 5, clock: "11:00",
		text: `**Nieuwe speeltuin in Molenwijk open**

De vernieuwde speeltuin aan de Wiekenlaan is open. Kinderen uit de wijk hebben zelf meegedacht: er is nu een waterspeelplaats, een klimrek voor oudere kinderen en een rolstoelschommel.

Dank aan alle buurtbewoners die meedachten! Heeft u ideeën voor een andere speelplek in uw buurt? Mail naar buitenruimte@demodorp.example.`,
	},
	{
		daysAgo: 4, clock: "09:30", lang: "en",
		text: `**New in Demodorp? Practise your Dutch at the library**

Every Tuesday and Thursday from 14:00 to 16:00 the Taalhuis in the library runs a language café. Volunteers help you practise Dutch in everyday situations: at the doctor's, at school, at work. It is free and you do not need to sign up.

Status holders can also ask there for help with letters from the municipality and with the civic integration exam.`,
	},
	{
		daysAgo: 3, clock: "14:00",
		text: `**Subsidie voor isolatie: aanvragen kan weer**

Woont u in een huis van vóór 1992? Dan kunt u vanaf maandag weer subsidie aanvragen voor isolatie van dak, vloer, gevel of ramen. De gemeente vergoedt tot 30 procent van de kosten, met een maximum van 4.000 euro.

Het energieloket in het gemeentehuis helpt u gratis met advies en offertes vergelijken. Voorwaarden en aanvragen: [demodorp.example/isoleren](https://www.demodorp.example/isoleren).`,
	},
	{
		daysAgo: 2, clock: "10:00",
		text: `**Waterstand daalt, uiterwaarden weer open**

Het water in de rivier zakt. Bij de Demodorpse brug staat het nu op 4,80 meter boven NAP. Het waterschap heeft de dijken nagekeken: er is geen schade.

Het fietspad langs de rivier is vanaf vandaag weer open. In de uiterwaarden kan nog drijfhout liggen; houd uw hond aan de lijn. Dank aan iedereen die de afgelopen week rekening hield met de afsluitingen.`,
	},
	{
		daysAgo: 1, clock: "09:00",
		text: `**Gemeentehuis donderdagmiddag gesloten**

Door onderhoud aan onze computersystemen is het gemeentehuis donderdag vanaf 12.00 uur gesloten. Afspraken voor paspoorten en rijbewijzen die middag verzetten we; u krijgt daarover persoonlijk bericht.

Bij een overlijden kunt u ons die middag bellen via 14 0123.`,
	},
	{
		daysAgo: 0, clock: "08:00",
		text: `**Gft-route vandaag vertraagd**

Door een defecte vuilniswagen loopt de gft-inzameling in Polderhoek vandaag vertraging op. Laat uw groene container gewoon aan de straat staan: we legen hem vandaag nog, uiterlijk om 20.00 uur.`,
	},
}
