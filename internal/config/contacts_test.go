package config

import (
	"errors"
	"slices"
	"testing"
)

func TestProfileContacts(t *testing.T) {
	p := writeFile(t, "profiles:\n  - name: default\n    contacts: [me.an@example.vn, bo.an@example.vn]\n")
	cfg, err := Load(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Profiles[0].Contacts, []string{"me.an@example.vn", "bo.an@example.vn"}) {
		t.Errorf("contacts %v", cfg.Profiles[0].Contacts)
	}
	for _, bad := range []string{"not-an-address", "Mẹ An <me.an@example.vn>", "a@b.vn\\nBcc: c@d.vn"} {
		_, err := Load(writeFile(t, "profiles:\n  - name: default\n    contacts: [\""+bad+"\"]\n"), nil)
		var ce *Errors
		if !errors.As(err, &ce) || ce.List[0].Key != "profiles[0].contacts[0]" || ce.List[0].Vi == "" || ce.List[0].En == "" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
