# Zalo: liên kết tài khoản, hạn mức
