# Lịch chiến dịch: âm lịch, nhắc nhở
calendar-lunar-date = { $lunar } lunar ({ $solar })
calendar-lunar-day = { $date } lunar
calendar-remind-same-day = on the day
calendar-remind-days-before = { $days } days before
calendar-remind-invalid = The reminders are not right. Example: nhắc 7,1,0 lúc 7h (at most 5, each 0 to 60 days before, hour 6 to 21).
campaign-added-detail = ✅ Added to the calendar: <b>{ $title }</b>, on { $date }.
    Reminders: { $reminders }, at { $hour }:00. See them with /lich.
