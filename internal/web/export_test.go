package web

// Patterns returns the route patterns of the public site and the
// ActivityPub endpoints, as registered.
func Patterns(s *Server) []string { return s.patterns }
