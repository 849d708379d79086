package main

import "errors"

// GradeCmd is `poly grade`.
type GradeCmd struct{}

// Run runs the command.
func (c *GradeCmd) Run() error { return exitCode(2, errors.New("poly grade: not implemented yet")) }
