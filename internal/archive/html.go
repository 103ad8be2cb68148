package archive

import (
	"context"
	"fmt"
	"html/template"
	"time"

	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
)

// The offline pages: no script, no request to any host; every link is
// relative to the page.
var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"t": i18n.T,
}).Parse(`
{{define "head"}}<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;line-height:1.5;max-width:46rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}
a{color:#0b4f9c}
article,section{border-top:1px solid #888;margin-top:1.5rem;padding-top:.5rem}
.meta{color:#444;font-size:.95rem}
img{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid #bbb;padding:.25rem .5rem}
</style>
</head>
<body>
<header><p><a href="{{.Root}}index.html">{{t .Lang "archive.title" .OrgName}}</a></p></header>
<main>
{{end}}

{{define "foot"}}</main>
</body>
</html>
{{end}}

{{define "index-head"}}{{template "head" .}}<h1>{{t .Lang "archive.title" .OrgName}}</h1>
<p>{{t .Lang "archive.intro" .OrgName .Made}}</p>
<ul>
<li><a href="profile.html">{{t .Lang "archive.profile"}}</a></li>
<li><a href="audit.html">{{t .Lang "archive.audit"}}</a></li>
</ul>
<h2>{{t .Lang "archive.posts"}}</h2>
<ol>
{{end}}
{{define "index-row"}}<li><a href="posts/{{.ID}}.html">{{.Title}}</a> <span class="meta">({{.State}}{{with .When}}, {{.}}{{end}})</span></li>
{{end}}
{{define "index-foot"}}</ol>
{{template "foot" .}}{{end}}

{{define "audit-head"}}{{template "head" .}}<h1>{{t .Lang "archive.audit"}}</h1>
<table>
<thead><tr><th scope="col">{{t .Lang "archive.audit.when"}}</th><th scope="col">{{t .Lang "archive.audit.who"}}</th><th scope="col">{{t .Lang "archive.audit.what"}}</th><th scope="col">{{t .Lang "archive.audit.about"}}</th></tr></thead>
<tbody>
{{end}}
{{define "audit-row"}}<tr><td>{{.When}}</td><td>{{.Who}}</td><td>{{.Action}}{{with .Detail}}<br>{{.}}{{end}}</td><td>{{.Target}}</td></tr>
{{end}}
{{define "audit-foot"}}</tbody>
</table>
{{template "foot" .}}{{end}}

{{define "profile"}}{{template "head" .}}<h1>{{t .Lang "archive.profile"}}</h1>
<p><strong>{{.OrgName}}</strong> (@{{.Handle}})</p>
{{.Description}}
{{with .Links}}<h2>{{t $.Lang "archive.links"}}</h2><ul>{{range .}}<li>{{.Label}}: {{.URL}}</li>{{end}}</ul>{{end}}
<h2>{{t .Lang "archive.handles"}}</h2>
{{with .Handles}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{else}}<p>{{t $.Lang "archive.none"}}</p>{{end}}
{{with .AlsoKnownAs}}<h2>{{t $.Lang "archive.aka"}}</h2><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
<p>{{t .Lang "archive.replydisplay" .Display}}</p>
{{template "foot" .}}{{end}}

{{define "post"}}{{template "head" .}}<article>
<h1>{{.Heading}}</h1>
<p class="meta">{{t .Lang "archive.state"}}: {{.State}}{{range .Dates}}<br>{{.}}{{end}}</p>
{{with .Summary}}<p><strong>{{t $.Lang "archive.warning"}}:</strong> {{.}}</p>{{end}}
{{.Content}}
{{with .Images}}<h2>{{t $.Lang "archive.images"}}</h2>{{range .}}<figure><img src="{{.Src}}" alt="{{.Alt}}"{{with .Width}} width="{{.}}"{{end}}{{with .Height}} height="{{.}}"{{end}}><figcaption>{{.Alt}}</figcaption></figure>{{end}}{{end}}
<section>
<h2>{{t .Lang "archive.revisions"}}</h2>
{{range .Revisions}}<article><h3>{{.Heading}}</h3>{{with .Summary}}<p><strong>{{t $.Lang "archive.warning"}}:</strong> {{.}}</p>{{end}}{{.Content}}</article>
{{else}}<p>{{t .Lang "archive.none"}}</p>{{end}}
</section>
<section>
<h2>{{t .Lang "archive.replies"}}</h2>
{{range .Replies}}<article><h3>{{.Heading}}</h3><p class="meta">{{.State}}{{with .Decided}}<br>{{.}}{{end}}</p>{{with .Summary}}<p><strong>{{t $.Lang "archive.warning"}}:</strong> {{.}}</p>{{end}}{{.Content}}
{{range .Statements}}<h4>{{t $.Lang "archive.statement"}}</h4><dl>{{range .}}<dt>{{.Name}}</dt><dd>{{.Value}}</dd>{{end}}</dl>{{end}}</article>
{{else}}<p>{{t .Lang "archive.none"}}</p>{{end}}
</section>
</article>
{{template "foot" .}}{{end}}
`))

