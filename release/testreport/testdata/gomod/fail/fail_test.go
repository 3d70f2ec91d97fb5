package fail

import "testing"

func TestPass(t *testing.T) {}

func TestFail(t *testing.T) {
	t.Log("some log")
	t.Errorf("got %d, want %d", 1, 2)
}

func TestSub(t *testing.T) {
	t.Run("ok", func(t *testing.T) {})
	t.Run("bad", func(t *testing.T) { t.Fatal("sub broke\nsecond line") })
}

func TestSkip(t *testing.T) { t.Skip("not today") }
