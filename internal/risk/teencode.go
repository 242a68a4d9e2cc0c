package risk

import "strings"

// teencode returns the expansion of a chat abbreviation, given the keys of
// the tokens before and after it for the few that depend on context.
// It returns "" when key is not an abbreviation.
func teencode(key, prev, next string) string {
	switch key {
	case "ko", "k", "kh", "hok", "hk", "khum", "kg", "khg", "hem", "hong", "hông", "kp", "hok0":
		if key == "hong" && !hongNegates(next) {
			return "" // "hồng" (pink) unless it reads as a negation
		}
		if key == "kp" {
			return "không phải"
		}
		return "không"
	case "dc", "dk", "duoc", "đc":
		if key == "duoc" {
			return ""
		}
		return "được"
	case "ck":
		if prev == "vk" || prev == "vo" || next == "vk" || next == "toi" || next == "em" || prev == "cua" {
			return "chồng"
		}
		return "chuyển khoản"
	case "vk":
		return "vợ"
	case "stk":
		return "số tài khoản"
	case "mk", "mik", "mh", "mjk", "mjnh", "mnh":
		if key == "mk" {
			switch prev {
			case "nhap", "doi", "gui", "xin", "lay", "cho", "biet", "quen", "va":
				return "mật khẩu"
			}
			switch next {
			case "tai", "tk", "fb", "facebook", "zalo", "game", "nick", "acc", "garena", "ngan", "la", "va", "cua", "email", "gmail":
				if prev == "" || prev == "va" || prev == "tk" || prev == "khoan" {
					return "mật khẩu"
				}
			}
		}
		return "mình"
	case "mun", "muh":
		// "mún" is teencode for "muốn" (to want) before a verb; "mụn"
		// (a pimple) otherwise.
		switch next {
		case "chet", "song", "tu", "bien", "ngu", "ket", "nhay", "di", "khoc", "bo", "roi", "tro", "lam", "an", "choi", "gap", "noi", "hoi", "nghi", "ve", "o", "duoc", "co":
			return "muốn"
		}
		return ""
	case "ib", "inb", "ibx", "ibox":
		return "inbox"
	case "ny":
		return "người yêu"
	case "nyc":
		return "người yêu cũ"
	case "tk", "acc":
		return "tài khoản"
	case "pass", "pw", "mkhau":
		return "mật khẩu"
	case "j", "ji", "gj", "dj":
		if key == "dj" {
			return "đi"
		}
		return "gì"
	case "z", "v", "zay", "dzay", "zậy", "vay":
		if key == "vay" {
			return ""
		}
		return "vậy"
	case "bn":
		switch next {
		case "tuoi", "tien", "lau", "nguoi", "cai", "gio", "ngay", "thang", "nam", "k", "ca", "diem":
			return "bao nhiêu"
		}
		switch prev {
		case "la", "het", "gia", "duoc", "mat", "tien", "co", "can", "nap", "chuyen", "muon":
			return "bao nhiêu"
		}
		return "bạn"
	case "b", "bj", "bjn":
		if key == "b" && (next == "" || prev == "") {
			return "bạn"
		}
		return "bạn"
	case "ntn":
		return "như thế nào"
	case "r", "ruj", "rui", "roy", "oy", "ròi":
		return "rồi"
	case "e":
		return "em"
	case "a":
		return "anh"
	case "ms":
		return "mới"
	case "mn", "mng", "mnguoi":
		return "mọi người"
	case "ng":
		return "người"
	case "vs":
		return "với"
	case "cx", "cg", "cug":
		return "cũng"
	case "bit", "bik", "bjk", "bjet", "bij":
		return "biết"
	case "wa", "qa", "qua":
		if key == "qua" {
			return ""
		}
		return "qua"
	case "sdt", "sđt":
		return "số điện thoại"
	case "dt", "dthoai":
		return "điện thoại"
	case "bme", "bm", "pm", "pme":
		if key == "pm" && next != "" && next != "em" && next != "toi" {
			return "inbox" // "pm" = private message
		}
		return "bố mẹ"
	case "ae":
		return "anh em"
	case "fb", "phây", "face":
		return "facebook"
	case "gv":
		return "giáo viên"
	case "gvcn":
		return "giáo viên chủ nhiệm"
	case "hs":
		return "học sinh"
	case "ph", "phhs":
		if key == "ph" && next != "" && next != "hs" {
			return ""
		}
		return "phụ huynh"
	case "t", "tau":
		return "tao"
	case "m":
		return "mày"
	case "trc":
		return "trước"
	case "ns":
		return "nói"
	case "nch", "nc":
		return "nói chuyện"
	case "nt", "ntin":
		return "nhắn tin"
	case "lm":
		return "làm"
	case "ik", "dii":
		return "đi"
	case "ad", "add":
		if key == "add" {
			return "kết bạn"
		}
		return "admin"
	case "hnay", "hnai", "hn":
		if key == "hn" && next != "" {
			return ""
		}
		return "hôm nay"
	case "hqua", "hwa":
		return "hôm qua"
	case "nhiu":
		return "nhiều"
	case "iu", "iêu", "yew":
		return "yêu"
	case "thik", "thjk", "thix":
		return "thích"
	case "ctv":
		return "cộng tác viên"
	case "qc":
		return "quảng cáo"
	case "dth", "dthw", "cute":
		if key == "cute" {
			return "dễ thương"
		}
		return "dễ thương"
	case "vid", "clip":
		if key == "clip" {
			return ""
		}
		return "video"
	case "pic", "pics", "hinh":
		return "ảnh"
	case "nude", "nudes":
		return "ảnh nóng"
	case "sex", "s3x":
		return "sex"
	case "otp":
		return "otp"
	case "cmnd", "cccd", "cancuoc":
		return "cccd"
	case "bh", "bjo", "bjh", "bi":
		if key == "bi" {
			return ""
		}
		return "bao giờ"
	case "nv":
		return "nhân viên"
	case "kn":
		return "kinh nghiệm"
	case "vc", "vjec":
		if prev == "nhan" || prev == "lam" || prev == "tim" || next == "nhe" || next == "lam" {
			return "việc"
		}
		return ""
	case "tx":
		return "tài xỉu"
	case "hc":
		return "học"
	case "ntnao":
		return "như thế nào"
	case "chs":
		return "chơi"
	case "kb":
		return "kết bạn"
	case "gd", "gđ":
		return "gia đình"
	case "ok", "oke", "okie", "oki":
		return "ok"
	case "tks", "thanks", "thank", "thanks!", "tk!":
		return "cảm ơn"
	case "mum", "mama":
		return "mẹ"
	case "bo", "ba", "dad", "papa":
		if key == "bo" || key == "ba" {
			return ""
		}
		return "bố"
	case "app", "ap":
		if key == "app" {
			return ""
		}
		return "app"
	}
	return ""
}

