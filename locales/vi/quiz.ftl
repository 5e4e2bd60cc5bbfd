# Cuộc thi tìm hiểu (/cuocthi).
cmd-cuocthi = cuộc thi tìm hiểu: dự thi, tạo mới, xem bảng xếp hạng
qz-none = Hiện không có cuộc thi nào dành cho bạn.
qz-menu = <b>Cuộc thi tìm hiểu</b>. Bạn muốn làm gì?
qz-new = Tạo cuộc thi mới
qz-menu-take = Dự thi: { $title } (đến { $end })
qz-menu-continue = Thi tiếp: { $title } (đến { $end })
qz-menu-reveal = Xem đáp án: { $title }
qz-menu-results = Bảng xếp hạng: { $title }
qz-ask-title = Gửi tên cuộc thi, ví dụ «Tìm hiểu Bộ luật Lao động 2019». Gõ /huy để thôi.
qz-ask-questions =
    Gửi các câu hỏi trong một tin nhắn, hoặc gửi tệp .txt, .docx hay .csv (tối đa { $max } câu, mỗi câu 2 đến { $options } phương án).
    Mỗi câu một đoạn, cách nhau một dòng trống; dòng đầu là câu hỏi, mỗi dòng sau là một phương án; đánh dấu * trước phương án đúng:
    <code>Công đoàn Việt Nam thành lập năm nào?
    A. 1929
    {"*"}B. 1930
    C. 1945</code>
    Tệp .csv: mỗi dòng một câu — câu hỏi, các phương án (cách nhau bằng dấu ; hoặc mỗi phương án một cột), số thứ tự phương án đúng ở cột cuối.
qz-load-empty = Không thấy câu hỏi nào. Hãy gửi lại theo mẫu.
qz-load-too-large = Tệp quá lớn (tối đa { $kb } KB). Không có gì được tạo.
qz-load-not-text = Không đọc được tệp này. Hãy gửi tệp .txt, .docx hoặc .csv (UTF-8). Không có gì được tạo.
qz-load-too-many = Có { $count } câu hỏi, tối đa là { $max } câu. Không có gì được tạo.
qz-load-row = ❌ Dòng { $row }: { $what } Hãy sửa và gửi lại; không có gì được tạo.
qz-row-no-question = thiếu câu hỏi.
qz-row-question-too-long = câu hỏi dài quá { $max } ký tự.
qz-row-options = có { $count } phương án, cần từ { $min } đến { $max }.
qz-row-option-too-long = có phương án trống hoặc dài quá { $max } ký tự.
qz-row-no-correct = chưa có đáp án đúng (đánh dấu * trước phương án đúng, hoặc số thứ tự phương án đúng ở cột cuối).
qz-row-several-correct = có nhiều hơn một phương án đánh dấu đúng.
qz-row-cells = cần ít nhất 3 cột: câu hỏi, phương án, đáp án đúng.
qz-loaded = ✅ Đã nhận { $count } câu hỏi.
qz-ask-window =
    Thời gian thi từ ngày nào đến ngày nào? Ví dụ:
    <code>1/12/2026 - 20/12/2026</code>
    hoặc có giờ: <code>1/12/2026 08:00 đến 20/12/2026 20:00</code>
qz-window-past = Thời gian kết thúc phải sau bây giờ. Hãy gửi lại, ví dụ 1/12/2026 - 20/12/2026.
qz-ask-minutes = Mỗi lượt thi được bao nhiêu phút? Gõ một số từ 1 đến { $max }.
qz-ask-attempts = Mỗi người được thi mấy lượt? (thường là 1; gõ số từ 1 đến { $max })
qz-attempts-n = { $n } lượt
qz-ask-tiebreak =
    Câu hỏi phụ để phân định khi bằng điểm và bằng thời gian (dự đoán một con số)? Ví dụ:
    <code>Dự đoán số người tham gia cuộc thi?</code> (đáp số là số người dự thi khi kết thúc)
    hoặc kèm đáp số sau dấu |: <code>Bộ luật Lao động 2019 có bao nhiêu điều? | 220</code>
    Gõ «không» nếu không có câu hỏi phụ.
qz-no-tiebreak = Không có câu hỏi phụ
qz-tiebreak-entrants = đáp số: số người dự thi
qz-bad-tiebreak = Đáp số sau dấu | phải là một số. Hãy gửi lại, hoặc gõ «không».
qz-ask-target = Ai được dự thi?
qz-preview =
    <b>Cuộc thi: { $title }</b>
    { $count } câu hỏi; câu 1: { $first }
    Thời gian: { $start } – { $end }
    Mỗi lượt { $minutes } phút, mỗi người { $attempts } lượt
    Câu hỏi phụ: { $tiebreak }
    Dự thi: { $target } — { $people } người
