package loadtest

import (
	"context"
	"fmt"
	"math/rand"
	"net/url"
	"time"
)

// ackedRFQ is an RFQ the server answered 201 for: it must be readable afterwards,
// by the guest that sent it, with every item of its cart.
type ackedRFQ struct {
	id, ref string
	items   int
	guest   *guest
}

type product struct {
	ID, SKU, BaseUnit string
}

var searches = []string{"teava 40x20x2", "hea 200", "tabla inox 2mm 304", "cornier 50x50x5", "platbanda 40x4", "bara rotunda 20"}

// quantityFor gives a quantity that suits the product's base unit (m, kg or pieces).
func quantityFor(unit string, i int) float64 {
	switch unit {
	case "kg":
		return float64(25 + i%50)
	case "m":
		return float64(6 + i%12)
	default:
		return float64(1 + i%5)
	}
}

// visit is one guest's path: categories, a category list, a filtered list, a search,
// product pages, three cart adds, the cart, an RFQ and its read-back. think is called
// between steps (zero in burst mode).
func visit(ctx context.Context, g *guest, i int, think func() error) (*ackedRFQ, error) {
	steps := 0
	pause := func() error {
		steps++
		if steps > 1 && think != nil {
			return think()
		}
		return nil
	}
	var cats struct{ Categories []struct{ Slug string } }
	if err := g.call(ctx, "categories", "GET", "/api/categories", nil, 200, &cats); err != nil {
		return nil, err
	}
	if len(cats.Categories) == 0 {
		return nil, fmt.Errorf("the server has no categories (is the catalog seeded?)")
	}
	slug := url.QueryEscape(cats.Categories[i%len(cats.Categories)].Slug)
	var list, filtered, found struct{ Products []product }
	if err := pause(); err != nil {
		return nil, err
	}
	if err := g.call(ctx, "list", "GET", "/api/products?category="+slug+"&page=1&limit=24", nil, 200, &list); err != nil {
		return nil, err
	}
	if err := pause(); err != nil {
		return nil, err
	}
	if err := g.call(ctx, "filter", "GET", "/api/products?category="+slug+"&minPrice=1&sort=price_asc&page=1&limit=24", nil, 200, &filtered); err != nil {
		return nil, err
	}
	if err := pause(); err != nil {
		return nil, err
	}
	if err := g.call(ctx, "search", "GET", "/api/products?q="+url.QueryEscape(searches[i%len(searches)]), nil, 200, &found); err != nil {
		return nil, err
	}
	// Up to three different products, so the RFQ has one line each (the same product
	// added twice may merge into one line).
	var picks []product
	seen := map[string]bool{}
	for _, p := range append(append([]product{}, found.Products[:min(2, len(found.Products))]...), list.Products...) {
		if len(picks) < 3 && !seen[p.ID] {
			seen[p.ID] = true
			picks = append(picks, p)
		}
	}
	if len(picks) == 0 {
		return nil, fmt.Errorf("nothing to buy: search and list came back empty")
	}
	for k, p := range picks {
		if err := pause(); err != nil {
			return nil, err
		}
		if err := g.call(ctx, "product", "GET", "/api/products/"+url.PathEscape(p.SKU), nil, 200, nil); err != nil {
			return nil, err
		}
		if err := g.call(ctx, "add_to_cart", "POST", "/api/cart/items",
			map[string]any{"productId": p.ID, "quantity": quantityFor(p.BaseUnit, i+k), "unit": p.BaseUnit}, 201, nil); err != nil {
			return nil, err
		}
	}
	if err := pause(); err != nil {
		return nil, err
	}
	if err := g.call(ctx, "cart", "GET", "/api/cart", nil, 200, nil); err != nil {
		return nil, err
	}
	addr := map[string]string{"street": "Str. Fabricii 12", "city": "Cluj-Napoca", "county": "Cluj", "postalCode": "400000", "country": "Romania"}
	var rfq struct{ ID, ReferenceNumber string }
	if err := g.call(ctx, "submit_rfq", "POST", "/api/rfq", map[string]any{
		"companyName": fmt.Sprintf("Construcții Metalice %d SRL", i), "contactPerson": "Ana Popescu",
		"email": fmt.Sprintf("ana%d@example.ro", i), "phone": "0722123456",
		"billingAddress": addr, "deliveryAddress": addr,
	}, 201, &rfq); err != nil {
		return nil, err
	}
	acked := &ackedRFQ{id: rfq.ID, ref: rfq.ReferenceNumber, items: len(picks), guest: g}
	if err := g.call(ctx, "read_rfq", "GET", "/api/rfq/"+url.PathEscape(rfq.ID), nil, 200, nil); err != nil {
		return acked, err
	}
	return acked, nil
}

// thinker pauses between min and max, or until ctx ends.
func thinker(ctx context.Context, rng *rand.Rand, lo, hi time.Duration) func() error {
	return func() error {
		d := lo
		if hi > lo {
			d += time.Duration(rng.Int63n(int64(hi - lo)))
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
