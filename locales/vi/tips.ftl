# Tin báo sự việc (/baotin, /theodoi, /tinbao)

## Loại sự việc
tip-cat-theft = Trộm cắp
tip-cat-drugs = Ma túy
tip-cat-fight = Đánh nhau, gây rối
tip-cat-fire = Cháy nổ
tip-cat-stranger = Người lạ khả nghi
tip-cat-vice = Tệ nạn xã hội
tip-cat-labour = Tranh chấp lao động
tip-cat-other = Khác

## Trạng thái
tip-status-new = Mới, chờ tiếp nhận
tip-status-acknowledged = Đã tiếp nhận, đang xử lý
tip-status-resolved = Đã xử lý xong

## Người báo
tip-ask-category = 🚨 <b>Báo tin sự việc</b>
    Việc gì đã xảy ra? (Gõ /huy để hủy bất cứ lúc nào.)
tip-ask-what = Loại: <b>{ $category }</b>.
    Hãy mô tả ngắn gọn chuyện gì đã xảy ra.
tip-what-too-short = Bạn hãy viết rõ hơn một chút (ít nhất vài chữ).
tip-too-long = Nội dung quá dài (tối đa { $max } ký tự). Bạn hãy viết ngắn lại.
tip-ask-where = Ở đâu? Gõ địa chỉ (ví dụ: dãy trọ số 5, hẻm 12), hoặc gửi vị trí (📎 → Vị trí).
tip-skip = Bỏ qua
tip-ask-when = Xảy ra lúc nào? Chọn bên dưới hoặc gõ (ví dụ: tối qua 22h).
tip-when-now = Đang xảy ra
tip-when-today = Hôm nay
tip-ask-photos = Có ảnh thì gửi (tối đa { $max } ảnh). Không có ảnh hoặc gửi xong thì bấm «Xong».
tip-photo-received = Đã nhận { $count }/{ $max } ảnh. Gửi thêm, hoặc bấm «Xong».
tip-photos-done = Xong
tip-photos-or-done = Bạn hãy gửi ảnh, hoặc bấm «Xong» để tiếp tục.
tip-photos-full = Đã đủ { $max } ảnh.
tip-photo-kept-where = Đã giữ ảnh của bạn. Bây giờ cho biết nơi xảy ra.
tip-ask-anonymous = Bạn muốn gửi ẩn danh không?
    Ẩn danh: cán bộ không biết ai gửi; bạn vẫn nhận tin cập nhật qua bot.
tip-anon-yes = Ẩn danh
tip-anon-no = Ghi tên tôi
tip-sent-anonymous = ✅ Đã gửi tin báo <b>ẩn danh</b>.
    Mã theo dõi: <b>{ $code }</b>
    Bot sẽ báo bạn khi có tiến triển. Xem lại: /theodoi { $code }
tip-sent-named = ✅ Đã gửi tin báo.
    Mã theo dõi: <b>{ $code }</b>
    Bot sẽ báo bạn khi có tiến triển. Xem lại: /theodoi { $code }
tip-too-many = Bạn đã gửi { $max } tin báo trong một giờ qua. Hãy chờ một lúc rồi gửi tiếp. Nếu nguy hiểm, gọi ngay 113 (công an) hoặc 114 (cứu hỏa).
tip-follow-usage = Gõ /theodoi kèm mã theo dõi, ví dụ: /theodoi TB-ABCDE-FGHJK
tip-code-invalid = Mã theo dõi không đúng. Mã có dạng TB-ABCDE-FGHJK.
tip-not-found = Không tìm thấy tin báo này, hoặc bạn không có quyền xem.

## Cập nhật gửi người báo
tip-update-acknowledged = 📋 Tin báo <b>{ $code }</b> đã được <b>{ $unit }</b> tiếp nhận.
tip-update-escalated = 📋 Tin báo <b>{ $code }</b> đã được chuyển lên <b>{ $unit }</b>.
tip-update-resolved = ✅ Tin báo <b>{ $code }</b> đã được xử lý.
    Kết quả: { $note }

