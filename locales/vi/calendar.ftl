# Lịch chiến dịch: âm lịch, nhắc nhở
