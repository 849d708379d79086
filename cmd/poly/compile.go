package main

import "errors"

// CompileCmd is `poly compile`.
type CompileCmd struct{}

// Run runs the command.
func (c *CompileCmd) Run() error { return exitCode(2, errors.New("poly compile: not implemented yet")) }
