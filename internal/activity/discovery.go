package activity

import (
	"encoding/xml"
	"fmt"
)

// Media types of the discovery documents.
const (
	JRDContentType        = "application/jrd+json"
	XRDContentType        = "application/xrd+xml"
	NodeInfoContentType   = `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`
	NodeInfo20ContentType = `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"`
)

// Link relations used in discovery documents.
const (
	RelSelf        = "self"
	RelProfilePage = "http://webfinger.net/rel/profile-page"
	RelSubscribe   = "http://ostatus.org/schema/1.0/subscribe"
	RelLRDD        = "lrdd"
	RelNodeInfo20  = "http://nodeinfo.diaspora.software/ns/schema/2.0"
	RelNodeInfo21  = "http://nodeinfo.diaspora.software/ns/schema/2.1"
)

// JRD is a WebFinger answer (RFC 7033), such as the one for
// acct:gemeente@plein.example.
type JRD struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []JRDLink `json:"links,omitempty"`
}

// JRDLink is one link of a JRD. A link has either Href or Template.
type JRDLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// XRD is a host-meta document (RFC 6415) in XML.
type XRD struct {
	XMLName xml.Name  `xml:"http://docs.oasis-open.org/ns/xri/xrd-1.0 XRD"`
	Links   []XRDLink `xml:"Link"`
}

// XRDLink is one link of an XRD.
type XRDLink struct {
	Rel      string `xml:"rel,attr"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr,omitempty"`
	Template string `xml:"template,attr,omitempty"`
}

// HostMeta returns the host-meta document of the server at origin (such as
// "https://plein.example"), which points to its WebFinger endpoint.
func HostMeta(origin string) XRD {
	return XRD{Links: []XRDLink{{
		Rel:      RelLRDD,
		Type:     XRDContentType,
		Template: origin + "/.well-known/webfinger?resource={uri}",
	}}}
}

// MarshalXRD encodes x as an indented XML document with its declaration.
func MarshalXRD(x XRD) ([]byte, error) {
	out, err := xml.MarshalIndent(x, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("activity: marshal host-meta: %w", err)
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// NodeInfoLinks is the /.well-known/nodeinfo document that points to the
// NodeInfo document.
type NodeInfoLinks struct {
	Links []JRDLink `json:"links"`
}

// NewNodeInfoLinks returns the /.well-known/nodeinfo document of the server
// at origin (such as "https://plein.example"), pointing to its NodeInfo 2.0
// and 2.1 documents at /nodeinfo/2.0 and /nodeinfo/2.1, as Mastodon does:
// servers that read only 2.0, such as GoToSocial, find theirs.
func NewNodeInfoLinks(origin string) NodeInfoLinks {
	return NodeInfoLinks{Links: []JRDLink{
		{Rel: RelNodeInfo20, Href: origin + "/nodeinfo/2.0"},
		{Rel: RelNodeInfo21, Href: origin + "/nodeinfo/2.1"},
	}}
}

// NodeInfo is a NodeInfo 2.1 document. Version must be "2.1"; Software.Name
// is lower-case letters, digits and hyphens; Metadata must be non-nil, as
// the schema requires an object.
type NodeInfo struct {
	Version           string           `json:"version"`
	Software          NodeInfoSoftware `json:"software"`
	Protocols         []string         `json:"protocols"`
	Services          NodeInfoServices `json:"services"`
	OpenRegistrations bool             `json:"openRegistrations"`
	Usage             NodeInfoUsage    `json:"usage"`
	Metadata          map[string]any   `json:"metadata"`
}

// NodeInfoSoftware names the server software.
type NodeInfoSoftware struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository string `json:"repository,omitempty"`
	Homepage   string `json:"homepage,omitempty"`
}

// NodeInfoServices lists third-party services the server can talk to; both
// lists are written, also when empty.
type NodeInfoServices struct {
	Inbound  []string `json:"inbound"`
	Outbound []string `json:"outbound"`
}

// NodeInfoUsage holds the usage figures. For Plein, users are organisations.
type NodeInfoUsage struct {
	Users      NodeInfoUsers `json:"users"`
	LocalPosts int           `json:"localPosts"`
}

// NodeInfoUsers counts the accounts.
type NodeInfoUsers struct {
	Total          int `json:"total,omitempty"`
	ActiveMonth    int `json:"activeMonth,omitempty"`
	ActiveHalfyear int `json:"activeHalfyear,omitempty"`
}

// NewNodeInfo returns the NodeInfo 2.1 document of a Plein server: it speaks
// ActivityPub only, uses no third-party services and has closed
// registrations.
func NewNodeInfo(software NodeInfoSoftware, usage NodeInfoUsage) NodeInfo {
	return NodeInfo{
		Version:   "2.1",
		Software:  software,
		Protocols: []string{"activitypub"},
		Services:  NodeInfoServices{Inbound: []string{}, Outbound: []string{}},
		Usage:     usage,
		Metadata:  map[string]any{},
	}
}

// NodeInfo20 is a NodeInfo 2.0 document. It differs from 2.1 in its
// version and in its software, which has no repository and homepage.
type NodeInfo20 struct {
	Version           string             `json:"version"`
	Software          NodeInfoSoftware20 `json:"software"`
	Protocols         []string           `json:"protocols"`
	Services          NodeInfoServices   `json:"services"`
	OpenRegistrations bool               `json:"openRegistrations"`
	Usage             NodeInfoUsage      `json:"usage"`
	Metadata          map[string]any     `json:"metadata"`
}

// NodeInfoSoftware20 names the server software in NodeInfo 2.0: the name
// is lower-case letters and digits only.
type NodeInfoSoftware20 struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// V20 returns n as a NodeInfo 2.0 document: the same figures, without the
// fields 2.0 lacks.
func (n NodeInfo) V20() NodeInfo20 {
	return NodeInfo20{
		Version:           "2.0",
		Software:          NodeInfoSoftware20{Name: n.Software.Name, Version: n.Software.Version},
		Protocols:         n.Protocols,
		Services:          n.Services,
		OpenRegistrations: n.OpenRegistrations,
		Usage:             n.Usage,
		Metadata:          n.Metadata,
	}
}
