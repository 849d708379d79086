package main

import "errors"

// TrainCmd is `poly train`.
type TrainCmd struct{}

// Run runs the command.
func (c *TrainCmd) Run() error { return exitCode(2, errors.New("poly train: not implemented yet")) }
