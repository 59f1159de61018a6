package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/metalpro/backend/store"
)

// stdin is where `metalpro user create` reads the password (tests replace it).
var stdin io.Reader = os.Stdin

// runUser is `metalpro user create -email E -name N -role OPERATOR|ADMIN`: staff accounts
// exist only through this command, never through signup. The password is the first line
// of standard input, so it stays out of the shell history and the process list:
//
//	printf '%s\n' "$PASSWORD" | metalpro user create -email ana@metalpro.ro -name "Ana Pop" -role OPERATOR
func runUser(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: metalpro user create -email EMAIL -name NAME -role OPERATOR|ADMIN [-data-dir DIR] (password on stdin)")
	}
	fs := flag.NewFlagSet("metalpro user create", flag.ContinueOnError)
	fs.SetOutput(stdout)
	email := fs.String("email", "", "the staff member's email")
	name := fs.String("name", "", "the staff member's name")
	role := fs.String("role", store.RoleOperator, "OPERATOR or ADMIN")
	dataDir := fs.String("data-dir", "", "data folder (DATA_DIR)")
	dbPath := fs.String("db", "", "database file (DATABASE_PATH)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var cfgArgs []string
	if *dataDir != "" {
		cfgArgs = append(cfgArgs, "-data-dir", *dataDir)
	}
	if *dbPath != "" {
		cfgArgs = append(cfgArgs, "-db", *dbPath)
	}
	cfg, err := loadConfig("user", cfgArgs, getenv, stdout)
	if err != nil {
		return err
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password from stdin: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")

	logger := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := prepareReplica(ctx, cfg, logger); err != nil { // restore a missing database first
		return err
	}
	db, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.CreateStaff(ctx, store.Signup{Email: *email, Password: password, Name: *name, Role: strings.ToUpper(*role)})
	if err != nil {
		var e *store.Error
		if errors.As(err, &e) {
			msg := e.Message.EN
			for _, f := range e.Fields {
				msg += fmt.Sprintf("\n  - %s: %s", f.Field, f.Message.EN)
			}
			return errors.New(msg)
		}
		return err
	}
	fmt.Fprintf(stdout, "created %s account %s (%s)\n", u.Role, u.Email, u.ID)
	return nil
}
