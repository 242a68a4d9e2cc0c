package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// lighthouseReport is the part of Lighthouse's JSON report the test reads.
type lighthouseReport struct {
	Categories map[string]struct {
		Score *float64 `json:"score"`
		Refs  []struct {
			ID     string  `json:"id"`
			Weight float64 `json:"weight"`
		} `json:"auditRefs"`
	} `json:"categories"`
	Audits map[string]struct {
		Score        *float64 `json:"score"`
		DisplayValue string   `json:"displayValue"`
		Title        string   `json:"title"`
	} `json:"audits"`
}

// lighthouse runs the pinned Lighthouse CLI (.ci/npm) once on url: the
// mobile form factor (its default), simulated throttling (its default: a
// slow 4G link and a 4× slower CPU, computed from one unthrottled load, so
// a busy machine disturbs it little), performance and accessibility only.
func lighthouse(t *testing.T, bin, url string) lighthouseReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, url, "--only-categories=performance,accessibility",
		"--form-factor=mobile", "--throttling-method=simulate", "--output=json", "--output-path=stdout", "--quiet",
		"--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage --disable-gpu")
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium(t))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("lighthouse %s: %v\n%s", url, err, stderr.String())
	}
	var r lighthouseReport
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("lighthouse %s: reading its report: %v", url, err)
	}
	return r
}

// score is a category's score, -1 when Lighthouse could not compute it.
func (r lighthouseReport) score(cat string) float64 {
	if c, ok := r.Categories[cat]; ok && c.Score != nil {
		return *c.Score
	}
	return -1
}

// shortfalls names the weighted audits of cat that did not score 1.
func (r lighthouseReport) shortfalls(cat string) string {
	var out []string
	for _, ref := range r.Categories[cat].Refs {
		a := r.Audits[ref.ID]
		if ref.Weight > 0 && a.Score != nil && *a.Score < 1 {
			out = append(out, fmt.Sprintf("%s %.2f %s", ref.ID, *a.Score, a.DisplayValue))
		}
	}
	return strings.Join(out, "; ")
}

// TestLighthousePublicPages keeps the public pages at 100 for performance
// and accessibility on Lighthouse's mobile profile. Accessibility is
// deterministic and checked on one run. The performance score of a
// simulated run still moves a little with the machine's load (the
// unthrottled load it starts from is measured): a page below 100 is run
// twice more and judged by the median of the three.
//
// It runs only with MANGLANH_LIGHTHOUSE=1, which make test-all sets in a
// step of its own after the rest of the suite: run beside the other
// packages (and under -race) the machine is too busy for the simulated
// CPU to mean anything (measured: 0.96–0.99 in the middle of the suite,
// 1.0 alone).
func TestLighthousePublicPages(t *testing.T) {
	if os.Getenv("MANGLANH_LIGHTHOUSE") != "1" {
		t.Skip("Lighthouse runs alone, in its own step of make test-all (MANGLANH_LIGHTHOUSE=1)")
	}
	bin := npmFile(t, filepath.Join(".bin", "lighthouse"))
	chromium(t)
	srv := startServer(t, wardConfig(t, t.TempDir(), ""))
	for _, page := range []string{"/", "/bao-cao", "/kiem-tra", "/cai-dat"} {
		name := strings.Trim(page, "/")
		if name == "" {
			name = "home"
		}
		t.Run(name, func(t *testing.T) {
			url := srv.base + page
			r := lighthouse(t, bin, url)
			if a := r.score("accessibility"); a < 1 {
				t.Errorf("%s: accessibility %.2f: %s", page, a, r.shortfalls("accessibility"))
			}
			perf := []float64{r.score("performance")}
			why := r.shortfalls("performance")
			if perf[0] < 1 {
				for range 2 {
					perf = append(perf, lighthouse(t, bin, url).score("performance"))
				}
			}
			slices.Sort(perf)
			if median := perf[len(perf)/2]; median < 1 {
				t.Errorf("%s: performance %.2f (runs %v): %s", page, median, perf, why)
			}
			t.Logf("%s: performance %v, accessibility %.2f", page, perf, r.score("accessibility"))
		})
	}
}
