package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLogger_DurationsAsTextRoutineReplicationAtDebug(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := newLogger(&buf, slog.LevelInfo).With("process", "replicator")
	log.Info("starting compaction monitor", "level", 1, "interval", 30*time.Second)
	log.Info("compaction complete", "level", 1)
	log.Info("replicating", "sync_interval", time.Second)
	log.Warn("replica unreachable", "retry_in", 90*time.Second)
	log.Debug("a debug line")

	out := buf.String()
	require.Equal(t, 2, strings.Count(out, "\n"), "routine lines and DEBUG are below INFO: %s", out)
	require.Contains(t, out, `"sync_interval":"1s"`)
	require.Contains(t, out, `"retry_in":"1m30s"`)
	require.NotContains(t, out, "compaction")

	buf.Reset()
	log = newLogger(&buf, slog.LevelDebug)
	log.Info("compaction complete", "level", 1)
	require.Contains(t, buf.String(), `"level":"DEBUG","msg":"compaction complete"`, "kept for LOG_LEVEL=debug")

	buf.Reset()
	log = newLogger(&buf, slog.LevelWarn)
	log.Info("replicating")
	log.Error("replication failed")
	require.Equal(t, 1, strings.Count(buf.String(), "\n"))
}
