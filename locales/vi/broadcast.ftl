# Gửi tin hàng loạt (/guitin)
bc-ask-text = 📣 <b>Gửi tin tới đoàn viên</b>
    Gõ nội dung tin (tối đa { $max } ký tự), hoặc gửi một ảnh/tệp kèm chú thích.
    Gõ /huy để thôi.
bc-too-long = Tin dài { $count } ký tự, quá { $max }. Bạn hãy rút gọn lại.
bc-ask-target = Gửi tới ai?
bc-target-all = Toàn bộ { $unit } ({ $count } người)
bc-target-unit = { $unit } ({ $count } người)
bc-target-leaders = Chỉ các tổ trưởng ({ $count } người)
bc-target-officers = Chỉ cán bộ công đoàn ({ $count } người)
bc-target-pick = Chọn nhiều đơn vị…
bc-target-units = { $count } đơn vị: { $names }
bc-pick-help = Chọn các đơn vị nhận (bấm để chọn/bỏ, hoặc gõ các số, ví dụ: 1 3), rồi bấm Tiếp tục.
bc-pick-done = Tiếp tục ({ $units } đơn vị, { $count } người)
bc-pick-none = Bạn chưa chọn đơn vị nào.
bc-nobody = Nhóm này chưa có ai. Bạn hãy chọn nhóm khác.
bc-preview = <b>Xem trước</b>
    ──────────
    { $text }
    ──────────
    Gửi tới: { $target }
    Số người nhận: <b>{ $count }</b>
bc-preview-media = (Kèm ảnh/tệp. Người dùng Zalo chỉ nhận phần chữ.)
bc-send-now = Gửi ngay
bc-send-later = Hẹn giờ gửi
bc-discard = Hủy
bc-discarded = Đã hủy, không gửi gì.
bc-started = ✅ Bắt đầu gửi tới { $count } người. Tiến độ hiện ngay bên dưới.
bc-ask-when = Gửi lúc nào? Gõ ngày và giờ, ví dụ: 19/8 07:00
bc-when-invalid = Chưa hiểu thời gian. Gõ ngày và giờ, ví dụ: 19/8 07:00 hoặc 19/8/2026 7h30
bc-when-past = Thời điểm này đã qua. Bạn hãy chọn một thời điểm sắp tới.
bc-when-too-far = Chỉ hẹn được trong vòng 90 ngày tới.
bc-scheduled = ⏰ Đã hẹn gửi lúc { $at } tới { $count } người. Muốn thôi: /guitin huy
bc-cancelled = ⏹ Đã dừng. Tin chưa gửi sẽ không gửi nữa.
bc-nothing-to-cancel = Không có tin hàng loạt nào đang gửi hoặc đang hẹn giờ.
bc-stop-button = ⏹ Dừng gửi
bc-message = 📣 <b>{ $unit }</b>
    { $text }
bc-media-elsewhere = (Tin có kèm ảnh/tệp, chỉ xem được trên Telegram.)
bc-progress = 📣 Đang gửi: <b>{ $sent }/{ $total }</b>
    { $bar } { $pct }%
    Không gửi được: { $failed } · Đã chặn bot: { $unreachable }
bc-progress-eta = Còn khoảng { $time }.
bc-report = 📊 <b>Báo cáo gửi tin</b>
    Đã gửi: { $sent }/{ $total }
    Không gửi được: { $failed }
    Đã chặn bot hoặc rời ứng dụng: { $unreachable }
    Thời gian: { $time }
bc-report-stopped = Đã dừng giữa chừng: { $count } tin không gửi.
bc-seconds = { $n } giây
bc-minutes = { $n } phút
bc-hours = { $h } giờ { $m } phút
bc-report-quota = ⚠️ Zalo hết hạn mức gửi miễn phí: { $count } tin chưa gửi được. Hãy gửi lại sau hoặc nâng hạn mức.
bc-progress-stop-typed = Gõ /guitin huy để dừng gửi.
bc-report-outside-window = ⏳ Ngoài 48 giờ (Zalo OA): { $count } tin đang chờ, sẽ tới khi đoàn viên nhắn lại cho Zalo OA.
