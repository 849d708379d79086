package main

import "errors"

// CheckCmd is `poly check`.
type CheckCmd struct{}

// Run runs the command.
func (c *CheckCmd) Run() error { return exitCode(2, errors.New("poly check: not implemented yet")) }
