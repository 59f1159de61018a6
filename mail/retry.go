package mail

import (
	"math"
	"math/rand/v2"
	"time"
)

// RetryPolicy decides whether and when a failed send is retried. It is the worker's
// delivery policy; the outbox (store) only records the decision.
type RetryPolicy struct {
	MaxAttempts int           // give up after this many attempts (claims); 10 when zero
	BaseDelay   time.Duration // delay after the first failure; 30 s when zero
	MaxDelay    time.Duration // cap of the exponential delay; 1 h when zero
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 10
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 30 * time.Second
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = time.Hour
	}
	return p
}

// Limit is the number of attempts after which an email is given up.
func (p RetryPolicy) Limit() int { return p.withDefaults().MaxAttempts }

// GiveUp reports whether an email whose attempt number attempts failed with err is given
// up rather than retried: a permanent error, or the last attempt the policy allows.
func (p RetryPolicy) GiveUp(attempts int, err error) bool {
	return IsPermanent(err) || attempts >= p.Limit()
}

// Backoff is the delay before the attempt after attempts failed ones: BaseDelay doubled
// per attempt, capped at MaxDelay, of which a random half is taken off ("equal jitter") so
// that emails failing together do not retry together.
func (p RetryPolicy) Backoff(attempts int) time.Duration {
	p = p.withDefaults()
	d := p.MaxDelay
	if attempts < 1 {
		attempts = 1
	}
	if exp := float64(p.BaseDelay) * math.Pow(2, float64(attempts-1)); exp < float64(p.MaxDelay) {
		d = time.Duration(exp)
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}
