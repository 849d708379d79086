package main

import "errors"

// FmtCmd is `poly fmt`.
type FmtCmd struct{}

// Run runs the command.
func (c *FmtCmd) Run() error { return exitCode(2, errors.New("poly fmt: not implemented yet")) }