## Cán bộ
tip-alert-new = 🚨 <b>Tin báo mới</b>
tip-alert-copy = 🚨 <b>Tin báo khẩn (gửi kèm cấp trên để biết)</b>
tip-alert-escalated = ⬆️ <b>Tin báo được cấp dưới chuyển lên</b>
tip-alert-overdue = ⏰ <b>Tin báo quá hạn chưa được tiếp nhận, chuyển lên cấp trên</b>
tip-alert-hint = Gõ /tinbao để xem và xử lý.
tip-btn-open = Xem và xử lý
tip-btn-ack = Tiếp nhận
tip-btn-escalate = Chuyển cấp trên
tip-btn-resolve = Đã xử lý
tip-btn-note = Ghi chú
tip-card-title = <b>Tin báo { $code }</b> · { $category }
tip-card-status = Trạng thái: { $status }
tip-card-deadline = Cần tiếp nhận trước: { $at }
tip-card-what = Nội dung: { $text }
tip-card-where = Nơi xảy ra: { $place }
tip-card-map = Vị trí: { $link }
tip-card-when = Thời gian: { $when }
tip-card-from = Từ: { $unit }, lúc { $at }
tip-card-reporter = Người báo: { $name }
tip-card-anonymous = ẩn danh
tip-card-photos = Ảnh kèm: { $count }
tip-card-result = Kết quả: { $note }
tip-card-handler = Đơn vị đang xử lý: { $unit }
tip-photo-caption = Ảnh kèm tin báo { $code }
tip-history-title = <b>Diễn biến</b>
tip-event-created = Nhận tin
tip-event-copied = Gửi kèm cấp trên
tip-event-acknowledged = Đã tiếp nhận
tip-event-escalated = Chuyển cấp trên
tip-event-overdue = Quá hạn, tự chuyển cấp trên
tip-event-top = Đã ở cấp cao nhất
tip-event-resolved = Đã xử lý
tip-event-note = Ghi chú
tip-acknowledged-ok = Đã tiếp nhận tin báo { $code }. Người báo được thông báo.
tip-already-acknowledged = Tin báo { $code } đã được tiếp nhận rồi.
tip-already-resolved = Tin báo { $code } đã xử lý xong.
tip-escalated-ok = Đã chuyển tin báo { $code } lên cấp trên.
tip-no-higher-level = Không có cấp trên nào có cán bộ để chuyển tin này.
tip-ask-resolution = Kết quả xử lý tin báo { $code } là gì? Gõ một câu ngắn (người báo sẽ được đọc).
tip-ask-note = Gõ ghi chú cho tin báo { $code } (chỉ cán bộ xem được).
tip-resolved-ok = Đã đóng tin báo { $code }. Người báo được thông báo kết quả.
tip-note-ok = Đã ghi chú vào tin báo { $code }.
tip-inbox-empty = Không có tin báo nào đang chờ xử lý. 👍
tip-inbox-title = 🚨 <b>Tin báo chưa xử lý: { $count }</b> (cũ nhất trước)
tip-inbox-line = <b>{ $code }</b> · { $category } · { $status }
    { $unit }, { $at }
tip-overdue-mark = ⏰ quá hạn
tip-pick-number = Chọn số thứ tự trong danh sách, hoặc gõ /tinbao để xem lại.

## Dòng lệnh
cli-err-tip-route = Cần: --category theft|drugs|fight|fire|stranger|vice|labour|other, --handles yes|no, --deadline-minutes từ 5 đến 10080.
cli-tip-route-handles = { $unit } nhận tin báo loại “{ $category }”; quá { $minutes } phút chưa tiếp nhận thì chuyển cấp trên. { $parent }
cli-tip-route-passes = { $unit } không nhận tin báo loại “{ $category }”: tin đi thẳng lên cấp trên có cán bộ. { $parent }
cli-tip-route-parent-yes = Cấp trên được báo ngay cùng lúc.
cli-tip-route-parent-no = Cấp trên chỉ nhận khi tin được chuyển lên.
