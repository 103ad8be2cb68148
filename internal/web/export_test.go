package web

import (
	"context"
	"net/http"
)

// RenderUncached renders a public request without the page cache, as the
// first request after a change does, and returns the status.
func (s *Server) RenderUncached(ctx context.Context, r *http.Request) (int, error) {
	resp, err := s.render(ctx, parsePublicRequest(r))
	if err != nil {
		return 0, err
	}
	return resp.status, nil
}
