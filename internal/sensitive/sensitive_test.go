package sensitive_test

import (
	"slices"
	"testing"

	"plein/internal/sensitive"
)

// found is a finding told as its kind and the text it covers.
type found struct {
	kind sensitive.Kind
	text string
}

func scan(text string, mode sensitive.Mode) []found {
	var out []found
	for _, f := range sensitive.Scan(text, mode) {
		out = append(out, found{f.Kind, text[f.Start:f.End]})
	}
	return out
}

func TestScanFinds(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		mode sensitive.Mode
		want []found
	}{
		{"the issue's post", "BSN 111222333, IBAN NL91ABNA0417164300, paspoort NXC3R8P41", sensitive.Publication,
			[]found{{sensitive.BSN, "111222333"}, {sensitive.IBAN, "NL91ABNA0417164300"}, {sensitive.IDDocument, "NXC3R8P41"}}},
		{"bsn with colon", "Mijn BSN: 123456782.", sensitive.Publication, []found{{sensitive.BSN, "123456782"}}},
		{"burgerservicenummer", "Uw burgerservicenummer is 999999990", sensitive.Publication, []found{{sensitive.BSN, "999999990"}}},
		{"sofinummer", "sofinummer 123456782", sensitive.Publication, []found{{sensitive.BSN, "123456782"}}},
		{"sofi-nummer", "Sofi-nummer 123456782", sensitive.Publication, []found{{sensitive.BSN, "123456782"}}},
		{"context after", "123456782 (BSN)", sensitive.Publication, []found{{sensitive.BSN, "123456782"}}},
		{"context in capitals", "BURGERSERVICENUMMER 123456782", sensitive.Publication, []found{{sensitive.BSN, "123456782"}}},
		{"document notation", "BSN 1234.56.782", sensitive.Publication, []found{{sensitive.BSN, "1234.56.782"}}},
		{"bare in a message", "mijn nummer is 123456782 groet", sensitive.Message, []found{{sensitive.BSN, "123456782"}}},
		{"iban in groups", "rekening NL91 ABNA 0417 1643 00 graag", sensitive.Publication, []found{{sensitive.IBAN, "NL91 ABNA 0417 1643 00"}}},
		{"iban lower case", "nl91abna0417164300", sensitive.Message, []found{{sensitive.IBAN, "nl91abna0417164300"}}},
		{"iban other example", "NL02ABNA0123456789.", sensitive.Publication, []found{{sensitive.IBAN, "NL02ABNA0123456789"}}},
		{"iban germany", "DE89 3704 0044 0532 0130 00", sensitive.Publication, []found{{sensitive.IBAN, "DE89 3704 0044 0532 0130 00"}}},
		{"iban belgium", "BE68539007547034", sensitive.Publication, []found{{sensitive.IBAN, "BE68539007547034"}}},
		{"iban france", "FR14 2004 1010 0505 0001 3M02 606", sensitive.Publication, []found{{sensitive.IBAN, "FR14 2004 1010 0505 0001 3M02 606"}}},
		{"iban united kingdom", "GB29NWBK60161331926819", sensitive.Publication, []found{{sensitive.IBAN, "GB29NWBK60161331926819"}}},
		{"specimen passport", "documentnummer SPECI2014", sensitive.Publication, []found{{sensitive.IDDocument, "SPECI2014"}}},
		{"identity card in a message", "id-kaart nxc3r8p41", sensitive.Message, []found{{sensitive.IDDocument, "nxc3r8p41"}}},
		{"zero is a digit", "IR0C01230", sensitive.Publication, []found{{sensitive.IDDocument, "IR0C01230"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := scan(tc.text, tc.mode); !slices.Equal(got, tc.want) {
				t.Errorf("Scan(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

func TestScanRefuses(t *testing.T) {
	for _, text := range []string{
		"BSN 123456789",             // fails the elfproef
		"BSN 000000000",             // sums to zero
		"BSN 12345678",              // eight digits
		"BSN 1234567820",            // ten digits
		"BSN 123.456.782",           // an amount's grouping, not a BSN's
		"BSN 1234.567.82",           // neither
		"IBAN NL91ABNA0417164301",   // wrong check digits
		"IBAN NL91ABNA041716430",    // too short for NL
		"IBAN NL91ABNA04171643000",  // too long for NL
		"IBAN XX91ABNA0417164300",   // no such country
		"IBAN NL91 ABN A0417164300", // a space inside a group
		"paspoort NXO3R8P41",        // the letter O is never used
		"paspoort N1C3R8P41",        // a digit in position 2
		"paspoort NXC3R8P4A",        // a letter in position 9
		"paspoort NXC3R8P4",         // eight characters
		"paspoort NXC3R8P412",       // ten characters
		"paspoort ZK2024001",        // no letter in positions 3-8: a case number
		"paspoort NxC3r8P41",        // mixed case
		"paspoort nxc3r8p41",        // lower case in published text
	} {
		for _, mode := range []sensitive.Mode{sensitive.Publication} {
			if got := scan(text, mode); len(got) != 0 {
				t.Errorf("Scan(%q) = %v, want nothing", text, got)
			}
		}
	}
}

// ordinary is text that names numbers of every other kind; 612345671,
// 202412428, 561282985 and 314114580 pass the elfproef, so only their
// surroundings keep them from counting.
var ordinary = []string{
	"De raad vergadert op 15-03-2024 om 19.30 uur, en op 2024-04-12 en 12 april 2024. Stukken van 20240315.",
	"Postcode 1234 AB of 1234AB, Dorpsstraat 12a, 9999 ZZ Demodorp.",
	"Bel 14 0123, 010-1234567, 06-12345678, 0612345678, +31 6 12345678, +31 (0)10 123 4567, +31 612345671, +31612345671 of 0031 612345671.",
	"Het budget is € 1.234.567,89; de subsidie € 202412428 of EUR 561282985, en 123.456.789 euro.",
	"Zaaknummer Z-2024-001234, zaak ZK2024001, kenmerk 2024-0012345, dossier 2024/314114580, ons kenmerk DMD/2024/12345.",
	"KvK 12345678, btw NL123456789B01, kenteken AB-123-C, vergunning OLO-1234567.",
	"Kijk op https://www.demodorp.example/docs/NXC3R8P41 en #WINTER2024, of mail info@demodorp.example.",
	"Stuur nooit uw burgerservicenummer of een foto van uw identiteitsbewijs via sociale media.",
	"JANUARI OF FEBRUARI 2024: COVID19 en BSN-nummers horen hier niet.",
	"Versie 1.2.3, ISBN 978-90-12345-67-8, artikel 3:40 BW.",
}

func TestOrdinaryTextHasNoFindings(t *testing.T) {
	for _, text := range ordinary {
		for _, mode := range []sensitive.Mode{sensitive.Publication, sensitive.Message} {
			if got := scan(text, mode); len(got) != 0 {
				t.Errorf("mode %d: Scan(%q) = %v, want nothing", mode, text, got)
			}
		}
	}
}

// TestModes shows the one difference between the modes: a bare nine-digit
// number that passes the elfproef (a reference number, perhaps) counts in a
// message but not in published text without a context word near it.
func TestModes(t *testing.T) {
	for _, text := range []string{"bestelnummer 471241374", "Ons kenmerk: 123456770."} {
		if got := scan(text, sensitive.Publication); len(got) != 0 {
			t.Errorf("Publication: Scan(%q) = %v, want nothing", text, got)
		}
		if got := scan(text, sensitive.Message); len(got) != 1 || got[0].kind != sensitive.BSN {
			t.Errorf("Message: Scan(%q) = %v, want one BSN", text, got)
		}
	}
	far := "BSN? Daar gaat dit bericht niet over, wel over zaak 471241374."
	if got := scan(far, sensitive.Publication); len(got) != 0 {
		t.Errorf("a context word far away counts: %v", got)
	}
	otherLine := "Uw BSN\n471241374"
	if got := scan(otherLine, sensitive.Publication); len(got) != 0 {
		t.Errorf("a context word on another line counts: %v", got)
	}
}

func TestMask(t *testing.T) {
	text := "BSN 111222333, IBAN NL91 ABNA 0417 1643 00."
	f := sensitive.Scan(text, sensitive.Publication)
	want := "BSN •••••••••, IBAN •••• •••• •••• •••• ••."
	if got := sensitive.Mask(text, f); got != want {
		t.Errorf("Mask = %q, want %q", got, want)
	}
	if got := sensitive.Kinds(append(f, f...)); !slices.Equal(got, []sensitive.Kind{sensitive.BSN, sensitive.IBAN}) {
		t.Errorf("Kinds = %v", got)
	}
	if sensitive.Mask("niets", nil) != "niets" {
		t.Error("Mask changes text without findings")
	}
}

func TestElfproef(t *testing.T) {
	for _, tc := range []struct {
		digits [9]byte
		want   bool
	}{
		{[9]byte{1, 1, 1, 2, 2, 2, 3, 3, 3}, true},
		{[9]byte{1, 2, 3, 4, 5, 6, 7, 8, 2}, true},
		{[9]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, false},
		{[9]byte{}, false},
	} {
		if got := sensitive.Elfproef(tc.digits); got != tc.want {
			t.Errorf("Elfproef(%v) = %v", tc.digits, got)
		}
	}
}

func FuzzScan(f *testing.F) {
	f.Add("BSN 111222333, IBAN NL91 ABNA 0417 1643 00, NXC3R8P41")
	f.Fuzz(func(t *testing.T, text string) {
		for _, mode := range []sensitive.Mode{sensitive.Publication, sensitive.Message} {
			last := 0
			for _, x := range sensitive.Scan(text, mode) {
				if x.Start < last || x.End <= x.Start || x.End > len(text) {
					t.Fatalf("bad finding %+v in %q", x, text)
				}
				last = x.End
			}
			_ = sensitive.Mask(text, sensitive.Scan(text, mode))
		}
	})
}
