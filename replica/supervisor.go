package replica

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Supervisor states reported by Status.
const (
	StateOff         = "off"
	StateStarting    = "starting"
	StateReplicating = "replicating"
	StateRestarting  = "restarting"
	StateStopped     = "stopped"
)

// Supervisor runs the replicator child (`metalpro replicate`), restarts it
// with backoff when it dies, and reports its state for /health.
type Supervisor struct {
	Config Config
	DBPath string
	// Command is the child's argv; default: this binary with "replicate".
	Command []string
	// Env is the child's environment; default os.Environ(). AWS_CA_BUNDLE is
	// always removed (Litestream's S3 client cannot start with it).
	Env    []string
	Logger *slog.Logger
	// Stderr receives the child's logs; default os.Stderr.
	Stderr io.Writer
	// ReadyTimeout bounds the wait for the child's ready line; default 60 s.
	ReadyTimeout time.Duration

	mu      sync.Mutex
	st      Status
	stdin   io.WriteCloser
	exited  chan error // the running child's exit, buffered
	stopped chan struct{}
	done    chan struct{}
}

// Status is the replication state shown on /health.
type Status struct {
	State       string `json:"state"`
	Replica     string `json:"replica"`
	PID         int    `json:"pid,omitempty"`
	LocalTXID   uint64 `json:"localTxid"`
	ReplicaTXID uint64 `json:"replicaTxid"`
	// LagSeconds is now minus the commit time of the oldest transaction not
	// yet in the replica (0 when it has everything); see lagTracker.
	LagSeconds float64 `json:"lagSeconds"`
	RPOSeconds float64 `json:"rpoSeconds"`
	// LastUploadAt is the last successful upload to the replica.
	LastUploadAt time.Time `json:"lastUploadAt,omitzero"`
	// UploadFailingSince is the first failed upload since the last success.
	UploadFailingSince time.Time `json:"uploadFailingSince,omitzero"`
	Restarts           int       `json:"restarts"`
	LastError          string    `json:"lastError,omitempty"`
	pendingSince       time.Time
	statusAt           time.Time // the child's last status line
}

// Start spawns the replicator and waits until it replicates. The caller
// opens the database only after Start returns: Litestream must be watching
// before the app writes. A child that dies later is restarted in the
// background until Close.
func (s *Supervisor) Start(ctx context.Context) error {
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.ReadyTimeout == 0 {
		s.ReadyTimeout = time.Minute
	}
	s.stopped = make(chan struct{})
	s.done = make(chan struct{})
	s.st = Status{State: StateStarting, Replica: s.Config.String(), RPOSeconds: s.Config.RPO().Seconds()}
	if err := s.spawn(ctx); err != nil {
		close(s.done)
		s.setState(StateStopped, err)
		return err
	}
	go s.supervise()
	return nil
}

