// Package demo gives a newcomer something real to look at: `manglanh serve
// --demo` writes the bundled hostsVN category lists (MIT, see
// hostsvn/LICENSE) into the data directory, points the configuration at
// them and adds example profiles for a child, a class and a school.
package demo

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"manglanh/internal/config"
)

//go:embed hostsvn/*.txt hostsvn/LICENSE hostsvn/SOURCE.md
var lists embed.FS

// listFiles maps each bundled file to the category it feeds. hostsVN's
// "threat" lists are phishing and scam sites.
var listFiles = []struct{ file, category string }{
	{"adult.txt", "adult"}, {"adult-VN.txt", "adult"},
	{"gambling.txt", "gambling"}, {"gambling-VN.txt", "gambling"},
	{"threat.txt", "scam"}, {"threat-VN.txt", "scam"},
}

// Apply writes the bundled lists under cfg.DataDir/demo-lists (once) and adds
// them and the demo profiles to cfg, unless the configuration already has
// its own lists or profiles.
func Apply(cfg *config.Config) error {
	dir := filepath.Join(cfg.DataDir, "demo-lists")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	for _, name := range []string{"LICENSE", "SOURCE.md"} {
		if err := writeOnce(dir, name); err != nil {
			return err
		}
	}
	if len(cfg.Lists) == 0 {
		for _, l := range listFiles {
			if err := writeOnce(dir, l.file); err != nil {
				return err
			}
			cfg.Lists = append(cfg.Lists, config.List{Category: l.category, Source: filepath.Join(dir, l.file)})
		}
	}
	if len(cfg.Profiles) == 1 && cfg.Profiles[0].Name == "default" && len(cfg.Profiles[0].Block) == 0 {
		cfg.Profiles = Profiles()
		cfg.DNS.DefaultProfile = "mac-dinh"
	}
	if cfg.Ward.Name == config.Default().Ward.Name {
		cfg.Ward.Name = "Phường Mẫu (dữ liệu thử)"
	}
	return nil
}

// Profiles are the demo profiles. Queries from 127.0.0.2 use the 8-year-old's
// profile (try `dig @127.0.0.1 -p 5353 -b 127.0.0.2 tiktok.com`), from
// 127.0.0.3 the class profile; everything else the default.
func Profiles() []config.Profile {
	month := 30 * 24 * time.Hour
	return []config.Profile{
		{Name: "mac-dinh", Age: 12, SafeSearch: "moderate", Retention: month},
		{Name: "be-an-8-tuoi", Age: 8, Clients: []string{"127.0.0.2"}, Retention: month,
			Block:      []string{"adult", "gambling", "scam", "malware", "bypass", "tiktok"},
			SafeSearch: "strict",
			Schedules: []config.Schedule{
				{Name: "gio-hoc", Days: []string{"mon", "tue", "wed", "thu", "fri"}, From: "07:00", To: "11:00", Block: []string{"youtube", "roblox", "lienquan", "freefire", "facebook"}},
				{Name: "gio-ngu", Days: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, From: "21:30", To: "06:00", AllowOnly: []string{"zalo"}},
			}},
		{Name: "lop-7a", Age: 13, Clients: []string{"127.0.0.3", "192.168.50.0/24"}, Retention: month,
			Block: []string{"adult", "gambling", "scam", "malware", "bypass", "lienquan", "freefire", "pubg", "roblox"}, SafeSearch: "strict"},
	}
}

func writeOnce(dir, name string) error {
	dst := filepath.Join(dir, name)
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	b, err := lists.ReadFile("hostsvn/" + name)
	if err != nil {
		return err
	}
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("writing demo list: %w", err)
	}
	return os.Rename(tmp, dst)
}
