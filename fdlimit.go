package main

import (
	"log/slog"
	"syscall"
)

// minFileLimit is the open-file limit below which start-up warns: every connection, the
// database and its WAL, the replicator's pipes and the log each hold a descriptor.
const minFileLimit = 4096

// checkFileLimit raises the open-file soft limit to the hard limit (Go does this itself on
// Linux since 1.19; doing it here covers every platform and says what we got) and warns
// when the result is low: at 1,024 descriptors, 1,008 idle connections shut out new clients.
func checkFileLimit(logger *slog.Logger, maxConnsPerIP int) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		logger.Warn("cannot read the open-file limit", "err", err)
		return
	}
	target, warn := fileLimitPlan(lim.Cur, lim.Max)
	if target > lim.Cur {
		raised := syscall.Rlimit{Cur: target, Max: lim.Max}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err != nil {
			logger.Warn("cannot raise the open-file limit", "soft", lim.Cur, "hard", lim.Max, "err", err)
			_, warn = fileLimitPlan(lim.Cur, lim.Cur)
		} else {
			lim = raised
		}
	}
	if warn {
		logger.Warn("open-file limit is low: a few clients holding connections can shut out everyone else; "+
			"raise it (systemd LimitNOFILE=65536, docker --ulimit nofile=65536)",
			"limit", lim.Cur, "recommended", minFileLimit, "max_conns_per_ip", maxConnsPerIP)
		return
	}
	logger.Info("open-file limit", "limit", lim.Cur, "max_conns_per_ip", maxConnsPerIP)
}

// fileLimitPlan is the soft limit to ask for (the hard limit) and whether it is still low.
func fileLimitPlan(soft, hard uint64) (target uint64, low bool) {
	target = max(soft, hard)
	return target, target < minFileLimit
}
