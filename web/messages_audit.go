package web

import "github.com/metalpro/backend/store"

// Texts of the audit log, with a label for every action the store audits.
func init() {
	register(map[string]store.Text{
		"audit.title":     {RO: "Jurnal de audit", EN: "Audit log"},
		"audit.entity":    {RO: "Entitate", EN: "Entity"},
		"audit.anyEntity": {RO: "Oricare", EN: "Any"},
		"audit.entityId":  {RO: "Identificator", EN: "Id"},
		"audit.actor":     {RO: "Cine", EN: "Who"},
		"audit.anyone":    {RO: "Oricine", EN: "Anyone"},
		"audit.apply":     {RO: "Aplică", EN: "Apply"},
		"audit.reset":     {RO: "Șterge filtrele", EN: "Clear filters"},
		"audit.total":     {RO: "%d înregistrări", EN: "%d entries"},
		"audit.when":      {RO: "Când", EN: "When"},
		"audit.action":    {RO: "Acțiune", EN: "Action"},
		"audit.change":    {RO: "Ce s-a schimbat", EN: "What changed"},
		"audit.history":   {RO: "tot istoricul", EN: "full history"},
		"audit.more":      {RO: "… și încă %d câmpuri.", EN: "… and %d more fields."},
		"audit.empty":     {RO: "Nicio înregistrare nu corespunde filtrelor.", EN: "No entry matches these filters."},

		"audit.entity.rfq":      {RO: "Cerere de ofertă", EN: "Quote request"},
		"audit.entity.product":  {RO: "Produs", EN: "Product"},
		"audit.entity.catalog":  {RO: "Catalog", EN: "Catalog"},
		"audit.entity.category": {RO: "Categorie", EN: "Category"},
		"audit.entity.user":     {RO: "Utilizator", EN: "User"},

		"audit.action.rfq.status":         {RO: "Stare schimbată", EN: "Status changed"},
		"audit.action.rfq.assign":         {RO: "Responsabil schimbat", EN: "Assignee changed"},
		"audit.action.rfq.note":           {RO: "Notă internă", EN: "Internal note"},
		"audit.action.rfq.message":        {RO: "Mesaj către client", EN: "Message to the customer"},
		"audit.action.quote.draft":        {RO: "Ofertă salvată (ciornă)", EN: "Quote saved (draft)"},
		"audit.action.quote.send":         {RO: "Ofertă trimisă", EN: "Quote sent"},
		"audit.action.quote.accept":       {RO: "Ofertă acceptată de client", EN: "Quote accepted by the customer"},
		"audit.action.quote.decline":      {RO: "Ofertă refuzată de client", EN: "Quote declined by the customer"},
		"audit.action.quote.expire":       {RO: "Ofertă expirată", EN: "Quote expired"},
		"audit.action.product.create":     {RO: "Produs adăugat", EN: "Product added"},
		"audit.action.product.update":     {RO: "Produs modificat", EN: "Product changed"},
		"audit.action.product.deactivate": {RO: "Produs retras", EN: "Product withdrawn"},
		"audit.action.product.import":     {RO: "Produs importat (CSV)", EN: "Product imported (CSV)"},
		"audit.action.catalog.prices":     {RO: "Prețuri schimbate în bloc", EN: "Bulk price change"},
		"audit.action.category.create":    {RO: "Categorie adăugată", EN: "Category added"},
		"audit.action.category.update":    {RO: "Categorie modificată", EN: "Category changed"},
		"audit.action.user.disable":       {RO: "Cont dezactivat", EN: "Account disabled"},
	})
}