// Close stops supervising and lets the replicator make its final sync:
// closing its stdin is the signal. Call it after the database pool is
// closed so the last commits are in the WAL the child uploads.
func (s *Supervisor) Close(ctx context.Context) error {
	if s.stopped == nil {
		return nil
	}
	s.mu.Lock()
	select {
	case <-s.stopped:
	default:
		close(s.stopped)
	}
	s.mu.Unlock()
	<-s.done // the supervise loop is no longer restarting
	s.mu.Lock()
	stdin, exited := s.stdin, s.exited
	s.stdin, s.exited = nil, nil // a second Close is a no-op
	dead := s.st.State == StateRestarting
	s.st.State = StateStopped
	s.mu.Unlock()
	if stdin == nil && dead {
		// The child died and was not back yet: run one more, only for its final
		// sync, so the last writes do not stay on this disk alone.
		s.Logger.Warn("replicator was down at shutdown: starting one for the final sync")
		if err := s.spawn(ctx); err != nil {
			return fmt.Errorf("replicator final sync: %w", err)
		}
		s.mu.Lock()
		stdin, exited = s.stdin, s.exited
		s.stdin, s.exited = nil, nil
		s.mu.Unlock()
	}
	if stdin == nil {
		return nil
	}
	stdin.Close()
	select {
	case err := <-exited:
		s.setState(StateStopped, err)
		if err != nil {
			return fmt.Errorf("replicator final sync: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("replicator final sync: %w", ctx.Err())
	}
}

// Status returns the current replication state with the lag computed now.
func (s *Supervisor) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	if !st.pendingSince.IsZero() {
		st.LagSeconds = time.Since(st.pendingSince).Seconds()
	}
	// A child that stopped reporting (wedged, stopped) is not replicating
	// either: count the silence as lag rather than keep its last word.
	if st.State == StateReplicating && !st.statusAt.IsZero() {
		if silent := time.Since(st.statusAt); silent > staleStatus {
			st.LagSeconds = max(st.LagSeconds, silent.Seconds())
		}
	}
	return st
}

// staleStatus is how long the child may go without a status line (it sends
// one every statusInterval) before its silence counts as lag.
const staleStatus = 2 * time.Second

// Up reports whether replication works right now: the child runs, its last
// upload succeeded and the lag is under the health limit.
func (s *Supervisor) Up() bool {
	ok, _ := s.Health(context.Background())
	return ok
}

// LagLimit is the lag beyond which /health reports replication as failing:
// five sync intervals, at least 5 s. The honest lag stays under about
// RPO + 0.5 s in normal operation, so more than this is a stall or an outage.
func (s *Supervisor) LagLimit() time.Duration {
	return max(5*s.Config.RPO(), 5*time.Second)
}

// Health implements the HTTP server's health check: replication is healthy
// while the child runs, its last upload succeeded (one failed upload is
// enough to fail: an outage shows within seconds) and the oldest
// unreplicated commit is younger than LagLimit (a stall shows too).
func (s *Supervisor) Health(ctx context.Context) (bool, any) {
	st := s.Status()
	return st.State == StateReplicating && st.UploadFailingSince.IsZero() &&
		st.LagSeconds < s.LagLimit().Seconds(), st
}

func (s *Supervisor) supervise() {
	defer close(s.done)
	backoff := time.Second
	for {
		s.mu.Lock()
		exited := s.exited
		s.mu.Unlock()
		var err error
		select {
		case err = <-exited:
		case <-s.stopped:
			return
		}
		if err == nil {
			err = errors.New("exited")
		}
		started := s.Status()
		s.Logger.Error("replicator died; writes are not being replicated until it restarts",
			"err", err, "pid", started.PID, "retry_in", backoff)
		s.mu.Lock()
		s.st.Restarts++
		s.stdin, s.exited = nil, nil
		if s.st.pendingSince.IsZero() {
			s.st.pendingSince = time.Now() // commits from now on are not replicated
		}
		s.mu.Unlock()
		s.setState(StateRestarting, err)
		for {
			select {
			case <-s.stopped:
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 30*time.Second)
			if err := s.spawn(context.Background()); err != nil {
				s.Logger.Error("replicator restart failed", "err", err, "retry_in", backoff)
				s.setState(StateRestarting, err)
				continue
			}
			backoff = time.Second
			break
		}
	}
}

// spawn starts one child and waits for its ready line.
func (s *Supervisor) spawn(ctx context.Context) error {
	ready := make(chan error, 1)
	exited := make(chan error, 1)
	started := make(chan error, 1)
	go s.runChild(started, ready, exited)
	if err := <-started; err != nil {
		return err
	}
	timer := time.NewTimer(s.ReadyTimeout)
	defer timer.Stop()
	select {
	case err := <-ready:
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.exited = exited
		s.mu.Unlock()
		s.setState(StateReplicating, nil)
		s.Logger.Info("replicator ready", "replica", s.Config.String(), "pid", s.Status().PID)
		return nil
	case err := <-exited:
		return fmt.Errorf("replicator exited before it was ready: %v", err)
	case <-timer.C:
	case <-ctx.Done():
	}
	s.mu.Lock()
	stdin := s.stdin
	s.mu.Unlock()
	stdin.Close()
	<-exited
	return fmt.Errorf("replicator not ready within %s", s.ReadyTimeout)
}

// runChild starts the child and waits for it on one locked OS thread:
// Linux's parent-death signal fires when the thread that forked the child
// exits, and Go may retire idle threads.
func (s *Supervisor) runChild(started, ready, exited chan<- error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	argv := s.Command
	if len(argv) == 0 {
		exe, err := os.Executable()
		if err != nil {
			started <- err
			return
		}
		argv = []string{exe, "replicate"}
	}
	statusR, statusW, err := os.Pipe()
	if err != nil {
		started <- err
		return
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = childEnv(s.Env)
	cmd.Stdout, cmd.Stderr = s.stderr(), s.stderr()
	cmd.ExtraFiles = []*os.File{statusW} // fd 3 in the child
	cmd.SysProcAttr = childSysProcAttr()
	stdin, err := cmd.StdinPipe()
	if err == nil {
		err = cmd.Start()
	}
	statusW.Close()
	if err != nil {
		statusR.Close()
		started <- fmt.Errorf("start replicator: %w", err)
		return
	}
	req, _ := json.Marshal(childRequest{Config: s.Config, DBPath: s.DBPath})
	stdin.Write(append(req, '\n'))
	s.mu.Lock()
	s.stdin = stdin
	s.st.PID = cmd.Process.Pid
	s.mu.Unlock()
	started <- nil

	lines := make(chan struct{})
	go func() {
		defer close(lines)
		s.readStatus(statusR, ready)
	}()
	err = cmd.Wait()
	<-lines
	statusR.Close()
	exited <- err
}

// readStatus applies the child's status lines until the pipe closes.
func (s *Supervisor) readStatus(r io.Reader, ready chan<- error) {
	sc := bufio.NewScanner(r)
	isReady := false
	for sc.Scan() {
		var m childMessage
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		if m.Event == "ready" && !isReady {
			isReady = true
			ready <- nil
			continue
		}
		s.mu.Lock()
		s.st.LocalTXID, s.st.ReplicaTXID = m.LocalTXID, m.ReplicaTXID
		s.st.pendingSince, s.st.LastUploadAt = m.PendingSince, m.LastSyncAt
		s.st.UploadFailingSince, s.st.statusAt = m.FailingSince, time.Now()
		if m.Error != "" {
			s.st.LastError = m.Error
		}
		s.mu.Unlock()
	}
	if !isReady {
		ready <- errors.New("replicator closed its status pipe before it was ready")
	}
}

func (s *Supervisor) setState(state string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.State = state
	if err != nil {
		s.st.LastError = err.Error()
	}
}

func (s *Supervisor) stderr() io.Writer {
	if s.Stderr != nil {
		return s.Stderr
	}
	return os.Stderr
}

// childEnv returns env (default os.Environ()) without AWS_CA_BUNDLE.
func childEnv(env []string) []string {
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, "AWS_CA_BUNDLE=") {
			out = append(out, kv)
		}
	}
	return out
}
