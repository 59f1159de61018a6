//go:build race

package main

// raceEnabled: the DR test builds the binary with -race too, sharing the build cache.
const raceEnabled = true
