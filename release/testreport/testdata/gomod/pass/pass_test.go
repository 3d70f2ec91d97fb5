package pass

import "testing"

func TestOne(t *testing.T) { t.Log("fine") }

func TestTable(t *testing.T) {
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {})
	}
}

func TestSkipped(t *testing.T) { t.Skip("needs a database") }
