# Gửi tin hàng loạt (/guitin)
