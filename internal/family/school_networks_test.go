package family

import (
	"slices"
	"strings"
	"testing"
)

func TestParseNetworks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
		bad  string // a part of the Vietnamese error; "" = valid
	}{
		{"192.168.10.0/24", []string{"192.168.10.0/24"}, ""},
		{" 10.20.0.0/16 \n 203.0.113.7 ", []string{"10.20.0.0/16", "203.0.113.7"}, ""},
		{"203.0.113.7/32", []string{"203.0.113.7"}, ""},
		{"2001:db8:10::/48, 2001:db8:20::1", []string{"2001:db8:10::/48", "2001:db8:20::1"}, ""},
		{"::ffff:192.0.2.1", []string{"192.0.2.1"}, ""},
		{"::ffff:192.0.2.0/120", []string{"192.0.2.0/24"}, ""},
		{"", nil, ""},
		{"0.0.0.0/0", nil, "mọi địa chỉ"},
		{"::/0", nil, "mọi địa chỉ"},
		{"10.0.0.0/7", nil, "quá rộng"},
		{"2001::/16", nil, "quá rộng"},
		{"10.0.0.5/24", nil, "ý bạn là 10.0.0.0/24"},
		{"10.0.0.0/33", nil, "không phải địa chỉ IP"},
		{"999.1.1.1", nil, "không phải địa chỉ IP"},
		{"truong.edu.vn", nil, "không phải địa chỉ IP"},
		{"<script>alert(1)</script>", nil, "không phải địa chỉ IP"},
		{"fe80::1%eth0", nil, "không phải địa chỉ IP"},
		{"127.0.0.1", nil, "nội bộ"},
		{"::1", nil, "nội bộ"},
		{"224.0.0.0/8", nil, "nội bộ"},
		{"169.254.0.0/16", nil, "nội bộ"},
		{"10.0.0.0/16 10.0.5.0/24", nil, "trùng hoặc nằm lẫn"},
		{"10.0.0.1 10.0.0.1", nil, "trùng hoặc nằm lẫn"},
		{strings.Repeat("1", 200), nil, "không phải địa chỉ IP"},
	} {
		got, errs := ParseNetworks(SplitNetworks(tc.in))
		if tc.bad == "" {
			if len(errs) > 0 || !slices.Equal(got, tc.want) {
				t.Errorf("ParseNetworks(%q) = %v, %v; want %v", tc.in, got, errs, tc.want)
			}
			continue
		}
		if len(errs) == 0 || !strings.Contains(errs[0].Vi, tc.bad) || errs[0].En == "" || errs[0].Field != "networks" || got != nil {
			t.Errorf("ParseNetworks(%q) = %v, %+v; want an error with %q", tc.in, got, errs, tc.bad)
		}
		for _, e := range errs {
			if len(e.Vi) > 400 {
				t.Errorf("error for %q is %d bytes: hostile input is echoed at length", tc.in, len(e.Vi))
			}
		}
	}
	many := make([]string, MaxNetworks+1)
	for i := range many {
		many[i] = "10.1." + string(rune('0'+i/10)) + string(rune('0'+i%10)) + ".0/24"
	}
	if _, errs := ParseNetworks(many); len(errs) == 0 {
		t.Errorf("%d networks accepted", len(many))
	}
}

