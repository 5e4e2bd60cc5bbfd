# Web console for officers (issue 18). Chat messages use Telegram's HTML subset; page
# strings are plain text (the pages escape them).

cmd-web = mở trang quản lý trên máy tính
web-login-link = 🖥 <b>Trang quản lý công đoàn</b>
    Bấm link dưới đây để đăng nhập (dùng được một lần, trong { $minutes } phút; đừng chuyển cho người khác):
    { $url }

    Đăng xuất mọi nơi: /web thoat
web-not-enabled = Trang quản lý chưa được bật trên máy chủ này (cần đặt CONGDOAN_LISTEN). Hãy báo người quản trị.
web-logged-out = Đã đăng xuất khỏi trang quản lý trên mọi máy. Gõ /web khi cần đăng nhập lại.
web-usage = Gõ /web để nhận link đăng nhập trang quản lý, hoặc /web thoat để đăng xuất trên mọi máy.

web-app-name = Công đoàn · Trang quản lý
web-nav-home = Tổng quan
web-nav-tips = Tin báo
web-nav-audit = Nhật ký
web-nav-export = Xuất dữ liệu
web-logout = Đăng xuất

web-login-title = Đăng nhập trang quản lý
web-login-explain = Link này chỉ dùng được một lần. Bấm nút để vào trang quản lý của đơn vị bạn.
web-login-button = Đăng nhập
web-signed-out-title = Đã đăng xuất

web-err-title = Không thực hiện được
web-err-signed-out = Bạn chưa đăng nhập, hoặc phiên đăng nhập đã hết hạn.
web-err-not-officer = Trang quản lý chỉ dành cho cán bộ công đoàn.
web-err-csrf = Yêu cầu bị từ chối vì thiếu mã bảo vệ của trang hoặc mã không đúng. Không có gì bị thay đổi.
web-err-not-found = Không tìm thấy trang này, hoặc bạn không có quyền xem.
web-err-bad-form = Dữ liệu gửi lên không hợp lệ. Không có gì bị thay đổi.
web-err-too-large = Nội dung gửi lên quá lớn. Không có gì bị thay đổi.
web-err-link-used = Link đăng nhập này đã được dùng rồi. Mỗi link chỉ dùng được một lần.
web-err-link-expired = Link đăng nhập này đã hết hạn (link chỉ dùng được trong 10 phút).
web-err-link-unknown = Link đăng nhập không đúng.
web-err-internal = Máy chủ đang gặp lỗi. Không có gì bị thay đổi.
web-err-filter = Bộ lọc không hợp lệ.
web-err-note-empty = Bạn hãy viết nội dung ghi chú hoặc kết quả xử lý.
web-err-note-long = Nội dung quá dài (tối đa 1500 ký tự).
web-err-export-what = Loại dữ liệu cần xuất không hợp lệ.
web-err-export-format = Định dạng tệp không hợp lệ (chọn Excel hoặc CSV).
web-err-export-too-big = Dữ liệu quá lớn để tải một lần. Hãy chọn một đơn vị nhỏ hơn hoặc dùng lệnh xuất trên máy chủ.
web-err-export-failed = Không tạo được tệp. Hãy thử lại sau.
web-hint-chat = Gõ /web trong chat với bot để nhận link đăng nhập mới.
web-hint-none = Nếu bạn cần quyền cán bộ, hãy liên hệ công đoàn cấp trên.
web-hint-reload = Hãy tải lại trang rồi thử lại.
web-hint-home = Về trang Tổng quan: /
web-hint-back = Hãy quay lại trang trước và sửa lại.
web-hint-later = Hãy thử lại sau ít phút.

web-duration-m = { $m } phút
web-duration-h = { $h } giờ
web-duration-hm = { $h } giờ { $m } phút
web-duration-dh = { $d } ngày { $h } giờ

web-dash-up = Lên đơn vị cấp trên
web-dash-commitments = Cam kết đang mở (toàn đơn vị)
web-dash-children = Các đơn vị trực thuộc
web-dash-no-children = Đơn vị này không có đơn vị trực thuộc.
web-col-unit = Đơn vị
web-col-members = Đoàn viên
web-col-reachable = Liên lạc được
web-col-open-tips = Tin báo chưa xong
web-col-overdue = Quá hạn
web-col-code = Mã
web-col-category = Loại
web-col-status = Trạng thái
web-col-received = Nhận lúc
web-col-deadline = Hạn tiếp nhận
web-col-when = Thời gian
web-col-who = Người
web-col-tips = Số tin
web-col-what = Dữ liệu
web-col-rows = Số dòng

