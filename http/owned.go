package apphttp

import (
	"context"
	"net/http"

	"github.com/gorilla/mux"
)

// A signed-in user's saved things (addresses, projects) share one handler shape: decode
// the body, call the store for the user (and the path's {id}), answer with the result.

// saveOwned handles a POST or PATCH of a user's saved thing: a JSON body of at most
// maxBody bytes, then save for the signed-in user and the path's {id} ("" on POST), then
// status with what save returned.
func saveOwned[Req, Out any](s *Server, w http.ResponseWriter, r *http.Request, maxBody int64, status int,
	save func(ctx context.Context, userID, id string, req Req) (Out, error)) {
	var req Req
	if err := s.readJSONMax(w, r, &req, maxBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	out, err := save(r.Context(), userFrom(r.Context()).ID, mux.Vars(r)["id"], req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, status, out)
}

// deleteOwned handles a DELETE of a user's saved thing: 204, or the store's error.
func deleteOwned(s *Server, w http.ResponseWriter, r *http.Request, del func(ctx context.Context, userID, id string) error) {
	if err := del(r.Context(), userFrom(r.Context()).ID, mux.Vars(r)["id"]); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
