package main

import (
	"github.com/prometheus/client_golang/prometheus"

	appmail "github.com/metalpro/backend/mail"
	"github.com/metalpro/backend/replica"
	"github.com/metalpro/backend/store"
)

// operationalMetrics are the gauges an on-call engineer alerts on, beside /health: how far
// replication lags, whether the replicator runs, and whether emails pile up.
func operationalMetrics(sup *replication, db *store.DB) []prometheus.Collector {
	cs := []prometheus.Collector{appmail.NewOutboxCollector(db)}
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
