package report

// Narrative keys: the sections of the ward report (the hand-written 2025
// report of Phù Liễn, section by section) whose prose the officer writes.
// ReportVersion.Narratives is keyed by these.
const (
	NarrTelecom      = "situation_telecom"      // I.1
	NarrCrime        = "situation_crime"        // I.2
	NarrSocial       = "situation_social"       // I.3
	NarrIssues       = "situation_issues"       // I.4
	NarrDirection    = "results_direction"      // II.1
	NarrTargets      = "results_targets"        // II.2
	NarrTasks        = "results_tasks"          // II.3
	NarrAssessment   = "assessment"             // III.1
	NarrDifficulties = "difficulties"           // III.2
	NarrAwards       = "proposals_awards"       // III.3.1
	NarrNext         = "proposals_next_program" // III.3.2
)

// Section is a narrative section: its key, its heading as the report
// prints it (the number included), its level and the neutral prompt a new
// report starts with (the officer replaces it).
type Section struct {
	Key       string
	Heading   string
	HeadingEN string
	Level     int // 2 = "1.", 3 = "3.1."
	Prompt    string
	PromptEN  string
}

// Sections lists the narrative sections in report order. A heading of
// level 1 (I., II., III.) is printed by Build, with the period in it.
func Sections() []Section {
	return []Section{
		{NarrTelecom, "1. Tình hình phát triển viễn thông, Internet, các nền tảng ứng dụng", "1. Telecommunications, the Internet and platforms", 2,
			"[Nêu tình hình hạ tầng viễn thông, Internet và các nền tảng trẻ em sử dụng trên địa bàn trong kỳ báo cáo.]",
			"[Describe the telecoms and Internet infrastructure and the platforms children use in the ward during the period.]"},
		{NarrCrime, "2. Thủ đoạn tội phạm mới trên không gian mạng", "2. New criminal methods online", 2,
			"[Nêu các thủ đoạn lừa đảo, lôi kéo, xâm hại trẻ em trên mạng được ghi nhận trong kỳ; các vụ việc (nếu có).]",
			"[Describe the scams, lures and abuse of children online recorded in the period; incidents, if any.]"},
		{NarrSocial, "3. Các yếu tố kinh tế, xã hội, dân sinh tác động", "3. Economic and social factors", 2,
			"[Nêu các yếu tố dân cư, kinh tế, giáo dục làm tăng nguy cơ đối với trẻ em trên môi trường mạng.]",
			"[Describe the population, economic and education factors that raise children's risks online.]"},
		{NarrIssues, "4. Các vấn đề nổi lên, yếu tố phức tạp", "4. Emerging and complex issues", 2,
			"[Nêu các vấn đề nổi lên, phức tạp được ghi nhận qua báo cáo của Công an phường và thực tiễn.]",
			"[Describe the emerging issues reported by the ward police and seen in practice.]"},
		{NarrDirection, "1. Công tác chỉ đạo, tổ chức triển khai thực hiện", "1. Direction and organisation", 2,
			"[Nêu các kế hoạch, văn bản chỉ đạo đã ban hành, phân công trách nhiệm, tổ công tác.]",
			"[List the plans and directives issued, the responsibilities assigned, the working group.]"},
		{NarrTargets, "2. Kết quả thực hiện các mục tiêu cụ thể", "2. Results against the specific targets", 2,
			"[Bổ sung nội dung, hình thức truyền thông, sinh hoạt chuyên đề; các con số dưới đây được tính từ dữ liệu.]",
			"[Add the content and forms of communication and themed meetings; the figures below are computed from the data.]"},
		{NarrTasks, "3. Kết quả thực hiện từng nhiệm vụ, giải pháp đề ra", "3. Results of each task and measure", 2,
			"[Bổ sung kết quả từng nhiệm vụ: trang bị kỹ năng, phát hiện và hỗ trợ, phối hợp, kiểm tra xử lý vi phạm.]",
			"[Add the results of each task: skills, detection and support, coordination, inspections.]"},
		{NarrAssessment, "1. Đánh giá chung về kết quả đạt được", "1. Overall assessment", 2,
			"[Đánh giá chung về kết quả đạt được trong kỳ.]",
			"[Assess the period's results overall.]"},
		{NarrDifficulties, "2. Khó khăn, vướng mắc trong quá trình triển khai", "2. Difficulties", 2,
			"[Nêu khó khăn, vướng mắc: cán bộ, kinh phí, phối hợp, công cụ.]",
			"[Describe the difficulties: staff, budget, coordination, tools.]"},
		{NarrAwards, "3.1. Về công tác thi đua, khen thưởng", "3.1. Emulation and awards", 3,
			"[Nêu kiến nghị về thi đua, khen thưởng.]",
			"[State the proposals on awards.]"},
		{NarrNext, "3.2. Đề xuất nội dung nhiệm vụ đưa vào xây dựng Chương trình giai đoạn tiếp theo", "3.2. Tasks proposed for the next programme", 3,
			"[Nêu các nhiệm vụ đề xuất cho giai đoạn tiếp theo.]",
			"[State the tasks proposed for the next period.]"},
	}
}

// DefaultNarratives are the prompts a first report starts with.
func DefaultNarratives() map[string]string {
	m := map[string]string{}
	for _, s := range Sections() {
		m[s.Key] = s.Prompt
	}
	return m
}

// SectionKeys are the valid narrative keys.
func SectionKeys() map[string]bool {
	m := map[string]bool{}
	for _, s := range Sections() {
		m[s.Key] = true
	}
	return m
}
