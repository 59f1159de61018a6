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

	// Catalog (public, cached).
	api.HandleFunc("/categories", s.handleListCategories).Methods(http.MethodGet)
	api.HandleFunc("/products", s.handleListProducts).Methods(http.MethodGet)
	api.HandleFunc("/products/{idOrSku}", s.handleGetProduct).Methods(http.MethodGet)

	return r
}
