package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// deploy/release.sh installs releases and rolls back to the previous one, restarting the
// service each time (systemctl is a stand-in that records its calls).
func TestRelease_InstallAndRollback(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	home, link := filepath.Join(dir, "opt"), filepath.Join(dir, "bin", "metalpro")
	require.NoError(t, os.MkdirAll(filepath.Dir(link), 0o755))
	calls := filepath.Join(dir, "systemctl.log")
	systemctl := filepath.Join(dir, "systemctl")
	require.NoError(t, os.WriteFile(systemctl, []byte("#!/bin/sh\necho \"$@\" >> "+calls+"\n"), 0o755))
	binary := func(version string) string {
		p := filepath.Join(dir, "build-"+version)
		require.NoError(t, os.WriteFile(p, []byte("#!/bin/sh\necho metalpro "+version+"\n"), 0o755))
		return p
	}
	release := func(args ...string) (string, error) {
		cmd := exec.Command("deploy/release.sh", args...)
		cmd.Env = append(os.Environ(), "METALPRO_HOME="+home, "METALPRO_BIN_LINK="+link, "SYSTEMCTL="+systemctl)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	running := func() string { // what the unit's ExecStart path runs now
		out, err := exec.Command(link, "version").Output()
		require.NoError(t, err)
		return strings.TrimSpace(string(out))
	}

	out, err := release("rollback")
	require.Error(t, err)
	require.Contains(t, out, "no previous release")

	out, err = release("install", binary("v1"))
	require.NoError(t, err, out)
	require.Equal(t, "metalpro v1", running())
	out, err = release("install", binary("v2"))
	require.NoError(t, err, out)
	require.Equal(t, "metalpro v2", running())

	out, err = release("rollback")
	require.NoError(t, err, out)
	require.Contains(t, out, "rolled back")
	require.Equal(t, "metalpro v1", running())
	out, err = release("rollback") // and forward again: the two swap
	require.NoError(t, err, out)
	require.Equal(t, "metalpro v2", running())

	log, err := os.ReadFile(calls)
	require.NoError(t, err)
	require.Equal(t, 4, strings.Count(string(log), "restart metalpro"), "%s", log)

	out, err = release("install", filepath.Join(dir, "missing"))
	require.Error(t, err)
	require.Contains(t, out, "not an executable")
	require.Equal(t, "metalpro v2", running(), "a failed install changes nothing")
}
