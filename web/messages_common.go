package web

import "github.com/metalpro/backend/store"

// Texts of the layout, sign-in, errors and RFQ statuses.
func init() {
	register(map[string]store.Text{
		"app.name":            {RO: "MetalPro · Back office", EN: "MetalPro · Back office"},
		"nav.queue":           {RO: "Cereri de ofertă", EN: "Quote requests"},
		"nav.catalog":         {RO: "Catalog", EN: "Catalog"},
		"nav.audit":           {RO: "Jurnal de audit", EN: "Audit log"},
		"nav.signout":         {RO: "Ieșire", EN: "Sign out"},
		"nav.skip":            {RO: "Sari la conținut", EN: "Skip to content"},
		"nav.signedInAs":      {RO: "Conectat ca %s", EN: "Signed in as %s"},
		"lang.switch":         {RO: "English", EN: "Română"},
		"lang.switchLabel":    {RO: "Schimbă limba în engleză", EN: "Switch the language to Romanian"},
		"role.OPERATOR":       {RO: "operator", EN: "operator"},
		"role.ADMIN":          {RO: "administrator", EN: "administrator"},
		"signin.title":        {RO: "Autentificare", EN: "Sign in"},
		"signin.heading":      {RO: "Intră în back office", EN: "Sign in to the back office"},
		"signin.email":        {RO: "E-mail", EN: "Email"},
		"signin.password":     {RO: "Parolă", EN: "Password"},
		"signin.submit":       {RO: "Intră", EN: "Sign in"},
		"signin.help":         {RO: "Conturile echipei se creează cu comanda „metalpro user create”.", EN: "Team accounts are created with the command “metalpro user create”."},
		"error.title":         {RO: "Eroare", EN: "Error"},
		"error.back":          {RO: "Înapoi la cereri", EN: "Back to the requests"},
		"error.internal":      {RO: "A apărut o eroare neașteptată. Am notat-o; încearcă din nou peste puțin timp.", EN: "Something unexpected went wrong. It has been logged; try again shortly."},
		"status.SUBMITTED":    {RO: "Nouă", EN: "New"},
		"status.ACKNOWLEDGED": {RO: "Preluată", EN: "Acknowledged"},
		"status.IN_PROGRESS":  {RO: "În lucru", EN: "In progress"},
		"status.QUOTED":       {RO: "Ofertată", EN: "Quoted"},
		"status.COMPLETED":    {RO: "Finalizată", EN: "Completed"},
		"status.CANCELLED":    {RO: "Anulată", EN: "Cancelled"},
		"pager.prev":          {RO: "‹ Înapoi", EN: "‹ Previous"},
		"pager.next":          {RO: "Înainte ›", EN: "Next ›"},
		"pager.of":            {RO: "Pagina %d din %d", EN: "Page %d of %d"},
	})
}
