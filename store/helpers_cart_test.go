package store_test

import (
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// validRFQ is a complete, valid RFQ form, with a county typed in lower case (the store
// normalises it).
func validRFQ() store.RFQInput {
	in := storetest.RFQInput()
	in.DeliveryAddress.County = "cluj"
	return in
}
