//go:build !(linux || darwin || freebsd)

package store

import "errors"

// FreeBytes is not measured on this system.
func (db *DB) FreeBytes() (uint64, error) {
	return 0, errors.New("free disk space is not measured on this system")
}

// DiskSizeBytes is not measured on this system.
func (db *DB) DiskSizeBytes() (uint64, error) {
	return 0, errors.New("disk size is not measured on this system")
}
