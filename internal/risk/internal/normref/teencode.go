package normref

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

// expandTeencode replaces abbreviations by the words they stand for; an
// expansion into several words gives several tokens over the same bytes.
// out is reused storage for the result (may be nil); it must not overlap
// toks.
func expandTeencode(toks, out []Token) []Token {
	need := false
	for _, t := range toks {
		if t.Kind == KindWord && len(t.Key) <= 6 {
			need = true
			break
		}
	}
	if !need {
		return toks
	}
	out = out[:0]
	for i, t := range toks {
		if t.Kind != KindWord || len(t.Key) > 6 {
			out = append(out, t)
			continue
		}
		prev, next := "", ""
		if len(out) > 0 {
			prev = out[len(out)-1].Key
		}
		if i+1 < len(toks) {
			next = toks[i+1].Key
		}
		exp := teencode(t.Key, prev, next)
		if exp == "" || exp == t.Word {
			out = append(out, t)
			continue
		}
		brk := t.Break
		for exp != "" {
			w, rest, _ := strings.Cut(exp, " ")
			out = append(out, Token{Key: foldString(w), Word: w, Start: t.Start, End: t.End, Kind: KindWord, Break: brk})
			brk = false
			exp = rest
		}
	}
	return out
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
