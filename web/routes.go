package web

import (
	"net/http"

	"github.com/gorilla/mux"
)

// routes is every back-office page, in one place. Every POST passes the CSRF check;
// staffOnly pages send anyone else to sign in; adminOnly pages are for ADMIN accounts.
func (h *Handler) routes() *mux.Router {
	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(h.notFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(h.notFound)
	r.Use(h.checkCSRF)
	get, post := http.MethodGet, http.MethodPost

	r.HandleFunc("/admin/assets/{name}", h.handleAsset).Methods(get)
	r.HandleFunc("/admin/signin", h.handleSignInPage).Methods(get)
	r.HandleFunc("/admin/signin", h.handleSignIn).Methods(post)
	r.HandleFunc("/admin/signout", h.handleSignOut).Methods(post)
	r.HandleFunc("/admin/lang", h.handleLanguage).Methods(post)

	// The queue (queue.go). /admin itself is the queue: it is where the day starts.
	r.HandleFunc("/admin", h.staffOnly(h.handleQueue)).Methods(get)
	r.HandleFunc("/admin/", h.staffOnly(h.handleQueue)).Methods(get)
	r.HandleFunc("/admin/rfqs", h.staffOnly(h.handleQueue)).Methods(get)

	// One RFQ and its actions (rfq.go, rfq_actions.go); staff download its files (files.go).
	r.HandleFunc("/admin/rfq/{id}", h.staffOnly(h.handleRFQ)).Methods(get)
	r.HandleFunc("/admin/rfq/{id}/status", h.staffOnly(h.handleRFQStatus)).Methods(post)
	r.HandleFunc("/admin/rfq/{id}/assign", h.staffOnly(h.handleRFQAssign)).Methods(post)
	r.HandleFunc("/admin/rfq/{id}/notes", h.staffOnly(h.handleRFQNote)).Methods(post)
	r.HandleFunc("/admin/rfq/{id}/messages", h.staffOnly(h.handleRFQMessage)).Methods(post)
	r.HandleFunc("/admin/files/{id}", h.staffOnly(h.handleFile)).Methods(get)

	// The catalog (catalog*.go): operators search and read; editing, prices, import and
	// export are for admins. /new before /{id}, so it is not taken for an id.
	r.HandleFunc("/admin/catalog", h.staffOnly(h.handleCatalog)).Methods(get)
	r.HandleFunc("/admin/catalog/products/new", h.adminOnly(h.handleProductPage)).Methods(get)
	r.HandleFunc("/admin/catalog/products/new", h.adminOnly(h.handleProductSave)).Methods(post)
	r.HandleFunc("/admin/catalog/products/{id}", h.adminOnly(h.handleProductPage)).Methods(get)
	r.HandleFunc("/admin/catalog/products/{id}", h.adminOnly(h.handleProductSave)).Methods(post)
	r.HandleFunc("/admin/catalog/prices", h.adminOnly(h.handlePricesPage)).Methods(get)
	r.HandleFunc("/admin/catalog/prices", h.adminOnly(h.handlePricesApply)).Methods(post)
	r.HandleFunc("/admin/catalog/import", h.adminOnly(h.handleImportPage)).Methods(get)
	r.HandleFunc("/admin/catalog/import", h.adminOnly(h.handleImport)).Methods(post)
	r.HandleFunc("/admin/catalog/export.csv", h.adminOnly(h.handleExport)).Methods(get)
	// The audit log (audit*.go), admins only.
	r.HandleFunc("/admin/audit", h.adminOnly(h.handleAudit)).Methods(get)

	// The quote editor, its live totals, the PDF preview and sending (quote*.go).
	r.HandleFunc("/admin/rfq/{id}/quote", h.staffOnly(h.handleQuoteEditor)).Methods(get)
	r.HandleFunc("/admin/rfq/{id}/quote", h.staffOnly(h.handleQuoteSave)).Methods(post)
	r.HandleFunc("/admin/rfq/{id}/quote/totals", h.staffOnly(h.handleQuoteTotals)).Methods(post)
	r.HandleFunc("/admin/rfq/{id}/quote.pdf", h.staffOnly(h.handleQuotePDF)).Methods(get)
	r.HandleFunc("/admin/rfq/{id}/quote/send", h.staffOnly(h.handleQuoteSend)).Methods(post)

	return r
}
