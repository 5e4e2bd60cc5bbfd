# Zalo: liên kết tài khoản, hạn mức
cmd-lienket = liên kết tài khoản Zalo và Telegram
link-code = 🔗 Mã liên kết của bạn: <b>{ $code }</b> (dùng được một lần, trong { $minutes } phút).
    Mở bot trên ứng dụng kia (Zalo hoặc Telegram) và gửi: /lienket { $code }
    Hai tài khoản sẽ là một: cùng đơn vị, cùng chữ ký cam kết.
link-usage-guest = Để liên kết, hãy gõ /lienket trên tài khoản đã tham gia để lấy mã, rồi gửi mã đó ở đây.
link-done = ✅ Đã liên kết. Tài khoản này là của <b>{ $name }</b> ({ $unit }). Gõ /help để xem các lệnh.
link-expired = Mã liên kết đã hết hạn. Hãy gõ /lienket ở tài khoản cũ để lấy mã mới.
link-used = Mã liên kết này đã được dùng. Hãy gõ /lienket ở tài khoản cũ để lấy mã mới.
link-invalid = Mã liên kết không đúng. Hãy kiểm tra lại (mã có dạng ABCD-EFGH).
link-same-member = Tài khoản này đã được liên kết rồi.
link-already-member = Tài khoản này đã là thành viên nên không liên kết thêm được. Muốn chuyển sang tài khoản khác: gõ /xoadulieu ở đây trước.
unsupported-voice = Bot chưa nghe được tin nhắn thoại, bạn hãy gõ chữ.
zalo-quota-paused = ⚠️ Zalo báo bot đã hết hạn mức gửi tin. Bot tạm dừng gửi qua Zalo ({ $count } tin đang chờ) và thử lại sau mỗi { $minutes } phút; không tin nào bị bỏ.
cli-zalo-webhook-unreachable = ⚠️ Zalo không gọi được địa chỉ webhook ({ $detail }). Tin nhắn Zalo sẽ không tới cho đến khi địa chỉ này trả lời: kiểm tra CONGDOAN_PUBLIC_URL, HTTPS và tường lửa.
# Zalo OA (Official Account): tin chờ ngoài 48 giờ
zalo-oa-waiting = 📬 Bạn có { $count } tin mới từ Công đoàn trong lúc vắng mặt:
my-data-zalo-oa-phone = <b>Số điện thoại</b> (bạn chia sẻ với Zalo OA; dùng để gửi tin nhắc ký cam kết qua ZNS khi bạn không nhắn cho OA quá 48 giờ): { $phone }
