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
	serveJSONMax(s, w, r, maxBody, status, func(req *Req) (any, error) {
		return save(r.Context(), userFrom(r.Context()).ID, mux.Vars(r)["id"], *req)
	})
}

// deleteOwned handles a DELETE of a user's saved thing: 204, or the store's error.
func deleteOwned(s *Server, w http.ResponseWriter, r *http.Request, del func(ctx context.Context, userID, id string) error) {
	s.respond(w, r, http.StatusNoContent, nil, del(r.Context(), userFrom(r.Context()).ID, mux.Vars(r)["id"]))
}
