package main

import "golang.org/x/crypto/bcrypt"

// The whole-program tests hash at bcrypt's least cost: they check what sign-up and login
// answer, and at cost 12 each hash took seconds under -race on a loaded machine (the
// golden journey alone hashes a dozen times). store and http test the cost itself.
func init() { passwordCost = bcrypt.MinCost }
