package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/metalpro/backend/store"
)

// stdin is where `metalpro user create` reads the password (tests replace it).
var stdin io.Reader = os.Stdin

// runUser is `metalpro user create|disable|list`: staff accounts exist only through this
// command, never through signup.
//
//	printf '%s\n' "$PASSWORD" | metalpro user create -email ana@metalpro.ro -name "Ana Pop" -role OPERATOR
//	metalpro user disable ana@metalpro.ro
//	metalpro user list
//
// create reads the password from the first line of standard input, so it stays out of the
// shell history and the process list; typed at a terminal, it is asked for twice, unseen.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	const usage = "usage: metalpro user create -email EMAIL -name NAME -role OPERATOR|ADMIN (password on stdin)\n" +
		"       metalpro user disable [-data-dir DIR] EMAIL\n       metalpro user list [-data-dir DIR]"
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "create":
		return runUserCreate(ctx, args[1:], getenv, stdout)
	case "disable":
		return runUserDisable(ctx, args[1:], getenv, stdout)
	case "list":
		return runUserList(ctx, args[1:], getenv, stdout)
	}
	return errors.New(usage)
}

// userFlags are the database flags every `metalpro user` command takes.
type userFlags struct{ dataDir, dbPath *string }

func newUserFlags(fs *flag.FlagSet) userFlags {
	return userFlags{
		dataDir: fs.String("data-dir", "", "data folder (DATA_DIR)"),
		dbPath:  fs.String("db", "", "database file (DATABASE_PATH)"),
	}
}

// open loads the configuration and opens the database (restoring a missing one first).
func (f userFlags) open(ctx context.Context, getenv func(string) string, stdout io.Writer) (*store.DB, error) {
	var cfgArgs []string
	if *f.dataDir != "" {
		cfgArgs = append(cfgArgs, "-data-dir", *f.dataDir)
	}
	if *f.dbPath != "" {
		cfgArgs = append(cfgArgs, "-db", *f.dbPath)
	}
	cfg, err := loadConfig("user", cfgArgs, getenv, stdout)
	if err != nil {
		return nil, err
	}
	logger := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := prepareReplica(ctx, cfg, logger); err != nil {
		return nil, err
	}
	return openStore(ctx, cfg, logger)
}

func runUserCreate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("metalpro user create", flag.ContinueOnError)
	fs.SetOutput(stdout)
	email := fs.String("email", "", "the staff member's email")
	name := fs.String("name", "", "the staff member's name")
	role := fs.String("role", store.RoleOperator, "OPERATOR or ADMIN")
	dbFlags := newUserFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	password, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	db, err := dbFlags.open(ctx, getenv, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.CreateStaff(ctx, store.Signup{Email: *email, Password: password, Name: *name, Role: strings.ToUpper(*role)})
	if err != nil {
		return storeErrorText(err)
	}
	fmt.Fprintf(stdout, "created %s account %s (%s)\n", u.Role, u.Email, u.ID)
	return nil
}

// runUserDisable: the account can no longer sign in and its sessions end now; the audit
// log records it under the actor "cli".
func runUserDisable(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("metalpro user disable", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dbFlags := newUserFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: metalpro user disable [-data-dir DIR] EMAIL")
	}
	db, err := dbFlags.open(ctx, getenv, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	ended, err := db.DisableUser(store.WithActor(ctx, store.Actor{Label: "cli"}), fs.Arg(0))
	if err != nil {
		return storeErrorText(err)
	}
	fmt.Fprintf(stdout, "disabled %s; %d session(s) ended\n", fs.Arg(0), ended)
	return nil
}

// runUserList prints the staff accounts, one a line: email, role, name, status.
func runUserList(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("metalpro user list", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dbFlags := newUserFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := dbFlags.open(ctx, getenv, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	staff, err := db.ListStaff(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tNAME\tSTATUS")
	for _, a := range staff {
		status := "active"
		if a.DisabledAt != nil {
			status = "disabled " + a.DisabledAt.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Email, a.Role, a.Name, status)
	}
	return tw.Flush()
}

// storeErrorText turns a store error into its English message and field problems.
func storeErrorText(err error) error {
	var e *store.Error
	if !errors.As(err, &e) {
		return err
	}
	msg := e.Message.EN
	for _, f := range e.Fields {
		msg += fmt.Sprintf("\n  - %s: %s", f.Field, f.Message.EN)
	}
	return errors.New(msg)
}
