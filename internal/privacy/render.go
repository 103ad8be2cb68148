package privacy

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"
)

// labels are the headings and field names of a rendering.
type labels struct {
	Title, Controller, Installation, Generated, Website, Contact string
	Activities, Category, Status, NotInUse, Subjects, Data       string
	Purpose, Basis, Retention, Protection                        string
	Recipients, NoOtherRecipients, Rights, RightsHow, NoTracking string
}

var labelsByLang = map[string]labels{
	"nl": {
		Title:             "Verwerkingsregister",
		Controller:        "Verwerkingsverantwoordelijke",
		Installation:      "Installatie",
		Generated:         "Gegenereerd uit de actieve configuratie op",
		Website:           "Website",
		Contact:           "Contact",
		Activities:        "Verwerkingen",
		Category:          "Categorie",
		Status:            "Status",
		NotInUse:          "Niet in gebruik.",
		Subjects:          "Betrokkenen",
		Data:              "Gegevens",
		Purpose:           "Doel",
		Basis:             "Grondslag",
		Retention:         "Bewaartermijn",
		Protection:        "Bescherming",
		Recipients:        "Ontvangers",
		NoOtherRecipients: "Er zijn geen andere ontvangers.",
		Rights:            "Uw rechten",
		RightsHow:         "Om een recht uit te oefenen, gebruikt u het contactadres bij de verwerkingsverantwoordelijke hierboven.",
		NoTracking:        "Geen tracking",
	},
	"en": {
		Title:             "Processing register",
		Controller:        "Controller",
		Installation:      "Installation",
		Generated:         "Generated from the running configuration on",
		Website:           "Website",
		Contact:           "Contact",
		Activities:        "Processing activities",
		Category:          "Category",
		Status:            "Status",
		NotInUse:          "Not in use.",
		Subjects:          "Data subjects",
		Data:              "Data",
		Purpose:           "Purpose",
		Basis:             "Legal basis",
		Retention:         "Retention",
		Protection:        "Safeguards",
		Recipients:        "Recipients",
		NoOtherRecipients: "There are no other recipients.",
		Rights:            "Your rights",
		RightsHow:         "To exercise a right, use the contact address given with the controller above.",
		NoTracking:        "No tracking",
	},
}

// timeLayout writes GeneratedAt the same way in both languages.
const timeLayout = "2006-01-02 15:04 UTC"

func (r Register) labels() labels {
	return labelsByLang[normLang(r.Lang)]
}

