# «Đã nắm»: thành viên xác nhận đã đọc và nắm được chỉ thị hoặc tin
ack-toggle-off = ☐ Yêu cầu xác nhận «Đã nắm»
ack-toggle-on = ☑ Yêu cầu xác nhận «Đã nắm» (đang bật)
ack-asked = Mọi người sẽ được yêu cầu xác nhận «Đã nắm». Xem ai đã nắm: /tonghop
ack-button = ✅ Đã nắm
ack-hint = 👉 Bấm «✅ Đã nắm» hoặc trả lời 1 để xác nhận đã nắm.
ack-done = ✅ Đã ghi nhận bạn đã nắm «{ $title }» (lúc { $date }). Cảm ơn bạn!
ack-already = Bạn đã xác nhận nắm «{ $title }» lúc { $date }. Không cần xác nhận lại.
ack-not-for-you = Không có nội dung nào như vậy cần bạn xác nhận. Không có gì thay đổi.
ack-kind-directive = Chỉ thị
ack-kind-broadcast = Tin
ack-rollup-title = ✅ <b>Đã nắm — { $what } «{ $title }»</b> (gửi { $date })
    Đã nắm / đã gửi / tỉ lệ:
digest-acknowledgements = <b>Xác nhận «Đã nắm»</b> (đã nắm / đã gửi):
ack-remind-none = ⏰ Nhắc người chưa nắm: không nhắc
ack-remind-daily = ⏰ Nhắc người chưa nắm: hằng ngày (trong { $days } ngày)
ack-remind-every = ⏰ Nhắc người chưa nắm: { $every } ngày một lần (trong { $days } ngày)
ack-reminder = ⏰ Bạn chưa xác nhận đã nắm «{ $title }».
my-data-acks = <b>Nội dung bạn đã xác nhận «Đã nắm»</b>
my-data-ack-line = • { $title }, { $date }, qua { $channel }
web-dash-acknowledgements = Xác nhận «Đã nắm» (đã nắm / đã gửi)
