package fbimport

import "testing"

func TestRepair(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"L\u00c3\u00b8ye", "Løye"},                          // Facebook's mojibake
		{"Caf\u00c3\u00a9 \u00e2\u0082\u00ac 5", "Café € 5"}, // three-byte euro sign
		{"\u00f0\u009f\u0098\u0080 feest", "😀 feest"},        // four bytes
		{"Løye", "Løye"},                                     // sound Latin-1 range: not valid as bytes
		{"café", "café"},                                     // sound
		{"Prijs: € 5", "Prijs: € 5"},                         // a character above U+00FF
		{"L\u00c3\u00b8ye en €", "L\u00c3\u00b8ye en €"},     // mixed: left alone
		{"gewoon ASCII", "gewoon ASCII"},                     // nothing to do
		{"", ""},                                             // empty
		{"\u00c3", "\u00c3"},                                 // a lone lead byte is not UTF-8
		{"na\u00efef", "na\u00efef"},                         // ï followed by e, f: not UTF-8
		{"\u00c3\u00a9\u00c3", "\u00c3\u00a9\u00c3"},         // cut short at the end
	} {
		if got := Repair(tc.in); got != tc.want {
			t.Errorf("Repair(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscapeMarkdown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"*Nieuw*: zie https://example.org/a_b_c", `\*Nieuw\*: zie https://example.org/a_b_c`},
		{"# Kop", `\# Kop`},
		{"#Almere vandaag", "#Almere vandaag"},
		{"1. eerst\n2. dan", "1\\. eerst\\\n2\\. dan"},
		{"- lijst", `\- lijst`},
		{"regel een\nregel twee\n\nalinea", "regel een\\\nregel twee\n\nalinea"},
		{"<script>", `\<script\>`},
	} {
		if got := escapeMarkdown(tc.in); got != tc.want {
			t.Errorf("escapeMarkdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
