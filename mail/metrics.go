package mail

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/metalpro/backend/store"
)

// OutboxCollector exposes the outbox on /metrics, read once per scrape: emails by status
// and the age of the oldest unsent one, what an on-call engineer alerts on.
type OutboxCollector struct{ db *store.DB }

// NewOutboxCollector collects db's outbox counts.
func NewOutboxCollector(db *store.DB) *OutboxCollector { return &OutboxCollector{db: db} }

var (
	outboxEmailsDesc = prometheus.NewDesc("metalpro_email_outbox_emails",
		"Emails in the outbox by status (pending includes retries; failed means given up).", []string{"status"}, nil)
	outboxOldestDesc = prometheus.NewDesc("metalpro_email_outbox_oldest_pending_seconds",
		"Age of the oldest email not yet sent.", nil, nil)
)

// Describe sends the collector's two metric descriptions.
func (c *OutboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxEmailsDesc
	ch <- outboxOldestDesc
}

// Collect reads the outbox's counts. When the database does not answer in time the
// series are missing from the scrape; /health says why.
func (c *OutboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := c.db.OutboxStats(ctx)
	if err != nil {
		return
	}
	for status, n := range map[string]int{"pending": st.Pending, "sending": st.Sending, "failed": st.Failed} {
		ch <- prometheus.MustNewConstMetric(outboxEmailsDesc, prometheus.GaugeValue, float64(n), status)
	}
	ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, st.OldestPending.Seconds())
}
