# Officers run their part of the tree: /moi invites, /donvi units and members, moving
# between unions, the audit log (issue 17).
cmd-moi = mã mời tham gia (kèm áp phích QR)
cmd-donvi = đơn vị trực thuộc và đoàn viên

officer-moi-members = Chỉ cán bộ công đoàn và tổ trưởng tạo được mã mời.
officer-invites-none = Chưa có mã mời nào đang dùng trong <b>{ $unit }</b> và các đơn vị trực thuộc.
officer-invites-title = Mã mời đang dùng trong <b>{ $unit }</b> và các đơn vị trực thuộc:
officer-invite-line = • <code>{ $code }</code> — { $unit } — { $role } — còn { $left }/{ $uses } lượt — hết hạn { $expires }
officer-never = không hạn
officer-new-invite = Tạo mã mời mới
officer-revoke = Thu hồi mã { $code }

officer-units-title = <b>{ $unit }</b> ({ $code }): { $members } đoàn viên.
    Đơn vị trực thuộc:
officer-units-no-children = (chưa có)
officer-unit-line = • { $unit } ({ $code }): { $members } đoàn viên
officer-menu-inv = Tạo mã mời
officer-menu-add = Thêm đơn vị trực thuộc
officer-menu-ren = Đổi tên đơn vị
officer-menu-mov = Chuyển đơn vị sang đơn vị cấp trên khác
officer-menu-cls = Đóng đơn vị không còn đoàn viên
officer-menu-mem = Đoàn viên của một đơn vị
officer-menu-log = Nhật ký thao tác

officer-pick-invite = Mã mời cho đơn vị nào?
officer-pick-add = Thêm đơn vị trực thuộc vào đơn vị nào?
officer-pick-rename = Đổi tên đơn vị nào?
officer-pick-move = Chuyển đơn vị nào (cùng các đơn vị và đoàn viên bên dưới)?
officer-pick-move-to = Chuyển về trực thuộc đơn vị nào?
officer-pick-close = Đóng đơn vị nào? (chỉ đóng được đơn vị không còn đoàn viên)
officer-pick-members = Xem đoàn viên của đơn vị nào?
officer-pick-member-to = Chuyển đoàn viên sang đơn vị nào?
officer-pick-or-type-code = Hoặc gõ mã đơn vị (ví dụ CDCS-ABC).
officer-no-unit-to-pick = Không có đơn vị nào phù hợp để chọn.

officer-ask-role = Mã mời vào <b>{ $unit }</b> với vai trò gì?
officer-ask-uses = Bao nhiêu người được dùng mã này? Chọn, hoặc gõ số người (ví dụ: 25 người).
officer-uses-option = { $n } người
officer-ask-days = Mã dùng được bao nhiêu ngày? Chọn, hoặc gõ số ngày (ví dụ: 10 ngày).
officer-days-option = { $n } ngày
officer-default = { $option } (mặc định)
officer-bad-uses = Số người phải từ 1 đến 10000. Bạn chọn lại, hoặc gõ ví dụ: 25 người.
officer-bad-days = Số ngày phải từ 1 đến 365. Bạn chọn lại, hoặc gõ ví dụ: 10 ngày.
officer-role-too-high = Bạn không thể trao vai trò cao hơn vai trò của mình. Không có gì thay đổi.
officer-unit-refused = Đơn vị này không thuộc phạm vi bạn phụ trách (hoặc đã đóng). Không có gì thay đổi.
officer-invite-refused = Mã mời này không thuộc phạm vi bạn phụ trách, hoặc không còn dùng được. Không có gì thay đổi.
officer-member-refused = Bạn không thể thao tác với đoàn viên này (ngoài phạm vi phụ trách, là chính bạn, hoặc là cán bộ cùng cấp). Không có gì thay đổi.
officer-move-into-itself = Không thể chuyển một đơn vị vào chính nó hoặc đơn vị bên dưới nó. Không có gì thay đổi.

officer-invite-created = Đã tạo mã mời vào <b>{ $unit }</b> ({ $role }, { $uses } người, hết hạn { $expires }):
    <code>{ $code }</code>
officer-invite-link = Đường dẫn Telegram: { $link }
officer-invite-no-link = (Đường dẫn Telegram có sau khi bot chạy lần đầu với token.)
officer-invite-zalo = Trên Zalo: nhắn mã <code>{ $code }</code> cho bot.
officer-poster-caption = Áp phích mời tham gia { $unit }: in ra và dán ở nơi làm việc, khu nhà trọ.
officer-invite-revoked = Đã thu hồi mã <code>{ $code }</code>: mã không còn dùng được.
poster-title = MỜI THAM GIA CÔNG ĐOÀN
poster-line-telegram = Telegram: quét mã QR, bấm «Bắt đầu».
poster-line-zalo = Zalo: nhắn mã trên cho bot Công đoàn.
poster-line-expires = Mã dùng được đến hết ngày { $date }.

