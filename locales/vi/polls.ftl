# Khảo sát, thăm dò ý kiến (/khaosat).
cmd-khaosat = khảo sát ý kiến: trả lời, tạo mới, xem kết quả
ks-none = Hiện không có khảo sát nào dành cho bạn.
ks-menu = <b>Khảo sát</b>. Bạn muốn làm gì?
ks-new = Tạo khảo sát mới
ks-menu-answer = Trả lời: { $title } (hạn { $deadline })
ks-menu-continue = Trả lời tiếp: { $title } (hạn { $deadline })
ks-menu-change = Sửa câu trả lời: { $title } (hạn { $deadline })
ks-menu-results = Xem kết quả: { $title }
ks-ask-title = Gửi tên khảo sát, ví dụ «Khảo sát đời sống công nhân khu trọ». Gõ /huy để thôi.
ks-ask-question-first = Gửi câu hỏi 1 (tối đa { $max } câu).
ks-ask-question-next = Gửi câu hỏi { $n }, hoặc gõ «xong» nếu đã đủ.
ks-questions-done = Xong, không thêm câu hỏi
ks-ask-kind = Câu «{ $question }» trả lời bằng gì?
ks-kind-single = Chọn một phương án
ks-kind-multi = Chọn nhiều phương án
ks-kind-number = Một con số
ks-kind-text = Một đoạn chữ ngắn
ks-ask-options = Gửi các phương án, cách nhau bằng dấu chấm phẩy, ví dụ «Tốt; Bình thường; Chưa tốt» (2 đến { $max } phương án).
ks-bad-options = Cần 2 đến { $max } phương án, mỗi phương án tối đa { $chars } ký tự, cách nhau bằng dấu chấm phẩy. Hãy gửi lại.
ks-ask-anonymous = Khảo sát có ghi tên người trả lời không?
ks-named = Ghi tên
ks-anonymous = Ẩn danh
ks-ask-deadline = Hạn trả lời là ngày nào? Gõ ngày/tháng/năm, ví dụ 25/8/2026.
ks-deadline-past = Hạn trả lời phải sau hôm nay. Gõ ngày/tháng/năm, ví dụ 25/8/2026.
ks-ask-target = Ai trả lời khảo sát này?
ks-preview =
    <b>Khảo sát: { $title }</b> ({ $kind })
    { $questions }
    Hạn trả lời: { $deadline }
    Gửi đến: { $target } — { $count } người
ks-send = Gửi khảo sát
ks-discard = Bỏ
ks-discarded = Đã bỏ khảo sát, không gửi gì.
ks-sent = ✅ Đã gửi khảo sát «{ $title }» đến { $count } người. Xem kết quả bằng /khaosat.
ks-too-long = Nội dung trống hoặc quá dài (tối đa { $max } ký tự). Hãy gửi lại.
ks-not-for-you = Khảo sát này không dành cho bạn. Không có gì thay đổi.
ks-not-found = Không tìm thấy khảo sát này trong đơn vị của bạn.
ks-too-late = Khảo sát «{ $title }» đã hết hạn ngày { $deadline }, không nhận thêm câu trả lời. Cảm ơn bạn!
ks-answer-head = <b>{ $title }</b> ({ $unit }): { $count } câu hỏi, hạn { $deadline }.
ks-answer-named = Câu trả lời có ghi tên bạn.
ks-answer-anonymous = 🔒 Khảo sát ẩn danh: cán bộ chỉ xem số liệu tổng hợp, không biết ai trả lời gì.
ks-question = Câu { $n }/{ $count }: <b>{ $question }</b>
ks-hint-single = Chọn một phương án.
ks-hint-multi = Chọn một hoặc nhiều phương án rồi bấm Xong, hoặc gõ các số, ví dụ «1 3».
ks-hint-number = Gõ một số nguyên, ví dụ 12.
ks-hint-text = Gõ câu trả lời ngắn.
ks-hint-stop = Gõ «dừng» để lưu và trả lời tiếp sau.
ks-hint-keep-stop = Gõ «giữ» để giữ câu trả lời cũ, «dừng» để lưu và trả lời tiếp sau.
ks-multi-done = Xong ({ $count } đã chọn)
ks-tick-one = Hãy chọn ít nhất một phương án.
ks-keep = Giữ: { $answer }
ks-stop = Dừng, trả lời tiếp sau
ks-no-answer = (chưa trả lời)
ks-bad-number = Hãy gõ một số nguyên từ 0 đến { $max }, ví dụ 12.
ks-stopped = Đã lưu các câu đã trả lời. Gõ /khaosat để trả lời tiếp.
ks-submitted = ✅ Đã ghi nhận câu trả lời cho «{ $title }». Cảm ơn bạn! Bạn có thể sửa trước hạn { $deadline } bằng /khaosat.
ks-submitted-again = ✅ Đã cập nhật câu trả lời cho «{ $title }» (thay câu trả lời trước).
ks-results-head =
    📊 <b>Kết quả khảo sát: { $title }</b> ({ $kind }, hạn { $deadline })
    Đã trả lời: { $answered }/{ $asked } người ({ $pct })
ks-average = Trung bình: <b>{ $avg }</b> ({ $count } câu trả lời)
ks-texts-count = { $count } câu trả lời bằng chữ.
ks-view-what = Xem thêm:
ks-view-texts = Các câu trả lời của câu { $n }
ks-export-xlsx = Tải tệp Excel (.xlsx)
ks-export-csv = Tải tệp CSV
ks-texts-head = <b>Câu { $n }</b> — trang { $page }/{ $pages } ({ $count } câu trả lời)
ks-texts-next = Trang sau
ks-back-results = Quay lại kết quả
ks-notice =
    📋 <b>Khảo sát của { $unit }</b>
    { $title }
    { $count } câu hỏi, hạn trả lời { $deadline }.
    Bấm «Trả lời khảo sát» hoặc gõ 1 để bắt đầu.
ks-notice-anonymous =
    📋 <b>Khảo sát ẩn danh của { $unit }</b>
    { $title }
    { $count } câu hỏi, hạn trả lời { $deadline }. Cán bộ chỉ xem số liệu tổng hợp, không biết ai trả lời gì.
    Bấm «Trả lời khảo sát» hoặc gõ 1 để bắt đầu.
ks-start-button = 📝 Trả lời khảo sát
ks-chart-caption = { $title } — câu { $n }
ks-export-caption = Kết quả khảo sát «{ $title }»: { $rows } người trả lời.
ks-col-unit = Đơn vị
ks-col-name = Người trả lời
ks-col-time = Thời gian
my-data-polls = <b>Khảo sát bạn đã trả lời</b> (xem, sửa trước hạn: /khaosat):
my-data-poll-line = • { $title }: { $date }
ks-anonymous-wait = 🔒 Khảo sát ẩn danh: số liệu chỉ hiện khi có ít nhất { $min } người trả lời.
ks-anonymous-few = • { $unit }: dưới { $min } người trả lời, không hiện chi tiết (ẩn danh).
