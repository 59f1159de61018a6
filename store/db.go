// Package store keeps all of MetalPro's data in one SQLite database.
//
// SQLite has one writer at a time, so the store keeps two pools: a single-connection
// write pool whose transactions start with BEGIN IMMEDIATE (no read-to-write upgrade can
// fail with SQLITE_BUSY halfway through a request), and a read pool whose connections are
// query-only. Every pragma lives in the connection string so every pooled connection has it.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// Options tune Open; the zero value is fine.
type Options struct {
	Logger    *slog.Logger
	Now       func() time.Time // clock for transactions; time.Now when nil (tests fix it)
	ReadConns int              // size of the read pool; 2×GOMAXPROCS+2 when zero
	// PasswordCost is the bcrypt cost; DefaultPasswordCost (12) when zero. Tests lower it:
	// cost 12 takes ~0.3 s per hash, several seconds under the race detector.
	PasswordCost int
	// WriteWait bounds how long a write waits for the database (the write connection and
	// SQLite's write lock) before it fails as unavailable; DefaultWriteWait when zero.
	WriteWait time.Duration
	// Quotas bound what each user may keep; a zero Quota takes DefaultQuotas' value.
	Quotas Quotas
	// PasswordSlots bounds bcrypt computations at once (half the CPUs when zero);
	// PasswordQueueWait is how long a caller may wait for one (DefaultPasswordQueueWait).
	PasswordSlots     int
	PasswordQueueWait time.Duration
	// WriteBatchMax and WriteBatchWindow bound a group commit: at most this many writes,
	// and no new write joins once the batch has run this long (write_queue.go).
	// DefaultWriteBatchMax and DefaultWriteBatchWindow when zero.
	WriteBatchMax    int
	WriteBatchWindow time.Duration
}

// DB is the application database.
type DB struct {
	path   string
	write  *sql.DB
	read   *sql.DB
	now    func() time.Time
	logger *slog.Logger
	// passwordCost is the bcrypt cost of new password hashes.
	passwordCost int
	// hashing bounds bcrypt work (password_queue.go).
	hashing   *hashQueue
	dummyOnce sync.Once // dummy: a hash to compare against for unknown emails
	dummy     string
	// emailHook runs after a transaction that enqueued an email commits (OnEmailEnqueued).
	emailHook atomic.Pointer[func()]
	// catalogHooks run after every catalog write commits (OnCatalogChanged).
	catalogHooksMu sync.Mutex
	catalogHooks   []func()
	// writeWait bounds a write's wait for the database; writes remembers the last
	// outcome for /health (write_health.go).
	writeWait time.Duration
	writes    writeState
	// queue feeds the writer goroutine; batchMax and batchWindow bound a group commit;
	// commits counts the commits it made (write_tx.go).
	queue       *writeQueue
	batchMax    int
	batchWindow time.Duration
	commits     atomic.Int64
	// quotas bound each user's projects, addresses and uploads (quota.go).
	quotas Quotas
}

// Open opens (creating if needed) the database at path and applies the migrations in
// schema that it has not applied yet.
func Open(ctx context.Context, path string, schema string, opt Options) (*DB, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ReadConns <= 0 {
		opt.ReadConns = 2*runtime.GOMAXPROCS(0) + 2
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	migrations, err := ParseMigrations(schema)
	if err != nil {
		return nil, err
	}

	if opt.WriteWait <= 0 {
		opt.WriteWait = DefaultWriteWait
	}
	write, err := sql.Open("sqlite3", dsn(path, false, opt.WriteWait))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	read, err := sql.Open("sqlite3", dsn(path, true, 10*time.Second))
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(opt.ReadConns)
	read.SetMaxIdleConns(opt.ReadConns)

	if opt.WriteBatchMax <= 0 {
		opt.WriteBatchMax = DefaultWriteBatchMax
	}
	if opt.WriteBatchWindow <= 0 {
		opt.WriteBatchWindow = DefaultWriteBatchWindow
	}
	if opt.PasswordCost <= 0 {
		opt.PasswordCost = DefaultPasswordCost
	}
	db := &DB{path: path, write: write, read: read, now: opt.Now, logger: opt.Logger, passwordCost: opt.PasswordCost,
		writeWait: opt.WriteWait, quotas: opt.Quotas.withDefaults(),
		queue: newWriteQueue(), batchMax: opt.WriteBatchMax, batchWindow: opt.WriteBatchWindow,
		hashing: newHashQueue(opt.PasswordSlots, opt.PasswordQueueWait)}
	go db.runWriter()
	if err := db.migrate(ctx, migrations); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// dsn builds the connection string. Why each pragma:
//   - WAL: readers never block the writer; Litestream replicates the WAL.
//   - busy_timeout: Litestream's replicator briefly takes the write lock to checkpoint,
//     and readers may wait for a WAL restart; waiting beats failing a customer's request.
//     Readers wait up to 10 s; the write pool waits the write wait (5 s by default), and
//     Write narrows it to what is left of that wait (write_tx.go), so a lock held by
//     another process gives quick 503s rather than a queue of timeouts.
//   - synchronous FULL: a commit we acknowledged survives a power cut, not only a crash.
//     Writes here are few (carts, RFQs, sessions); the fsync costs far less than a lost RFQ.
//   - foreign_keys on: SQLite leaves them off by default.
//   - _txlock immediate on the write pool: take the write lock at BEGIN.
//   - query_only on the read pool: a write on the wrong pool fails loudly in tests.
func dsn(path string, readOnly bool, busy time.Duration) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_busy_timeout", strconv.FormatInt(busy.Milliseconds(), 10))
	v.Set("_foreign_keys", "on")
	v.Set("_synchronous", "FULL")
	// Keep each connection's recent prepared statements: without it every query of a write
	// was compiled again, a third of the single writer's CPU in the burst profile
	// (docs/PERFORMANCE.md); with it RFQ submissions and cart adds run 1.5–2× faster.
	v.Set("_stmt_cache_size", "64")
	if readOnly {
		v.Set("_query_only", "true")
		v.Set("_txlock", "deferred")
	} else {
		v.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + v.Encode()
}

// Close closes both pools once the writes already queued have been answered. The write
// pool closes last so that its final checkpoint sees no reader.
func (db *DB) Close() error {
	if db.queue != nil {
		db.queue.close()
		<-db.queue.stopped
	}
	var errs []error
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// ReadDB is the read pool, for read-only queries outside a transaction.
func (db *DB) ReadDB() *sql.DB { return db.read }

// Ping checks that both pools answer a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("read pool: %w", err)
	}
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("write pool: %w", err)
	}
	return nil
}

