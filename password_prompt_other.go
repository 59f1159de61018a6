//go:build !linux

package main

import "os"

// Elsewhere than Linux the password is read as a line from standard input (pipe it in).
func isTerminal(*os.File) bool { return false }

func echoOff(*os.File) (func(), error) { return func() {}, nil }
