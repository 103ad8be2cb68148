package activitypub

import (
	"errors"
	"net/http"

	"plein/internal/activity"
	"plein/internal/federation"
)

// Statement serves GET /statements/{id} and /statements/{id}/outcome: the
// direct Note of a statement of reasons, or of the outcome of a complaint
// about it, at its own id. A direct Note is for one person, so only a
// request signed by an actor of that person's server gets it; any other
// request gets 404, as for a statement that does not exist. It is never
// cached.
func (e *Endpoints) Statement(w http.ResponseWriter, r *http.Request) {
	outcome := r.PathValue("part") == "outcome"
	if part := r.PathValue("part"); part != "" && !outcome {
		e.writeNotFound(w)
		return
	}
	note, err := e.federation.AddressedNote(r.Context(), r, r.PathValue("id"), outcome)
	if errors.Is(err, federation.ErrNotFound) {
		e.writeNotFound(w)
		return
	}
	if err != nil {
		e.logger.Error("statement note", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	b, err := activity.Marshal(note)
	if err != nil {
		e.logger.Error("statement note", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Vary", "Signature, Authorization")
	w.Write(b)
}

func (e *Endpoints) writeNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte(`{"error":"not found"}`))
}
