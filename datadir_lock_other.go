//go:build !(linux || darwin || freebsd)

package main

import "errors"

// dataDirLock is a no-op where flock is not available: one server per data dir is then
// the operator's responsibility.
type dataDirLock struct{}

var errDataDirInUse = errors.New("data dir in use")

func lockDataDir(string) (*dataDirLock, error) { return &dataDirLock{}, nil }

// Unlock does nothing.
func (*dataDirLock) Unlock() {}
