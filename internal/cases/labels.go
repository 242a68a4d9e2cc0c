package cases

// Public labels deliberately merge internal steps: a person holding the
// tracking code (who may be the suspect) must not learn that an emergency
// intervention or a separation is under way.
var publicLabels = map[Status][2]string{
	StatusReceived:              {"Đã tiếp nhận", "Received"},
	StatusAssessed:              {"Đang xác minh, đánh giá", "Being verified and assessed"},
	StatusEmergencyIntervention: {"Đang xác minh, đánh giá", "Being verified and assessed"},
	StatusNeedsAssessed:         {"Đang xác minh, đánh giá", "Being verified and assessed"},
	StatusPlanDrafted:           {"Đang xây dựng kế hoạch hỗ trợ", "Support plan in preparation"},
	StatusPlanApproved:          {"Đang hỗ trợ, can thiệp", "Support under way"},
	StatusInProgress:            {"Đang hỗ trợ, can thiệp", "Support under way"},
	StatusReviewed:              {"Đang đánh giá kết quả", "Results under review"},
	StatusClosed:                {"Đã kết thúc xử lý", "Closed"},
}

var staffLabels = map[Status][2]string{
	StatusReceived:              {"Tiếp nhận thông tin", "Received"},
	StatusAssessed:              {"Đã đánh giá ban đầu", "Initial assessment done"},
	StatusEmergencyIntervention: {"Can thiệp khẩn cấp", "Emergency intervention"},
	StatusNeedsAssessed:         {"Đã đánh giá nhu cầu", "Needs assessed"},
	StatusPlanDrafted:           {"Đã xây dựng kế hoạch", "Plan drafted"},
	StatusPlanApproved:          {"Kế hoạch đã được phê duyệt", "Plan approved"},
	StatusInProgress:            {"Đang thực hiện kế hoạch", "Plan in progress"},
	StatusReviewed:              {"Đã rà soát, đánh giá", "Reviewed"},
	StatusClosed:                {"Đã đóng hồ sơ", "Closed"},
}

func pick(pair [2]string, lang string) string {
	if lang == "en" {
		return pair[1]
	}
	return pair[0]
}

// StatusLabel is the label shown to the public for status, in lang ("vi"
// by default, or "en"). Several internal statuses share one public label.
// An unknown status gives the "received" label's neutral counterpart.
func StatusLabel(status Status, lang string) string {
	p, ok := publicLabels[status]
	if !ok {
		return pick([2]string{"Không rõ", "Unknown"}, lang)
	}
	return pick(p, lang)
}

// StaffStatusLabel is the precise label of status for staff, in lang ("vi"
// by default, or "en").
func StaffStatusLabel(status Status, lang string) string {
	p, ok := staffLabels[status]
	if !ok {
		return string(status)
	}
	return pick(p, lang)
}
