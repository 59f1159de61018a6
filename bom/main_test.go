package bom

import (
	"os"
	"testing"

	"github.com/metalpro/backend/store/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	storetest.Cleanup()
	os.Exit(code)
}
