package apphttp

import "net/http"

// serveJSON is the skeleton of every handler that takes a JSON body: decode it, run act (the
// checks and the store call), then answer status with what act returned, or the error.
func serveJSON[Req any](s *Server, w http.ResponseWriter, r *http.Request, status int, act func(req *Req) (any, error)) {
	serveJSONMax(s, w, r, s.cfg.MaxBodyBytes, status, act)
}

// serveJSONMax is serveJSON with another body size limit (documents such as a BOM).
func serveJSONMax[Req any](s *Server, w http.ResponseWriter, r *http.Request, maxBody int64, status int, act func(req *Req) (any, error)) {
	var req Req
	if err := s.readJSONMax(w, r, &req, maxBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	body, err := act(&req)
	s.respond(w, r, status, body, err)
}

// respond answers err in the error shape, or status with body (none for 204 No Content).
func (s *Server) respond(w http.ResponseWriter, r *http.Request, status int, body any, err error) {
	switch {
	case err != nil:
		s.writeError(w, r, err)
	case status == http.StatusNoContent:
		w.WriteHeader(status)
	default:
		writeJSON(w, status, body)
	}
}
