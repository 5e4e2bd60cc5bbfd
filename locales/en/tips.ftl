# Tin báo sự việc (/baotin, /theodoi, /tinbao)
