package program

import (
	_ "embed"
	"fmt"
	"sync"

	"go.yaml.in/yaml/v3"
)

// ViolationArticle is one entry of the Decree 174/2026 catalogue
// (violations.yaml). The wording of articles is unverified data: edit the
// file, not code. Code is what a Violation stores.
type ViolationArticle struct {
	Code       string `yaml:"code"`
	ShopKind   string `yaml:"shop_kind"`
	Article    string `yaml:"article"` // "Điều 38, khoản 3"
	TitleVI    string `yaml:"title_vi"`
	TitleEN    string `yaml:"title_en"`
	FineMinVND int64  `yaml:"fine_min_vnd"`
	FineMaxVND int64  `yaml:"fine_max_vnd"`
	Verified   bool   `yaml:"verified"`
}

//go:embed violations.yaml
var violationsYAML []byte

var (
	catalogueOnce sync.Once
	catalogue     []ViolationArticle
	catalogueErr  error
)

// parseCatalogue reads and checks the catalogue: unique codes, a known
// shop kind, 0 < min ≤ max.
func parseCatalogue(b []byte) ([]ViolationArticle, error) {
	var out []ViolationArticle
	if err := yaml.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("violations catalogue: %w", err)
	}
	seen := map[string]bool{}
	for _, v := range out {
		switch {
		case v.Code == "" || seen[v.Code]:
			return nil, fmt.Errorf("violations catalogue: empty or duplicate code %q", v.Code)
		case v.ShopKind != ShopInternet && v.ShopKind != ShopGame:
			return nil, fmt.Errorf("violations catalogue: %s: shop kind %q", v.Code, v.ShopKind)
		case v.FineMinVND <= 0 || v.FineMinVND > v.FineMaxVND:
			return nil, fmt.Errorf("violations catalogue: %s: fine range %d–%d", v.Code, v.FineMinVND, v.FineMaxVND)
		case v.TitleVI == "" || v.TitleEN == "" || v.Article == "":
			return nil, fmt.Errorf("violations catalogue: %s: article or title missing", v.Code)
		}
		seen[v.Code] = true
	}
	return out, nil
}

// ViolationCatalogue is the embedded catalogue, in file order. It panics
// only if the embedded file is broken, which TestCatalogue catches.
func ViolationCatalogue() []ViolationArticle {
	catalogueOnce.Do(func() { catalogue, catalogueErr = parseCatalogue(violationsYAML) })
	if catalogueErr != nil {
		panic(catalogueErr)
	}
	return append([]ViolationArticle(nil), catalogue...)
}

// ArticleByCode finds a catalogue entry.
func ArticleByCode(code string) (ViolationArticle, bool) {
	for _, v := range ViolationCatalogue() {
		if v.Code == code {
			return v, true
		}
	}
	return ViolationArticle{}, false
}
