package main

import "errors"

// TokenizeCmd is `poly tokenize`.
type TokenizeCmd struct{}

// Run runs the command.
func (c *TokenizeCmd) Run() error { return exitCode(2, errors.New("poly tokenize: not implemented yet")) }
