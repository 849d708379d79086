package main

import "errors"

// ServeCmd is `poly serve`.
type ServeCmd struct{}

// Run runs the command.
func (c *ServeCmd) Run() error { return exitCode(2, errors.New("poly serve: not implemented yet")) }
