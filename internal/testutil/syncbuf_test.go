package testutil

import (
	"strings"
	"sync"
	"testing"
)

func TestSyncBufferConcurrent(t *testing.T) {
	var b SyncBuffer
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				b.Write([]byte("ab"))
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if got := b.String(); len(got) != 800 || strings.Count(got, "ab") != 400 {
		t.Fatalf("got %d bytes, %d pairs", len(got), strings.Count(got, "ab"))
	}
	b.Reset()
	if b.String() != "" {
		t.Fatal("Reset left data")
	}
}
