package mail

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// LocalSender writes every email as a .eml file under a folder (DATA_DIR/mail) instead of
// sending it, so a developer sees every email the server would send: open the file in a
// mail client, or read index.log for the list.
type LocalSender struct {
	dir    string
	logger *slog.Logger
	now    func() time.Time
	mu     sync.Mutex // serialises index.log appends
	// beforeRename, when set (tests), sees the temp file while it is still being written.
	beforeRename func(tmpPath string)
}

// tempPattern names an email still being written. It must not end in .eml: a tool (or a
// test) that watches DIR/*.eml would otherwise read a half-written email.
const tempPattern = ".writing-*.eml.part"

// NewLocalSender writes into dir, creating it when needed.
func NewLocalSender(dir string, logger *slog.Logger) *LocalSender {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &LocalSender{dir: dir, logger: logger, now: time.Now}
}

// Dir is the folder the emails are written to.
func (s *LocalSender) Dir() string { return s.dir }

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._@+-]+`)

// Send writes m to DIR/<time>-<template>-<to>.eml (complete, or not at all) and appends a
// line to DIR/index.log. The file's path is the "provider message id".
func (s *LocalSender) Send(ctx context.Context, m *Message) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	now := s.now().UTC()
	raw, err := BuildMIME(m, now)
	if err != nil {
		// The message itself cannot be built (an address, an attachment): it never will be.
		return "", Permanent(fmt.Errorf("build MIME message: %w", err))
	}
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return "", fmt.Errorf("create mail folder: %w", err)
	}
	to := unsafeFileChars.ReplaceAllString(m.To.Email, "_")
	if len(to) > 80 {
		to = to[:80]
	}
	name := fmt.Sprintf("%s-%s-%s", now.Format("20060102-150405.000"), unsafeFileChars.ReplaceAllString(m.Template, "_"), to)
	if m.ID != "" {
		name += "-" + m.ID[:min(8, len(m.ID))]
	}
	path := filepath.Join(s.dir, name+".eml")

	// Write then rename: a reader (or a crash) never sees half an email.
	tmp, err := os.CreateTemp(s.dir, tempPattern)
	if err != nil {
		return "", err
	}
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if s.beforeRename != nil {
		s.beforeRename(tmp.Name())
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}

	line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s\n", now.Format(time.RFC3339), m.Template, m.To.Email,
		strings.ReplaceAll(m.Subject, "\t", " "), path)
	s.mu.Lock()
	f, err := os.OpenFile(filepath.Join(s.dir, "index.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err == nil {
		_, err = f.WriteString(line)
		f.Close()
	}
	s.mu.Unlock()
	if err != nil {
		// The email itself is written; a missing index line is not worth a resend.
		s.logger.Warn("mail: local index.log not updated", "err", err)
	}
	s.logger.Info("mail: email written to a file (no SENDGRID_API_KEY)",
		"template", m.Template, "to", m.To.Email, "subject", m.Subject, "path", path)
	return "file:" + path, nil
}
