package tokenizer

import (
	"errors"
	"regexp"
	"strings"
)

// Message is one chat turn.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatTemplate renders chat messages into a prompt string. It is a Go
// rendering of the common case of Qwen's ChatML Jinja templates, not a
// Jinja engine:
//
//	<|im_start|>system\n{system}<|im_end|>\n      (when given, or DefaultSystem)
//	<|im_start|>{role}\n{content}<|im_end|>\n     (each message)
//	<|im_start|>assistant\n                       (with a generation prompt)
type ChatTemplate struct {
	// Format is "chatml" (also when there is no template), or "" when the
	// tokenizer_config.json template is not ChatML (Render then fails).
	Format string
	// DefaultSystem is the system prompt inserted when the messages do not
	// start with one (Qwen2.5: "You are Qwen, created by Alibaba Cloud. You
	// are a helpful assistant."); empty for Qwen3 and the default model.
	DefaultSystem string
	// Source is the template text read from tokenizer_config.json, if any.
	Source string
}

// defaultSystemRe finds the default system prompt of Qwen2/Qwen2.5
// templates: '<|im_start|>system\nYou are ...<|im_end|>\n' in the else
// branch taken when the first message is not a system message.
var defaultSystemRe = regexp.MustCompile(`'<\|im_start\|>system\\n((?:[^'\\]|\\.)+?)<\|im_end\|>\\n'`)

// ParseChatTemplate recognises a ChatML template (or none: ChatML without a
// default system prompt, as the default model uses).
func ParseChatTemplate(src string) ChatTemplate {
	if src == "" {
		return ChatTemplate{Format: "chatml"}
	}
	c := ChatTemplate{Source: src}
	if !strings.Contains(src, "<|im_start|>") {
		return c
	}
	c.Format = "chatml"
	if m := defaultSystemRe.FindStringSubmatch(src); m != nil {
		c.DefaultSystem = unescapeJinja(m[1])
	}
	return c
}

// Render returns the prompt for msgs, ending with the assistant header when
// addGenerationPrompt is set.
func (c ChatTemplate) Render(msgs []Message, addGenerationPrompt bool) (string, error) {
	if c.Format != "chatml" {
		return "", errors.New("chat template is not ChatML; only ChatML templates are supported")
	}
	var b strings.Builder
	if c.DefaultSystem != "" && (len(msgs) == 0 || msgs[0].Role != "system") {
		b.WriteString("<|im_start|>system\n" + c.DefaultSystem + "<|im_end|>\n")
	}
	for _, m := range msgs {
		b.WriteString("<|im_start|>" + m.Role + "\n" + m.Content + "<|im_end|>\n")
	}
	if addGenerationPrompt {
		b.WriteString("<|im_start|>assistant\n")
	}
	return b.String(), nil
}

// ChatPrompt renders a single user message with the generation prompt: the
// prompt a GRPO rollout continues.
func (t *Tokenizer) ChatPrompt(user string) (string, error) {
	return t.Chat.Render([]Message{{Role: "user", Content: user}}, true)
}

// unescapeJinja undoes the escapes of a Jinja (Python-style) string
// literal: \n, \t, \\, \' and \".
func unescapeJinja(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
