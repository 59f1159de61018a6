package apphttp

import (
	"net/http"

	"github.com/gorilla/mux"
)

// routes is the whole API surface, in one place.
func (s *Server) routes() http.Handler {
	r := mux.NewRouter()
	r.Use(recordRoute)
	r.NotFoundHandler = http.HandlerFunc(s.notFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(s.methodNotAllowed)

	// Operations.
	r.HandleFunc("/health", s.handleHealth).Methods(http.MethodGet)
	r.HandleFunc("/health/ready", s.handleReady).Methods(http.MethodGet)
	r.HandleFunc("/health/live", s.handleLive).Methods(http.MethodGet)
	r.Handle("/metrics", s.metrics.handler()).Methods(http.MethodGet)

	api := r.PathPrefix("/api").Subrouter()
	api.Use(s.limitAPI)
	api.HandleFunc("/openapi.json", s.handleOpenAPI).Methods(http.MethodGet)

	// Cart (guest or signed in).
	api.HandleFunc("/cart", s.handleGetCart).Methods(http.MethodGet)
	api.HandleFunc("/cart", s.handleClearCart).Methods(http.MethodDelete)
	api.HandleFunc("/cart/items", s.handleAddCartItem).Methods(http.MethodPost)
	api.HandleFunc("/cart/items/{id}", s.handleUpdateCartItem).Methods(http.MethodPatch)
	api.HandleFunc("/cart/items/{id}", s.handleRemoveCartItem).Methods(http.MethodDelete)

	// RFQ (guest or signed in; the list is for signed-in customers).
	api.HandleFunc("/rfq", s.handleSubmitRFQ).Methods(http.MethodPost)
	api.HandleFunc("/rfq", s.requireUser(s.handleListRFQs)).Methods(http.MethodGet)
	api.HandleFunc("/rfq/{id}", s.handleGetRFQ).Methods(http.MethodGet)

	return r
}
