package apphttp

import "github.com/metalpro/backend/store"

// NewServerWithStorefront is NewServerOver with the storefront build sf served beside the API.
func NewServerWithStorefront(db *store.DB, sf *Storefront, mutate func(*Config)) *Server {
	return NewServer(db, testConfig(mutate), Deps{Storefront: sf})
}