// Markdown renders the register as CommonMark: a title, a section per part
// and a subsection per activity. Every text from the register is escaped,
// so no value can add markup.
func (r Register) Markdown() string {
	l := r.labels()
	var b strings.Builder
	title := l.Title
	if r.Scope == ScopeOrganisation {
		title += ": " + r.Controller
	} else if r.Installation != "" {
		title += ": " + r.Installation
	}
	fmt.Fprintf(&b, "# %s\n\n", md(title))
	if r.Installation != "" {
		fmt.Fprintf(&b, "- **%s:** %s\n", md(l.Installation), md(r.Installation))
	}
	fmt.Fprintf(&b, "- %s %s\n\n", md(l.Generated), md(r.GeneratedAt.Format(timeLayout)))

	fmt.Fprintf(&b, "## %s\n\n", md(l.Controller))
	if r.Scope != ScopeOrganisation {
		fmt.Fprintf(&b, "%s\n\n", md(r.Contact))
	}
	for _, c := range r.Organisations {
		fmt.Fprintf(&b, "- **%s**\n", md(c.Name))
		if c.URL != "" {
			fmt.Fprintf(&b, "  - %s: %s\n", md(l.Website), md(c.URL))
		}
		fmt.Fprintf(&b, "  - %s: %s\n", md(l.Contact), md(c.Contact))
	}
	if len(r.Organisations) > 0 {
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## %s\n\n", md(l.Activities))
	for _, a := range r.Activities {
		fmt.Fprintf(&b, "### %s\n\n", md(a.Name))
		fmt.Fprintf(&b, "- **%s:** %s\n", md(l.Category), mdCode(a.Category))
		if !a.Enabled {
			fmt.Fprintf(&b, "- **%s:** %s\n", md(l.Status), md(l.NotInUse))
		}
		for _, f := range a.fields(l) {
			fmt.Fprintf(&b, "- **%s:** %s\n", md(f.Label), md(f.Value))
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## %s\n\n", md(l.Recipients))
	for _, rc := range r.Recipients {
		fmt.Fprintf(&b, "- %s\n", md(rc.Description))
	}
	fmt.Fprintf(&b, "\n%s\n\n", md(l.NoOtherRecipients))

	fmt.Fprintf(&b, "## %s\n\n", md(l.Rights))
	for _, s := range r.Rights {
		fmt.Fprintf(&b, "- %s\n", md(s))
	}
	fmt.Fprintf(&b, "\n%s\n\n", md(l.RightsHow))

	fmt.Fprintf(&b, "## %s\n\n", md(l.NoTracking))
	for _, s := range r.NoTracking {
		fmt.Fprintf(&b, "- %s\n", md(s))
	}
	return b.String()
}

// field is one labelled text of an activity.
type field struct{ Label, Value string }

// fields returns the activity's texts that are not empty, in the order a
// register lists them.
func (a Activity) fields(l labels) []field {
	all := []field{
		{l.Subjects, a.DataSubjects},
		{l.Data, a.Data},
		{l.Purpose, a.Purpose},
		{l.Basis, a.LegalBasis},
		{l.Retention, a.Retention},
		{l.Protection, a.Protection},
	}
	out := all[:0]
	for _, f := range all {
		if f.Value != "" {
			out = append(out, f)
		}
	}
	return out
}

// mdEscaper backslash-escapes the characters that could start markup
// inside a paragraph, list item or heading, and joins lines.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "!", `\!`, "|", `\|`, "#", `\#`, "&", `\&`, "~", `\~`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// md escapes s for use as CommonMark inline text.
func md(s string) string {
	return mdEscaper.Replace(s)
}

// mdCode writes a category key as a code span when it is a plain key, and
// as escaped text otherwise.
func mdCode(key string) string {
	if key == "" {
		return ""
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return md(key)
		}
	}
	return "`" + key + "`"
}

// htmlTemplate renders the public fragment. The page around it supplies
// the <h1>; every value is escaped by html/template.
var htmlTemplate = template.Must(template.New("register").Funcs(template.FuncMap{
	"contact": contactParts,
	"link":    linkHref,
}).Parse(`<div class="privacy-register" lang="{{.R.Lang}}">
<section>
<h2>{{.L.Controller}}</h2>
{{- if not .Single}}
<p>{{template "contact" contact .R.Contact .R.ContactAddress}}</p>
{{- end}}
{{- if .R.Organisations}}
<dl>
{{- range .R.Organisations}}
<dt>{{.Name}}</dt>
{{- if .URL}}
<dd>{{$.L.Website}}: {{with link .URL}}<a href="{{.}}">{{end}}{{.URL}}{{if link .URL}}</a>{{end}}</dd>
{{- end}}
<dd>{{template "contact" contact .Contact .ContactAddress}}</dd>
{{- end}}
</dl>
{{- end}}
<p>{{if .R.Installation}}{{.L.Installation}}: {{.R.Installation}}. {{end}}{{.L.Generated}} <time datetime="{{.Datetime}}">{{.Generated}}</time>.</p>
</section>
<section>
<h2>{{.L.Activities}}</h2>
{{- range .Activities}}
<section>
<h3>{{.Name}}</h3>
<dl>
<dt>{{$.L.Category}}</dt>
<dd><code>{{.Category}}</code></dd>
{{- if not .Enabled}}
<dt>{{$.L.Status}}</dt>
<dd>{{$.L.NotInUse}}</dd>
{{- end}}
{{- range .Fields $.L}}
<dt>{{.Label}}</dt>
<dd>{{.Value}}</dd>
{{- end}}
</dl>
</section>
{{- end}}
</section>
<section>
<h2>{{.L.Recipients}}</h2>
<ul>
{{- range .R.Recipients}}
<li>{{.Description}}</li>
{{- end}}
</ul>
<p>{{.L.NoOtherRecipients}}</p>
</section>
<section>
<h2>{{.L.Rights}}</h2>
<ul>
{{- range .R.Rights}}
<li>{{.}}</li>
{{- end}}
</ul>
<p>{{.L.RightsHow}}</p>
</section>
<section>
<h2>{{.L.NoTracking}}</h2>
<ul>
{{- range .R.NoTracking}}
<li>{{.}}</li>
{{- end}}
</ul>
</section>
</div>
{{define "contact"}}{{.Before}}{{if .Href}}<a href="{{.Href}}">{{.Addr}}</a>{{else}}{{.Addr}}{{end}}{{.After}}{{end}}`))

// htmlActivity lets the template call fields.
type htmlActivity struct{ Activity }

// Fields returns the activity's texts that are not empty.
func (a htmlActivity) Fields(l labels) []field { return a.fields(l) }

// HTML renders the register as an HTML fragment for the public privacy
// page: a <section> per part with an <h2>, an <h3> and a <dl> per activity.
// It has no style attributes, no scripts and no links other than the
// organisations' own websites and contact addresses.
func (r Register) HTML() template.HTML {
	acts := make([]htmlActivity, len(r.Activities))
	for i, a := range r.Activities {
		acts[i] = htmlActivity{a}
	}
	data := struct {
		L                   labels
		R                   Register
		Activities          []htmlActivity
		Single              bool
		Datetime, Generated string
	}{
		L:          r.labels(),
		R:          r,
		Activities: acts,
		Single:     r.Scope == ScopeOrganisation,
		Datetime:   r.GeneratedAt.UTC().Format(time.RFC3339),
		Generated:  r.GeneratedAt.UTC().Format(timeLayout),
	}
	var b strings.Builder
	if err := htmlTemplate.Execute(&b, data); err != nil {
		// The template and its data types are fixed, so this is a bug in
		// this package, which its tests would show.
		panic(fmt.Sprintf("privacy: render register: %v", err))
	}
	return template.HTML(b.String())
}

// contact is a contact sentence split around the address it names.
type contact struct{ Before, Addr, Href, After string }

// contactParts splits sentence around addr so that the address can be a
// link.
func contactParts(sentence, addr string) contact {
	if addr == "" {
		return contact{Before: sentence}
	}
	before, after, ok := strings.Cut(sentence, addr)
	if !ok {
		return contact{Before: sentence}
	}
	return contact{Before: before, Addr: addr, Href: linkHref(addr), After: after}
}

// linkHref returns the link target for a website or contact address: the
// address itself for an http or https URL, a mailto: URL for an e-mail
// address, and "" for anything else, which is then shown as text.
func linkHref(addr string) string {
	if u, err := url.Parse(addr); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		return addr
	}
	local, domain, ok := strings.Cut(addr, "@")
	if ok && local != "" && domain != "" && !strings.ContainsAny(addr, " :/<>\"'") &&
		!strings.Contains(domain, "@") && strings.Contains(domain, ".") {
		return "mailto:" + addr
	}
	return ""
}
