package a

import (
	"fmt"
	"testing"
)

func TestParallel(t *testing.T) {
	for i := range 4 {
		t.Run(fmt.Sprint("case", i), func(t *testing.T) {
			t.Parallel()
			for j := range 50 {
				t.Logf("case %d line %d", i, j)
			}
			if i == 2 {
				t.Errorf("case %d failed in a", i)
			}
		})
	}
}
