# Chạy nhiều phiên bản
