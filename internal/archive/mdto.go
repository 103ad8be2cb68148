package archive

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"plein/internal/markup"
	"plein/internal/model"
)

// MDTONamespace is the namespace of MDTO (Metagegevens voor Duurzaam
// Toegankelijke Overheidsinformatie), the Nationaal Archief's metadata
// standard.
const MDTONamespace = "https://www.nationaalarchief.nl/mdto"

// The MDTO records, in the element order of the MDTO XML schema 1.0.

type mdtoDoc struct {
	XMLName          xml.Name          `xml:"MDTO"`
	Xmlns            string            `xml:"xmlns,attr"`
	Informatieobject *informatieobject `xml:"informatieobject,omitempty"`
	Bestand          *bestand          `xml:"bestand,omitempty"`
}

type identificatie struct {
	Kenmerk string `xml:"identificatieKenmerk"`
	Bron    string `xml:"identificatieBron"`
}

type verwijzing struct {
	Naam          string         `xml:"verwijzingNaam"`
	Identificatie *identificatie `xml:"verwijzingIdentificatie,omitempty"`
}

type begrip struct {
	Label          string     `xml:"begripLabel"`
	Code           string     `xml:"begripCode,omitempty"`
	Begrippenlijst verwijzing `xml:"begripBegrippenlijst"`
}

type raadpleeglocatie struct {
	Online []string `xml:"raadpleeglocatieOnline"`
}

type event struct {
	Type  begrip      `xml:"eventType"`
	Tijd  string      `xml:"eventTijd,omitempty"`
	Actor *verwijzing `xml:"eventVerantwoordelijkeActor,omitempty"`
}

type beperkingGebruik struct {
	Type               begrip `xml:"beperkingGebruikType"`
	NadereBeschrijving string `xml:"beperkingGebruikNadereBeschrijving,omitempty"`
}

type informatieobject struct {
	Identificatie      []identificatie    `xml:"identificatie"`
	Naam               string             `xml:"naam"`
	Aggregatieniveau   *begrip            `xml:"aggregatieniveau,omitempty"`
	Omschrijving       string             `xml:"omschrijving,omitempty"`
	Raadpleeglocatie   *raadpleeglocatie  `xml:"raadpleeglocatie,omitempty"`
	Taal               string             `xml:"taal,omitempty"`
	Event              []event            `xml:"event"`
	Waardering         begrip             `xml:"waardering"`
	IsOnderdeelVan     []verwijzing       `xml:"isOnderdeelVan"`
	HeeftRepresentatie []verwijzing       `xml:"heeftRepresentatie"`
	Archiefvormer      []verwijzing       `xml:"archiefvormer"`
	BeperkingGebruik   []beperkingGebruik `xml:"beperkingGebruik"`
}

type checksum struct {
	Algoritme begrip `xml:"checksumAlgoritme"`
	Waarde    string `xml:"checksumWaarde"`
	Datum     string `xml:"checksumDatum"`
}

type bestand struct {
	Identificatie      []identificatie `xml:"identificatie"`
	Naam               string          `xml:"naam"`
	Omvang             int64           `xml:"omvang"`
	Bestandsformaat    begrip          `xml:"bestandsformaat"`
	Checksum           []checksum      `xml:"checksum"`
	URLBestand         string          `xml:"URLBestand,omitempty"`
	IsRepresentatieVan verwijzing      `xml:"isRepresentatieVan"`
}

// The lists MDTO's concepts come from.
var (
	listAggregatie  = verwijzing{Naam: "Begrippenlijst Aggregatieniveau MDTO"}
	listWaardering  = verwijzing{Naam: "Begrippenlijst Waarderingen MDTO"}
	listEvents      = verwijzing{Naam: "Begrippenlijst Eventtypen MDTO"}
	listBeperkingen = verwijzing{Naam: "Begrippenlijst Beperkingen Openbaarheid Archiefwet"}
	listFormats     = verwijzing{Naam: "IANA Media Types"}
	listChecksums   = verwijzing{Naam: "Begrippenlijst Checksumalgoritmen MDTO"}
)

// permanent is the appraisal of online content for external
// communication in the selection lists: kept permanently.
var permanent = begrip{Label: "Blijvend te bewaren", Code: "B", Begrippenlijst: listWaardering}

func xmlTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (e *export) source() string { return "Plein " + e.a.baseURL }

func (e *export) creator() verwijzing {
	return verwijzing{Naam: e.org.DisplayName, Identificatie: &identificatie{Kenmerk: e.org.ID, Bron: e.source()}}
}

// orgRecordMDTO describes the organisation's posts as a whole: a series.
func (e *export) orgRecordMDTO() mdtoDoc {
	return mdtoDoc{Informatieobject: &informatieobject{
		Identificatie:    []identificatie{{Kenmerk: e.org.ID, Bron: e.source()}},
		Naam:             "Berichten van " + e.org.DisplayName,
		Aggregatieniveau: &begrip{Label: "Serie", Begrippenlijst: listAggregatie},
		Omschrijving:     markup.PlainText(e.org.Description),
		Raadpleeglocatie: &raadpleeglocatie{Online: []string{e.a.baseURL + "/@" + e.org.Handle}},
		Taal:             e.org.Language,
		Event:            []event{{Type: begrip{Label: "Aanmaak", Begrippenlijst: listEvents}, Tijd: xmlTime(e.org.CreatedAt)}},
		Waardering:       permanent,
		Archiefvormer:    []verwijzing{e.creator()},
		BeperkingGebruik: []beperkingGebruik{{Type: begrip{Label: "Openbaar", Begrippenlijst: listBeperkingen}}},
	}}
}

