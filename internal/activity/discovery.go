package activity

import (
	"encoding/xml"
	"fmt"
)

// Media types of the discovery documents.
const (
	JRDContentType      = "application/jrd+json"
	XRDContentType      = "application/xrd+xml"
	NodeInfoContentType = `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`
)

// Link relations used in discovery documents.
const (
	RelSelf        = "self"
	RelProfilePage = "http://webfinger.net/rel/profile-page"
	RelSubscribe   = "http://ostatus.org/schema/1.0/subscribe"
	RelLRDD        = "lrdd"
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

// NewNodeInfoLinks returns the /.well-known/nodeinfo document pointing to
// the NodeInfo 2.1 document at href.
func NewNodeInfoLinks(href string) NodeInfoLinks {
	return NodeInfoLinks{Links: []JRDLink{{Rel: RelNodeInfo21, Href: href}}}
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
