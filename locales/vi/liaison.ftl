# Cán bộ công an phụ trách địa bàn (/congan)
role-liaison = cán bộ công an phụ trách địa bàn
cmd-congan = công an phụ trách địa bàn: loại tin báo, cảnh báo
liaison-not-member = Lệnh này dành cho đoàn viên công đoàn. Anh/chị là cán bộ công an phụ trách địa bàn: tin báo sẽ được gửi tới đây; gõ /congan để gửi cảnh báo.
liaison-only = Việc này dành cho cán bộ công an phụ trách địa bàn.
liaison-officer-intro = <b>Công an phụ trách địa bàn — {$unit}</b>
    Số cán bộ công an đã tham gia: {$liaisons}. Mời thêm bằng /moi (vai trò «cán bộ công an phụ trách địa bàn»).
liaison-ask-categories = Chọn các loại tin báo gửi cho cán bộ công an (bấm để bật/tắt), rồi bấm «Xong»:
liaison-btn-done = Xong
liaison-none-chosen = không loại nào
liaison-categories-saved = ✅ Đã lưu. Cán bộ công an sẽ nhận tin báo loại: {$names}.
liaison-menu = <b>Công an phụ trách địa bàn</b>
    Tin báo thuộc các loại đơn vị đã chọn sẽ được gửi tới đây, kèm nút tiếp nhận, xử lý xong, ghi chú.
    Anh/chị có thể gửi cảnh báo ngắn tới các tổ trưởng tổ tự quản; cảnh báo được gửi đi sau khi cán bộ công đoàn duyệt.
liaison-btn-write = Gửi cảnh báo cho các tổ trưởng
liaison-ask-warning = Mời nhập nội dung cảnh báo (gõ /huy để thôi).
liaison-ask-warning-max = Mời nhập nội dung cảnh báo, tối đa {$max} ký tự (gõ /huy để thôi).
liaison-warning-too-long = Cảnh báo dài quá, tối đa {$max} ký tự. Mời nhập lại ngắn hơn.
liaison-warning-waiting = ✅ Đã gửi cảnh báo cho cán bộ công đoàn duyệt. Cảnh báo được gửi tới các tổ trưởng sau khi được duyệt.
liaison-approval = <b>Cảnh báo chờ duyệt — {$unit}</b>
    Cán bộ công an {$author} muốn gửi tới các tổ trưởng tổ tự quản:
    «{$text}»
    Trả lời 1 để duyệt gửi, 2 để không gửi.
liaison-btn-approve = 1. Duyệt gửi
liaison-btn-reject = 2. Không gửi
liaison-approved-ok = ✅ Đã duyệt. Cảnh báo đang được gửi tới các tổ trưởng.
liaison-rejected-ok = Đã ghi nhận: không gửi cảnh báo này.
liaison-warning-not-found = Không tìm thấy cảnh báo này, hoặc nó không thuộc đơn vị của bạn.
liaison-warning-already = Cảnh báo này đã được duyệt hoặc từ chối rồi.
liaison-warning-message = <b>⚠️ Cảnh báo từ công an phụ trách địa bàn</b> (qua {$unit})
    {$text}
liaison-warning-sent = ✅ Cảnh báo của anh/chị đã được duyệt và gửi đi ({$count} tin).
liaison-warning-rejected = Cảnh báo của anh/chị không được duyệt gửi.
liaison-summary-title = <b>Tổng hợp tin báo tháng {$month} — {$unit}</b>
liaison-summary-line = • {$category}: {$total} (mới {$new}, đang xử lý {$taken}, đã xử lý {$resolved})
liaison-summary-total = <b>Cộng: {$total}</b> (mới {$new}, đang xử lý {$taken}, đã xử lý {$resolved})
liaison-summary-none = Không có tin báo nào trong tháng.
audit-liaison-categories = chọn loại tin báo cho công an
audit-liaison-warning = công an gửi cảnh báo chờ duyệt
audit-liaison-approved = duyệt cảnh báo của công an
audit-liaison-rejected = không duyệt cảnh báo của công an
liaison-btn-remove = Gỡ {$name} (không còn phụ trách)
