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
	s.router = r // methodNotAllowed asks it for the Allow header

	// Operations.
	r.HandleFunc("/health", s.handleHealth).Methods(http.MethodGet)
	r.HandleFunc("/health/ready", s.handleReady).Methods(http.MethodGet)
	r.HandleFunc("/health/live", s.handleLive).Methods(http.MethodGet)
	r.Handle("/metrics", s.requireOps(s.metrics.handler())).Methods(http.MethodGet)

	// Profiles (issue 14, pprof.go): behind the same guard as /metrics.
	r.PathPrefix(pprofPrefix).Handler(s.profiler()).Methods(http.MethodGet, http.MethodPost)

	api := r.PathPrefix("/api").Subrouter()
	api.Use(s.limitAPI)
	api.HandleFunc("/openapi.json", s.handleOpenAPI).Methods(http.MethodGet)

	// Catalog (public, cached).
	api.HandleFunc("/categories", s.handleListCategories).Methods(http.MethodGet)
	api.HandleFunc("/products", s.handleListProducts).Methods(http.MethodGet)
	api.HandleFunc("/products/{idOrSku}", s.handleGetProduct).Methods(http.MethodGet)

	// Accounts and sessions (auth.go, users.go, addresses.go, projects.go).
	api.HandleFunc("/auth/signup", s.handleSignup).Methods(http.MethodPost)
	api.HandleFunc("/auth/login", s.handleLogin).Methods(http.MethodPost)
	api.HandleFunc("/auth/logout", s.requireUser(s.handleLogout)).Methods(http.MethodPost)
	api.HandleFunc("/auth/refresh", s.handleRefresh).Methods(http.MethodPost)
	api.HandleFunc("/auth/reset-password", s.handleResetPassword).Methods(http.MethodPost)
	api.HandleFunc("/auth/reset-password/confirm", s.handleResetPasswordConfirm).Methods(http.MethodPost)
	api.HandleFunc("/auth/verify-email", s.handleVerifyEmail).Methods(http.MethodPost)
	api.HandleFunc("/auth/verify-email/resend", s.requireUser(s.handleResendVerification)).Methods(http.MethodPost)
	api.HandleFunc("/users/me", s.requireUser(s.handleMe)).Methods(http.MethodGet)
	api.HandleFunc("/users/me", s.requireUser(s.handleUpdateMe)).Methods(http.MethodPatch)
	api.HandleFunc("/users/me/password", s.requireUser(s.handleChangePassword)).Methods(http.MethodPatch)
	api.HandleFunc("/users/me/company", s.requireUser(s.handleUpdateCompany)).Methods(http.MethodPatch)
	api.HandleFunc("/addresses", s.requireUser(s.handleListAddresses)).Methods(http.MethodGet)
	api.HandleFunc("/addresses", s.requireUser(s.handleCreateAddress)).Methods(http.MethodPost)
	api.HandleFunc("/addresses/{id}", s.requireUser(s.handleUpdateAddress)).Methods(http.MethodPatch)
	api.HandleFunc("/addresses/{id}", s.requireUser(s.handleDeleteAddress)).Methods(http.MethodDelete)
	api.HandleFunc("/projects", s.requireUser(s.handleListProjects)).Methods(http.MethodGet)
	api.HandleFunc("/projects", s.requireUser(s.handleCreateProject)).Methods(http.MethodPost)
	api.HandleFunc("/projects/{id}", s.requireUser(s.handleGetProject)).Methods(http.MethodGet)
	api.HandleFunc("/projects/{id}", s.requireUser(s.handleUpdateProject)).Methods(http.MethodPatch)
	api.HandleFunc("/projects/{id}", s.requireUser(s.handleDeleteProject)).Methods(http.MethodDelete)

	// Cart (guest or signed in; a refused Bearer token is a 401, not a guest).
	api.HandleFunc("/cart", s.userOrGuest(s.handleGetCart)).Methods(http.MethodGet)
	api.HandleFunc("/cart", s.userOrGuest(s.handleClearCart)).Methods(http.MethodDelete)
	api.HandleFunc("/cart/items", s.userOrGuest(s.handleAddCartItem)).Methods(http.MethodPost)
	api.HandleFunc("/cart/items/{id}", s.userOrGuest(s.handleUpdateCartItem)).Methods(http.MethodPatch)
	api.HandleFunc("/cart/items/{id}", s.userOrGuest(s.handleRemoveCartItem)).Methods(http.MethodDelete)

	// BOM to cart (issue 11, cart_bom.go): the chosen rows of a mapped BOM, all or nothing.
	api.HandleFunc("/cart/bom", s.userOrGuest(s.handleAddBOMToCart)).Methods(http.MethodPost)

	// RFQ (guest or signed in, as the cart; the list is for signed-in customers).
	api.HandleFunc("/rfq", s.userOrGuest(s.handleSubmitRFQ)).Methods(http.MethodPost)
	api.HandleFunc("/rfq", s.requireUser(s.handleListRFQs)).Methods(http.MethodGet)
	api.HandleFunc("/rfq/{id}", s.userOrGuest(s.handleGetRFQ)).Methods(http.MethodGet)

	// Files (files.go): uploads for guests and users, downloads by owner through signed URLs.
	api.HandleFunc("/upload/attachment", s.userOrGuest(s.handleUploadAttachment)).Methods(http.MethodPost)
	api.HandleFunc("/upload/bom", s.userOrGuest(s.handleUploadBOM)).Methods(http.MethodPost)
	api.HandleFunc("/files/{id}", s.userOrGuest(s.handleGetFile)).Methods(http.MethodGet)
	api.HandleFunc("/files/{id}/content", s.handleFileContent).Methods(http.MethodGet)

	// Back office (staff only; admin.go): customers get 404, operators 403 on ADMIN calls.
	admin := s.adminRouter(api)
	admin.HandleFunc("/audit", s.adminOnly(s.handleListAudit)).Methods(http.MethodGet)

	// The RFQ workflow (issue 12, admin_rfq.go): the queue, the detail, status changes,
	// assignment, internal notes, messages to the customer; and the customer's answer.
	admin.HandleFunc("/rfqs", s.handleListAdminRFQs).Methods(http.MethodGet)
	admin.HandleFunc("/rfqs/{id}", s.handleGetAdminRFQ).Methods(http.MethodGet)
	admin.HandleFunc("/rfqs/{id}/status", s.handleChangeRFQStatus).Methods(http.MethodPost)
	admin.HandleFunc("/rfqs/{id}/assign", s.handleAssignRFQ).Methods(http.MethodPost)
	admin.HandleFunc("/rfqs/{id}/notes", s.handleAddRFQNote).Methods(http.MethodPost)
	admin.HandleFunc("/rfqs/{id}/messages", s.handleAddStaffRFQMessage).Methods(http.MethodPost)
	api.HandleFunc("/rfq/{id}/messages", s.userOrGuest(s.handleAddCustomerRFQMessage)).Methods(http.MethodPost)

	// Quotes (issue 12, admin_quote.go, rfq_quote.go): staff price and send; the customer
	// accepts or declines a sent quote.
	admin.HandleFunc("/rfqs/{id}/quote", s.handlePutQuote).Methods(http.MethodPut)
	admin.HandleFunc("/rfqs/{id}/quote.pdf", s.handleQuotePDF).Methods(http.MethodGet)
	admin.HandleFunc("/rfqs/{id}/quote/send", s.handleSendQuote).Methods(http.MethodPost)
	api.HandleFunc("/rfq/{id}/accept", s.userOrGuest(s.handleAcceptQuote)).Methods(http.MethodPost)
	api.HandleFunc("/rfq/{id}/decline", s.userOrGuest(s.handleDeclineQuote)).Methods(http.MethodPost)

	// Catalog management (ADMIN; admin_catalog.go, admin_catalog_csv.go, admin_prices.go).
	admin.HandleFunc("/products", s.adminOnly(s.handleCreateProduct)).Methods(http.MethodPost)
	admin.HandleFunc("/products/{id}", s.adminOnly(s.handleUpdateProduct)).Methods(http.MethodPatch)
	admin.HandleFunc("/products/{id}", s.adminOnly(s.handleDeactivateProduct)).Methods(http.MethodDelete)
	admin.HandleFunc("/categories", s.adminOnly(s.handleCreateCategory)).Methods(http.MethodPost)
	admin.HandleFunc("/categories/{id}", s.adminOnly(s.handleUpdateCategory)).Methods(http.MethodPatch)
	admin.HandleFunc("/catalog/export.csv", s.adminOnly(s.handleExportCatalog)).Methods(http.MethodGet)
	admin.HandleFunc("/catalog/import", s.adminOnly(s.handleImportCatalog)).Methods(http.MethodPost)
	admin.HandleFunc("/catalog/prices", s.adminOnly(s.handleChangePrices)).Methods(http.MethodPost)

	// The back office's pages (issue 13, package web), with their own sessions and CSRF.
	if s.backOffice != nil {
		r.PathPrefix("/admin").Handler(s.backOffice)
	}

	return r
}
