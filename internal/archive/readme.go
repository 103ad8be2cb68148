package archive

// readmeText is README.txt, the first entry of every archive: what it
// holds and where, in Dutch and English.
const readmeText = `Archief van een organisatie op Plein / Archive of an organisation on Plein
==========================================================================

Nederlands
----------
Dit archief bevat alle berichten van één organisatie met al hun versies en
verwijderingen, de afbeeldingen zoals bewaard, de reacties met de besluiten
van de moderatie en de verklaringen van redenen, het logboek van wijzigingen
en de geschiedenis van het profiel.

  html/index.html       begin hier: de berichten, leesbaar zonder internet
  activitystreams/      elk object als Activity Streams 2.0 JSON
                        (actor.json, posts/ID.json: Note of Tombstone,
                        posts/ID/revision-N.json, reply-N.json,
                        decision-N.json, statement-ID.json, audit/ID.json,
                        profile-history.json)
  mdto/                 een MDTO-record (XML, https://www.nationaalarchief.nl/mdto)
                        per informatieobject: org.xml, posts/ID.xml en per
                        bestand media/KEY.xml
  media/                de afbeeldingen, per opgeslagen formaat
  data/                 Plein's eigen gegevens, voor plein archive import
  warc/                 (met --warc) WARC/1.1-bestanden (ISO 28500) met elke
                        openbare pagina, feed en afbeelding, verzoek en antwoord
  manifest.json         wat het archief bevat, met aantallen

English
-------
This archive holds every post of one organisation with all its versions and
deletions, the images as kept, the replies with moderation's decisions and
statements of reasons, the log of changes and the history of the profile.

  html/index.html       start here: the posts, readable without the internet
  activitystreams/      each object as Activity Streams 2.0 JSON
  mdto/                 an MDTO record (XML) per information object
  media/                the images, in each stored size
  data/                 Plein's own records, for plein archive import
  warc/                 (with --warc) WARC/1.1 files (ISO 28500) with every
                        public page, feed and image, request and response
  manifest.json         what the archive holds, with counts
`
