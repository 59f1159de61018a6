package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// readPassword reads the new account's password: the first line of in, or, when in is a
// terminal, typed at a prompt without echo and asked twice, so a newcomer running
// `metalpro user create` by hand is told what the silent cursor waits for.
func readPassword(in io.Reader, out io.Writer) (string, error) {
	f, ok := in.(*os.File)
	if !ok || !isTerminal(f) {
		line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read password from stdin: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	first, err := promptHidden(f, out, "Password (not shown): ")
	if err != nil {
		return "", err
	}
	again, err := promptHidden(f, out, "The same password again: ")
	if err != nil {
		return "", err
	}
	if first != again {
		return "", fmt.Errorf("the two passwords differ; no account was created")
	}
	return first, nil
}

// promptHidden asks for one line with the terminal's echo off, and turns it back on.
func promptHidden(f *os.File, out io.Writer, prompt string) (string, error) {
	fmt.Fprint(out, prompt)
	restore, err := echoOff(f)
	if err != nil {
		return "", err
	}
	line, readErr := bufio.NewReader(io.LimitReader(f, 4096)).ReadString('\n')
	restore()
	fmt.Fprintln(out)
	if readErr != nil && readErr != io.EOF {
		return "", fmt.Errorf("read password: %w", readErr)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
