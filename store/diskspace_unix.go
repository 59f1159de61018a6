//go:build linux || darwin || freebsd

package store

import (
	"path/filepath"
	"syscall"
)

// FreeBytes is the disk space left to this process on the database's filesystem.
func (db *DB) FreeBytes() (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(db.path), &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil // the field types differ by OS
}

// DiskSizeBytes is the size of the database's filesystem, for an alert on the share left.
func (db *DB) DiskSizeBytes() (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(db.path), &st); err != nil {
		return 0, err
	}
	return uint64(st.Blocks) * uint64(st.Bsize), nil
}
