package archive_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"plein/internal/archive"
)

// The MDTO XML schema (version 1.0.x of the Nationaal Archief) cannot be
// fetched here and no copy under a licence that allows keeping it in this
// repository was found, so these tests check the records against its
// structure written out below: for each complex type the elements of its
// sequence in order, with their types and how often they may occur.

type particle struct {
	name     string
	typ      string
	min, max int // max -1: unbounded
}

const unbounded = -1

var mdtoTypes = map[string][]particle{
	"mdtoType": nil, // a choice: informatieobject or bestand, see validateMDTO
	"informatieobjectType": {
		{"identificatie", "identificatieGegevens", 1, unbounded},
		{"naam", "NietLegeWaarde", 1, 1},
		{"aggregatieniveau", "begripGegevens", 0, 1},
		{"classificatie", "begripGegevens", 0, unbounded},
		{"trefwoord", "string", 0, unbounded},
		{"omschrijving", "string", 0, unbounded},
		{"raadpleeglocatie", "raadpleeglocatieGegevens", 0, 1},
		{"dekkingInTijd", "dekkingInTijdGegevens", 0, unbounded},
		{"dekkingInRuimte", "verwijzingGegevens", 0, unbounded},
		{"taal", "language", 0, unbounded},
		{"event", "eventGegevens", 0, unbounded},
		{"waardering", "begripGegevens", 1, 1},
		{"bewaartermijn", "termijnGegevens", 0, 1},
		{"informatiecategorie", "begripGegevens", 0, 1},
		{"isOnderdeelVan", "verwijzingGegevens", 0, unbounded},
		{"bevatOnderdeel", "verwijzingGegevens", 0, unbounded},
		{"heeftRepresentatie", "verwijzingGegevens", 0, unbounded},
		{"aanvullendeMetagegevens", "verwijzingGegevens", 0, unbounded},
		{"gerelateerdInformatieobject", "gerelateerdInformatieobjectGegevens", 0, unbounded},
		{"archiefvormer", "verwijzingGegevens", 1, unbounded},
		{"betrokkene", "betrokkeneGegevens", 0, unbounded},
		{"activiteit", "verwijzingGegevens", 0, 1},
		{"beperkingGebruik", "beperkingGebruikGegevens", 1, unbounded},
	},
	"bestandType": {
		{"identificatie", "identificatieGegevens", 1, unbounded},
		{"naam", "NietLegeWaarde", 1, 1},
		{"omvang", "nonNegativeInteger", 1, 1},
		{"bestandsformaat", "begripGegevens", 1, 1},
		{"checksum", "checksumGegevens", 1, unbounded},
		{"URLBestand", "anyURI", 0, 1},
		{"isRepresentatieVan", "verwijzingGegevens", 1, 1},
	},
	"identificatieGegevens": {
		{"identificatieKenmerk", "NietLegeWaarde", 1, 1},
		{"identificatieBron", "NietLegeWaarde", 1, 1},
	},
	"verwijzingGegevens": {
		{"verwijzingNaam", "NietLegeWaarde", 1, 1},
		{"verwijzingIdentificatie", "identificatieGegevens", 0, 1},
	},
	"begripGegevens": {
		{"begripLabel", "NietLegeWaarde", 1, 1},
		{"begripCode", "string", 0, 1},
		{"begripBegrippenlijst", "verwijzingGegevens", 1, 1},
	},
	"eventGegevens": {
		{"eventType", "begripGegevens", 1, 1},
		{"eventTijd", "dateOrDateTime", 0, 1},
		{"eventVerantwoordelijkeActor", "verwijzingGegevens", 0, 1},
		{"eventResultaat", "string", 0, 1},
	},
	"beperkingGebruikGegevens": {
		{"beperkingGebruikType", "begripGegevens", 1, 1},
		{"beperkingGebruikNadereBeschrijving", "string", 0, 1},
		{"beperkingGebruikDocumentatie", "verwijzingGegevens", 0, unbounded},
		{"beperkingGebruikTermijn", "termijnGegevens", 0, 1},
	},
	"checksumGegevens": {
		{"checksumAlgoritme", "begripGegevens", 1, 1},
		{"checksumWaarde", "NietLegeWaarde", 1, 1},
		{"checksumDatum", "dateTime", 1, 1},
	},
	// raadpleeglocatieGegevens is a repeated choice; see checkNode.
	"raadpleeglocatieGegevens": nil,
}