func TestCheckNetworks(t *testing.T) {
	t.Parallel()
	// School 5 (THCS Phù Liễn) has 10.5.0.0/16 and class 7A 10.5.7.0/24;
	// school 6 (Tiểu học Lê Lợi) has 10.6.0.0/16 and 2001:db8:6::/48.
	claimed := []NetworkOwner{
		{ProfileID: 1, OrgID: 5, Kind: KindSchool, Name: "THCS Phù Liễn", School: "Trường THCS Phù Liễn", Network: "10.5.0.0/16"},
		{ProfileID: 2, OrgID: 5, Kind: KindClass, Name: "Lớp 7A", School: "Trường THCS Phù Liễn", Network: "10.5.7.0/24"},
		{ProfileID: 3, OrgID: 6, Kind: KindSchool, Name: "Lê Lợi", School: "Trường Tiểu học Lê Lợi", Network: "10.6.0.0/16"},
		{ProfileID: 3, OrgID: 6, Kind: KindSchool, Name: "Lê Lợi", School: "Trường Tiểu học Lê Lợi", Network: "2001:db8:6::/48"},
		{Kind: kindConfig, OrgID: -1, Name: "truong-cu", Network: "192.168.50.0/24"},
		{Kind: kindConfig, OrgID: -1, Name: "demo", Network: "127.0.0.2"},
	}
	school5 := &Profile{ID: 1, OrgID: 5, Kind: KindSchool}
	class7A := &Profile{ID: 2, OrgID: 5, Kind: KindClass, Nickname: "Lớp 7A"}
	newClass := &Profile{OrgID: 5, Kind: KindClass, Nickname: "Phòng máy"}
	school6 := &Profile{ID: 3, OrgID: 6, Kind: KindSchool}
	newSchool := &Profile{OrgID: 7, Kind: KindSchool}
	for _, tc := range []struct {
		name string
		p    *Profile
		nets []string
		bad  string
	}{
		{"school keeps its network", school5, []string{"10.5.0.0/16"}, ""},
		{"school widens around its class", school5, []string{"10.4.0.0/15"}, ""},
		{"school adds a network", school5, []string{"10.5.0.0/16", "203.0.113.0/28"}, ""},
		{"school overlaps another school", school5, []string{"10.5.0.0/16", "10.6.1.0/24"}, "Trường Tiểu học Lê Lợi"},
		{"a new school takes a range inside another's", newSchool, []string{"10.6.200.0/24"}, "Trường Tiểu học Lê Lợi"},
		{"a new school takes a range around another's", newSchool, []string{"10.0.0.0/8"}, "Trường Tiểu học Lê Lợi"},
		{"a new school overlaps in IPv6", newSchool, []string{"2001:db8:6:1::/64"}, "Trường Tiểu học Lê Lợi"},
		{"a new school elsewhere", newSchool, []string{"10.7.0.0/16", "2001:db8:7::/48"}, ""},
		{"school drops the network its class is in", school5, []string{"10.50.0.0/16"}, "Lớp 7A dùng mạng 10.5.7.0/24"},
		{"school narrows away from its class", school5, []string{"10.5.0.0/22"}, "Lớp 7A"},
		{"school equals its class", school5, []string{"10.5.7.0/24"}, "Lớp 7A"},
		{"class inside its school", newClass, []string{"10.5.8.0/24"}, ""},
		{"class equal to its school", newClass, []string{"10.5.0.0/16"}, "đã là mạng của"},
		{"class broader than its school", newClass, []string{"10.4.0.0/15"}, "rộng hơn mạng 10.5.0.0/16"},
		{"class outside its school", newClass, []string{"192.168.1.0/24"}, "nằm ngoài các mạng của trường"},
		{"class overlaps another class", newClass, []string{"10.5.7.128/25"}, "Lớp 7A (Trường THCS Phù Liễn)"},
		{"class inside another school", newClass, []string{"10.6.1.0/24"}, "Trường Tiểu học Lê Lợi"},
		{"class changes its own network", class7A, []string{"10.5.9.0/24"}, ""},
		{"other school keeps its networks", school6, []string{"10.6.0.0/16", "2001:db8:6::/48"}, ""},
		{"a network of the configuration file", newSchool, []string{"192.168.0.0/16"}, "hồ sơ “truong-cu” trong tệp cấu hình"},
		{"inside a network of the configuration file", newSchool, []string{"192.168.50.128/25"}, "truong-cu"},
	} {
		errs := checkNetworks(tc.p, tc.nets, claimed)
		if tc.bad == "" {
			if len(errs) > 0 {
				t.Errorf("%s: refused: %+v", tc.name, errs)
			}
			continue
		}
		found := false
		for _, e := range errs {
			found = found || strings.Contains(e.Vi, tc.bad) && e.En != ""
		}
		if !found {
			t.Errorf("%s: errors %+v, want one naming %q", tc.name, errs, tc.bad)
		}
	}
	// A class of a school with no network yet is refused, however small.
	if errs := checkNetworks(&Profile{OrgID: 7, Kind: KindClass}, []string{"10.7.1.0/24"}, claimed); len(errs) == 0 {
		t.Error("a class was given a network although its school has none")
	}
}
