package timeout

import (
	"flag"
	"os"
	"testing"
	"time"
)

// TestMain gives this package alone a 3s -timeout, so the run as a whole
// can use a generous one: a slow machine then cannot make another package
// of the fixture time out too.
func TestMain(m *testing.M) {
	flag.Parse()
	flag.Set("test.timeout", "3s")
	os.Exit(m.Run())
}

func TestQuick(t *testing.T) {}

func TestSlow(t *testing.T) {
	time.Sleep(time.Minute)
}
