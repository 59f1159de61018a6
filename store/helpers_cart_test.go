package store_test

import "github.com/metalpro/backend/store"

// validRFQ is a complete, valid RFQ form.
func validRFQ() store.RFQInput {
	return store.RFQInput{
		CompanyName:   "Construcții Oțel SRL",
		CUI:           "RO14399840",
		ContactPerson: "Ana Popescu",
		Email:         "ana@example.ro",
		Phone:         "0722 123 456",
		BillingAddress: &store.RFQAddress{
			Street: "Str. Fabricii 12", City: "Cluj-Napoca", County: "Cluj", PostalCode: "400001",
		},
		DeliveryAddress: &store.RFQAddress{
			Street: "Șos. Industriilor 3", City: "Florești", County: "cluj", PostalCode: "407280", Country: "România",
		},
		Incoterm: "dap",
		Notes:    "Livrare cu macara.",
	}
}