officer-ask-new-name = Gõ tên đơn vị mới trực thuộc <b>{ $unit }</b>:
officer-ask-kind = Đơn vị <b>{ $name }</b> thuộc loại nào?
officer-bad-name = Tên đơn vị phải có từ 2 đến 120 ký tự, trên một dòng. Bạn gõ lại.
unit-kind-cdcs = Công đoàn cơ sở
unit-kind-to-cong-doan = Tổ công đoàn
unit-kind-to-tu-quan = Tổ tự quản nhà trọ
unit-kind-cd-xa = Công đoàn xã, phường, khu công nghiệp
unit-kind-khac = Loại khác
officer-unit-added = Đã thêm <b>{ $unit }</b> (mã { $code }) trực thuộc { $parent }.
officer-ask-rename = Gõ tên mới cho <b>{ $unit }</b>:
officer-unit-renamed = Đã đổi tên { $old } thành <b>{ $unit }</b>.
officer-unit-moved = Đã chuyển <b>{ $unit }</b> (cùng đơn vị, đoàn viên, chữ ký và tin báo bên dưới) về trực thuộc <b>{ $parent }</b>.
officer-unit-closed = Đã đóng <b>{ $unit }</b>: đơn vị được giữ trong báo cáo nhưng không còn được chọn.
officer-unit-not-empty = Đơn vị này còn đoàn viên hoặc đơn vị trực thuộc đang hoạt động: hãy chuyển họ đi trước. Không có gì thay đổi.

officer-members-title = Đoàn viên của <b>{ $unit }</b>: { $total } người.
officer-members-found = Đoàn viên của <b>{ $unit }</b> có tên chứa «{ $query }»: { $total } người.
officer-page = { " " }Trang { $page }/{ $pages }.
officer-members-hint = Chọn một người, hoặc gõ tên để tìm.
officer-next-page = Trang sau
officer-prev-page = Trang trước
officer-member-card = <b>{ $name }</b> — { $role } — { $unit }
officer-member-role = Đổi vai trò
officer-member-move = Chuyển sang đơn vị khác
officer-member-remove = Đưa ra khỏi đơn vị
officer-ask-role-for = <b>{ $name }</b> đang là { $role }. Vai trò mới?
officer-role-set = Đã đổi vai trò của <b>{ $name }</b> thành { $role }.
member-role-changed = Vai trò của bạn trong <b>{ $unit }</b> nay là: { $role }. Gõ /help để xem các lệnh.
officer-member-moved = Đã chuyển <b>{ $name }</b> sang <b>{ $unit }</b>.
member-moved = Bạn đã được chuyển sinh hoạt từ { $from } sang <b>{ $to }</b>. Chữ ký cam kết và tin báo của bạn vẫn được giữ.
officer-ask-reason = Gõ lý do đưa <b>{ $name }</b> ra khỏi đơn vị (người đó sẽ được báo), hoặc chọn:
officer-no-reason = Không ghi lý do
officer-reason-too-long = Lý do dài quá { $max } ký tự. Bạn gõ ngắn lại.
officer-member-removed = Đã đưa <b>{ $name }</b> ra khỏi { $unit }. Dữ liệu của người đó đã được xoá.
member-removed-reason = { "\u000A" }Lý do: { $reason }
member-removed = Cán bộ công đoàn đã đưa bạn ra khỏi <b>{ $unit }</b>; dữ liệu của bạn trên bot đã được xoá.{ $why }
    Muốn tham gia lại: xin cán bộ công đoàn một mã mời mới rồi gửi /start kèm mã (trên Zalo: gửi mã).

officer-audit-empty = Chưa có thao tác nào trong nhật ký của đơn vị bạn.
officer-audit-title = <b>Nhật ký thao tác</b> (mới nhất trước):
officer-removed-person = (đã xoá)
audit-invite-create = tạo mã mời
audit-invite-revoke = thu hồi mã mời
audit-unit-add = thêm đơn vị
audit-unit-rename = đổi tên đơn vị
audit-unit-move = chuyển đơn vị
audit-unit-close = đóng đơn vị
audit-member-role = đổi vai trò
audit-member-move = chuyển đoàn viên
audit-member-remove = đưa đoàn viên ra
audit-member-move-by-invite = chuyển sinh hoạt bằng mã mời

move-ask = Bạn đang sinh hoạt ở <b>{ $from }</b>. Mã này mời bạn vào <b>{ $to }</b> ({ $role }).
    Chuyển sinh hoạt công đoàn sang <b>{ $to }</b>? Chữ ký cam kết, tin báo và tài khoản liên kết của bạn được giữ nguyên.
move-yes = Chuyển sang đơn vị mới
move-no = Ở lại đơn vị cũ
move-cancelled = Bạn vẫn sinh hoạt ở đơn vị cũ. Không có gì thay đổi.
move-done = Bạn đã chuyển sinh hoạt sang <b>{ $to }</b> ({ $role }). Chữ ký cam kết, tin báo và tài khoản liên kết của bạn được giữ nguyên.
move-officer-left = Đoàn viên <b>{ $name }</b> đã chuyển sinh hoạt từ { $from } sang { $to }.
move-officer-joined = Đoàn viên <b>{ $name }</b> đã chuyển sinh hoạt từ { $from } về { $to }.

# The command line.
cli-invite-getme-failed = Không hỏi được Telegram tên bot (getMe); link sẽ có sau khi chạy “serve” hoặc thêm --bot-username.
cli-invite-poster = Đã lưu áp phích (mã QR) vào { $file }.

# The web console's audit page shows the same log.
web-audit-actions = Thao tác trên đơn vị và đoàn viên
web-col-action = Thao tác
web-col-member = Đoàn viên
web-col-detail = Chi tiết
