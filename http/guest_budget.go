package apphttp

import (
	"net/http"
	"time"

	"github.com/metalpro/backend/store"
)

// Every cookie-less POST /api/cart/items makes a session, a cart and a line that live 30
// days (1–2.3 KB). Without a bound across clients, a botnet inside the per-IP API limit
// could fill the disk with carts nobody will open again. So new guests (only they: a guest
// who has a cart, and signed-in customers, are never refused) have a global budget per
// minute and a small share per IP, so one address cannot spend everyone's budget.

// DefaultNewGuests and DefaultNewGuestsPerIP: a B2B steel shop sees a few new guest carts
// an hour, so 10 a minute (14,400 a day) is far above real traffic, while a month of it at
// the cap is 432,000 guests, about 0.5 GB (1 GB with specs) of a 3 GB volume. 3 per IP a
// minute covers an office behind one address.
var (
	DefaultNewGuests      = Limit{Max: 10, Window: time.Minute}
	DefaultNewGuestsPerIP = Limit{Max: 3, Window: time.Minute}
)

// guestBudget counts new guests, all together and per client IP.
type guestBudget struct {
	all, perIP *limiter
}

// allGuests is the key of the global count.
const allGuests = "*"

func newGuestBudget(all, perIP Limit) *guestBudget {
	return &guestBudget{all: newLimiter(all), perIP: newLimiter(perIP)}
}

// admit takes one new guest from ip's share and from the global budget, or says why not:
// 429 when this address made its share, 503 with Retry-After when the global budget is
// spent. release gives the place back when the write is refused, so a failed request
// costs no budget.
func (b *guestBudget) admit(ip string, now time.Time) (release func(), err error) {
	if ok, retry := b.perIP.Allow(ip, now); !ok {
		return nil, errRateLimited(retry,
			"Prea multe coșuri noi de la această adresă. Te rugăm să încerci mai târziu.",
			"Too many new carts from this address. Please try again later.")
	}
	if ok, retry := b.all.Allow(allGuests, now); !ok {
		b.perIP.Refund(ip, now)
		e := store.Errorf(store.ECodeGuestBudget,
			"Avem foarte mulți vizitatori noi în acest moment. Încearcă din nou peste un minut sau autentifică-te: coșul clienților autentificați funcționează oricând.",
			"We have very many new visitors right now. Try again in a minute, or sign in: signed-in customers' carts always work.")
		e.RetryAfter = retry
		return nil, e
	}
	return func() { b.perIP.Refund(ip, now); b.all.Refund(allGuests, now) }, nil
}

// admitNewGuest is admit for the request's client.
func (s *Server) admitNewGuest(r *http.Request) (release func(), err error) {
	return s.guests.admit(clientIPFrom(r.Context()), time.Now())
}