// node is an element of a parsed record.
type node struct {
	name, space, text string
	children          []*node
}

func parseXML(r io.Reader) (*node, error) {
	dec := xml.NewDecoder(r)
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, space: tok.Name.Space}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// validateMDTO checks one MDTO record and returns the kind of object it
// describes.
func validateMDTO(r io.Reader) (string, error) {
	root, err := parseXML(r)
	if err != nil {
		return "", err
	}
	if root.name != "MDTO" || root.space != archive.MDTONamespace {
		return "", fmt.Errorf("root element {%s}%s, want {%s}MDTO", root.space, root.name, archive.MDTONamespace)
	}
	if len(root.children) != 1 {
		return "", fmt.Errorf("MDTO has %d children, want one informatieobject or bestand", len(root.children))
	}
	c := root.children[0]
	switch c.name {
	case "informatieobject":
		return c.name, checkNode(c, "informatieobjectType", "MDTO/informatieobject")
	case "bestand":
		return c.name, checkNode(c, "bestandType", "MDTO/bestand")
	}
	return "", fmt.Errorf("MDTO holds %s", c.name)
}

func checkNode(n *node, typ, where string) error {
	for _, c := range n.children {
		if c.space != archive.MDTONamespace {
			return fmt.Errorf("%s/%s is not in the MDTO namespace", where, c.name)
		}
	}
	if typ == "raadpleeglocatieGegevens" {
		for _, c := range n.children {
			switch c.name {
			case "raadpleeglocatieOnline":
				if err := checkSimple(c, "anyURI", where+"/"+c.name); err != nil {
					return err
				}
			case "raadpleeglocatieFysiek":
				if err := checkNode(c, "verwijzingGegevens", where+"/"+c.name); err != nil {
					return err
				}
			default:
				return fmt.Errorf("%s: unexpected %s", where, c.name)
			}
		}
		return nil
	}
	seq, complex := mdtoTypes[typ]
	if !complex {
		return checkSimple(n, typ, where)
	}
	i := 0
	for _, p := range seq {
		count := 0
		for i < len(n.children) && n.children[i].name == p.name {
			if err := checkNode(n.children[i], p.typ, where+"/"+p.name); err != nil {
				return err
			}
			count++
			i++
		}
		if count < p.min {
			return fmt.Errorf("%s: %s occurs %d times, at least %d required", where, p.name, count, p.min)
		}
		if p.max != unbounded && count > p.max {
			return fmt.Errorf("%s: %s occurs %d times, at most %d allowed", where, p.name, count, p.max)
		}
	}
	if i < len(n.children) {
		return fmt.Errorf("%s: %s is not allowed here (out of order or unknown)", where, n.children[i].name)
	}
	return nil
}

var (
	nonEmpty = regexp.MustCompile(`\S`)
	language = regexp.MustCompile(`^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`)
	gYear    = regexp.MustCompile(`^\d{4}$`)
	gYM      = regexp.MustCompile(`^\d{4}-\d{2}$`)
)

func checkSimple(n *node, typ, where string) error {
	if len(n.children) > 0 {
		return fmt.Errorf("%s: a %s has no elements", where, typ)
	}
	v := n.text
	ok := true
	switch typ {
	case "string":
	case "NietLegeWaarde":
		ok = nonEmpty.MatchString(v)
	case "language":
		ok = language.MatchString(v)
	case "nonNegativeInteger":
		_, err := strconv.ParseUint(v, 10, 64)
		ok = err == nil
	case "anyURI":
		ok = !strings.ContainsAny(v, " \t\n")
	case "dateTime":
		_, err := time.Parse(time.RFC3339, v)
		ok = err == nil
	case "dateOrDateTime":
		_, err1 := time.Parse(time.RFC3339, v)
		_, err2 := time.Parse(time.DateOnly, v)
		ok = err1 == nil || err2 == nil || gYear.MatchString(v) || gYM.MatchString(v)
	default:
		return fmt.Errorf("%s: unknown type %s", where, typ)
	}
	if !ok {
		return fmt.Errorf("%s: %q is not a valid %s", where, v, typ)
	}
	return nil
}
