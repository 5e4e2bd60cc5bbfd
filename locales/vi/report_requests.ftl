# Báo cáo kết quả lên cấp trên (/baocao).
cmd-baocao = yêu cầu báo cáo, điền và tổng hợp báo cáo
rq-none = Đơn vị bạn không có yêu cầu báo cáo nào cần điền.
rq-menu = <b>Báo cáo kết quả</b>. Bạn muốn làm gì?
rq-new = Tạo yêu cầu báo cáo mới
rq-menu-fill = Điền: { $title } (hạn { $deadline })
rq-menu-fill-again = Sửa báo cáo đã nộp: { $title } (hạn { $deadline })
rq-menu-view = Xem kết quả: { $title }
rq-ask-title = Gửi tiêu đề báo cáo, ví dụ «Báo cáo kết quả tuyên truyền Chỉ thị 48». Gõ /huy để thôi.
rq-ask-item-first = Gửi nội dung mục 1 cần báo cáo, ví dụ «Số buổi tuyên truyền» (tối đa { $max } mục).
rq-ask-item-next = Gửi nội dung mục { $n }, hoặc gõ «xong» nếu đã đủ.
rq-items-done = Xong, không thêm mục
rq-ask-kind = Mục «{ $label }» cần trả lời bằng gì?
rq-kind-number = Một con số
rq-kind-yes-no = Có / Không
rq-kind-text = Một đoạn chữ ngắn
rq-ask-deadline = Hạn nộp báo cáo là ngày nào? Gõ ngày/tháng/năm, ví dụ 25/8/2026.
rq-deadline-past = Hạn nộp phải sau hôm nay. Gõ ngày/tháng/năm, ví dụ 25/8/2026.
rq-no-children = Đơn vị bạn không có đơn vị trực thuộc nào để yêu cầu báo cáo.
rq-ask-targets = Yêu cầu đơn vị nào báo cáo? Chọn tất cả, hoặc đánh dấu từng đơn vị (gõ số, ví dụ «2 3»).
rq-targets-all = Tất cả đơn vị trực thuộc
rq-targets-chosen = Đã chọn { $count } đơn vị. Gõ «xong» hoặc bấm Xong khi đủ.
rq-targets-done = Xong, gửi cho các đơn vị đã chọn
rq-confirm =
    <b>Yêu cầu báo cáo: { $title }</b>
    { $items }
    Hạn nộp: { $deadline }
    Gửi đến: { $units }
rq-send = Gửi yêu cầu
rq-created = ✅ Đã gửi yêu cầu «{ $title }» đến { $count } đơn vị. Xem kết quả bằng /baocao.
rq-too-long = Nội dung trống hoặc quá dài (tối đa { $max } ký tự). Hãy gửi lại.
rq-not-for-you = Yêu cầu báo cáo này không dành cho đơn vị bạn, hoặc đã đóng. Không có gì thay đổi.
rq-too-late = Đã quá hạn nộp, báo cáo đã nộp không sửa được nữa.
rq-fill-head = <b>{ $title }</b> ({ $unit }, hạn { $deadline }): { $count } mục.
rq-fill-returned = Cấp trên đề nghị bổ sung: «{ $note }»
rq-no-answer = (chưa trả lời)
rq-yes = Có
rq-no = Không
rq-item = Mục { $n }/{ $count }: <b>{ $label }</b>
rq-hint-number = Gõ một số nguyên, ví dụ 12.
rq-hint-text = Gõ câu trả lời ngắn.
rq-keep = Giữ nguyên: { $answer }
rq-pause = Lưu, điền tiếp sau
rq-hint-stop = (Gõ «dừng» để lưu và điền tiếp sau bằng /baocao.)
rq-hint-keep-stop = (Gõ «giữ» để giữ câu trả lời cũ, «dừng» để lưu và điền tiếp sau.)
rq-review =
    <b>Kiểm tra báo cáo «{ $title }»</b>
    { $answers }