// pageBase is what every offline page shows.
type pageBase struct {
	Lang, Title, OrgName, Handle string
	Root                         string // the way back to the folder of index.html
	Made                         string
}

func (e *export) base(root string) pageBase {
	return pageBase{Lang: e.lang, Title: i18n.T(e.lang, "archive.title", e.org.DisplayName), OrgName: e.org.DisplayName,
		Handle: e.org.Handle, Root: root, Made: i18n.DateTime(e.lang, e.m.ExportedAt.In(e.org.Location()))}
}

type profileView struct {
	pageBase
	Handles     []string // the former handles, each with when it stopped
	Display     string
	Description template.HTML
	Links       []model.Link
	AlsoKnownAs []string
}

type imageView struct {
	Src, Alt      string
	Width, Height int
}

type versionView struct {
	Heading, Summary string
	Content          template.HTML
}

type field struct{ Name, Value string }

type replyView struct {
	Heading, State, Decided, Summary string
	Content                          template.HTML
	Statements                       [][]field
}

type postView struct {
	pageBase
	Heading, State, Summary string
	Dates                   []string
	Content                 template.HTML
	Images                  []imageView
	Revisions               []versionView
	Replies                 []replyView
}

// page writes one whole page.
func (e *export) page(name, tmpl string, data any) error {
	w, err := e.z.create(name, true)
	if err != nil {
		return err
	}
	if err := pages.ExecuteTemplate(w, tmpl, data); err != nil {
		return fmt.Errorf("archive: writing %s: %w", name, err)
	}
	return nil
}

// when writes a time as the organisation's readers read it.
func (e *export) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return i18n.DateTime(e.lang, t.In(e.org.Location()))
}

func (e *export) stateName(s model.PostState) string {
	return i18n.T(e.lang, "archive.state."+string(s))
}

