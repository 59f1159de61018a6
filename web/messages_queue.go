package web

import "github.com/metalpro/backend/store"

// Texts of the RFQ queue.
func init() {
	register(map[string]store.Text{
		"queue.title":       {RO: "Cereri de ofertă", EN: "Quote requests"},
		"queue.tabs":        {RO: "Filtrează după stare", EN: "Filter by status"},
		"queue.open":        {RO: "De lucrat", EN: "To do"},
		"queue.all":         {RO: "Toate", EN: "All"},
		"queue.search":      {RO: "Caută", EN: "Search"},
		"queue.searchHint":  {RO: "Număr, firmă, CUI, e-mail sau persoană", EN: "Reference, company, tax id, email or contact"},
		"queue.assignee":    {RO: "Responsabil", EN: "Assignee"},
		"queue.anyone":      {RO: "Oricine", EN: "Anyone"},
		"queue.me":          {RO: "Eu", EN: "Me"},
		"queue.nobody":      {RO: "Nealocate", EN: "Unassigned"},
		"queue.from":        {RO: "Trimise de la", EN: "Sent from"},
		"queue.to":          {RO: "până la", EN: "to"},
		"queue.sort":        {RO: "Ordine", EN: "Order"},
		"queue.sortOldest":  {RO: "Cele mai vechi întâi", EN: "Oldest first"},
		"queue.sortNewest":  {RO: "Cele mai noi întâi", EN: "Newest first"},
		"queue.sortChanged": {RO: "Modificate recent", EN: "Recently changed"},
		"queue.apply":       {RO: "Aplică", EN: "Apply"},
		"queue.reset":       {RO: "Șterge filtrele", EN: "Clear filters"},
		"queue.reference":   {RO: "Număr", EN: "Reference"},
		"queue.submitted":   {RO: "Trimisă", EN: "Sent"},
		"queue.customer":    {RO: "Client", EN: "Customer"},
		"queue.items":       {RO: "Produse", EN: "Items"},
		"queue.estimate":    {RO: "Estimare", EN: "Estimate"},
		"queue.status":      {RO: "Stare", EN: "Status"},
		"queue.guest":       {RO: "vizitator", EN: "guest"},
		"queue.none":        {RO: "nimeni", EN: "nobody"},
		"queue.empty":       {RO: "Nicio cerere nu corespunde filtrelor.", EN: "No request matches these filters."},
		"queue.total.one":   {RO: "1 cerere", EN: "1 request"},
		"queue.total.few":   {RO: "%d cereri", EN: "%d requests"},
		"queue.total.many":  {RO: "%d de cereri", EN: "%d requests"},
	})
}
