//go:build !linux

package replica

import "syscall"

// childSysProcAttr: without Pdeathsig the child relies on its stdin reaching
// EOF when the parent dies.
func childSysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }
