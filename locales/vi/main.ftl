# Tiếng Việt — ngôn ngữ mặc định. Giữ câu ngắn: người dùng đọc trên điện thoại rẻ tiền.

## Vai trò
role-member = đoàn viên
role-leader = tổ trưởng
role-officer = cán bộ công đoàn

## Chọn bằng số
reply-with-number = Trả lời bằng số (ví dụ: 1) hoặc gõ lựa chọn.
choose-an-option = Bạn hãy chọn một trong các lựa chọn dưới đây.
stale-button = Nút này đã hết hiệu lực. Gõ /help để xem các lệnh.

## Tham gia
start-without-code = Chào bạn! Để tham gia, hãy mở đường link mời do cán bộ công đoàn gửi, hoặc gửi: /start MÃ-MỜI
welcome-consent =
    Chào bạn! Đây là bot của Công đoàn.
    Bạn được mời tham gia <b>{ $unit }</b> với vai trò <b>{ $role }</b>.

    Bot sẽ lưu: tên hiển thị, mã tài khoản chat, đơn vị và vai trò của bạn, ngày bạn đồng ý.
    Để làm gì: gửi chỉ thị, lịch hoạt động, ghi nhận cam kết và tin báo của bạn.
    Nội dung tin nhắn qua bot được xoá sau 30 ngày.
    Bạn xem lại bằng /dulieu và xoá bằng /xoadulieu bất cứ lúc nào.

    Bạn có đồng ý không?
consent-yes = Đồng ý
consent-no = Không đồng ý
joined =
    Bạn đã tham gia <b>{ $unit }</b> với vai trò <b>{ $role }</b>. Chào mừng bạn!
    Gõ /help để xem các lệnh.
consent-refused = Bạn đã không đồng ý. Bot không lưu thông tin của bạn. Khi cần, hãy mở lại đường link mời.
already-member = Bạn đã là thành viên của <b>{ $unit }</b>. Gõ /help để xem các lệnh.
invite-invalid = Mã mời không đúng. Hãy kiểm tra lại hoặc hỏi cán bộ công đoàn.
invite-expired = Mã mời đã hết hạn. Hãy xin cán bộ công đoàn mã mới.
invite-used-up = Mã mời đã dùng hết lượt. Hãy xin cán bộ công đoàn mã mới.
too-many-bad-codes = Bạn đã nhập sai mã nhiều lần. Hãy thử lại sau { $until }.

## Trợ giúp
help-title = <b>Các lệnh bạn dùng được:</b>
help-guest-footer = Bạn chưa tham gia đơn vị nào. Hãy mở đường link mời hoặc gửi: /start MÃ-MỜI
cmd-start = tham gia bằng mã mời
cmd-help = xem các lệnh
cmd-huy = huỷ việc đang làm dở
cmd-ngonngu = đổi ngôn ngữ
cmd-dulieu = xem dữ liệu bot lưu về bạn
cmd-xoadulieu = xoá dữ liệu của bạn
cmd-chithi = chỉ thị, văn bản mới
cmd-lich = lịch hoạt động, phong trào
cmd-camket = ký cam kết thi đua
cmd-baotin = báo tin, báo vụ việc
cmd-theodoi = theo dõi tin đã báo
cmd-guitin = gửi thông báo xuống đơn vị
cmd-tonghop = báo cáo tổng hợp
cmd-tinbao = tin báo gửi đến đơn vị

## Ngôn ngữ
choose-language = Chọn ngôn ngữ / Choose your language:
language-set = Đã chuyển sang tiếng Việt.

## Dữ liệu cá nhân
my-data =
    <b>Dữ liệu bot lưu về bạn</b>
    Tên: { $name }
    Tên người dùng: { $username }
    Tài khoản chat: { $accounts }
    Đơn vị: { $unit }
    Vai trò: { $role }
    Ngôn ngữ: { $lang }
    Tham gia: { $joined }
    Đồng ý lưu dữ liệu: { $consent }
my-data-none = Bot không lưu dữ liệu nào về bạn.
confirm-delete = Xoá toàn bộ dữ liệu của bạn? Bạn sẽ rời đơn vị và cần mã mời mới để tham gia lại.
delete-yes = Xoá
delete-no = Không xoá
data-deleted = Đã xoá toàn bộ dữ liệu của bạn. Tạm biệt!
delete-cancelled = Đã huỷ. Dữ liệu của bạn vẫn giữ nguyên.

