package filter

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

//go:embed services.txt
var servicesData string

//go:embed bypass.txt
var bypassData string

// Service is one application or site of the embedded catalogue.
type Service struct {
	ID      string   // machine name, also the tag name: "tiktok", "lienquan"
	Vi      string   // Vietnamese display name
	En      string   // English display name
	Group   string   // "games", "social", "video", or "" (none): see Groups
	Tag     Tag      // its tag in the Registry that returned it
	Domains []string // the domains it uses; each covers its subdomains
}

// Groups are the service groups a time budget can cover ("group:<g>",
// "each:<g>"). A service is in at most one.
var Groups = []string{"games", "social", "video"}

// parseCatalogue reads the services.txt format: "@id | vi | en | group"
// starts a service, the lines after it are its domains. Any bad line is an error: the
// data is ours and is checked by a test.
func parseCatalogue(data string) ([]Service, error) {
	var out []Service
	for i, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '@' {
			parts := strings.Split(line[1:], "|")
			if len(parts) != 4 {
				return nil, fmt.Errorf("line %d: want \"@id | vi | en | group\", got %q", i+1, line)
			}
			s := Service{ID: strings.TrimSpace(parts[0]), Vi: strings.TrimSpace(parts[1]), En: strings.TrimSpace(parts[2]), Group: strings.TrimSpace(parts[3])}
			if s.ID == "" || s.Vi == "" || s.En == "" || s.ID != strings.ToLower(s.ID) {
				return nil, fmt.Errorf("line %d: bad service header %q", i+1, line)
			}
			if s.Group == "-" {
				s.Group = ""
			} else if !slices.Contains(Groups, s.Group) {
				return nil, fmt.Errorf("line %d: group %q is not one of %v or -", i+1, s.Group, Groups)
			}
			out = append(out, s)
			continue
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("line %d: domain %q before any service", i+1, line)
		}
		d, reason := normalizeDomain([]byte(line), nil)
		if reason != "" {
			return nil, fmt.Errorf("line %d: %q: %s", i+1, line, reason)
		}
		out[len(out)-1].Domains = append(out[len(out)-1].Domains, string(d))
	}
	return out, nil
}

// parseNameList reads one valid domain a line with # comments.
func parseNameList(data string) ([]string, error) {
	var out []string
	for i, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		d, reason := normalizeDomain([]byte(line), nil)
		if reason != "" {
			return nil, fmt.Errorf("line %d: %q: %s", i+1, line, reason)
		}
		out = append(out, string(d))
	}
	return out, nil
}
