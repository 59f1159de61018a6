package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/metalpro/backend/store"
)

// emailsCommand is `metalpro emails`, the operator's view of the outbox:
//
//	metalpro emails                 counts, then the emails given up on and those waiting
//	metalpro emails failed|pending|sending|sent|all
//	metalpro emails retry <id>      requeue an email given up on (after fixing the cause)
func emailsCommand(ctx context.Context, db *store.DB, args []string, out io.Writer) error {
	if len(args) >= 1 && args[0] == "retry" {
		if len(args) != 2 {
			return fmt.Errorf("usage: metalpro emails retry <id>")
		}
		if err := db.RetryFailedEmail(ctx, args[1]); err != nil {
			return err
		}
		fmt.Fprintf(out, "email %s requeued; a running server sends it within seconds\n", args[1])
		return nil
	}
	statuses := []string{store.OutboxFailed, store.OutboxPending, store.OutboxSending}
	if len(args) == 1 {
		switch args[0] {
		case store.OutboxFailed, store.OutboxPending, store.OutboxSending, store.OutboxSent:
			statuses = []string{args[0]}
		case "all":
			statuses = []string{""}
		default:
			return fmt.Errorf("unknown status %q (failed, pending, sending, sent, all; or: retry <id>)", args[0])
		}
	} else if len(args) > 1 {
		return fmt.Errorf("usage: metalpro emails [failed|pending|sending|sent|all] | retry <id>")
	}

	s, err := db.OutboxStats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "outbox: %d pending, %d sending, %d sent, %d failed (%d in the last 24 h); oldest unsent: %s\n\n",
		s.Pending, s.Sending, s.Sent, s.Failed, s.FailedLast24h, s.OldestPending.Round(time.Second))
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tTEMPLATE\tTO\tATTEMPTS\tCREATED\tNEXT/GAVE UP\tLAST ERROR")
	for _, status := range statuses {
		rows, total, err := db.ListEmails(ctx, store.OutboxFilter{Status: status, Limit: 100})
		if err != nil {
			return err
		}
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", r.ID, r.Status, r.Template, r.To, r.Attempts,
				store.FormatTime(r.CreatedAt), store.FormatTime(r.NextAttemptAt), oneLine(r.LastError, 100))
		}
		if total > len(rows) {
			fmt.Fprintf(tw, "… %d more %s\n", total-len(rows), status)
		}
	}
	return tw.Flush()
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
