# Broadcasts (/guitin)
bc-ask-text = 📣 <b>Send a message to members</b>
    Type the message (at most { $max } characters), or send a photo or file with a caption.
    Type /huy to stop.
bc-too-long = The message has { $count } characters, more than { $max }. Please shorten it.
bc-ask-target = Send to whom?
bc-target-all = All of { $unit } ({ $count } people)
bc-target-unit = { $unit } ({ $count } people)
bc-target-leaders = Group leaders only ({ $count } people)
bc-target-officers = Union officers only ({ $count } people)
bc-target-pick = Choose several units…
bc-target-units = { $count } units: { $names }
bc-pick-help = Choose the receiving units (tap to select/unselect, or type numbers, e.g. 1 3), then tap Continue.
bc-pick-done = Continue ({ $units } units, { $count } people)
bc-pick-none = You have not chosen any unit yet.
bc-nobody = Nobody is in this group yet. Choose another.
bc-preview = <b>Preview</b>
    ──────────
    { $text }
    ──────────
    To: { $target }
    Recipients: <b>{ $count }</b>
bc-preview-media = (With a photo or file. People on Zalo get the text only.)
bc-send-now = Send now
bc-send-later = Send later
bc-discard = Cancel
bc-discarded = Cancelled, nothing sent.
bc-started = ✅ Sending to { $count } people. Progress shows below.
bc-ask-when = When? Type a date and time, e.g. 19/8 07:00
bc-when-invalid = I don't understand that time. Type a date and time, e.g. 19/8 07:00 or 19/8/2026 7h30
bc-when-past = That time has passed. Choose a time ahead.
bc-when-too-far = You can schedule up to 90 days ahead.
bc-scheduled = ⏰ Scheduled for { $at } to { $count } people. To cancel: /guitin huy
bc-cancelled = ⏹ Stopped. Messages not yet sent will not go out.
bc-nothing-to-cancel = No broadcast is sending or scheduled.
bc-stop-button = ⏹ Stop sending
bc-message = 📣 <b>{ $unit }</b>
    { $text }
bc-media-elsewhere = (This message has a photo or file, visible on Telegram only.)
bc-progress = 📣 Sending: <b>{ $sent }/{ $total }</b>
    { $bar } { $pct }%
    Failed: { $failed } · Blocked the bot: { $unreachable }
bc-progress-eta = About { $time } left.
bc-report = 📊 <b>Delivery report</b>
    Sent: { $sent }/{ $total }
    Failed: { $failed }
    Blocked the bot or left: { $unreachable }
    Time: { $time }
bc-report-stopped = Stopped midway: { $count } messages not sent.
bc-seconds = { $n } seconds
bc-minutes = { $n } minutes
bc-hours = { $h } h { $m } min
bc-report-quota = ⚠️ Zalo's free quota ran out: { $count } messages not sent. Send again later or raise the quota.
bc-progress-stop-typed = Type /guitin huy to stop sending.
bc-report-outside-window = ⏳ Outside 48 hours (Zalo OA): { $count } messages waiting; they go out when the member next writes to the OA.
