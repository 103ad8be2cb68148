package contact_test

import (
	"reflect"
	"strings"
	"testing"

	"plein/internal/contact"
	"plein/internal/model"
)

// TestNormalizeTopics checks the rules for the contact form's topics.
func TestNormalizeTopics(t *testing.T) {
	many := make([]string, 21)
	for i := range many {
		many[i] = "Onderwerp " + string(rune('A'+i))
	}
	for _, tc := range []struct {
		name string
		in   []string
		want []string
		bad  string // the start of the English refusal
	}{
		{"none", nil, nil, ""},
		{"blank lines only", []string{"", "  ", "\r"}, nil, ""},
		{"trimmed in order", []string{" Parkeren ", "", "Afval & grondstoffen\r"}, []string{"Parkeren", "Afval & grondstoffen"}, ""},
		{"sixty characters", []string{strings.Repeat("é", 60)}, []string{strings.Repeat("é", 60)}, ""},
		{"twenty", many[:20], many[:20], ""},
		{"sixty-one characters", []string{strings.Repeat("a", 61)}, nil, "a topic is 1 to 60 characters"},
		{"semicolon", []string{"Afval; vuil"}, nil, "a topic is 1 to 60 characters"},
		{"control character", []string{"Afval\tvuil"}, nil, "a topic is 1 to 60 characters"},
		{"invalid UTF-8", []string{"Afval\xff"}, nil, "a topic is 1 to 60 characters"},
		{"twenty-one", many, nil, "give at most 20 topics"},
		{"duplicate ignoring case", []string{"Parkeren", "PARKEREN"}, nil, "the topic ‘PARKEREN’ is there twice"},
		{"general", []string{"General"}, nil, "‘General’ cannot be a topic"},
		{"other", []string{"other"}, nil, "‘other’ cannot be a topic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := contact.NormalizeTopics(tc.in)
			if tc.bad == "" {
				if err != nil || !reflect.DeepEqual(got, tc.want) {
					t.Errorf("NormalizeTopics(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
				}
				return
			}
			fe, ok := model.AsFieldError(err)
			if !ok || fe.Field != contact.FieldTopics || !strings.HasPrefix(fe.In("en"), tc.bad) || fe.In("nl") == fe.In("en") {
				t.Errorf("NormalizeTopics(%q) = %q, %v; want the refusal %q", tc.in, got, err, tc.bad)
			}
		})
	}
}
