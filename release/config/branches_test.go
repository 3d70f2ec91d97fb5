package config

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBranchesFlows(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string // empty: no error
	}{
		{"flows left out", "branches:\n  max-length: 80\n", ""},
		{"null flows keep the default", "branches:\n  flows:\n", ""},
		{"one flow", "branches:\n  flows:\n    feature/*: [main]\n", ""},
		{"empty flows", "branches:\n  max-length: 80\n  flows: {}\n", ".shipflow.yaml:3: column 10: `branches.flows` is empty, so every branch would be rejected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(FileName, []byte(tt.in))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v\nwant prefix %q", err, tt.wantErr)
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Line != 3 {
				t.Fatalf("error is %T %+v, want *config.Error with the line", err, err)
			}
		})
	}
}
