package web

import "sync"

var childMessagesOnce sync.Once

// setupChild adds the child's page, requests and weekly summary texts.
func (s *Server) setupChild() error {
	var err error
	childMessagesOnce.Do(func() {
		if err = addMessages(childMessages); err == nil {
			err = addMessages(parentAlertMessages)
		}
		if err == nil {
			err = addMessages(blockPageMessages)
		}
	})
	return err
}

var childMessages = map[string]msg{
	"child.title":               {"Trang của %s", "%s's page"},
	"child.hello":               {"Chào %s!", "Hi %s!"},
	"child.intro":               {"Đây là trang của bạn. Ở đây bạn xem được mạng nhà mình đang chặn gì và bạn còn bao nhiêu phút hôm nay.", "This is your page. Here you can see what your internet blocks and how many minutes you have left today."},
	"child.rules":               {"Đang bật", "What is on"},
	"child.rule.cats":           {"%s bị chặn.", "%s are blocked."},
	"child.rule.svcs":           {"Ứng dụng bị chặn: %s.", "Apps blocked: %s."},
	"child.rule.safe":           {"Tìm kiếm an toàn đang bật (Google, YouTube, Bing ẩn nội dung người lớn).", "Safe search is on (Google, YouTube and Bing hide adult content)."},
	"child.rule.sched":          {"%s: %s–%s, %s.", "%s: %s–%s, %s."},
	"child.rule.sched.block":    {"một số trang bị chặn", "some sites are blocked"},
	"child.rule.sched.only":     {"chỉ dùng được vài trang", "only a few sites work"},
	"child.rule.sched.noname":   {"Khung giờ", "Time window"},
	"child.rule.deny":           {"Bố mẹ chặn thêm %d trang.", "Your parent blocked %d more sites."},
	"child.rule.none":           {"Không có gì bị chặn.", "Nothing is blocked."},
	"child.paused.forever":      {"Mạng đang tạm dừng cho đến khi bố mẹ bật lại.", "The internet is paused until your parent turns it back on."},
	"child.paused.until":        {"Mạng đang tạm dừng đến %s.", "The internet is paused until %s."},
	"child.time":                {"Thời gian hôm nay", "Time today"},
	"child.time.none":           {"Không có giới hạn thời gian.", "There is no time limit."},
	"child.budget.all":          {"Tất cả", "Everything"},
	"child.budget.group.games":  {"Trò chơi", "Games"},
	"child.budget.group.social": {"Mạng xã hội", "Social media"},
	"child.budget.group.video":  {"Video", "Video"},
	"child.budget.each.games":   {"Mỗi trò chơi", "Each game"},
	"child.budget.each.social":  {"Mỗi mạng xã hội", "Each social app"},
	"child.budget.each.video":   {"Mỗi trang video", "Each video app"},
	"child.budget.left":         {"còn %d phút hôm nay (trên %d phút)", "%d minutes left today (of %d)"},
	"child.budget.spent":        {"hết giờ hôm nay, mai chơi tiếp nhé", "no time left today: more tomorrow"},
	"child.budget.perEach":      {"tối đa %d phút mỗi cái", "at most %d minutes each"},
	"child.budget.unknown":      {"%d phút mỗi ngày", "%d minutes a day"},
	"child.pending":             {"Đang chờ bố mẹ trả lời", "Waiting for your parent"},
	"child.watch.title":         {"Mạng Lành biết gì về bạn?", "What does Mạng Lành know about you?"},
	"child.watch.1":             {"Bố mẹ bạn dùng Mạng Lành để chặn trang xấu và giới hạn giờ chơi.", "Your parent uses Mạng Lành to block bad sites and limit playing time."},
	"child.watch.2":             {"Mạng Lành thấy tên các trang mà máy của bạn mở (ví dụ: youtube.com) và lúc nào, để đếm phút và chặn trang xấu.", "Mạng Lành sees the names of the sites your device opens (like youtube.com) and when, to count minutes and block bad sites."},
	"child.watch.3":             {"Bố mẹ thấy bạn dùng bao nhiêu phút và trang nào bị chặn.", "Your parent sees how many minutes you used and which sites were blocked."},
	"child.watch.4":             {"Mạng Lành không bao giờ đọc tin nhắn, ảnh hay những gì bạn gõ.", "Mạng Lành never reads your messages, photos or what you type."},
	"child.watch.5":             {"Nếu có ai trên mạng làm bạn sợ hay buồn, hãy kể với bố mẹ, thầy cô, hoặc gọi 111 (miễn phí).", "If someone online scares you or makes you sad, tell your parent or teacher, or call 111 (free)."},
	"child.blocked.title":       {"Trang này bị chặn", "This site is blocked"},
	"child.blocked.site":        {"Trang %s bị chặn.", "The site %s is blocked."},
	"child.blocked.why":         {"Vì sao?", "Why?"},
	"child.blocked.bad":         {"Tên trang không hợp lệ. Hãy quay lại trang trước.", "That is not a valid site name. Go back to the previous page."},
	"child.blocked.allowed":     {"Bố mẹ đã cho phép trang này. Hãy thử mở lại sau một phút.", "Your parent allowed this site. Try opening it again in a minute."},
	"child.why.deny":            {"Bố mẹ đã chặn riêng trang này.", "Your parent blocked this site."},
	"child.why.cat":             {"Đây là trang thuộc nhóm: %s.", "It is in the group: %s."},
	"child.why.pause":           {"Mạng đang tạm dừng.", "The internet is paused."},
	"child.why.sched":           {"Đang là giờ \"%s\" (%s–%s).", "It is \"%s\" time (%s–%s)."},
	"child.why.budget":          {"Đã hết giờ hôm nay cho: %s.", "No time left today for: %s."},
	"child.why.unknown":         {"Trang này nằm trong danh sách chặn của mạng nhà bạn.", "This site is on your internet's block list."},
	"child.ask":                 {"Xin bố mẹ cho phép trang này", "Ask my parent to allow this site"},
	"child.ask.hint":            {"Bố mẹ sẽ thấy tên trang và trả lời. Bạn không cần gõ gì thêm.", "Your parent will see the site's name and answer. You do not need to type anything."},
	"child.ask.sent":            {"Đã gửi cho bố mẹ. Khi bố mẹ cho phép, trang sẽ mở được.", "Sent to your parent. When they allow it, the site will open."},
	"child.ask.again":           {"Bạn đã xin trang này rồi, bố mẹ chưa trả lời. Không cần gửi lại.", "You already asked for this site and your parent has not answered yet. No need to send again."},
	"child.ask.toomany":         {"Bạn đã xin nhiều trang trong một giờ. Hãy chờ một lúc rồi xin tiếp.", "You asked for many sites this hour. Wait a while, then ask again."},
	"child.find":                {"Một trang bị chặn?", "Is a site blocked?"},
	"child.find.label":          {"Tên trang (ví dụ: roblox.com)", "The site's name (for example: roblox.com)"},
	"child.find.go":             {"Xem vì sao và xin phép", "See why and ask"},
	"child.back":                {"Về trang của bạn", "Back to your page"},

	"req.title":       {"Con xin phép vào trang", "Requests to allow a site"},
	"req.intro":       {"Khi một trang bị chặn, con có thể bấm \"Xin bố mẹ cho phép\". Cho phép sẽ có hiệu lực trong vài giây.", "When a site is blocked, your child can press \"Ask my parent\". Allowing takes effect within seconds."},
	"req.pending":     {"Đang chờ", "Waiting"},
	"req.none":        {"Không có yêu cầu nào đang chờ.", "No requests are waiting."},
	"req.decided":     {"Đã trả lời", "Answered"},
	"req.why":         {"Bị chặn vì: %s", "Blocked as: %s"},
	"req.hour":        {"Cho phép 1 giờ", "Allow 1 hour"},
	"req.day":         {"Cho phép hôm nay", "Allow today"},
	"req.always":      {"Luôn cho phép", "Always allow"},
	"req.refuse":      {"Không cho phép", "Do not allow"},
	"req.ok.hour":     {"Đã cho phép %s trong 1 giờ.", "%s is allowed for 1 hour."},
	"req.ok.day":      {"Đã cho phép %s đến hết hôm nay.", "%s is allowed until the end of today."},
	"req.ok.always":   {"Đã cho phép %s luôn luôn (thêm vào danh sách trang cho phép).", "%s is always allowed (added to the allowed sites)."},
	"req.ok.refuse":   {"Đã không cho phép %s.", "%s was not allowed."},
	"req.ok.done":     {"Yêu cầu này đã được trả lời trước đó.", "This request had already been answered."},
	"req.out.refused": {"không cho phép", "not allowed"},
	"req.out.always":  {"luôn cho phép", "always allowed"},
	"req.out.until":   {"cho phép đến %s", "allowed until %s"},

	"weekly.title":         {"Tuần của %s", "%s's week"},
	"weekly.prev":          {"← Tuần trước", "← Previous week"},
	"weekly.next":          {"Tuần sau →", "Next week →"},
	"weekly.badweek":       {"Tuần phải có dạng 2026-W49. Đang hiện tuần này.", "The week must look like 2026-W49. Showing this week."},
	"weekly.time":          {"Thời gian dùng mỗi ngày (phút có hoạt động)", "Time per day (minutes with activity)"},
	"weekly.noactivity":    {"Máy chủ DNS chưa ghi thời gian dùng, nên chưa có số phút.", "The DNS server does not record time yet, so there are no minutes."},
	"weekly.chart.title":   {"Số phút mỗi ngày theo ứng dụng", "Minutes per day by app"},
	"weekly.chart.desc":    {"Cả tuần %d phút. Số liệu chi tiết ở bảng bên dưới.", "%d minutes in the week. The table below has the numbers."},
	"weekly.chart.empty":   {"Chưa có phút nào trong tuần này", "No minutes this week"},
	"weekly.min":           {"phút", "min"},
	"weekly.other":         {"Khác", "Other"},
	"weekly.app":           {"Ứng dụng", "App"},
	"weekly.total":         {"Tổng", "Total"},
	"weekly.blocked":       {"Lần bị chặn", "Blocked attempts"},
	"weekly.blocked.none":  {"Không có lần nào bị chặn.", "Nothing was blocked."},
	"weekly.blocked.rules": {"Khung giờ, tạm dừng, hết giờ", "Schedules, pause, time up"},
	"weekly.group":         {"Nhóm", "Group"},
	"weekly.count":         {"Số lần", "Times"},
	"weekly.alerts":        {"Cảnh báo", "Alerts"},
	"weekly.alerts.none":   {"Không có cảnh báo.", "No alerts."},
	"weekly.advice":        {"Nên nói chuyện với con về", "Things to talk about with your child"},
	"weekly.mail":          {"Thư tóm tắt tuần", "Weekly e-mail"},
	"weekly.mail.none":     {"Chưa gửi thư cho tuần này.", "No e-mail sent for this week yet."},
	"weekly.mail.sent":     {"Đã gửi lúc %s.", "Sent at %s."},
	"weekly.mail.failed":   {"Chưa gửi được (%s): %s", "Not sent (%s): %s"},
	"weekly.mail.link":     {"Xem biểu đồ và chi tiết:", "See the chart and details:"},
}