## Trả lời chung
cancelled = Đã huỷ.
need-to-join = Bạn cần tham gia đơn vị trước. Hãy mở đường link mời hoặc gửi: /start MÃ-MỜI
officer-only = Lệnh này chỉ dành cho cán bộ công đoàn.
coming-soon = Tính năng này đang được hoàn thiện, sẽ có trong bản cập nhật tới.
unknown-command = Không có lệnh này. Gõ /help để xem các lệnh.
not-understood = Bot chưa hiểu tin nhắn này. Gõ /help để xem các lệnh.
unsupported-message = Bot chỉ đọc được tin nhắn chữ và nút bấm. Gõ /help để xem các lệnh.
edited-ignored = Bot không xử lý tin nhắn đã sửa. Hãy gửi tin nhắn mới.
group-not-supported = Bot chỉ làm việc trong chat riêng. Hãy nhắn riêng cho bot.

## Dòng lệnh (CLI)
cli-migrated = Đã cập nhật cấu trúc cơ sở dữ liệu.
cli-import-done = Đã nhập { $total } đơn vị: { $created } mới, { $updated } cập nhật, { $unchanged } không đổi.
cli-err-file = Không đọc được tệp { $path }: { $error }
cli-err-csv-too-large = Tệp quá lớn (tối đa 64 MB).
cli-err-csv-columns = Tệp thiếu cột: { $columns }. Cần các cột: code,parent_code,name,kind
cli-err-csv-unreadable = Dòng { $line }: không đọc được ({ $error }). Tệp phải là CSV mã UTF-8.
cli-err-csv-code = Dòng { $line }: mã đơn vị “{ $value }” không hợp lệ (chỉ chữ không dấu, số, dấu - _ ., tối đa 40 ký tự).
cli-err-csv-parent = Dòng { $line }: mã đơn vị cấp trên “{ $value }” không hợp lệ.
cli-err-csv-name = Dòng { $line }: tên đơn vị trống hoặc quá dài.
cli-err-csv-kind = Dòng { $line }: loại đơn vị trống hoặc quá dài.
cli-err-csv-duplicate = Dòng { $line }: mã { $code } xuất hiện hai lần.
cli-err-csv-own-parent = Dòng { $line }: đơn vị { $code } không thể là cấp trên của chính nó.
cli-err-csv-empty = Tệp không có đơn vị nào.
cli-err-unknown-parent = Đơn vị { $code } có cấp trên { $parent } không có trong tệp lẫn cơ sở dữ liệu. Không có gì thay đổi.
cli-err-cycle = Cây đơn vị bị vòng lặp qua đơn vị { $code }. Không có gì thay đổi.
cli-err-db = Lỗi cơ sở dữ liệu: { $error }
cli-err-unit-not-found = Không có đơn vị mã { $code }. Xem danh sách: congdoan-bot org tree
cli-err-role = Vai trò phải là member, leader hoặc officer.
cli-err-uses = Số lượt dùng phải từ 1 đến 100000.
cli-err-expires = Số ngày hết hạn phải từ 1 đến 365.
cli-err-serve = Không khởi động được bot: { $error }
cli-tree-empty = Chưa có đơn vị nào. Nhập bằng: congdoan-bot org import units.csv
cli-tree-members = { $count } thành viên
cli-invite-created =
    Mã mời: { $code }
    Đơn vị: { $unit } · Vai trò: { $role } · Dùng được: { $uses } lần · Hết hạn: { $expires }
cli-invite-link = Link Telegram: { $link }
cli-invite-no-username = Link Telegram: chưa biết tên bot. Chạy “serve” một lần với TELOXIDE_TOKEN, hoặc thêm --bot-username.
cli-invite-zalo = Trên Zalo: gửi “/start { $code }” cho bot.
cli-serve-no-channel = Chưa có TELOXIDE_TOKEN hay ZALO_BOT_TOKEN: mở bản demo trò chuyện trong terminal.
cli-serve-running = Bot đang chạy. Nhấn Ctrl-C để dừng.
cli-serve-console = Trang quản lý cho cán bộ: { $url } (gửi /web cho bot để nhận liên kết đăng nhập).
cli-serve-stopping = Đang dừng: hoàn tất các tin đang xử lý…

