package store

import _ "embed" // the schema is compiled into the binary

// Schema is every migration, in order (schema.sql, "-- migration: N name" lines). It is the
// one place that knows where the schema lives: the program and every test open databases
// with it.
//
//go:embed schema.sql
var Schema string
