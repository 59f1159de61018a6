package replica

import "syscall"

// childSysProcAttr keeps the child in the parent's process group (a kill of
// the group stops both) and asks the kernel to SIGTERM it if the parent dies
// without closing its stdin first.
func childSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