## Demo trong terminal
demo-intro = Bản demo congdoan-bot: cơ sở dữ liệu mẫu { $file } với { $units } đơn vị và { $members } thành viên.
demo-console =
    Trang quản lý cho cán bộ (mở trong trình duyệt, dùng một lần trong 10 phút):
    { $link }
demo-choose =
    Bạn muốn trò chuyện với bot trong vai nào?
    1. Đoàn viên (Tổ tự quản khu nhà trọ số 1)
    2. Tổ trưởng tổ tự quản
    3. Cán bộ công đoàn cơ sở
    4. Người mới, tham gia bằng mã mời
demo-choose-prompt = Chọn 1-4:
demo-persona-invalid = Hãy gõ một số từ 1 đến 4.
demo-you-are = Bạn đang là: { $who }. Gõ tin nhắn rồi Enter. /help để xem lệnh, /thoat để thoát.
demo-persona-member = đoàn viên
demo-persona-leader = tổ trưởng
demo-persona-officer = cán bộ công đoàn
demo-persona-new = người mới
demo-new-code = Mã mời của bạn: { $code }. Gõ: /start { $code }
demo-you = Bạn
demo-bye = Tạm biệt!

## Văn bản, chỉ thị
directive-err-empty = Văn bản trống.
directive-err-too-large = Văn bản quá lớn ({ $size } MB, tối đa { $max } MB).
directive-err-not-text = Không đọc được: tệp không phải văn bản (.txt) hay Word (.docx).
directive-err-not-directive = Đây không giống một văn bản chỉ đạo: không thấy số văn bản, “Kính gửi”, văn bản dẫn chiếu hay các mục việc cần làm.
directive-own = Văn bản
directive-issuer = Cơ quan ban hành
directive-place-date = Nơi, ngày
directive-subject = Trích yếu
directive-addressees = Kính gửi
directive-citations = Văn bản dẫn chiếu
directive-actions = Việc cần làm
directive-events = Mốc thời gian
directive-reporting = Báo cáo
directive-summary = Bản tóm tắt cho điện thoại ({ $chars } ký tự):
summary-actions = Việc cần làm
summary-dates = Mốc thời gian
summary-report = Báo cáo
document-unavailable = Bot không tải được tệp này. Hãy gửi lại, hoặc dán nội dung văn bản vào tin nhắn.
directive-err-too-large-chat = Văn bản quá lớn (tối đa { $max } MB). Hãy gửi phần nội dung chính.
directive-untitled = Chỉ thị mới
directive-review =
    <b>Bản nháp gửi đoàn viên</b> ({ $chars } ký tự):

    { $summary }

    Gửi cho ai?
directive-send-all = Gửi toàn bộ { $unit } ({ $count } người)
directive-pick = Chọn đơn vị trực thuộc
directive-edit = Sửa tóm tắt
directive-cancel = Huỷ
directive-back = Quay lại
directive-pick-help = Chọn các đơn vị nhận (bấm để chọn/bỏ, hoặc gõ các số, ví dụ: 1 3), rồi bấm Gửi.
directive-send-chosen = Gửi ({ $units } đơn vị, { $count } người)
directive-pick-none = Bạn chưa chọn đơn vị nào.
directive-edit-help = Gửi nội dung tóm tắt mới (tối đa { $max } ký tự). Gõ /huy để thôi.
directive-summary-too-long = Tóm tắt dài { $chars } ký tự, quá mức { $max }. Hãy rút gọn rồi gửi lại.
directive-cancelled = Đã huỷ bản nháp. Không gửi gì.
directive-sent = Đã gửi chỉ thị tới { $count } người.
directive-report =
    ⚠️ <b>Chỉ thị “{ $title }”</b> chưa tới được tất cả:
    Đã nhận: { $sent }/{ $total }
    Không gửi được: { $failed }
    Đã chặn bot hoặc rời ứng dụng: { $unreachable }
directive-report-advice = Hãy báo cho những người này bằng cách khác (họp tổ, gọi điện).
directive-broadcast =
    📄 <b>Chỉ thị mới từ { $unit }</b>

    { $summary }

    <i>Xem lại: /chithi</i>
campaign-suggest =
    Văn bản có các mốc thời gian:
    { $dates }
    Thêm vào lịch hoạt động và nhắc mọi người trước 7 ngày, 1 ngày và sáng hôm đó?
