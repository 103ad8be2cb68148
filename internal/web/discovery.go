package web

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
func (s *Server) writeDocument(w http.ResponseWriter, r *http.Request, contentType string, doc any, err error) {
	if errors.Is(err, federation.ErrNotFound) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	var b []byte
	if err == nil {
		b, err = activity.Marshal(doc)
	}
	if err != nil {
		s.logger.Error("web: document", "route", r.Pattern, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", discoveryCacheControl)
	h.Set("Access-Control-Allow-Origin", "*")
	w.Write(b)
}

// showWebFinger answers /.well-known/webfinger?resource=acct:handle@host.
func (s *Server) showWebFinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	if resource == "" || len(resource) > 512 {
		http.Error(w, "resource parameter required", http.StatusBadRequest)
		return
	}
	jrd, err := s.federation.WebFinger(r.Context(), resource)
	s.writeDocument(w, r, activity.JRDContentType, jrd, err)
}

func (s *Server) showHostMeta(w http.ResponseWriter, r *http.Request) {
	b, err := activity.MarshalXRD(activity.HostMeta(s.baseURL))
	if err != nil {
		s.logger.Error("web: host-meta", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", activity.XRDContentType)
	w.Header().Set("Cache-Control", discoveryCacheControl)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(b)
}

func (s *Server) showNodeInfoLinks(w http.ResponseWriter, r *http.Request) {
	s.writeDocument(w, r, "application/json", activity.NewNodeInfoLinks(s.baseURL+"/nodeinfo/2.1"), nil)
}

func (s *Server) showNodeInfo(w http.ResponseWriter, r *http.Request) {
	n, err := s.federation.NodeInfo(r.Context())
	s.writeDocument(w, r, activity.NodeInfoContentType, n, err)
}

func (s *Server) showInstanceActor(w http.ResponseWriter, r *http.Request) {
	a, err := s.federation.InstanceActor(context.WithoutCancel(r.Context()))
	s.writeDocument(w, r, activityContentType, a, err)
}
