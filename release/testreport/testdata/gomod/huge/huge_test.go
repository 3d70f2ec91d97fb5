package huge

import (
	"fmt"
	"strings"
	"testing"
)

// Each test prints about 5 MB.
var line = strings.Repeat("x", 100)

func TestHugePass(t *testing.T) {
	for i := range 50000 {
		fmt.Println(i, line)
	}
}

func TestHugeFail(t *testing.T) {
	for i := range 50000 {
		fmt.Println(i, line)
	}
	t.Error("failed after a lot of output")
}
