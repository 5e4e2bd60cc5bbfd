# Lịch chiến dịch: âm lịch, nhắc nhở
calendar-lunar-date = { $lunar } âm lịch ({ $solar })
calendar-lunar-day = { $date } âm lịch
calendar-remind-same-day = đúng ngày
calendar-remind-days-before = { $days } ngày trước
calendar-remind-invalid = Lịch nhắc chưa đúng. Ví dụ: nhắc 7,1,0 lúc 7h (tối đa 5 lần, mỗi lần từ 0 đến 60 ngày trước, giờ từ 6 đến 21).
campaign-added-detail = ✅ Đã thêm vào lịch: <b>{ $title }</b>, ngày { $date }.
    Nhắc: { $reminders }, lúc { $hour }:00. Xem bằng /lich.
