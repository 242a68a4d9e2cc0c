package risk

import (
	"bytes"
	"strings"
	"testing"
)

// probeJSONL holds messages written for this test, independently of the
// corpora, in the styles children meet: full diacritics, none, teencode.
// It is a second check that the rules generalise beyond the corpus.
const probeJSONL = `{"text": "Alo con ơi, bố đây, bố bị công an giữ xe, con chuyển ngay cho bố 5 triệu vào số tài khoản này nhé, đừng nói mẹ", "labels": ["scam"]}
{"text": "ê mày, t bị khóa fb r, cho t mượn nick zalo để nhận mã xác nhận cái", "labels": ["scam"]}
{"text": "Chúc mừng bạn may mắn nhận được iPhone 15 từ Shopee, truy cập shopee-quatang.xyz để điền thông tin nhận quà", "labels": ["scam"]}
{"text": "Mình bán acc Liên Quân full tướng 300k, chuyển trước mình gửi pass liền", "labels": ["scam"]}
{"text": "Anh là nhân viên Garena, em cần cung cấp mật khẩu để anh kiểm tra tài khoản bị hack", "labels": ["scam"]}
{"text": "Việc làm online cho học sinh, mỗi đơn hàng nhận hoa hồng 15%, nạp trước 200k để nhận đơn", "labels": ["scam"]}
{"text": "Cháu ơi, bà đang ở viện không có tiền viện phí, cháu gửi bà 2 triệu qua tài khoản của cô y tá nhé", "labels": ["scam"]}
{"text": "Tài khoản VNeID của bạn sẽ bị khóa, cập nhật ngay tại vneid-capnhat.com", "labels": ["scam"]}
{"text": "Con trai chị đang bị tạm giữ ở đồn, chuyển 30 triệu tiền bảo lãnh cho cán bộ để được thả ngay", "labels": ["scam"]}
{"text": "tải app nhận 100k miễn phí, link tải: bit.ly/nhan100k", "labels": ["scam"]}
{"text": "Nhà cái uy tín số 1, nạp đầu tặng 100%, cá cược bóng đá, casino trực tuyến", "labels": ["gambling"]}
{"text": "ae vào chơi tài xỉu với t đi, hôm qua t ăn được 1tr", "labels": ["gambling"]}
{"text": "Bắn cá online đổi thưởng thật, nạp thẻ cào 20k chơi ngay", "labels": ["gambling"]}
{"text": "Soi cầu lô đề hôm nay, bạch thủ lô 68, ai theo thì ib", "labels": ["gambling"]}
{"text": "cược trận MU - Chelsea tối nay không, t cược 100k MU thắng", "labels": ["gambling"]}
{"text": "Quay gacha 50k một lượt ra skin hiếm bán được 2 triệu", "labels": ["gambling"]}
{"text": "Game bài đổi thưởng, rút tiền về tài khoản ngân hàng trong 5 phút", "labels": ["gambling"]}
{"text": "Em ơi anh thấy em xinh lắm, cho anh xin Zalo riêng nhé, đừng nói với ai", "labels": ["grooming"]}
{"text": "tối nay bố mẹ em có nhà không, anh qua chở em đi chơi", "labels": ["grooming"]}
{"text": "em gửi anh vài tấm ảnh mặc đồ lót đi, anh sẽ nạp kim cương cho em", "labels": ["grooming"]}
{"text": "Anh là đạo diễn, em có muốn đóng phim không, gặp anh ở khách sạn để thử vai nhé, đi một mình thôi", "labels": ["grooming"]}
{"text": "Mình chơi trò bí mật nhé, em bật cam lên anh xem, đừng kể với ai", "labels": ["grooming"]}
{"text": "Em học lớp mấy rồi, nhà em ở đâu, anh muốn gặp em", "labels": ["grooming"]}
{"text": "Tao có ảnh khỏa thân của mày, chuyển 2 triệu không thì tao gửi cả lớp", "labels": ["sextortion"]}
{"text": "Nếu em không gửi thêm ảnh thì anh sẽ đăng những ảnh cũ lên Facebook", "labels": ["sextortion"]}
{"text": "Video call hôm qua tao ghi lại rồi, nạp thẻ 500k cho tao không thì phát tán", "labels": ["sextortion"]}
{"text": "mày đúng là đồ ngu, cút khỏi lớp này đi", "labels": ["bullying"]}
{"text": "Cả lớp ơi vào nhóm anti con Lan đi, chửi cho nó bỏ học", "labels": ["bullying"]}
{"text": "thằng béo kia mai tao đánh cho không trượt phát nào", "labels": ["bullying"]}
{"text": "Nhìn mặt nó như con khỉ, đăng ảnh nó lên cho mọi người cười", "labels": ["bullying"]}
{"text": "Tao ghét mày, mày chết đi cho rảnh nợ", "labels": ["bullying"]}
{"text": "Mình không muốn sống nữa, mọi thứ quá mệt mỏi", "labels": ["self_harm"]}
{"text": "Mình đã viết thư tạm biệt rồi, tối nay mình sẽ đi", "labels": ["self_harm"]}
{"text": "Cắt tay là cách duy nhất giúp mình bớt đau", "labels": ["self_harm"]}
{"text": "Có ai biết nhảy từ tầng mấy thì chết ngay không", "labels": ["self_harm"]}
{"text": "Tham gia thử thách cá voi xanh, hoàn thành 50 nhiệm vụ", "labels": ["self_harm"]}
{"text": "Link phim sex học sinh mới nhất, vào xem ngay", "labels": ["sexual_content"]}
{"text": "Bán clip nóng của hot girl, 50k một clip, ib", "labels": ["sexual_content"]}
{"text": "Nhóm chat 18+ trên Telegram, ảnh nude mỗi ngày", "labels": ["sexual_content"]}
{"text": "Mẹ ơi chiều nay con về muộn vì ở lại trực nhật", "labels": []}
{"text": "Thầy nhắc các em nộp bài tập về nhà trước thứ Sáu", "labels": []}
{"text": "Tối nay Việt Nam đá với Indonesia, cả nhà xem không", "labels": []}
{"text": "Đề thi cuối kỳ khó quá, tao muốn khóc luôn", "labels": []}
{"text": "Bố chuyển tiền học cho con rồi, con nộp cho cô nhé", "labels": []}
{"text": "Nhà trường thông báo: phụ huynh không chuyển tiền cho bất kỳ ai tự xưng giáo viên, mọi khoản thu nộp tại trường", "labels": []}
{"text": "Cảnh báo lừa đảo: đối tượng giả danh công an gọi điện yêu cầu chuyển tiền, người dân cần cảnh giác", "labels": []}
{"text": "Cô giáo khen con vẽ đẹp, con được điểm 10", "labels": []}
{"text": "Anh ơi mai em gửi anh ảnh thẻ để làm hồ sơ nhé", "labels": []}
{"text": "Con chơi Liên Quân xong rồi đi ngủ nhé, mai còn đi học", "labels": []}
{"text": "Cuối tuần cả nhà đi biển, nhớ mang đồ bơi", "labels": []}
{"text": "Mã OTP của bạn là 123456, không chia sẻ mã này với bất kỳ ai", "labels": []}
{"text": "Bạn ơi cho mình mượn vở Văn chép bài nhé", "labels": []}
{"text": "Chán quá, hôm nay mưa cả ngày không đi chơi được", "labels": []}
{"text": "Hôm nay lớp mình học về an toàn trên mạng, không chia sẻ mật khẩu cho người lạ", "labels": []}
{"text": "Mày chơi game gà thế, để tao gánh cho", "labels": []}
{"text": "Tao đói muốn chết, ra căng tin ăn đi", "labels": []}
{"text": "Thẻ cào điện thoại mẹ mua rồi, con nạp vào máy mà dùng", "labels": []}
{"text": "Xổ số hôm nay ai trúng không, bố mua có 1 tờ", "labels": []}
{"text": "Đừng quên mang áo mưa nhé con", "labels": []}
{"text": "Em cảm ơn anh đã giúp em làm bài tập", "labels": []}
{"text": "ê b ơi, t đang cần gấp 500k, ck giúp t vào stk này vs, tối t trả, đừng nói ai nha", "labels": ["scam"]}
{"text": "Shop thanh lý iphone 11 giá 2tr, ck cọc trước 500k giữ hàng, ko nhận cod", "labels": ["scam"]}
{"text": "thay gui phu huynh so tk moi cua thay, chuyen tien hoc them thang nay vao day nhe", "labels": ["scam"]}
{"text": "ban da trung giai nhi chuong trinh tri an cua viettel, nap the 200k de nhan thuong", "labels": ["scam"]}
{"text": "Nhận kim cương FF free, chỉ cần nhập tk mk tại ff-sukien.online", "labels": ["scam"]}
{"text": "Bộ Công an: công dân chưa định danh mức 2 sẽ bị khóa tài khoản ngân hàng, tải app tại dichvucong-gov.top", "labels": ["scam"]}
{"text": "m ơi t lỡ gửi mã otp về sđt m, m đọc giúp t 6 số đó vs", "labels": ["scam"]}
{"text": "viec lam them cho hs sv, like tiktok 10k/luot, ib zalo de nhan viec", "labels": ["scam"]}
{"text": "tai xiu md5 uy tin, nap 20k nhan 50k, rut ve bank 3 phut", "labels": ["gambling"]}
{"text": "no hu doi thuong tang code 50k cho anh em moi", "labels": ["gambling"]}
{"text": "cá độ trận tối nay không m, t đặt 200k đội nhà", "labels": ["gambling"]}
{"text": "lo de online 1 an 99.5, nhan ghi so qua zalo", "labels": ["gambling"]}
{"text": "ban ca 3D doi the cao, x100 tien nap", "labels": ["gambling"]}
{"text": "e oi a thay e dth qua, kb zalo a nhe, a hua ko lam gi dau", "labels": ["grooming"]}
{"text": "bm e di lam ha, a sang nha e choi nhe, ko ai biet dau", "labels": ["grooming"]}
{"text": "e chup cho a tam anh ko mac ao di, a chuyen e 500k", "labels": ["grooming"]}
{"text": "tối nay e ra công viên gặp a nhé, nhớ đi 1 mình, đừng kể bm", "labels": ["grooming"]}
{"text": "a là bạn của bố e đây, đừng nói bố biết là a nhắn tin cho e nha", "labels": ["grooming"]}
{"text": "ko gui them thi t dang clip cua m len fb cho ca truong xem", "labels": ["sextortion"]}
{"text": "chuyen 3tr cho t ko la anh nong cua m den tay bo me m", "labels": ["sextortion"]}
{"text": "t có clip m tắm rồi, muốn t xóa thì gửi t 1 triệu", "labels": ["sextortion"]}
{"text": "may la dua ngu nhat lop, ai cung ghet may", "labels": ["bullying"]}
{"text": "tui bay dung choi voi no nua, no bi hoi nach", "labels": ["bullying"]}
{"text": "tan hoc t cho may o cong sau, may chet voi t", "labels": ["bullying"]}
{"text": "đăng ảnh con Hà lên nhóm cho cả lớp chửi nó đi", "labels": ["bullying"]}
{"text": "chan qua r, k muon song nua, chac t bien mat cho xong", "labels": ["self_harm"]}
{"text": "minh da cat tay may lan roi, khong ai biet", "labels": ["self_harm"]}
{"text": "ai biet uong bao nhieu vien thuoc ngu thi chet khong", "labels": ["self_harm"]}
{"text": "t mệt lắm r, mai t sẽ nhảy cầu, tạm biệt mn", "labels": ["self_harm"]}
{"text": "link sex hs vn moi nhat, ko che, vao nhanh", "labels": ["sexual_content"]}
{"text": "ban clip nong 18+ gia re, ib de mua", "labels": ["sexual_content"]}
{"text": "web phim cap 3 mien phi khong quang cao", "labels": ["sexual_content"]}
{"text": "me oi con di hoc them ve muon nhe", "labels": []}
{"text": "t vừa ck tiền học cho cô r, mẹ đừng lo", "labels": []}
{"text": "mai thi hk r, t chết chắc luôn á", "labels": []}
{"text": "ê tối nay leo rank ko, t mới nạp skin mới", "labels": []}
{"text": "hqua t xem đá bóng, MU thua 0-3 buồn vl", "labels": []}
{"text": "b ơi cho t mượn bút chì vs", "labels": []}
{"text": "con nhớ khóa cửa trước khi đi học nhé", "labels": []}
{"text": "cô nhắc các con mai mang ảnh 3x4 nộp cho cô", "labels": []}
{"text": "t ghét môn toán vl, ngu toán quá", "labels": []}
{"text": "Ngân hàng không bao giờ yêu cầu khách hàng cung cấp mã OTP qua điện thoại", "labels": []}
{"text": "ai có đề cương ôn tập môn sử cho t xin vs", "labels": []}
{"text": "mẹ gửi con 200k tiêu vặt tuần này nhé", "labels": []}
{"text": "tao thua mày ván cờ rồi, mai tao bao trà sữa", "labels": []}
{"text": "Mày nhìn lại mình đi, vừa lùn vừa xấu mà cũng đòi làm hot girl", "labels": ["bullying"]}
{"text": "Lớp mình lập group không có con Mai nhé, đừng ai add nó vào", "labels": ["bullying"]}
{"text": "Thằng nhà quê đó mà cũng đòi ngồi bàn đầu, đuổi nó ra cuối lớp đi", "labels": ["bullying"]}
{"text": "Đứa nào có ảnh xấu của con Thu gửi tao, tao ghép ảnh chế cho cả trường cười", "labels": ["bullying"]}
{"text": "Mai ra chơi tụi tao sẽ cho mày ăn đấm, liệu hồn", "labels": ["bullying"]}
{"text": "mày câm mồm đi, đồ óc lợn", "labels": ["bullying"]}
{"text": "Em có người yêu chưa, anh làm người yêu em nhé, chuyện mình giữ kín thôi", "labels": ["grooming"]}
{"text": "Anh là huấn luyện viên, em muốn vào đội tuyển thì tối nay đến nhà anh tập riêng", "labels": ["grooming"]}
{"text": "Gửi anh ảnh em đang ngủ đi, anh nhớ em lắm, anh sẽ mua quà cho em", "labels": ["grooming"]}
{"text": "em xoá lịch sử chat đi nhé, đừng để ai đọc được tin nhắn của hai đứa", "labels": ["grooming"]}
{"text": "Anh cho em 1 triệu, em chỉ cần gọi video với anh 5 phút thôi", "labels": ["grooming"]}
{"text": "Ngày mai anh đợi em ở quán net gần trường nhé, nhớ đừng nói với ai", "labels": ["grooming"]}
{"text": "Mình chẳng còn lý do gì để sống nữa, mọi người sẽ quên mình nhanh thôi", "labels": ["self_harm"]}
{"text": "Mình đã chuẩn bị dao rồi, đêm nay sẽ là lần cuối", "labels": ["self_harm"]}
{"text": "Có cách nào chết mà không đau không mọi người", "labels": ["self_harm"]}
{"text": "Thử thách 7 ngày không ăn, ai bỏ cuộc là thua", "labels": ["self_harm"]}
{"text": "Mình thường tự cào tay đến chảy máu mỗi khi bị mắng", "labels": ["self_harm"]}
{"text": "Trang web xem phim sex Nhật Bản miễn phí, không quảng cáo", "labels": ["sexual_content"]}
{"text": "Ai muốn xem clip nóng của cô giáo thì vào nhóm kín này", "labels": ["sexual_content"]}
{"text": "Truyện tranh người lớn 18+ cập nhật hàng ngày tại đây", "labels": ["sexual_content"]}
{"text": "Cổng game đổi thưởng uy tín, nạp 100k tặng 200k, rút tiền trong 1 phút", "labels": ["gambling"]}
{"text": "Chốt kèo tài xỉu 2.5 trận Arsenal, vào tiền mạnh anh em", "labels": ["gambling"]}
{"text": "Đề về 27 chưa anh em, hôm nay ai trúng lô không", "labels": ["gambling"]}
{"text": "Mở hộp mù Pokemon 100k, có thể ra thẻ hiếm bán lại giá cao", "labels": ["gambling"]}
{"text": "Casino online uy tín, nạp bằng thẻ cào, khuyến mãi 50% lần nạp đầu", "labels": ["gambling"]}
{"text": "Ảnh khỏa thân của mày tao đã lưu hết, làm theo lời tao nếu không muốn bị bêu riếu", "labels": ["sextortion"]}
{"text": "Gửi thêm 5 triệu, không thì video của em sẽ được gửi cho bố mẹ em", "labels": ["sextortion"]}
{"text": "Em gửi anh ảnh đó rồi thì giờ phải nghe lời anh, không anh đưa lên mạng", "labels": ["sextortion"]}
{"text": "Chị ơi em là bạn thân của Lan, Lan đang cấp cứu, chị chuyển gấp 3 triệu cho em để đóng viện phí", "labels": ["scam"]}
{"text": "Bạn nhận được 1 bưu phẩm từ nước ngoài, vui lòng thanh toán phí hải quan 1.500.000đ để nhận hàng", "labels": ["scam"]}
{"text": "Zalo của bạn có dấu hiệu đăng nhập lạ, bấm vào zalo-baomat.site để xác thực", "labels": ["scam"]}
{"text": "Bán acc Roblox nhiều Robux giá rẻ, chuyển tiền trước nhận acc sau", "labels": ["scam"]}
{"text": "Kiếm 500k mỗi ngày chỉ với điện thoại, không cần vốn, ib để được hướng dẫn", "labels": ["scam"]}
{"text": "Con ơi cô Hương đây, cô cần con chụp giúp cô mặt trước mặt sau thẻ ngân hàng của mẹ", "labels": ["scam"]}
{"text": "Hôm nay đội mình thua đậm quá, về tập lại thôi", "labels": []}
{"text": "Cô giáo chủ nhiệm thông báo họp phụ huynh vào sáng Chủ nhật", "labels": []}
{"text": "Bạn ơi mai đi học nhớ mang tiền quỹ lớp 20k nhé", "labels": []}
{"text": "Tao mệt quá, về nhà ngủ một giấc đã", "labels": []}
{"text": "Mẹ ơi con đến nhà bạn Lan chơi, 6 giờ con về", "labels": []}
{"text": "Hôm nay học về cách phòng tránh xâm hại, cô dặn không gửi ảnh cho người lạ", "labels": []}
{"text": "Bà ơi cháu đi học về rồi, bà ăn cơm chưa", "labels": []}
{"text": "Tuần sau trường mình thi bơi, các bạn đăng ký với thầy thể dục", "labels": []}
{"text": "ae ơi game này hay vl, tải về chơi thử đi", "labels": []}
{"text": "Trận bóng chiều nay lớp mình thắng 2-1, tỷ số đẹp", "labels": []}
{"text": "Mẹ chuyển khoản tiền điện tháng này rồi, con không cần nộp nữa", "labels": []}
{"text": "Cảnh báo: xuất hiện trò chơi thử thách nguy hiểm trên mạng, phụ huynh chú ý theo dõi con em", "labels": []}
{"text": "Thầy gửi link bài giảng: https://drive.google.com/abc, các em xem trước nhé", "labels": []}
{"text": "Mình vừa cắt tóc ngắn, trông có đẹp không", "labels": []}
{"text": "Alo phụ huynh em Minh, nhà trường cần phụ huynh chuyển phí bảo hiểm y tế 680k vào tài khoản cá nhân của cô kế toán trước 17h", "labels": ["scam"]}
{"text": "chị ơi e bên giao hàng, đơn của chị cần thanh toán thêm 35k phí ship, chị quét mã QR này giúp e", "labels": ["scam"]}
{"text": "Tặng 10.000 Robux cho 100 bạn đầu tiên, đăng nhập Roblox tại roblox-free.xyz", "labels": ["scam"]}
{"text": "Cậu ơi tớ bị khóa nick, cậu đăng nhập facebook của tớ hộ, mã gửi về máy cậu thì đọc tớ nhé", "labels": ["scam"]}
{"text": "Khuyến mãi nạp thẻ Garena x3 giá trị, chỉ hôm nay, chuyển khoản cho admin để nạp", "labels": ["scam"]}
{"text": "Bạn đã được chọn nhận học bổng 5 triệu, đóng lệ phí hồ sơ 300k để nhận", "labels": ["scam"]}
{"text": "Thằng bạn con chú bị tông xe, đang cấp cứu, chú cần mượn 10 triệu, con chuyển giúp chú", "labels": ["scam"]}
{"text": "Đầu tư chứng khoán cùng chuyên gia, cam kết lãi 30% tháng, vào nhóm Zalo VIP", "labels": ["scam"]}
{"text": "Tham gia cá cược thể thao, hoàn trả 1.5% mỗi ngày, nhà cái châu Âu uy tín", "labels": ["gambling"]}
{"text": "Ai chơi xóc đĩa online không, t có link nhà cái uy tín", "labels": ["gambling"]}
{"text": "Đặt cược đội nào thắng giải Liên Quân trường, 50k một lần, thắng ăn gấp đôi", "labels": ["gambling"]}
{"text": "t vừa thắng 2 triệu tài xỉu, ae vào chơi cùng đi, link ở bio", "labels": ["gambling"]}
{"text": "Em xinh gái thế, làm bạn gái anh nhé, mình gặp nhau cuối tuần, đừng cho bố mẹ biết", "labels": ["grooming"]}
{"text": "Anh thấy em cô đơn quá, có gì tâm sự với anh, anh sẽ luôn bên em, bố mẹ em đâu có hiểu em", "labels": ["grooming"]}
{"text": "em chụp thử một tấm mặc váy ngắn gửi anh xem nào", "labels": ["grooming"]}
{"text": "Mình là con gái 14 tuổi nè, bạn gửi ảnh mặt bạn đi rồi mình gửi ảnh mình", "labels": ["grooming"]}
{"text": "Chú sẽ cho cháu điện thoại mới, cháu chỉ cần đến nhà chú chơi một buổi thôi, đừng nói với mẹ", "labels": ["grooming"]}
{"text": "Tao biết mày gửi ảnh cho thằng kia, gửi cho tao 5 tấm nữa không tao chuyển cho bố mày", "labels": ["sextortion"]}
{"text": "Clip mày thay đồ tao quay được rồi, chuyển 2 triệu thì tao xóa, không thì up lên mạng", "labels": ["sextortion"]}
{"text": "Đồ con lợn, mày về nhà mà khóc với mẹ mày đi", "labels": ["bullying"]}
{"text": "Nó bị điên đấy, đừng ai nói chuyện với nó, ghê chết", "labels": ["bullying"]}
{"text": "Tụi mày chụp lại cảnh nó ngã rồi đăng lên nhóm cho cả khối xem", "labels": ["bullying"]}
{"text": "Ra sau nhà xe tao xử mày, trốn là chết với tao", "labels": ["bullying"]}
{"text": "Chẳng ai cần mình cả, chắc mình nên biến mất khỏi cuộc đời này", "labels": ["self_harm"]}
{"text": "Tớ mua dao lam rồi, tối nay tớ sẽ làm", "labels": ["self_harm"]}
{"text": "Ai tham gia thử thách nín thở lâu nhất thì quay clip gửi vào nhóm", "labels": ["self_harm"]}
{"text": "Web xem phim người lớn chất lượng cao, miễn phí 100%", "labels": ["sexual_content"]}
{"text": "Bán video lộ của hot girl trường bên, 30k một video", "labels": ["sexual_content"]}
{"text": "Mẹ ơi con hết tiền ăn sáng rồi, mẹ chuyển cho con 50k nhé", "labels": []}
{"text": "Cả lớp chú ý: mai kiểm tra 1 tiết môn Lý, ôn kỹ chương 2", "labels": []}
{"text": "Bố ơi tối nay bố đón con lúc 9 giờ ở nhà văn hóa nhé", "labels": []}
{"text": "Tuần này phường phát động quyên góp sách vở cho học sinh vùng cao tại nhà văn hóa", "labels": []}
{"text": "Chị ơi cho em hỏi bài tập Toán câu 3 làm thế nào", "labels": []}
{"text": "Xem clip hài này đi, cười đau cả bụng", "labels": []}
{"text": "Mình thích đội Barca, tối nay họ đá với Real", "labels": []}
{"text": "Ông ngoại nhập viện rồi, cả nhà đang ở bệnh viện tỉnh", "labels": []}
{"text": "Shopee đang sale 11/11, mẹ đặt cho con đôi giày mới rồi", "labels": []}
{"text": "Cô gửi phụ huynh kết quả học tập giữa kỳ của các con qua Zalo nhóm lớp", "labels": []}
{"text": "Con bị ngã xe nhẹ, xước tay thôi, mẹ đừng lo", "labels": []}
{"text": "Tụi mình hẹn nhau ở thư viện lúc 3 giờ chiều để làm bài nhóm nhé", "labels": []}
{"text": "Bạn là khách hàng may mắn được miễn phí gói cước 6 tháng, vui lòng cung cấp mã OTP để kích hoạt", "labels": ["scam"]}
{"text": "Anh ơi em đang kẹt ở sân bay, mất hết giấy tờ, anh chuyển tạm em 3 triệu mua vé về", "labels": ["scam"]}
{"text": "Thanh lý xe đạp điện giá 1 triệu, đặt cọc 300k qua momo để giữ xe", "labels": ["scam"]}
{"text": "Tài khoản Facebook của bạn vi phạm tiêu chuẩn cộng đồng, kháng nghị tại fb-support-center.com", "labels": ["scam"]}
{"text": "e ơi cho c mượn tk zalo của e để c đăng nhập nhận quà sự kiện nhé, c trả lại ngay", "labels": ["scam"]}
{"text": "Hỗ trợ vay học phí cho sinh viên, giải ngân trong 30 phút, chỉ cần CCCD, phí hồ sơ 500k", "labels": ["scam"]}
{"text": "Nhà cái tặng 58k khi đăng ký, chơi bắn cá, nổ hũ, tài xỉu", "labels": ["gambling"]}
{"text": "vào kèo chấp nửa trái trận tối nay đi ae, tỷ lệ ăn 1.9", "labels": ["gambling"]}
{"text": "Mua vé số online qua app, trúng thưởng rút tiền liền", "labels": ["gambling"]}
{"text": "quay rương ngọc rồng 10k một lần, ra đồ xịn bán lại được tiền triệu", "labels": ["gambling"]}
{"text": "Em ở nhà một mình à, mở cửa cho anh vào chơi một lát thôi", "labels": ["grooming"]}
{"text": "Anh sẽ dạy em chơi game lên rank, nhưng em phải gửi anh ảnh của em mỗi ngày", "labels": ["grooming"]}
{"text": "Bé ơi, bé có muốn kiếm tiền không, chỉ cần chat với các chú và gửi vài tấm ảnh", "labels": ["grooming"]}
{"text": "Anh là người yêu em mà, gửi ảnh không mặc áo cho anh xem đi", "labels": ["grooming"]}
{"text": "Nếu mày không chuyển tiền tao sẽ gửi ảnh nhạy cảm của mày cho tất cả bạn bè trên Facebook", "labels": ["sextortion"]}
{"text": "t giữ ảnh của m đấy, ngoan ngoãn nghe lời t thì không ai biết", "labels": ["sextortion"]}
{"text": "Mày nghĩ mày là ai mà dám lên mặt, mai tao cho cả lớp tẩy chay mày", "labels": ["bullying"]}
{"text": "nhìn cái mặt nó là thấy ghét, ai đồng ý đánh nó thì like", "labels": ["bullying"]}
{"text": "Đồ thất bại, mày sinh ra là để làm trò cười cho người khác", "labels": ["bullying"]}
{"text": "Mình không chịu được nữa rồi, muốn ngủ mãi không dậy", "labels": ["self_harm"]}
{"text": "Uống hết lọ thuốc này chắc sẽ hết đau khổ", "labels": ["self_harm"]}
{"text": "Mình hay lấy compa rạch lên tay mỗi khi buồn", "labels": ["self_harm"]}
{"text": "Kênh Telegram chia sẻ clip sex miễn phí, tham gia ngay", "labels": ["sexual_content"]}
{"text": "Gái gọi cao cấp, có ảnh thật, liên hệ zalo", "labels": ["sexual_content"]}
{"text": "Con đi học về rồi, mẹ để cơm trong tủ lạnh nhé", "labels": []}
{"text": "Cả nhà ơi chiều mai họp lớp lúc 2 giờ", "labels": []}
{"text": "Bạn ơi cho mình số điện thoại cô chủ nhiệm với", "labels": []}
{"text": "Mẹ đã chuyển khoản học phí cho nhà trường, có biên lai rồi", "labels": []}
{"text": "Tao buồn ngủ chết đi được, tối qua thức khuya làm bài", "labels": []}
{"text": "Chủ nhật này cả lớp đi dã ngoại, nhớ mang đồ ăn", "labels": []}
{"text": "Video hướng dẫn nấu ăn này hay quá, mọi người xem thử", "labels": []}
{"text": "Đội tuyển Việt Nam vô địch rồi, ăn mừng thôi", "labels": []}
{"text": "Em ơi nhớ làm bài tập về nhà trước khi đi chơi nhé", "labels": []}
{"text": "Phường tổ chức tiêm vắc xin miễn phí cho trẻ em vào thứ Bảy tại trạm y tế", "labels": []}
{"text": "Mẹ mua cho con bộ Lego mới rồi, về nhà mà lắp", "labels": []}
{"text": "Tụi mình chụp ảnh kỷ niệm cuối năm nhé, ai có máy ảnh không", "labels": []}
{"text": "con ơi bà ngoại đây, bà mới lập zalo, con nạp giúp bà 200k tiền điện thoại vào số này nhé", "labels": ["scam"]}
{"text": "[BIDV] Quy khach co giao dich 15.000.000d chua xac nhan, huy giao dich tai bidv-huy.cc", "labels": ["scam"]}
{"text": "Tôi là cán bộ thuế, hồ sơ của anh bị sai, anh cài ứng dụng thuế điện tử theo link này để cập nhật", "labels": ["scam"]}
{"text": "Ae ơi bán nick FF 5000 kim cương giá 200k thôi, ai lấy ck trước nhé", "labels": ["scam"]}
{"text": "Nhóm kín kéo tài xỉu, có tool dự đoán chính xác 99%, phí vào nhóm 300k", "labels": ["gambling", "scam"]}
{"text": "choi game bai online tien that, doi thuong qua ngan hang, uy tin 10 nam", "labels": ["gambling"]}
{"text": "Giải bóng đá phủi cuối tuần, ai muốn đặt kèo thì liên hệ tao, tối thiểu 50k", "labels": ["gambling"]}
{"text": "Anh thích nói chuyện với em lắm, nhưng đừng kể với ai về anh nhé, người ta sẽ không hiểu đâu", "labels": ["grooming"]}
{"text": "Em mặc đồ gì ngủ đấy, chụp anh xem với", "labels": ["grooming"]}
{"text": "Ngày mai em nghỉ học đi, anh đưa em đi chơi cả ngày, anh bao hết", "labels": ["grooming"]}
{"text": "Mày mà kể với ai chuyện này thì ảnh của mày sẽ lên mạng ngay", "labels": ["sextortion"]}
{"text": "gửi tao 2 triệu trước thứ 6, không thì clip đó sẽ có trong nhóm zalo của trường", "labels": ["sextortion"]}
{"text": "Đứa nào chơi với con Hoa là tao không chơi nữa, cả lớp nghỉ chơi nó", "labels": ["bullying"]}
{"text": "Mặt mày như cái bánh đa, đừng đăng ảnh nữa cho đỡ tởm", "labels": ["bullying"]}
{"text": "Tao với mấy đứa sẽ chặn đường mày lúc về, liệu mà chuẩn bị", "labels": ["bullying"]}
{"text": "Sống thế này mệt mỏi quá, nếu mình biến mất thì chắc chẳng ai buồn đâu", "labels": ["self_harm"]}
{"text": "Mình đang đứng trên sân thượng, chắc nhảy xuống là hết", "labels": ["self_harm"]}
{"text": "Mình lại tự làm đau mình nữa rồi, lần này sâu hơn", "labels": ["self_harm"]}
{"text": "xem phim heo ko che full HD tại link bio", "labels": ["sexual_content"]}
{"text": "Có ai muốn mua ảnh khỏa thân của bạn nữ lớp bên không, 100k", "labels": ["sexual_content"]}
{"text": "Bố mẹ ơi con được giải nhì cuộc thi vẽ", "labels": []}
{"text": "Tối nay con học nhóm ở nhà Minh, 9 giờ bố đón con nhé", "labels": []}
{"text": "Phụ huynh lưu ý: nhà trường không thu bất kỳ khoản tiền nào qua tài khoản cá nhân của giáo viên", "labels": []}
{"text": "Trận đấu hôm qua tỷ lệ kiểm soát bóng 60-40, hay quá", "labels": []}
{"text": "Con xin phép mẹ đi sinh nhật bạn Hoa tối thứ Bảy", "labels": []}
{"text": "Lớp mình góp tiền mua quà tặng cô nhân ngày 20/11, mỗi bạn 20k", "labels": []}
{"text": "Ảnh này đẹp quá, ai chụp vậy", "labels": []}
{"text": "Tớ buồn vì bị điểm kém, mai tớ sẽ cố gắng hơn", "labels": []}
{"text": "Mạng lag quá, chơi game không nổi", "labels": []}
{"text": "Nhớ gọi điện cho bà nội chúc mừng sinh nhật nhé con", "labels": []}
{"text": "alo e, a la shipper, don hang cua e bi hoan, e chuyen 50k phi luu kho de a giao lai nhe", "labels": ["scam"]}
{"text": "thong bao: sim cua ban sap bi khoa do chua chuan hoa thong tin, soan tin theo cu phap gui 9029", "labels": ["scam"]}
{"text": "ban oi minh dang can tien gap, ban co the mua giup minh 2 the garena 100k khong, mai minh tra", "labels": ["scam"]}
{"text": "Tuyển CTV bán hàng online tại nhà, không cần vốn, chỉ cần nạp 500k để kích hoạt tài khoản bán hàng", "labels": ["scam"]}
{"text": "Nhập mã giới thiệu để nhận 1 triệu vào ví, tải app kiếm tiền ngay: kiemtien88.apk", "labels": ["scam"]}
{"text": "vao nhom keo bong da tele, ty le thang 90%, phi 200k/thang", "labels": ["gambling"]}
{"text": "game ban ca doi card dien thoai, nap 10k nhan 30k xu", "labels": ["gambling"]}
{"text": "ai choi lo de thi ib, 1 an 80, tra thuong ngay trong toi", "labels": ["gambling"]}
{"text": "em oi ra quan cafe gan nha gap anh di, nho di 1 minh, dung ru ban", "labels": ["grooming"]}
{"text": "anh muon xem em tam, em bat cam luc tam di, anh cho em 500k", "labels": ["grooming"]}
{"text": "em dung noi voi bo me chuyen anh tang qua nhe, bo me em se cam em noi chuyen voi anh", "labels": ["grooming"]}
{"text": "nay be, co muon lam ban gai anh khong, anh 25 tuoi nhung anh thich be lam", "labels": ["grooming"]}
{"text": "may ma block tao la tao dang het anh cua may len mang", "labels": ["sextortion"]}
{"text": "chuyen 1tr truoc 8h toi nay, khong thi video nhay cam cua may se den tay thay co", "labels": ["sextortion"]}
{"text": "thang kia beo nhu con heo ma cung doi choi bong, cut ve nha di", "labels": ["bullying"]}
{"text": "tao ghet con do lam, ca lop dung ai noi chuyen voi no nua", "labels": ["bullying"]}
{"text": "may ma con mach co thi tao cho may bam dap", "labels": ["bullying"]}
{"text": "minh met moi lam roi, chi muon ngu mai mai khong tinh lai", "labels": ["self_harm"]}
{"text": "minh cat tay de thay do dau o trong long", "labels": ["self_harm"]}
{"text": "co ai biet cach tu tu nhe nhang khong", "labels": ["self_harm"]}
{"text": "link xem clip nong cua hot tiktoker bi lo, vao nhanh keo bi xoa", "labels": ["sexual_content"]}
{"text": "chat sex voi gai xinh, goi video 1 kem 1, nap the de bat dau", "labels": ["sexual_content"]}
{"text": "me oi con bi ngan hang tru phi thuong nien, me xem giup con voi", "labels": []}
{"text": "ban oi mai lop minh di tham quan, nho mang nuoc uong", "labels": []}
{"text": "thay bao mai nop bai thu hoach ve an toan giao thong", "labels": []}
{"text": "hom nay minh met qua, di ngu som day", "labels": []}
{"text": "bo chuyen cho con 300k mua sach roi nhe", "labels": []}
{"text": "cuoi tuan nay gia dinh minh ve que tham ong ba", "labels": []}
{"text": "lop minh thang giai bong da khoi 7 roi, vui qua", "labels": []}
{"text": "canh bao: co doi tuong gia danh nhan vien dien luc goi dien doi tien, ba con can than", "labels": []}
{"text": "Tin nhanh: công an tỉnh triệt phá đường dây đánh bạc qua mạng quy mô 100 tỷ đồng", "labels": []}
{"text": "Bài tuyên truyền: cách nhận biết tin nhắn lừa đảo mạo danh ngân hàng", "labels": []}
{"text": "Thầy hiệu trưởng nhắc học sinh không tham gia các trò thử thách nguy hiểm trên mạng", "labels": []}
{"text": "Mẹ ơi mai con cần 50k đóng tiền photo tài liệu", "labels": []}
{"text": "Con nhắn cô giáo xin nghỉ học vì bị sốt rồi mẹ ạ", "labels": []}
{"text": "Tao vừa nạp 100k vào Liên Quân mua skin mới, đẹp vãi", "labels": []}
{"text": "Bạn ơi cho mình xin link nhóm học Toán với", "labels": []}
{"text": "Ngân hàng thông báo: lãi suất tiết kiệm tháng này tăng 0,2%", "labels": []}
{"text": "Bố đi công tác về rồi, bố mua quà cho con đấy", "labels": []}
{"text": "Cuối tuần anh họ đưa em đi xem phim ở rạp với cả nhà", "labels": []}
{"text": "Cô gửi ảnh hoạt động ngoại khóa của lớp, phụ huynh xem trong album nhé", "labels": []}
{"text": "Hôm nay xem bóng đá Ngoại hạng Anh, Arsenal thắng 2-1", "labels": []}
{"text": "Tao chết mất, quên làm bài tập rồi", "labels": []}
{"text": "Ai đi học nhóm chiều nay thì nhắn mình nhé", "labels": []}
{"text": "Mình vừa xem phim tài liệu về cá voi xanh, hay lắm", "labels": []}
{"text": "Đừng tin những tin nhắn trúng thưởng, đó là lừa đảo đấy", "labels": []}
{"text": "Chú ơi cháu muốn mua vé xem bóng đá, chú chỉ cháu chỗ mua với", "labels": []}
{"text": "Bà ơi cháu chuyển tiền điện cho bà rồi nhé, bà kiểm tra tin nhắn ngân hàng", "labels": []}
{"text": "Chị gửi em tài liệu ôn thi qua email rồi, em kiểm tra nhé", "labels": []}
{"text": "Tối nay nhà mình ăn lẩu, con về sớm nhé", "labels": []}
{"text": "Thầy chủ nhiệm gửi danh sách học sinh được khen thưởng học kỳ I", "labels": []}
{"text": "Mạng xã hội đang lan truyền video giả mạo, mọi người đừng chia sẻ", "labels": []}
{"text": "Con muốn đăng ký học bơi hè này, mẹ đồng ý không", "labels": []}
{"text": "Trường tổ chức buổi nói chuyện về phòng chống xâm hại tình dục trẻ em", "labels": []}
{"text": "Mình bị bắt nạt ở trường, mình nên làm gì bây giờ", "labels": []}
{"text": "Hôm nay tao được 10 điểm Văn, sướng quá", "labels": []}
{"text": "Bà ngoại nhờ con mua giúp bà thẻ điện thoại 50k ở tiệm đầu ngõ", "labels": []}
{"text": "Lớp mình bình chọn lớp trưởng mới vào thứ Hai nhé", "labels": []}
{"text": "Ông nội bị ốm phải đi viện, cả nhà lo lắm", "labels": []}
{"text": "Em có hay ở nhà một mình buổi tối không? Anh muốn gọi video nói chuyện riêng", "labels": ["grooming"]}
{"text": "Chú thấy cháu đá bóng giỏi, chú là tuyển trạch viên, cháu nhắn riêng cho chú, đừng nói với bố mẹ kẻo hỏng việc", "labels": ["grooming"]}
{"text": "em 12 tuổi à, trông em lớn hơn tuổi đấy, anh thích con gái chín chắn như em", "labels": ["grooming"]}
{"text": "Anh gửi em tiền mua trà sữa nhé, tối nay nhớ online nói chuyện với anh, chỉ hai đứa mình thôi", "labels": ["grooming"]}
{"text": "cho anh xem em mặc bikini đi, anh hứa không cho ai xem", "labels": ["grooming"]}
{"text": "mày không trả lời tin nhắn tao thì tao gửi ảnh kia cho người yêu mày", "labels": ["sextortion"]}
{"text": "Tôi có video riêng tư của bạn, trả 500 USD bằng bitcoin trong 24 giờ nếu không muốn bị công khai", "labels": ["sextortion"]}
{"text": "gui them 3 anh nua thi tao xoa het, con khong thi ca lop se biet", "labels": ["sextortion"]}
{"text": "Tao thấy mày là đứa giả tạo nhất lớp, cả nhóm block nó đi", "labels": ["bullying"]}
{"text": "nhìn mặt mày là muốn đấm, về đi cho khuất mắt", "labels": ["bullying"]}
{"text": "Mấy đứa kia tối nay vào livestream của nó chửi cho nó khóc", "labels": ["bullying"]}
{"text": "con béo ú kia đi đâu cũng chiếm chỗ, ai cũng ngán", "labels": ["bullying"]}
{"text": "mình không còn muốn cố gắng nữa, mọi thứ vô nghĩa rồi", "labels": ["self_harm"]}
{"text": "Tớ muốn biến mất khỏi thế giới này, ngay hôm nay", "labels": ["self_harm"]}
{"text": "Có ai thử nhịn ăn 5 ngày để giảm cân chưa, mình muốn thử cho gầy", "labels": ["self_harm"]}
{"text": "Trò chơi 'ngạt thở' đang hot trên TikTok, ai dám thử không", "labels": ["self_harm"]}
{"text": "Bán tài khoản OnlyFans chia sẻ, xem ảnh nóng thoải mái, 99k", "labels": ["sexual_content"]}
{"text": "Nhóm kín share clip tình dục, muốn vào thì nạp phí 50k", "labels": ["sexual_content"]}
{"text": "Cược tài xỉu Liên Quân, trận nào cũng có kèo, nạp tối thiểu 20k", "labels": ["gambling"]}
{"text": "Vé cào trúng thưởng online, mua càng nhiều cơ hội càng lớn", "labels": ["gambling"]}
{"text": "Lì xì đầu năm, mở bao lì xì may mắn 10k một lần, trúng tới 1 triệu", "labels": ["gambling"]}
{"text": "Nhân viên Techcombank xin thông báo: thẻ tín dụng của quý khách được nâng hạn mức, vui lòng cung cấp số thẻ và mã CVV", "labels": ["scam"]}
{"text": "Thầy đang bận họp, em chuyển giúp thầy 2 triệu vào tài khoản này, lát thầy gửi lại", "labels": ["scam"]}
{"text": "Bạn ơi, mình bị kẹt tiền, cho mình mượn 300k qua momo, mình trả gấp đôi", "labels": ["scam"]}
{"text": "Chúc mừng! Số điện thoại của bạn trúng xe máy SH, liên hệ hotline để nhận giải, phí làm thủ tục 2 triệu", "labels": ["scam"]}
{"text": "Nay con đi đá bóng với tụi bạn, 5 giờ con về", "labels": []}
{"text": "Anh trai con dẫn con đi mua sách rồi mẹ ạ", "labels": []}
{"text": "Tao lười học quá, muốn nghỉ học một hôm", "labels": []}
{"text": "Hôm qua tao xem phim kinh dị sợ chết khiếp", "labels": []}
{"text": "Chị gái tặng em bộ đồ mới nhân sinh nhật", "labels": []}
{"text": "Chào anh, em gọi từ tổng đài Viettel, sim của anh sắp bị thu hồi, anh đọc mã vừa nhận để em gia hạn", "labels": ["scam"]}
{"text": "Mẹ ơi con mượn điện thoại bạn nhắn, con làm mất tiền học rồi, mẹ chuyển 1 triệu vào số tài khoản này cho con", "labels": ["scam"]}
{"text": "Chị ơi em là giáo viên mới của lớp 3C, chị vào link này điền thông tin thẻ để nhận hỗ trợ học phí", "labels": ["scam"]}
{"text": "Bạn được hoàn thuế thu nhập cá nhân 2.350.000đ, vui lòng truy cập thuedientu-hoantien.com để nhận", "labels": ["scam"]}
{"text": "Anh ơi em bấm nhầm chuyển 5 triệu vào tài khoản anh, anh chuyển lại giúp em với, em cảm ơn", "labels": ["scam"]}
{"text": "Cần 10 bạn học sinh làm mẫu ảnh cho shop quần áo, trả 500k/buổi, đặt cọc 200k để giữ suất", "labels": ["scam"]}
{"text": "Cho mình mượn tài khoản Garena một hôm, mình đang cần đăng nhập nhận quà, gửi mình mật khẩu nhé", "labels": ["scam"]}
{"text": "Nhóm hỗ trợ lấy lại tiền bị lừa đảo, cam kết lấy lại 100%, phí dịch vụ 3 triệu", "labels": ["scam"]}
{"text": "Sạc dự phòng giá sốc 99k, chỉ còn 5 chiếc, chuyển khoản ngay để giữ hàng", "labels": ["scam"]}
{"text": "Em Hà ơi anh là bạn của anh trai em, anh trai em đang gặp chuyện, em gửi anh số tài khoản ngân hàng của bố mẹ nhé", "labels": ["scam"]}
{"text": "tai khoan cua ban da bi dang nhap tu thiet bi khac, neu khong phai ban hay doi mat khau tai zalo-bao-mat.xyz", "labels": ["scam"]}
{"text": "Đăng ký nhận 1 năm Netflix miễn phí cho học sinh, chỉ cần nhập thông tin thẻ ngân hàng của bố mẹ để xác minh", "labels": ["scam"]}
{"text": "Web cá độ bóng đá hàng đầu châu Á, thưởng nạp lần đầu 200%", "labels": ["gambling"]}
{"text": "Tối nay ai chơi bài ăn tiền ở nhà tao không, mỗi ván 10k", "labels": ["gambling"]}
{"text": "slot game nổ hũ 777, quay là trúng, rút tiền về momo", "labels": ["gambling"]}
{"text": "Ai muốn kiếm tiền nhanh thì vào chơi xóc đĩa với tao, thắng chia đôi", "labels": ["gambling"]}
{"text": "Đặt 100k vào Việt Nam thắng, tỷ lệ 1 ăn 3, ai chơi thì ib", "labels": ["gambling"]}
{"text": "Bắn cá H5 đổi thưởng, tặng ngay 20k khi tải game", "labels": ["gambling"]}
{"text": "Mở túi mù Baby Three 150k, trúng bản giới hạn bán lại được gấp 10", "labels": ["gambling"]}
{"text": "Kèo nhà cái hôm nay: Man City chấp 1.5, vào tiền trước 20h", "labels": ["gambling"]}
{"text": "Mẹ ơi con muốn mua thẻ Garena 50k để nạp game, mẹ cho con nhé", "labels": []}
{"text": "Bạn ơi tối nay đá FIFA với tao không", "labels": []}
{"text": "Hôm nay bố dạy con cách chơi cờ tướng", "labels": []}
{"text": "Nhà trường phát thẻ thư viện cho học sinh mới, nhận tại phòng giáo vụ", "labels": []}
{"text": "Anh ơi em gửi anh tiền ăn trưa hôm qua qua momo rồi nhé", "labels": []}
{"text": "e ơi a nhớ e quá, tối nay e lén ra ngoài gặp a đc ko, đừng để bm biết", "labels": ["grooming"]}
{"text": "a ms mua cho e cái tai nghe nè, mai a qua trường đưa e, nhớ ra 1 mình nha", "labels": ["grooming"]}
{"text": "e cởi áo ra cho a xem tí thôi, a ko chụp màn hình đâu", "labels": ["grooming"]}
{"text": "em đừng chặn anh, anh chỉ muốn làm bạn thôi, em gửi ảnh mới cho anh đi", "labels": ["grooming"]}
{"text": "thg kia m ra đây t bảo, m mà còn nói xấu t là t cho m no đòn", "labels": ["bullying"]}
{"text": "con nhỏ đó nhà nghèo mà bày đặt, cả lớp tẩy chay nó đi ae", "labels": ["bullying"]}
{"text": "Ai thấy con Ly xấu thì thả phẫn nộ vào ảnh nó nha", "labels": ["bullying"]}
{"text": "mày học dốt thế về quê chăn trâu đi", "labels": ["bullying"]}
{"text": "t có ảnh m gửi ny cũ r, ko ck 1tr thì t đăng lên fb", "labels": ["sextortion"]}
{"text": "video call lúc nãy t quay lại rồi, muốn t xóa thì nạp cho t 5 thẻ 100k", "labels": ["sextortion"]}
{"text": "đừng có làm căng, tao có đủ ảnh để cả trường biết mày là loại người gì", "labels": ["sextortion"]}
{"text": "t mệt mỏi vs cuộc sống này lắm r, chắc t đi trước đây, tạm biệt mn", "labels": ["self_harm"]}
{"text": "mn ơi có ai biết mua thuốc ngủ ở đâu ko, t cần nhiều", "labels": ["self_harm"]}
{"text": "tự làm đau bản thân có phải cách tốt để quên buồn không", "labels": ["self_harm"]}
{"text": "clip nóng học sinh cấp 2, ib t để lấy link", "labels": ["sexual_content"]}
{"text": "ae muốn xem ảnh bạn gái t không, không mặc gì luôn", "labels": ["sexual_content"]}
{"text": "m ơi ra căng tin vs t ko", "labels": []}
{"text": "t vừa bị cô phạt vì quên bài, nhục vl", "labels": []}
{"text": "mai thi r mà t chưa học gì, chết t rồi", "labels": []}
{"text": "ae ơi tối nay chơi Liên Quân ko, t mới lên kim cương", "labels": []}
{"text": "m gửi t ảnh bài tập hôm nay vs, t quên chép", "labels": []}
{"text": "bm t đi vắng, tối nay t ở nhà 1 mình chán quá", "labels": []}
{"text": "cô ơi em nộp bài muộn, cô thông cảm cho em ạ", "labels": []}
{"text": "tối qua xem phim hay vl, khóc hết nước mắt", "labels": []}
{"text": "Phụ huynh chú ý: do hệ thống trường lỗi, phụ huynh chuyển học phí tháng 11 vào số tài khoản mới 1903 8877 6655 Techcombank, chủ tài khoản Nguyễn Thị Hoa", "labels": ["scam"]}
{"text": "Chuc mung ban da duoc chon lam dai su thuong hieu, dong 300k phi dang ky de nhan bo qua tang", "labels": ["scam"]}
{"text": "Tao là admin group, mày muốn được lên mod thì gửi tao tài khoản với mật khẩu để tao cấp quyền", "labels": ["scam"]}
{"text": "Mình có 2 vé concert giá gốc, pass lại 1tr5, ck trước mình gửi vé qua mail", "labels": ["scam"]}
{"text": "Con gái bác bị sốt xuất huyết nằm viện, cháu cho bác vay 5 triệu, bác gửi số tài khoản con bác nhé, gấp lắm", "labels": ["scam"]}
{"text": "Soi kèo miễn phí, vào nhóm VIP chỉ 99k, bao lỗ nếu thua", "labels": ["gambling"]}
{"text": "tài xỉu mini game trên zalo, 5k một lượt, ai chơi ib", "labels": ["gambling"]}
{"text": "Chơi Aviator kiếm tiền, máy bay bay càng cao ăn càng nhiều, rút tiền ngay", "labels": ["gambling"]}
{"text": "anh thích cách em cười lắm, mình làm quen nhé, nhưng đừng cho bạn bè em biết", "labels": ["grooming"]}
{"text": "Sinh nhật em anh tặng em cái váy, mặc vào chụp gửi anh xem vừa không nhé", "labels": ["grooming"]}
{"text": "Cô giáo bắt em ở lại lớp à, để anh qua đón em rồi mình đi ăn, đừng nói với ai", "labels": ["grooming"]}
{"text": "Nếu em chia tay anh, anh sẽ gửi hết ảnh của em cho bạn bè em xem", "labels": ["sextortion"]}
{"text": "tao biết mày đã gửi ảnh nude cho ai, chuyển 500k không tao nói cho cả lớp", "labels": ["sextortion"]}
{"text": "Nó mặc đồ như con hề, cả lớp cười nó đi", "labels": ["bullying"]}
{"text": "Mày không xứng đáng ở lớp này, cút về trường cũ đi", "labels": ["bullying"]}
{"text": "ai mà chơi với thằng đấy là tao đánh luôn", "labels": ["bullying"]}
{"text": "Mình không xứng đáng được sống, mình là nỗi thất vọng của bố mẹ", "labels": ["self_harm"]}
{"text": "Tối nay mình sẽ nhảy xuống sông, đừng ai tìm mình", "labels": ["self_harm"]}
{"text": "Đăng ký tài khoản xem phim người lớn không giới hạn, chỉ 20k", "labels": ["sexual_content"]}
{"text": "Có ai có clip của hai đứa lớp 9 đang lan truyền không, gửi t xem với", "labels": ["sexual_content"]}
{"text": "Bố ơi con chuyển tiền mua sách cho cô rồi, có biên lai ạ", "labels": []}
{"text": "Bạn ơi, cho mình hỏi bài tập về nhà môn Anh", "labels": []}
{"text": "Tối nay có mưa to, con đi học nhớ mang áo mưa", "labels": []}
{"text": "Cả lớp cười nghiêng ngả khi thầy kể chuyện vui", "labels": []}
{"text": "Tao mới mua đôi giày mới, đẹp không m", "labels": []}
{"text": "Mẹ ơi con được chọn đi thi học sinh giỏi cấp tỉnh", "labels": []}
{"text": "Đừng quên họp lớp lúc 8 giờ sáng Chủ nhật nhé cả nhà", "labels": []}
{"text": "Cô nhắc: các em không được mang điện thoại vào phòng thi", "labels": []}
{"text": "Chúng mình đi ăn kem sau giờ học đi", "labels": []}
{"text": "Hôm nay trời đẹp quá, ra công viên chơi thôi", "labels": []}
{"text": "b ơi t bị khóa tk ngân hàng, b cho t mượn stk của b nhận tiền hộ t vs, t chuyển khoản lại liền", "labels": ["scam"]}
{"text": "ai cần acc ff vip ib t, 150k 1 acc, ck trc t gửi tk mk", "labels": ["scam"]}
{"text": "e ơi c là cô chủ nhiệm nè, e gửi c sđt của mẹ e với mã vừa gửi về máy mẹ nhé", "labels": ["scam"]}
{"text": "nhận làm nv online, 1 ngày kiếm 300-500k, ko cần kn, ib zalo nhận vc", "labels": ["scam"]}
{"text": "tx uy tín, nạp 10k rút 50k, ae vào nhanh kẻo lỡ", "labels": ["gambling"]}
{"text": "kèo tối nay t bao ăn, ae theo t vào 500k", "labels": ["gambling"]}
{"text": "nổ hũ jackpot, quay phát trúng luôn 10tr, link đây ae", "labels": ["gambling"]}
{"text": "e ơi a thương e thật lòng, cho a xin ảnh e mặc đồ ngủ đc ko", "labels": ["grooming"]}
{"text": "e qua nhà a chơi đi, nhà a ko có ai, a có ps5 với nhiều đồ ăn lắm", "labels": ["grooming"]}
{"text": "đừng kể vs ai chuyện mình nt nha e, bí mật của 2 đứa thôi", "labels": ["grooming"]}
{"text": "a gửi e 200k r đó, giờ e gọi video cho a xem người đi", "labels": ["grooming"]}
{"text": "m ko ck 500k trc 9h thì ảnh m lên group lớp", "labels": ["sextortion"]}
{"text": "t có vid m tắm, ko muốn cả trường xem thì làm theo lời t", "labels": ["sextortion"]}
{"text": "m là đồ rác rưởi, ai chơi vs m là ngu", "labels": ["bullying"]}
{"text": "tụi bây ơi lập nhóm ko có con Trang nha, nó phiền vl", "labels": ["bullying"]}
{"text": "thg béo kia đi đứng như con vịt, nhìn mà buồn cười", "labels": ["bullying"]}
{"text": "t ko muốn sống nữa, ko ai hiểu t cả", "labels": ["self_harm"]}
{"text": "t cắt tay r, chảy máu nhiều lắm, ko ai biết đâu", "labels": ["self_harm"]}
{"text": "có ai bít cách tự tử ko đau ko", "labels": ["self_harm"]}
{"text": "link clip nóng ko che đây ae, xem lẹ kẻo bay", "labels": ["sexual_content"]}
{"text": "ai có link phim 18+ cho t xin vs", "labels": ["sexual_content"]}
{"text": "m ơi mai đi học ko", "labels": []}
{"text": "t ck tiền quỹ lớp cho lớp trưởng r nha", "labels": []}
{"text": "ae ơi tối nay leo rank ko, t lên cao thủ r", "labels": []}
{"text": "t buồn vl, mất con mèo r", "labels": []}
{"text": "mai t nghỉ học, ốm r", "labels": []}
{"text": "b ơi cho t xin đề cương môn văn vs", "labels": []}
{"text": "t vừa đc 9 điểm toán, vui vl", "labels": []}
{"text": "Tài khoản của bạn đã bị trừ 2.500.000đ, nếu không phải bạn thực hiện hãy gọi ngay tổng đài 0899 123 456 để hủy giao dịch", "labels": ["scam"]}
{"text": "Cô Thu dạy Văn đây, cô đang cần tiền gấp để đóng viện phí cho mẹ, em nói bố mẹ chuyển cô mượn 3 triệu nhé", "labels": ["scam"]}
{"text": "Nhận ngay gói quà tri ân 2 triệu từ Shopee, chỉ cần thanh toán phí vận chuyển 30k", "labels": ["scam"]}
{"text": "Bạn ơi mình là người bán hàng online, bạn cho mình mượn tài khoản ngân hàng để nhận tiền khách, mình trả công 200k", "labels": ["scam"]}
{"text": "game bài đổi thưởng mới ra, tặng 100k cho người chơi mới, đổi thẻ cào nhanh", "labels": ["gambling"]}
{"text": "Bóng đá tối nay: nhận cược tỉ số, 1 ăn 8, nạp qua momo", "labels": ["gambling"]}
{"text": "Em ơi anh muốn gặp em ngoài đời, em học trường nào, anh đến đón em sau giờ học", "labels": ["grooming"]}
{"text": "Đây là bí mật giữa hai ta thôi nhé, em không được kể với ai, anh sẽ mua cho em điện thoại mới", "labels": ["grooming"]}
{"text": "Em gửi anh ảnh chụp lúc em vừa tắm xong đi, chỉ anh xem thôi", "labels": ["grooming"]}
{"text": "Chuyển cho tao 1 triệu trong hôm nay, nếu không ảnh khỏa thân của mày sẽ được gửi cho cả trường", "labels": ["sextortion"]}
{"text": "Tao đã ghép mặt mày vào ảnh sex, muốn tao không phát tán thì nạp thẻ cho tao", "labels": ["sextortion"]}
{"text": "Đồ xấu xí, mày soi gương chưa mà đòi làm lớp trưởng", "labels": ["bullying"]}
{"text": "Ai đồng ý tẩy chay con Hằng thì thả tim", "labels": ["bullying"]}
{"text": "mai t đợi m ở cổng trường, m chết chắc rồi", "labels": ["bullying"]}
{"text": "Mình đã nghĩ đến chuyện tự tử nhiều lần rồi", "labels": ["self_harm"]}
{"text": "Mình viết thư để lại cho bố mẹ rồi, chắc mọi người sẽ hiểu", "labels": ["self_harm"]}
{"text": "Tham gia nhóm thử thách nhịn đói, ai ăn là bị phạt", "labels": ["self_harm"]}
{"text": "Web người lớn miễn phí không cần đăng ký, video mới mỗi ngày", "labels": ["sexual_content"]}
{"text": "Có ai muốn mua ảnh riêng tư của hot girl lớp 11 không, 50k", "labels": ["sexual_content"]}
{"text": "Mẹ chuyển tiền điện nước tháng này rồi, con báo bà nhé", "labels": []}
{"text": "Tuần sau lớp mình đi dã ngoại ở Đồ Sơn, ai đi đăng ký với lớp trưởng", "labels": []}
{"text": "Thầy nhắc các em không được chơi game trong giờ học", "labels": []}
{"text": "Bà ơi cháu nhớ bà quá, cuối tuần cháu về thăm bà", "labels": []}
{"text": "Con vừa thi xong, làm bài tốt lắm mẹ ạ", "labels": []}
{"text": "Cảnh báo: đang có thủ đoạn lừa đảo mời làm việc online, yêu cầu nạp tiền, mọi người cảnh giác", "labels": []}
{"text": "Bạn ơi ảnh lớp mình đẹp quá, gửi mình với", "labels": []}
{"text": "Xin chào, chúng tôi từ ngân hàng Agribank, khoản vay của anh đã được duyệt, anh đóng phí bảo hiểm khoản vay 1,2 triệu để giải ngân", "labels": ["scam"]}
{"text": "Đơn hàng Lazada của bạn trúng thưởng tri ân, quét mã QR để nhận 500k", "labels": ["scam"]}
{"text": "con ơi dì đang ở nước ngoài, gửi quà về cho con nhưng bị giữ ở sân bay, con bảo mẹ chuyển phí thông quan giúp dì", "labels": ["scam"]}
{"text": "Cộng tác viên bán hàng Shopee, hoa hồng 20% mỗi đơn, nạp tiền ứng trước để nhận đơn", "labels": ["scam"]}
{"text": "Tặng thẻ cào 100k cho 50 bạn đầu tiên share bài viết và nhập số seri thẻ cũ để xác minh", "labels": ["scam"]}
{"text": "anh ơi em nhận chạy quảng cáo, anh chuyển trước 50% phí nhé, xong việc thanh toán nốt", "labels": ["scam"]}
{"text": "Bố ơi con bị công an phường giữ vì đánh nhau, bố chuyển 10 triệu cho chú cán bộ để thả con ra", "labels": ["scam"]}
{"text": "Nhà cái W88 khuyến mãi hoàn trả không giới hạn, đăng ký ngay", "labels": ["gambling"]}
{"text": "ai đánh đề không, t đang gom, 1k ăn 80k", "labels": ["gambling"]}
{"text": "cá xem ai thắng trận bán kết, thua mất 100k, dám không", "labels": ["gambling"]}
{"text": "Mở thẻ bài Pokemon online 30k/lượt, trúng thẻ hiếm bán lại 1 triệu", "labels": ["gambling"]}
{"text": "vào app này chơi đoán màu, đặt đỏ hoặc xanh, đúng x2 tiền", "labels": ["gambling"]}
{"text": "Hôm nay mẹ nhận được tin nhắn lạ đòi chuyển tiền, mẹ đã báo công an rồi", "labels": []}
{"text": "Cả nhà nhớ đóng tiền điện trước ngày 15 qua app ngân hàng nhé", "labels": []}
{"text": "Bạn ơi ngân hàng gửi mã OTP cho mình rồi, mình vừa kích hoạt xong app", "labels": []}
{"text": "Lớp mình tổ chức gây quỹ ủng hộ bạn Nam bị tai nạn, ai ủng hộ thì nộp cho cô chủ nhiệm", "labels": []}
{"text": "Con mua thẻ cào nạp điện thoại rồi, mẹ khỏi lo", "labels": []}
{"text": "Bố thắng xổ số 50 nghìn, mai bố mua kem cho cả nhà", "labels": []}
{"text": "Vietcombank: TK 0011xxx123 -500,000VND luc 09:15. ND: chuyen tien hoc phi. SD 2,350,000VND", "labels": []}
{"text": "Thông báo của trường: học phí học kỳ II nộp qua tài khoản của nhà trường tại BIDV, ghi rõ họ tên học sinh và lớp", "labels": []}
{"text": "Zalo: Mã xác thực của bạn là 482910. Không chia sẻ mã này cho bất kỳ ai.", "labels": []}
{"text": "Bản tin an ninh: Công an cảnh báo thủ đoạn mạo danh nhân viên điện lực gọi điện đòi tiền điện", "labels": []}
{"text": "Hôm nay cô dạy các con nhận biết tin nhắn lừa đảo: không bấm link lạ, không cho ai mã OTP", "labels": []}
{"text": "Mẹ ơi, có người lạ nhắn tin bảo con gửi ảnh, con đã chặn rồi và kể với cô", "labels": []}
{"text": "Báo Tuổi Trẻ: bắt nhóm đối tượng cưỡng đoạt tài sản bằng ảnh nhạy cảm của nữ sinh", "labels": []}
{"text": "Phụ huynh lưu ý: con em không tham gia các trò chơi cá cược, tài xỉu trên mạng", "labels": []}
{"text": "Tổng đài 111 luôn sẵn sàng hỗ trợ các em khi bị bắt nạt hoặc xâm hại", "labels": []}
{"text": "Sáng mai lớp mình tập trung lúc 7 giờ ở cổng trường để đi tham quan", "labels": []}
{"text": "Con chụp ảnh bài tập gửi cô qua Zalo nhé", "labels": []}
{"text": "Anh trai mình vừa mua điện thoại mới, xịn lắm", "labels": []}
{"text": "Ông bà ngoại lên chơi, tối nay cả nhà đi ăn tiệm", "labels": []}
{"text": "Cô giáo dặn không được đi chơi một mình với người lạ", "labels": []}
{"text": "Chúc mừng sinh nhật bạn, chúc bạn luôn vui vẻ", "labels": []}
{"text": "Bé nhà em thích xem hoạt hình, có kênh nào hay giới thiệu giúp", "labels": []}
{"text": "Bạn ơi xem trận Liên Quân chung kết chưa, đội Saigon Phantom thắng đẹp", "labels": []}
{"text": "Mẹ ơi hôm nay bạn cho con mượn 20k mua bánh, mai con trả bạn", "labels": []}
{"text": "Nhà mình hết gạo rồi, con ra tiệm mua giúp mẹ 5 cân nhé", "labels": []}
{"text": "Em đã nộp hồ sơ thi vào lớp 10 rồi anh ạ", "labels": []}
`

func TestGeneralisationProbe(t *testing.T) {
	t.Parallel()
	ex, err := ReadExamples(strings.NewReader(probeJSONL))
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(newDefaultEngine(t), ex)
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, m := range rep.Misses {
		t.Logf("%-14s %v level=%s top=%s: %s", m.Kind, m.Labels, m.Level, m.Top, m.Text)
	}
	if rep.HarmfulRecall < 0.90 || rep.FalseAlarmRate > 0.05 || rep.TopAccuracy < 0.85 {
		t.Errorf("aims not met on the probe set:\n%s", b.String())
	}
}