campaign-add = Thêm vào lịch
campaign-skip = Không
campaign-added = Đã thêm { $count } mốc vào lịch. Xem bằng /lich.
campaign-skipped = Không thêm vào lịch.
directives-title = <b>Chỉ thị đã nhận</b> (mới nhất trước). Chọn để đọc:
directives-none = Chưa có chỉ thị nào gửi tới bạn.
directive-officer-hint = Để gửi chỉ thị mới: dán nội dung văn bản hoặc gửi tệp .txt/.docx vào đây.
directive-detail =
    📄 <b>{ $title }</b>
    { $unit } · { $date }

    { $summary }
directive-not-found = Không tìm thấy chỉ thị này.
calendar-title = <b>Lịch hoạt động sắp tới</b>
calendar-line = • <b>{ $date }</b> — { $title } (còn { $days } ngày)
calendar-none = Chưa có mốc hoạt động nào.
calendar-officer-hint = Thêm mốc hằng năm: /lich them 28/7 Tên hoạt động (âm lịch: /lich them 15/8 âm lịch Tết Trung thu)
calendar-add-usage = Cách thêm mốc: /lich them NGÀY/THÁNG Tên hoạt động
    Ví dụ: /lich them 28/7 Ngày thành lập Công đoàn Việt Nam
    Âm lịch: /lich them 15/8 âm lịch Tết Trung thu
    Chọn lịch nhắc: thêm “nhắc 3,1,0 lúc 8h” ở cuối (số ngày trước, 0 là đúng ngày).
calendar-ics = Tải tệp lịch (.ics)
calendar-ics-name = Lịch hoạt động Công đoàn
calendar-ics-caption = Mở tệp này để thêm các mốc vào lịch điện thoại.
campaign-reminder-week = ⏰ <b>Còn 7 ngày</b>: { $title } ({ $date }).
campaign-reminder-tomorrow = ⏰ <b>Ngày mai</b>: { $title } ({ $date }).
campaign-reminder-today = ⏰ <b>Hôm nay</b>: { $title } ({ $date }).
campaign-reminder-days = ⏰ <b>Còn { $days } ngày</b>: { $title } ({ $date }).
cm-sign-button = Tôi cam kết
cm-sign-ask =
    ✍️ <b>Cam kết của { $unit }</b> (bản số { $version }, hạn ký { $deadline }):

    { $text }

    Đọc kỹ rồi bấm «Tôi cam kết», hoặc gõ 1.
cm-sign-again =
    ✍️ <b>Nội dung cam kết của { $unit } đã thay đổi</b> (bản số { $version }, hạn ký { $deadline }). Bạn cần ký lại:

    { $text }

    Đọc kỹ rồi bấm «Tôi cam kết», hoặc gõ 1.
cm-more-pending = Bạn còn { $count } cam kết khác cần ký. Gõ /camket sau khi ký.
cm-signed = ✅ Đã ghi nhận cam kết «{ $title }» (bản số { $version }, lúc { $date }). Mã xác nhận: { $code }.
cm-already-signed = Bạn đã ký bản số { $version } của cam kết này lúc { $date }. Không cần ký lại.
cm-text-changed = Nội dung cam kết đã được sửa. Hãy đọc bản mới và ký lại.
cm-not-for-you = Cam kết này không dành cho bạn, hoặc đã đóng. Không có gì thay đổi.
cm-not-found = Không tìm thấy cam kết này trong đơn vị của bạn.
cm-none = Bạn không có cam kết nào cần ký.
cm-signed-title = <b>Cam kết bạn đã ký:</b>
cm-signed-line = • { $title } (bản số { $version }, { $date })
cm-officer-hint = Cán bộ: tạo cam kết mới bằng /camket moi, sửa hoặc đóng bằng /camket sua, xem tiến độ bằng /tonghop.
cm-usage = Cách dùng: /camket (xem và ký), /camket moi (tạo mới), /camket sua (sửa, đóng).
cm-menu = <b>Cam kết thi đua</b>. Bạn muốn làm gì?
cm-new = Tạo cam kết mới
cm-edit = Sửa: { $title }
cm-close = Đóng: { $title }
cm-new-text = Gửi nội dung cam kết (tối đa { $max } ký tự). Dòng đầu là tên cam kết. Gõ /huy để thôi.
cm-text-too-long = Nội dung dài { $chars } ký tự, quá mức { $max }. Hãy rút gọn rồi gửi lại.
cm-who = Ai phải ký?
cm-who-member = Đoàn viên
cm-who-leader = Tổ trưởng
cm-who-everyone = Tất cả mọi người
cm-deadline = Hạn ký là ngày nào? Gõ ngày/tháng/năm, ví dụ 30/11/2026.
cm-deadline-past = Hạn ký phải sau hôm nay. Gõ ngày/tháng/năm, ví dụ 30/11/2026.
cm-remind = Nhắc người chưa ký khi nào?
cm-remind-daily = Mỗi ngày
cm-remind-3days = 3 ngày một lần
cm-remind-monday = Thứ Hai hằng tuần
cm-remind-none = Không nhắc
cm-confirm =
    <b>Cam kết mới</b>

    { $text }

    Người ký: { $who }. Hạn: { $deadline }. Nhắc: { $remind } (từ { $hour }:00, không nhắc ban đêm).
    Gửi ngay?
