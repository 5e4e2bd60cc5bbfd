# Báo cáo định kỳ, biểu đồ, xuất Excel
