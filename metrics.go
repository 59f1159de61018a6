package main

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	appmail "github.com/metalpro/backend/mail"
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
			Help: "1 while replication works: the replicator runs, its last upload succeeded and the lag is under the health limit; 0 otherwise (an outage, a stall, a dead replicator).",
		}, func() float64 {
			if ok, _ := sup.Health(context.Background()); ok {
				return 1
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "metalpro_replication_last_upload_timestamp_seconds",
			Help: "Unix time of the last successful upload to the replica (0 before the first).",
		}, func() float64 {
			if at := sup.Status().LastUploadAt; !at.IsZero() {
				return float64(at.UnixMilli()) / 1000
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "metalpro_replication_upload_failing",
			Help: "1 while uploads to the replica fail (since the first failure after the last success), 0 otherwise.",
		}, func() float64 {
			if sup.Status().UploadFailingSince.IsZero() {
				return 0
			}
			return 1
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "metalpro_replication_lag_seconds",
			Help: "Now minus the commit time of the oldest transaction not yet in the replica (0 when caught up).",
		}, func() float64 { return sup.Status().LagSeconds }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "metalpro_replication_restarts_total",
			Help: "Times the replicator process died and was restarted.",
		}, func() float64 { return float64(sup.Status().Restarts) }),
	)
}