qz-send = Gửi cuộc thi
qz-discard = Bỏ
qz-discarded = Đã bỏ cuộc thi, không gửi gì.
qz-sent = ✅ Đã gửi cuộc thi «{ $title }» đến { $count } người; bắt đầu lúc { $start }. Xem bảng xếp hạng bằng /cuocthi.
qz-too-long = Nội dung trống hoặc quá dài (tối đa { $max } ký tự). Hãy gửi lại.
qz-notice =
    🏆 <b>Cuộc thi tìm hiểu: { $title }</b>
    { $unit } mời bạn dự thi: { $count } câu hỏi, mỗi lượt { $minutes } phút.
    Thời gian: { $start } – { $end }.
    Bấm «Bắt đầu thi» hoặc gõ 1 khi bạn sẵn sàng.
qz-start-button = Bắt đầu thi
qz-not-for-you = Cuộc thi này không dành cho bạn. Không có gì thay đổi.
qz-not-found = Không tìm thấy cuộc thi này trong đơn vị của bạn.
qz-not-yet = Cuộc thi chưa bắt đầu. Mời bạn quay lại lúc { $start }.
qz-no-attempts-left = Bạn đã dùng hết lượt thi. Kết quả tốt nhất: { $score }/{ $count } câu đúng, { $time }. Đáp án được công bố sau { $end }.
qz-start-head = <b>{ $title }</b>: { $count } câu hỏi, { $minutes } phút (lượt { $attempt }/{ $attempts }). Thời gian bắt đầu tính từ bây giờ!
qz-question =
    <b>Câu { $n }/{ $count }</b> (còn khoảng { $minutes } phút)
    { $question }
qz-ask-guess =
    <b>Câu hỏi phụ:</b> { $question }
    Gõ một con số.
qz-bad-guess = Hãy gõ một con số (từ 0 đến { $max }).
qz-time-up = ⏰ Hết giờ! Bài thi được tính như lúc hết giờ.
qz-done = ✅ Bạn đã hoàn thành «{ $title }»: <b>{ $score }/{ $count }</b> câu đúng, thời gian { $time }.
qz-attempts-left = Bạn còn { $n } lượt thi; kết quả tốt nhất được tính.
qz-reveal-after = Đáp án được công bố sau { $end } (gõ /cuocthi).
qz-reveal-head = <b>Đáp án cuộc thi «{ $title }»</b>
qz-your-best = Kết quả của bạn: { $score }/{ $count } câu đúng, { $time }.
qz-results-head =
    🏆 <b>{ $title }</b> — { $unit }
    Thời gian: { $start } – { $end }
    Dự thi: <b>{ $entrants }</b>/{ $members } đoàn viên ({ $rate }) · điểm trung bình { $avg }/{ $count }
qz-ranking = <b>Xếp hạng cá nhân</b> (điểm, rồi thời gian, rồi câu hỏi phụ):
qz-nobody-yet = Chưa có ai hoàn thành bài thi.
qz-guess-short = dự đoán
qz-board = <b>Bảng xếp hạng đơn vị</b> (số người dự thi):
qz-board-row = { $rank }. { $unit }: { $entrants }/{ $members } người ({ $rate }) · TB { $avg }
qz-look-into = Xem đơn vị: { $unit }
qz-back-up = Về đơn vị của tôi
qz-export = Tải xếp hạng và danh sách đạt giải (.xlsx)
qz-export-coming = Đang chuẩn bị tệp xếp hạng…
qz-reveal = Xem đáp án
qz-view-what = Xem thêm:
qz-export-caption = Xếp hạng cuộc thi «{ $title }»: { $rows } người.
qz-winners-caption = Danh sách đạt giải cuộc thi «{ $title }»: { $rows } người.
qz-col-rank = Hạng
qz-col-name = Họ tên
qz-col-unit = Đơn vị
qz-col-score = Số câu đúng
qz-col-time = Thời gian
qz-col-guess = Dự đoán
qz-col-winner = Đạt giải
qz-attempt-closed = Lượt thi này đã kết thúc (hết giờ) và được tính như lúc đó. Gõ /cuocthi để xem.
qz-swept = ⏰ Hết giờ làm bài «{ $title }». Bài được tính như lúc hết giờ: { $score }/{ $count } câu đúng. Gõ /cuocthi để xem.
