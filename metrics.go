package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/metalpro/backend/replica"
	"github.com/metalpro/backend/store"
)

// operationalMetrics are the gauges an on-call engineer alerts on, beside /health: how far
// replication lags, whether the replicator runs, and whether emails pile up.
func operationalMetrics(sup *replication, db *store.DB) []prometheus.Collector {
	cs := []prometheus.Collector{&outboxCollector{db: db}}
	if sup == nil {
		return cs
	}
	return append(cs,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "metalpro_replication_up",
			Help: "1 while the replicator process runs and replicates, 0 otherwise.",
		}, func() float64 {
			if sup.Status().State == replica.StateReplicating {
				return 1
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "metalpro_replication_lag_seconds",
			Help: "Age of the oldest commit not yet in the replica (0 when caught up).",
		}, func() float64 { return sup.Status().LagSeconds }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "metalpro_replication_restarts_total",
			Help: "Times the replicator process died and was restarted.",
		}, func() float64 { return float64(sup.Status().Restarts) }),
	)
}

// outboxCollector reads the outbox counts once per scrape.
type outboxCollector struct{ db *store.DB }

var (
	outboxEmailsDesc = prometheus.NewDesc("metalpro_email_outbox_emails",
		"Emails in the outbox by status (pending includes retries; failed means given up).", []string{"status"}, nil)
	outboxOldestDesc = prometheus.NewDesc("metalpro_email_outbox_oldest_pending_seconds",
		"Age of the oldest email not yet sent.", nil, nil)
)

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxEmailsDesc
	ch <- outboxOldestDesc
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := c.db.OutboxStats(ctx)
	if err != nil {
		return // the scrape shows the series missing; /health says why
	}
	for status, n := range map[string]int{"pending": st.Pending, "sending": st.Sending, "failed": st.Failed} {
		ch <- prometheus.MustNewConstMetric(outboxEmailsDesc, prometheus.GaugeValue, float64(n), status)
	}
	ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, st.OldestPending.Seconds())
}