// postMDTO describes one post: an archival item (archiefstuk) with an
// event for its creation, each version, its publication and its deletion.
func (e *export) postMDTO(p *model.Post, revs []*model.Revision, ms map[string]*model.Media) mdtoDoc {
	io := &informatieobject{
		Identificatie:    []identificatie{{Kenmerk: p.ID, Bron: e.source()}, {Kenmerk: e.noteID(p.ID), Bron: "ActivityPub"}},
		Naam:             postTitle(p),
		Aggregatieniveau: &begrip{Label: "Archiefstuk", Begrippenlijst: listAggregatie},
		Omschrijving:     markup.PlainText(p.Text),
		Taal:             p.Language,
		Waardering:       permanent,
		IsOnderdeelVan:   []verwijzing{{Naam: "Berichten van " + e.org.DisplayName, Identificatie: &identificatie{Kenmerk: e.org.ID, Bron: e.source()}}},
		Archiefvormer:    []verwijzing{e.creator()},
	}
	if io.Omschrijving == "" {
		io.Omschrijving = p.ID
	}
	if p.State == model.StatePublished || p.State == model.StateDeleted && !p.PublishAt.IsZero() {
		io.Raadpleeglocatie = &raadpleeglocatie{Online: []string{e.a.baseURL + "/@" + e.org.Handle + "/" + p.ID}}
	}
	io.Event = append(io.Event, event{Type: begrip{Label: "Aanmaak", Begrippenlijst: listEvents}, Tijd: xmlTime(p.CreatedAt)})
	for _, r := range revs {
		if r.Number == 1 {
			continue
		}
		ev := event{Type: begrip{Label: "Wijziging", Begrippenlijst: listEvents}, Tijd: xmlTime(r.CreatedAt)}
		if r.Editor != "" {
			ev.Actor = &verwijzing{Naam: r.Editor}
		}
		io.Event = append(io.Event, ev)
	}
	if !p.PublishAt.IsZero() && p.State != model.StateDraft {
		label := "Publicatie"
		if p.State == model.StateScheduled {
			label = "Geplande publicatie"
		}
		io.Event = append(io.Event, event{Type: begrip{Label: label, Begrippenlijst: listEvents}, Tijd: xmlTime(p.PublishAt)})
	}
	if !p.DeletedAt.IsZero() {
		io.Event = append(io.Event, event{Type: begrip{Label: "Verwijdering van publicatie", Begrippenlijst: listEvents}, Tijd: xmlTime(p.DeletedAt)})
	}
	for _, at := range p.Attachments {
		if m := ms[at.MediaID]; m != nil {
			for _, v := range m.Variants {
				name := at.Alt
				if strings.TrimSpace(name) == "" {
					name = v.Key
				}
				io.HeeftRepresentatie = append(io.HeeftRepresentatie, verwijzing{Naam: name,
					Identificatie: &identificatie{Kenmerk: v.Key, Bron: e.source()}})
			}
		}
	}
	restriction := beperkingGebruik{Type: begrip{Label: "Openbaar", Begrippenlijst: listBeperkingen}}
	if p.State == model.StateDraft || p.State == model.StateScheduled {
		restriction = beperkingGebruik{Type: begrip{Label: "Niet openbaar gemaakt", Begrippenlijst: listBeperkingen},
			NadereBeschrijving: "Concept of ingepland bericht, nooit gepubliceerd."}
	}
	io.BeperkingGebruik = []beperkingGebruik{restriction}
	return mdtoDoc{Informatieobject: io}
}

// fileMDTO describes one stored file of a media item.
func (e *export) fileMDTO(m *model.Media, v model.MediaVariant, size int64, sha string) mdtoDoc {
	return mdtoDoc{Bestand: &bestand{
		Identificatie:   []identificatie{{Kenmerk: v.Key, Bron: e.source()}},
		Naam:            v.Key,
		Omvang:          size,
		Bestandsformaat: begrip{Label: v.ContentType, Begrippenlijst: listFormats},
		Checksum: []checksum{{Algoritme: begrip{Label: "SHA-256", Begrippenlijst: listChecksums}, Waarde: sha,
			Datum: xmlTime(e.m.ExportedAt)}},
		URLBestand:         e.mediaURL(v.Key),
		IsRepresentatieVan: verwijzing{Naam: "Afbeelding " + m.ID, Identificatie: &identificatie{Kenmerk: m.ID, Bron: e.source()}},
	}}
}

// mdto writes one MDTO record.
func (e *export) mdto(name string, doc mdtoDoc) error {
	doc.Xmlns = MDTONamespace
	w, err := e.z.create(name, true)
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return fmt.Errorf("archive: writing %s: %w", name, err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("archive: writing %s: %w", name, err)
	}
	return nil
}
