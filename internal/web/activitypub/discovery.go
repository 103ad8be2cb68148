package activitypub

import (
	"context"
	"errors"
	"net/http"

	"plein/internal/activity"
	"plein/internal/federation"
)

// discoveryCacheControl lets other servers cache discovery answers briefly.
const discoveryCacheControl = "public, max-age=300"

// writeDocument sends a discovery or ActivityPub document.
func (e *Endpoints) writeDocument(w http.ResponseWriter, r *http.Request, contentType string, doc any, err error) {
	if errors.Is(err, federation.ErrNotFound) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	var b []byte
	if err == nil {
		b, err = activity.Marshal(doc)
	}
	if err != nil {
		e.logger.Error("web: document", "route", r.Pattern, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", discoveryCacheControl)
	h.Set("Access-Control-Allow-Origin", "*")
	w.Write(b)
}

// WebFinger answers /.well-known/webfinger?resource=acct:handle@host.
func (e *Endpoints) WebFinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	if resource == "" || len(resource) > 512 {
		http.Error(w, "resource parameter required", http.StatusBadRequest)
		return
	}
	jrd, err := e.federation.WebFinger(r.Context(), resource)
	e.writeDocument(w, r, activity.JRDContentType, jrd, err)
}

// HostMeta answers /.well-known/host-meta, pointing to WebFinger.
func (e *Endpoints) HostMeta(w http.ResponseWriter, r *http.Request) {
	b, err := activity.MarshalXRD(activity.HostMeta(e.baseURL))
	if err != nil {
		e.logger.Error("web: host-meta", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", activity.XRDContentType)
	w.Header().Set("Cache-Control", discoveryCacheControl)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(b)
}

// NodeInfoLinks answers /.well-known/nodeinfo, linking NodeInfo 2.0 and 2.1.
func (e *Endpoints) NodeInfoLinks(w http.ResponseWriter, r *http.Request) {
	e.writeDocument(w, r, "application/json", activity.NewNodeInfoLinks(e.baseURL), nil)
}

// NodeInfo answers /nodeinfo/2.1.
func (e *Endpoints) NodeInfo(w http.ResponseWriter, r *http.Request) {
	n, err := e.federation.NodeInfo(r.Context())
	e.writeDocument(w, r, activity.NodeInfoContentType, n, err)
}

// NodeInfo20 answers /nodeinfo/2.0: the same figures as /nodeinfo/2.1 in
// the 2.0 schema.
func (e *Endpoints) NodeInfo20(w http.ResponseWriter, r *http.Request) {
	n, err := e.federation.NodeInfo(r.Context())
	var doc *activity.NodeInfo20
	if err == nil {
		v := n.V20()
		doc = &v
	}
	e.writeDocument(w, r, activity.NodeInfo20ContentType, doc, err)
}

// InstanceActor answers /actor: the installation's own actor, which
// signs its fetches.
func (e *Endpoints) InstanceActor(w http.ResponseWriter, r *http.Request) {
	a, err := e.federation.InstanceActor(context.WithoutCancel(r.Context()))
	e.writeDocument(w, r, ContentType, a, err)
}