cm-send = Gửi
cm-created = Đã gửi cam kết tới mọi người trong phạm vi. Xem tiến độ: /tonghop
cm-edit-text =
    Nội dung hiện tại (bản số { $version }):

    { $text }

    Gửi nội dung mới (tối đa { $max } ký tự). Mọi người sẽ phải ký lại. Gõ /huy để thôi.
cm-edit-confirm =
    <b>Nội dung mới</b>

    { $text }

    Lưu thành bản mới và yêu cầu mọi người ký lại?
cm-revised = Đã lưu bản mới và gửi lại cho mọi người ký.
cm-closed = Đã đóng cam kết «{ $title }». Không nhận ký và không nhắc nữa.
cm-broadcast =
    ✍️ <b>Cam kết mới từ { $unit }</b> (bản số { $version }, hạn ký { $deadline }):

    { $text }

    Bấm «Tôi cam kết» hoặc gõ 1 để ký. Xem lại: /camket
cm-broadcast-changed =
    ✍️ <b>{ $unit } đã sửa nội dung cam kết</b> (bản số { $version }, hạn ký { $deadline }). Bạn cần ký lại:

    { $text }

    Bấm «Tôi cam kết» hoặc gõ 1 để ký. Xem lại: /camket
cm-reminder = ⏰ Bạn chưa ký cam kết «{ $title }» (hạn { $deadline }). Bấm «Tôi cam kết» hoặc gõ 1 để ký. Đọc lại: /camket
rollup-none = Chưa có cam kết nào đang mở, cũng chưa có chỉ thị hay tin nào yêu cầu xác nhận «Đã nắm» trong đơn vị của bạn.
rollup-title = 📊 <b>{ $title }</b> (bản số { $version }, hạn { $deadline })
    Đã ký / trong diện / tỉ lệ:
rollup-unsigned = Chưa ký (trực tiếp tại đơn vị): { $names }
rollup-more = và { $count } người khác
inbound-too-fast = ⏳ Bạn gửi nhanh quá nên bot tạm bỏ qua các tin vừa rồi. Chờ một phút rồi gửi lại nhé.

# Updates that could not be handled (one person's message never stops the others)
update-failed = ⚠️ Xin lỗi, bot chưa xử lý được tin nhắn vừa rồi của bạn. Bạn hãy gửi lại theo cách khác (ngắn hơn, hoặc gõ /help), hoặc báo cán bộ công đoàn.
cli-inbox-none = Không có tin nào bị giữ lại.
cli-inbox-parked-line = #{ $id }  { $channel }  { $time }  { $attempts } lần thử  lỗi: { $error }
cli-inbox-retried = Đã đưa tin #{ $id } vào hàng chờ xử lý lại.
cli-err-not-parked = Không có tin bị giữ lại mã #{ $id } (hoặc nội dung đã bị xoá). Xem: congdoan-bot inbox parked

my-data-signatures = <b>Cam kết bạn đã ký</b>
my-data-signature-line = • { $title } (bản { $version }), { $date }, qua { $channel }
my-data-tips = <b>Tin báo bạn đã gửi</b>
my-data-tip-line = • { $code }, { $date }: { $status }
my-data-footer = Nội dung tin nhắn qua bot được xoá sau 30 ngày; nội dung tin báo đã xử lý xong được xoá sau 180 ngày. Mục đích: gửi chỉ thị, lịch hoạt động, ghi nhận cam kết và tin báo của bạn. Xoá toàn bộ bằng /xoadulieu.
draft-kept = ✏️ Bạn vẫn đang soạn dở, bot giữ nguyên. Tiếp tục ở bước này (hoặc gõ /huy để bỏ):
