package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/polylearn/poly/train/defaultmodel"
	"github.com/polylearn/poly/train/tokenizer"
)

// TokenizeCmd is `poly tokenize`: it prints the token ids of stdin as a
// JSON array (for debugging and for checking against other
// implementations).
type TokenizeCmd struct {
	Tokenizer string `help:"tokenizer.json, or a model directory holding it; 'default' is the embedded default model's." default:"default" placeholder:"FILE"`
	Chat      bool   `help:"Wrap stdin as one user message in the chat template, with the assistant generation prompt."`
	Tokens    bool   `help:"Print objects {id, token, text} instead of bare ids."`
	Decode    bool   `help:"Read a JSON array of ids from stdin and print the decoded text instead."`
}

// loadTokenizer loads a tokenizer by path or "default".
func loadTokenizer(path string) (*tokenizer.Tokenizer, error) {
	if path == "" || path == "default" {
		return defaultmodel.Tokenizer()
	}
	return tokenizer.Load(path)
}

// Run runs the command.
func (c *TokenizeCmd) Run() error {
	tok, err := loadTokenizer(c.Tokenizer)
	if err != nil {
		return exitCode(2, err)
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		return exitCode(2, err)
	}
	if c.Decode {
		var ids []int
		if err := json.Unmarshal(in, &ids); err != nil {
			return exitCode(1, fmt.Errorf("--decode: stdin is not a JSON array of ids: %v", err))
		}
		out, _ := json.Marshal(tok.Decode(ids, false))
		fmt.Println(string(out))
		return nil
	}
	text := string(in)
	if c.Chat {
		if text, err = tok.ChatPrompt(text); err != nil {
			return exitCode(1, err)
		}
	}
	ids := tok.Encode(text)
	var out []byte
	if c.Tokens {
		type item struct {
			ID    int    `json:"id"`
			Token string `json:"token"`
			Text  string `json:"text"`
		}
		items := make([]item, len(ids))
		for i, id := range ids {
			s, _ := tok.Token(id)
			items[i] = item{id, s, string(tok.TokenBytes(id))}
		}
		out, err = json.Marshal(items)
	} else {
		if ids == nil {
			ids = []int{}
		}
		out, err = json.Marshal(ids)
	}
	if err != nil {
		return exitCode(2, err)
	}
	fmt.Println(string(out))
	return nil
}
