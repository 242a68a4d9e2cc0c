package config

import (
	"errors"
	"strings"
	"testing"
)

func TestFamiliesApproval(t *testing.T) {
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Families.Approval != "none" {
		t.Fatalf("default approval %q", c.Families.Approval)
	}
	for _, v := range []string{"officer", "school"} {
		c, err := Load(writeFile(t, "families:\n  approval: "+v+"\n"), nil)
		if err != nil || c.Families.Approval != v {
			t.Fatalf("%s: %v %v", v, c, err)
		}
	}
	if c, err := Load("", []string{"MANGLANH_FAMILIES_APPROVAL=school"}); err != nil || c.Families.Approval != "school" {
		t.Fatalf("env: %v", err)
	}
	for _, v := range []string{"\"\"", "teacher", "'none; DROP'"} {
		_, err := Load(writeFile(t, "families:\n  approval: "+v+"\n"), nil)
		var e *Errors
		if !errors.As(err, &e) || !strings.Contains(err.Error(), "families.approval") {
			t.Fatalf("%s: %v", v, err)
		}
	}
}
