package main

import (
	"context"
	"io"
	"log/slog"
)

// newLogger is the one log format of the program and of its replicator child: JSON lines
// on w at level, durations as text ("30s", not 30000000000), and the replication
// library's routine lines (compactions every 15–30 s, retention sweeps, monitors
// starting) at DEBUG, so INFO shows what an operator acts on.
func newLogger(w io.Writer, level slog.Leveler) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: durationsAsText})
	return slog.New(&routineAtDebug{inner: h, level: level})
}

// durationsAsText writes a time.Duration as Go writes it ("1m30s").
func durationsAsText(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.String(a.Key, a.Value.Duration().String())
	}
	return a
}

// routineReplicationLines are the replication library's messages that repeat while all is
// well. They stay in the logs at DEBUG (LOG_LEVEL=debug) for when replication misbehaves.
var routineReplicationLines = map[string]bool{
	"compaction complete":                                               true,
	"l0 retention enforced":                                             true,
	"ltx files deleted before":                                          true,
	"starting compaction monitor":                                       true,
	"starting L0 retention monitor":                                     true,
	"starting heartbeat monitor":                                        true,
	"starting validation monitor":                                       true,
	"checkpoint skipped, snapshot in progress":                          true,
	"wal restarted by passive checkpoint, skipping truncate checkpoint": true,
}

// routineAtDebug lowers routine replication lines to DEBUG, then filters by level. Its
// inner handler takes every level: the level is decided here, after the lowering.
type routineAtDebug struct {
	inner slog.Handler
	level slog.Leveler
}

func (h *routineAtDebug) Enabled(_ context.Context, l slog.Level) bool {
	// An INFO line may be lowered, so it is let through to Handle, which decides.
	return l >= h.level.Level() || l == slog.LevelInfo
}

func (h *routineAtDebug) Handle(ctx context.Context, r slog.Record) error {
	if r.Level == slog.LevelInfo && routineReplicationLines[r.Message] {
		r.Level = slog.LevelDebug
	}
	if r.Level < h.level.Level() {
		return nil
	}
	return h.inner.Handle(ctx, r)
}

func (h *routineAtDebug) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &routineAtDebug{inner: h.inner.WithAttrs(attrs), level: h.level}
}

func (h *routineAtDebug) WithGroup(name string) slog.Handler {
	return &routineAtDebug{inner: h.inner.WithGroup(name), level: h.level}
}
