package main

import "errors"

// ExportCmd is `poly export`.
type ExportCmd struct{}

// Run runs the command.
func (c *ExportCmd) Run() error { return exitCode(2, errors.New("poly export: not implemented yet")) }
