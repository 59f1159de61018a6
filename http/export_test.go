package apphttp

import "testing"

// MustServerForTest lets external test packages build a server over a fresh database.
func MustServerForTest(tb testing.TB) *Server { return MustNewServer(tb, nil) }