web-tips-title = Tin báo chưa xử lý (cũ nhất trước)
web-tips-count = Đang hiện { $shown } / { $total } tin chưa xử lý.
web-tips-empty = Không có tin báo nào khớp bộ lọc.
web-tips-back = Danh sách tin báo
web-filter-category = Loại
web-filter-status = Trạng thái
web-filter-all = Tất cả
web-filter-all-open = Tất cả chưa xong
web-filter-apply = Lọc
web-time-left = còn { $time }
web-time-over = quá hạn { $time }
web-time-none = không có hạn
web-time-taken = đã tiếp nhận

web-tip-title = Tin báo
web-tip-from = Từ đơn vị
web-tip-at = Nhận lúc
web-tip-handler = Đơn vị đang xử lý
web-tip-reporter = Người báo
web-tip-anonymous = ẩn danh
web-tip-where = Nơi xảy ra
web-tip-position = Vị trí (vĩ độ, kinh độ)
web-tip-when = Thời gian xảy ra
web-tip-deadline = Cần tiếp nhận trước
web-tip-photos = Ảnh kèm
web-tip-photos-count = { $count } ảnh (xem trong chat với bot)
web-tip-result = Kết quả
web-tip-resolve-label = Kết quả xử lý (người báo sẽ được đọc)
web-tip-note-label = Ghi chú (chỉ cán bộ xem được)
web-tip-history = Diễn biến
web-ok-taken = Đã tiếp nhận tin báo. Người báo được thông báo.
web-ok-escalated = Đã chuyển tin báo lên cấp trên.
web-ok-resolved = Đã đóng tin báo. Người báo được thông báo kết quả.
web-ok-noted = Đã ghi chú vào tin báo.
web-ok-already-taken = Tin báo này đã được tiếp nhận rồi.
web-ok-already-resolved = Tin báo này đã xử lý xong.
web-ok-no-higher = Không có cấp trên nào có cán bộ để chuyển tin này.

web-audit-title = Nhật ký
web-audit-explain = Ai đã mở xem tin báo nào, và mỗi lần tải tin báo về máy, trong phạm vi đơn vị của bạn (mới nhất trước).
web-audit-reads = Ai đã xem tin báo
web-audit-exports = Các lần xuất tin báo
web-audit-none = Chưa có.
web-audit-deleted-member = (người đã xoá dữ liệu)
web-audit-command-line = Máy chủ (dòng lệnh) hoặc người đã xoá dữ liệu

web-export-title = Xuất dữ liệu
web-export-explain = Dữ liệu của đơn vị bạn và các đơn vị trực thuộc. Mỗi lần tải tin báo được ghi vào Nhật ký; người báo ẩn danh vẫn ẩn danh.

web-nav-broadcasts = Gửi tin
web-bc-title = Gửi tin nhắn tới đoàn viên
web-bc-text-label = Nội dung tin nhắn
web-bc-target-label = Gửi tới
web-bc-target-all = Toàn bộ đoàn viên trong đơn vị
web-bc-target-leaders = Chỉ tổ trưởng tổ tự quản
web-bc-target-officers = Chỉ cán bộ công đoàn
web-bc-people = { $n } người
web-bc-when-label = Thời điểm gửi
web-bc-when-now = Gửi ngay
web-bc-when-later = Hẹn giờ gửi
web-bc-send = Gửi tin
web-bc-recent = Tin đã gửi
web-bc-none = Chưa có tin nào được gửi trong đơn vị.
web-bc-col-text = Nội dung
web-bc-col-total = Số người nhận
web-bc-status-scheduled = Đã hẹn giờ
web-bc-status-sending = Đang gửi
web-bc-status-done = Đã gửi xong
web-bc-status-cancelled = Đã dừng
web-bc-back = Danh sách tin
web-bc-detail-title = Tin nhắn
web-bc-sent = Đã gửi
web-bc-progress = Tiến độ
web-bc-waiting = Đang chờ gửi
web-bc-failed = Không gửi được
web-bc-cancelled = Đã huỷ
web-bc-refreshing = Trang tự cập nhật mỗi 5 giây.
web-bc-stop = Dừng gửi
web-err-bc-empty = Bạn hãy viết nội dung tin nhắn.
web-err-bc-long = Tin nhắn quá dài (tối đa 3500 ký tự).
web-err-bc-target = Nơi nhận không hợp lệ.
web-err-bc-nobody = Nơi nhận này chưa có ai.
web-err-bc-time = Thời điểm gửi không hợp lệ.
web-err-bc-time-range = Thời điểm hẹn gửi phải sau bây giờ và trong vòng 90 ngày.