rq-submit = Nộp báo cáo
rq-redo = Sửa lại từ mục 1
rq-paused = Đã lưu. Gõ /baocao để điền tiếp.
rq-incomplete = Báo cáo còn mục chưa trả lời. Gõ /baocao để điền tiếp.
rq-submitted = ✅ Đã nộp báo cáo «{ $title }».
rq-submitted-again = ✅ Đã nộp lại báo cáo «{ $title }» (bản trước vẫn được lưu).
rq-bad-number = Cần một số nguyên từ 0 đến { $max }, ví dụ 12 hoặc 1.200.
rq-view-head = <b>{ $title }</b> (hạn { $deadline }): { $done }/{ $total } đơn vị đã nộp.
rq-status-submitted = đã nộp { $date }
rq-status-pending = chưa nộp
rq-status-overdue = chưa nộp, quá hạn
rq-status-returned = đã trả lại để bổ sung
rq-total-number = Tổng: <b>{ $sum }</b> ({ $units } đơn vị)
rq-total-yes-no = Có: { $yes }, Không: { $no }
rq-not-found = Không tìm thấy yêu cầu báo cáo này trong đơn vị của bạn.
rq-view-what = Bạn muốn làm gì tiếp?
rq-export = Tải bảng tổng hợp (Excel)
rq-return = Trả lại một đơn vị để bổ sung
rq-nothing-to-return = Chưa có đơn vị nào nộp báo cáo.
rq-return-which = Trả lại báo cáo của đơn vị nào?
rq-return-note = Gõ nội dung cần bổ sung (đơn vị sẽ nhận được lời nhắn này).
rq-returned = Đã trả lại báo cáo để đơn vị bổ sung.
rq-notice =
    📋 <b>{ $unit }</b> yêu cầu báo cáo: <b>{ $title }</b>
    Hạn nộp: { $deadline }
    { $items }
    Bấm «Điền báo cáo» hoặc gõ /baocao.
rq-fill-button = Điền báo cáo
rq-reminder = ⏰ Còn { $days } ngày đến hạn nộp báo cáo «{ $title }» ({ $deadline }). Đơn vị bạn chưa nộp. Bấm «Điền báo cáo» hoặc gõ /baocao.
rq-reminder-today = ⏰ Hôm nay ({ $deadline }) là hạn nộp báo cáo «{ $title }». Đơn vị bạn chưa nộp. Bấm «Điền báo cáo» hoặc gõ /baocao.
rq-overdue = ⚠️ Đã quá hạn báo cáo «{ $title }»: { $count } đơn vị chưa nộp: { $units }.
rq-notice-submitted = 📥 { $unit } đã nộp báo cáo «{ $title }» ({ $done }/{ $total } đơn vị).
rq-notice-returned = ↩️ Báo cáo «{ $title }» của đơn vị bạn được trả lại để bổ sung: «{ $note }». Bấm «Điền báo cáo» hoặc gõ /baocao.
rq-export-caption = Tổng hợp báo cáo «{ $title }» ({ $units } đơn vị)
rq-view-button = Xem kết quả
rq-col-unit = Đơn vị
rq-col-status = Trạng thái
rq-col-submitted-at = Nộp lúc
rq-col-submitted = Đã nộp
rq-col-pending = Chưa nộp
rq-col-returned = Trả lại bổ sung
rq-menu-pass-down = Giao xuống đơn vị trực thuộc: { $title }
rq-pass-down = Giao yêu cầu «{ $title }» (hạn của cấp trên: { $deadline }) xuống các đơn vị trực thuộc, cùng các mục. Khi đủ báo cáo, mở kết quả và chọn «Gửi tổng hợp lên cấp trên».
rq-forward = Gửi tổng hợp lên cấp trên
rq-forward-prefilled = Đã điền sẵn báo cáo «{ $title }» gửi { $unit } từ kết quả tổng hợp (số cộng dồn, ý kiến các đơn vị). Kiểm tra, bổ sung phần của đơn vị mình rồi nộp.
rq-kind-choice = Chọn một trong các phương án
rq-ask-options = Gửi các phương án, cách nhau bằng dấu chấm phẩy, ví dụ «Tốt; Khá; Chưa đạt» (2 đến 6 phương án, mỗi phương án tối đa 40 ký tự).
rq-bad-options = Cần 2 đến 6 phương án, cách nhau bằng dấu chấm phẩy, mỗi phương án tối đa 40 ký tự. Hãy gửi lại.
