package activitypub

import (
	"errors"
	"io"
	"net/http"

	"plein/internal/activity"
	"plein/internal/federation"
	"plein/internal/httpsig"
	"plein/internal/safefetch"
)

// ReceiveInbox takes an activity POSTed to the shared inbox, to the
// instance actor's inbox (treated as the shared inbox) or to an
// organisation's inbox. Only its size is checked here; federation.Receive
// verifies and processes it.
func (e *Endpoints) ReceiveInbox(w http.ResponseWriter, r *http.Request) {
	orgID := r.PathValue("id")
	body, err := io.ReadAll(io.LimitReader(r.Body, activity.MaxActivityBytes+1))
	if err != nil {
		http.Error(w, "cannot read the request body", http.StatusBadRequest)
		return
	}
	if len(body) > activity.MaxActivityBytes {
		http.Error(w, "activity too large", http.StatusRequestEntityTooLarge)
		return
	}
	err = e.federation.Receive(r.Context(), r, body, orgID)
	switch {
	case err == nil:
		w.WriteHeader(http.StatusAccepted)
	case errors.Is(err, federation.ErrSignature), errors.Is(err, federation.ErrNotSigner):
		e.logger.Info("inbox: refused", "reason", refusalReason(err))
		http.Error(w, "signature not accepted", http.StatusUnauthorized)
	case errors.Is(err, federation.ErrBadActivity):
		http.Error(w, "not a readable activity", http.StatusBadRequest)
	case errors.Is(err, federation.ErrBlocked):
		http.Error(w, "blocked", http.StatusForbidden)
	default:
		e.logger.Error("inbox", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}

// refusalReason names why an inbox request was refused, without the
// addresses of the people involved, which stay out of the logs.
func refusalReason(err error) string {
	for _, e := range []error{httpsig.ErrUnsigned, httpsig.ErrMalformed, httpsig.ErrHeaders, httpsig.ErrDigest,
		httpsig.ErrDate, httpsig.ErrAlgorithm, httpsig.ErrBadSignature, federation.ErrNotSigner, safefetch.ErrBlocked} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return "key not available"
}