// expandTeencode makes the Tokens of toks, whose strings are ranges of
// str, replacing abbreviations by the words they stand for; an expansion
// into several words gives several tokens over the same bytes. The tokens
// are appended to out.
func expandTeencode(toks []wordTok, str string, out []Token) []Token {
	key := func(t *wordTok) string {
		switch {
		case t.key != noPlaceholder:
			return t.key.String()
		case t.ke == t.we:
			return str[t.ws:t.we]
		}
		return str[t.we:t.ke]
	}
	next := ""
	if len(toks) > 0 {
		next = key(&toks[0])
	}
	for i := range toks {
		t := &toks[i]
		k := next
		next = ""
		if i+1 < len(toks) {
			next = key(&toks[i+1])
		}
		word := str[t.ws:t.we]
		if t.kind == KindWord && len(k) <= 6 {
			prev := ""
			if len(out) > 0 {
				prev = out[len(out)-1].Key
			}
			if exp := teencode(k, prev, next); exp != "" && exp != word {
				brk := t.brk
				for exp != "" {
					w, rest, _ := strings.Cut(exp, " ")
					out = append(out, Token{Key: foldExpansion(w), Word: w, Start: t.start, End: t.end, Kind: KindWord, Break: brk})
					brk = false
					exp = rest
				}
				continue
			}
		}
		out = append(out, Token{Key: k, Word: word, Start: t.start, End: t.end, Kind: t.kind, Break: t.brk, Value: t.value})
	}
	return out
}

// foldExpansion is foldString for the words teencode expands to, without
// allocating for the common ones.
func foldExpansion(w string) string {
	switch w {
	case "biết":
		return "biet"
	case "bạn":
		return "ban"
	case "bố":
		return "bo"
	case "chuyển":
		return "chuyen"
	case "chuyện":
		return "chuyen"
	case "chơi":
		return "choi"
	case "chồng":
		return "chong"
	case "chủ":
		return "chu"
	case "cáo":
		return "cao"
	case "cũ":
		return "cu"
	case "cũng":
		return "cung"
	case "cảm":
		return "cam"
	case "cộng":
		return "cong"
	case "dễ":
		return "de"
	case "giáo":
		return "giao"
	case "giờ":
		return "gio"
	case "gì":
		return "gi"
	case "hôm":
		return "hom"
	case "học":
		return "hoc"
	case "khoản":
		return "khoan"
	case "không":
		return "khong"
	case "khẩu":
		return "khau"
	case "kết":
		return "ket"
	case "làm":
		return "lam"
	case "mày":
		return "may"
	case "mình":
		return "minh"
	case "mật":
		return "mat"
	case "mẹ":
		return "me"
	case "mọi":
		return "moi"
	case "mới":
		return "moi"
	case "nghiệm":
		return "nghiem"
	case "người":
		return "nguoi"
	case "nhiêu":
		return "nhieu"
	case "nhiều":
		return "nhieu"
	case "nhiệm":
		return "nhiem"
	case "nhân":
		return "nhan"
	case "như":
		return "nhu"
	case "nhắn":
		return "nhan"
	case "nào":
		return "nao"
	case "nói":
		return "noi"
	case "nóng":
		return "nong"
	case "phải":
		return "phai"
	case "phụ":
		return "phu"
	case "quảng":
		return "quang"
	case "rồi":
		return "roi"
	case "số":
		return "so"
	case "thoại":
		return "thoai"
	case "thích":
		return "thich"
	case "thương":
		return "thuong"
	case "thế":
		return "the"
	case "trước":
		return "truoc"
	case "tài":
		return "tai"
	case "tác":
		return "tac"
	case "viên":
		return "vien"
	case "việc":
		return "viec"
	case "vậy":
		return "vay"
	case "với":
		return "voi"
	case "vợ":
		return "vo"
	case "xỉu":
		return "xiu"
	case "yêu":
		return "yeu"
	case "đi":
		return "di"
	case "điện":
		return "dien"
	case "đình":
		return "dinh"
	case "được":
		return "duoc"
	case "ơn":
		return "on"
	case "ảnh":
		return "anh"
	}
	return foldString(w)
}

// hongNegates reports whether "hông"/"hổng" before next reads as "không"
// (southern "not") rather than "hồng" (pink).
func hongNegates(next string) bool {
	switch next {
	case "co", "the", "duoc", "biet", "muon", "sao", "gap", "con", "dang", "can", "chiu", "song", "ai", "phai", "dam", "thay", "hieu":
		return true
	}
	return false
}