// Now is the store's clock, in UTC, to the millisecond: the precision times are stored
// with (timeLayout), so a time the API returns after a write is the one it reads back.
func (db *DB) Now() time.Time { return db.now().UTC().Truncate(time.Millisecond) }

// Tx is a transaction with its clock fixed at the start, so every row it writes carries
// the same time.
type Tx struct {
	*sql.Tx
	Now time.Time
	db  *DB
	// shielded: the transaction is shared by a batch of writes (write_tx.go), so a
	// caller's cancelled context must not interrupt its statements (tx_shield.go).
	shielded bool
	// afterCommit runs once the transaction has committed (cache invalidation and the
	// like: never before, so no reader sees a cache newer than the database).
	afterCommit []func()
}

// AfterCommit registers fn to run after a successful commit.
func (tx *Tx) AfterCommit(fn func()) { tx.afterCommit = append(tx.afterCommit, fn) }

// Write runs fn in a write transaction (BEGIN IMMEDIATE on the single write connection).
// fn's error rolls everything back; a panic in fn rolls back and re-panics.
// Concurrent writes share one commit (group commit, write_tx.go), each in a savepoint of
// its own: fn sees exactly what it would alone, tx.Now is fn's own, and Write returns nil
// only once the commit holding fn's changes is durable; AfterCommit hooks run after it.
// A write that cannot get the database within the write wait (Options.WriteWait) fails
// as unavailable, one that fails for lack of space as storage_full (write_tx.go).
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	err := db.writeTx(ctx, withJoined(ctx, fn))
	err = Classify(err)
	db.writes.record(err)
	return err
}

// Read runs fn in a read transaction on the read pool: one consistent snapshot.
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) error {
	return db.runTx(ctx, db.read, fn)
}

func (db *DB) runTx(ctx context.Context, pool *sql.DB, fn func(tx *Tx) error) (err error) {
	sqlTx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return db.finishTx(sqlTx, fn)
}

// finishTx runs fn in sqlTx and commits, or rolls back on fn's error or panic.
func (db *DB) finishTx(sqlTx *sql.Tx, fn func(tx *Tx) error) error {
	tx := &Tx{Tx: sqlTx, Now: db.Now(), db: db}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}

// NewID returns a new random UUID string.
func NewID() string { return uuid.NewString() }

// timeLayout is fixed-width, so times stored as text sort in time order.
const timeLayout = "2006-01-02T15:04:05.000Z"

// FormatTime formats t in UTC for storage.
func FormatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// ParseTime parses a time stored by FormatTime (or any RFC 3339 time).
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// nullIfEmpty is the value to store for optional text: NULL for "" or a nil pointer, so a
// column never holds both NULL and "" for "none".
func nullIfEmpty[T string | *string](v T) any {
	if p, ok := any(v).(*string); ok {
		if p == nil {
			return nil
		}
		return nullIfEmpty(*p)
	}
	if s := any(v).(string); s != "" {
		return s
	}
	return nil
}

// parseNullText reads a nullable text column: nil for NULL.
func parseNullText(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

// parseNullTime parses a nullable time column.
func parseNullTime(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t, err := ParseTime(s.String)
	if err != nil {
		return nil
	}
	return &t
}