func (e *export) postView(p *model.Post, rec *postRecord, ms map[string]*model.Media) (postView, error) {
	v := postView{pageBase: e.base("../"), Heading: postTitle(p), State: e.stateName(p.State), Summary: p.Summary}
	for _, d := range []struct {
		key string
		t   time.Time
	}{{"archive.created", p.CreatedAt}, {"archive.published", p.PublishAt}, {"archive.updated", p.UpdatedAt}, {"archive.deleted", p.DeletedAt}} {
		if !d.t.IsZero() {
			v.Dates = append(v.Dates, i18n.T(e.lang, d.key)+": "+e.when(d.t))
		}
	}
	var err error
	if v.Content, err = markup.HTML(p.Text); err != nil {
		return v, fmt.Errorf("archive: rendering post %s: %w", p.ID, err)
	}
	for _, at := range p.Attachments {
		if m := ms[at.MediaID]; m != nil {
			mv := m.Variant("large")
			v.Images = append(v.Images, imageView{Src: "../../" + mediaDir + mv.Key, Alt: at.Alt, Width: mv.Width, Height: mv.Height})
		}
	}
	for _, r := range rec.Revisions {
		content, err := markup.HTML(r.Text)
		if err != nil {
			return v, fmt.Errorf("archive: rendering a version of post %s: %w", p.ID, err)
		}
		editor := r.Editor
		if editor == "" {
			editor = i18n.T(e.lang, "archive.operator")
		}
		v.Revisions = append(v.Revisions, versionView{Heading: i18n.T(e.lang, "archive.revision", r.Number, e.when(r.CreatedAt), editor),
			Summary: r.Summary, Content: content})
	}
	for _, r := range rec.Replies {
		author := r.ActorID
		for _, a := range rec.Authors {
			if a.ID == r.ActorID && a.Acct != "" {
				author = a.Acct
			}
		}
		rv := replyView{Heading: i18n.T(e.lang, "archive.reply", author, e.when(firstTime(r.Published, r.ReceivedAt))),
			State:   i18n.T(e.lang, "archive.reply.state", i18n.T(e.lang, "archive.reply."+string(r.State))),
			Summary: r.Summary, Content: markup.SanitizeHTML(r.ContentHTML)}
		if !r.DecidedAt.IsZero() {
			by := r.DecidedByName
			if by == "" {
				by = i18n.T(e.lang, "archive.operator")
			}
			rv.Decided = i18n.T(e.lang, "archive.decided", e.when(r.DecidedAt), by)
		}
		for _, st := range rec.Statements {
			if st.ReplyID != r.ID {
				continue
			}
			var fs []field
			for _, f := range []field{{"decision", string(st.Decision)}, {"ground", string(st.Ground)}, {"law", st.Law},
				{"explanation", st.Explanation}, {"facts", st.Facts}, {"category", st.Category}, {"visibility", st.Visibility},
				{"application_date", st.ApplicationDate.UTC().Format(time.RFC3339)}, {"decided_by", st.DecidedByName}} {
				if f.Value != "" {
					fs = append(fs, f)
				}
			}
			rv.Statements = append(rv.Statements, fs)
		}
		v.Replies = append(v.Replies, rv)
	}
	return v, nil
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// postTitle is the heading of a post: the start of its text, or its id.
func postTitle(p *model.Post) string {
	if t := markup.Title(p.Text, 80); t != "" {
		return t
	}
	return p.ID
}

// index writes index.html and audit.html, a row per post and per entry,
// reading the store again page by page.
func (e *export) index(ctx context.Context) error {
	w, err := e.z.create(htmlDir+"index.html", true)
	if err != nil {
		return err
	}
	base := e.base("")
	if err := pages.ExecuteTemplate(w, "index-head", base); err != nil {
		return fmt.Errorf("archive: writing the index: %w", err)
	}
	err = e.eachPost(ctx, func(p *model.Post) error {
		return pages.ExecuteTemplate(w, "index-row", struct{ ID, Title, State, When string }{p.ID, postTitle(p), e.stateName(p.State),
			e.when(firstTime(p.PublishAt, p.CreatedAt))})
	})
	if err == nil {
		err = pages.ExecuteTemplate(w, "index-foot", base)
	}
	if err != nil {
		return fmt.Errorf("archive: writing the index: %w", err)
	}
	return e.auditPage(ctx, base)
}

func (e *export) auditPage(ctx context.Context, base pageBase) error {
	w, err := e.z.create(htmlDir+"audit.html", true)
	if err != nil {
		return err
	}
	if err := pages.ExecuteTemplate(w, "audit-head", base); err != nil {
		return fmt.Errorf("archive: writing the audit page: %w", err)
	}
	err = e.eachAudit(ctx, func(en *model.AuditEntry) error {
		who := en.Actor
		if who == "" {
			who = i18n.T(e.lang, "archive.unknown")
		}
		return pages.ExecuteTemplate(w, "audit-row", struct{ When, Who, Action, Detail, Target string }{e.when(en.At), who, en.Action, en.Detail, en.Target})
	})
	if err == nil {
		err = pages.ExecuteTemplate(w, "audit-foot", base)
	}
	if err != nil {
		return fmt.Errorf("archive: writing the audit page: %w", err)
	}
	return nil
}
