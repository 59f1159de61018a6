package store

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestRFQInput_ControlCharacters: a company name with a line break used to be answered
// "Company name is required", which sends the customer looking for the wrong mistake.
func TestRFQInput_ControlCharacters(t *testing.T) {
	in := RFQInput{CompanyName: "Metal\nSRL", ContactPerson: "Ana\tPop", Email: "ana@example.ro", Phone: "0722123456",
		BillingAddress:  &RFQAddress{Street: "Str. Fabricii 1", City: "Cluj\r\nNapoca", County: "Cluj", PostalCode: "400000"},
		DeliveryAddress: &RFQAddress{Street: "Str. Fabricii 1", City: "Cluj-Napoca", County: "Cluj", PostalCode: "400000"}}
	var e *Error
	require.True(t, errors.As(in.Validate(time.Now()), &e))
	got := map[string]Text{}
	for _, f := range e.Fields {
		got[f.Field] = f.Message
	}
	for _, field := range []string{"companyName", "contactPerson", "billingAddress.city"} {
		require.Contains(t, got[field].RO, "caractere de control", field)
		require.Contains(t, got[field].EN, "control characters", field)
		require.NotContains(t, got[field].EN, "required", field)
	}
	require.Len(t, got, 3, "%v", got)
}
