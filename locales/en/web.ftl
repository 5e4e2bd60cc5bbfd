# Web console for officers (issue 18). Chat messages use Telegram's HTML subset; page
# strings are plain text (the pages escape them).

cmd-web = open the management console on a computer
web-login-link = 🖥 <b>Union management console</b>
    Open this link to sign in (works once, for { $minutes } minutes; do not forward it):
    { $url }

    Sign out everywhere: /web thoat
web-not-enabled = The console is not enabled on this server (CONGDOAN_LISTEN is needed). Please tell the administrator.
web-logged-out = Signed out of the console on every device. Send /web to sign in again.
web-usage = Send /web for a console sign-in link, or /web thoat to sign out on every device.

web-app-name = Union · Console
web-nav-home = Overview
web-nav-tips = Tips
web-nav-audit = Audit log
web-nav-export = Export
web-logout = Sign out

web-login-title = Sign in to the console
web-login-explain = This link works only once. Press the button to open your unit's console.
web-login-button = Sign in
web-signed-out-title = Signed out

web-err-title = That did not work
web-err-signed-out = You are not signed in, or your session has expired.
web-err-not-officer = The console is for union officers only.
web-err-csrf = Request refused: the page's protection code is missing or wrong. Nothing was changed.
web-err-not-found = This page does not exist, or you may not see it.
web-err-bad-form = The form sent is not valid. Nothing was changed.
web-err-too-large = What was sent is too large. Nothing was changed.
web-err-link-used = This sign-in link has been used already. Each link works once.
web-err-link-expired = This sign-in link has expired (links work for 10 minutes).
web-err-link-unknown = This sign-in link is not valid.
web-err-internal = The server ran into an error. Nothing was changed.
web-err-filter = That filter is not valid.
web-err-note-empty = Please write the note or the outcome.
web-err-note-long = That is too long (1500 characters at most).
web-err-export-what = That kind of export is not valid.
web-err-export-format = That file format is not valid (choose Excel or CSV).
web-err-export-too-big = Too much data for one download. Choose a smaller unit or use the server's export command.
web-err-export-failed = The file could not be made. Please try again later.
web-hint-chat = Send /web to the bot for a new sign-in link.
web-hint-none = If you need officer rights, contact the union level above.
web-hint-reload = Reload the page and try again.
web-hint-home = Back to the overview: /
web-hint-back = Go back to the previous page and correct it.
web-hint-later = Please try again in a few minutes.

web-duration-m = { $m } min
web-duration-h = { $h } h
web-duration-hm = { $h } h { $m } min
web-duration-dh = { $d } days { $h } h

web-dash-up = Up to the unit above
web-dash-commitments = Open commitments (whole unit)
web-dash-children = Units below
web-dash-no-children = This unit has no units below it.
web-col-unit = Unit
web-col-members = Members
web-col-reachable = Reachable
web-col-open-tips = Open tips
web-col-overdue = Overdue
web-col-code = Code
web-col-category = Category
web-col-status = Status
web-col-received = Received
web-col-deadline = Take before
web-col-when = When
web-col-who = Who
web-col-tips = Tips
web-col-what = Data
web-col-rows = Rows

web-tips-title = Open tips (oldest first)
web-tips-count = Showing { $shown } of { $total } open tips.
web-tips-empty = No tip matches the filters.
web-tips-back = Tips list
web-filter-category = Category
web-filter-status = Status
web-filter-all = All
web-filter-all-open = All open
web-filter-apply = Filter
web-time-left = { $time } left
web-time-over = overdue by { $time }
web-time-none = no deadline
web-time-taken = taken

web-tip-title = Tip
web-tip-from = From unit
web-tip-at = Received
web-tip-handler = Handled by
web-tip-reporter = Reported by
web-tip-anonymous = anonymous
web-tip-where = Where
web-tip-position = Position (latitude, longitude)
web-tip-when = When it happened
web-tip-deadline = Take before
web-tip-photos = Photos
web-tip-photos-count = { $count } photo(s) (see them in the chat with the bot)
web-tip-result = Outcome
web-tip-resolve-label = Outcome (the reporter will read it)
web-tip-note-label = Note (officers only)
web-tip-history = History
web-ok-taken = Tip taken. The reporter has been told.
web-ok-escalated = Tip passed up a level.
web-ok-resolved = Tip closed. The reporter has been told the outcome.
web-ok-noted = Note added to the tip.
web-ok-already-taken = This tip has been taken already.
web-ok-already-resolved = This tip is already resolved.
web-ok-no-higher = No level above has officers to pass this tip to.

web-audit-title = Audit log
web-audit-explain = Who opened which tip, and every download of tips, within your unit (newest first).
web-audit-reads = Who read tips
web-audit-exports = Tip exports
web-audit-none = None yet.
web-audit-deleted-member = (a member who deleted their data)
web-audit-command-line = The server (command line) or a member who deleted their data

web-export-title = Export
web-export-explain = Data of your unit and the units below it. Every download of tips is written to the audit log; anonymous reporters stay anonymous.

web-nav-broadcasts = Broadcasts
web-bc-title = Send a message to members
web-bc-text-label = Message
web-bc-target-label = Send to
web-bc-target-all = Every member of the unit
web-bc-target-leaders = Housing-group leaders only
web-bc-target-officers = Union officers only
web-bc-people = { $n } people
web-bc-when-label = When
web-bc-when-now = Now
web-bc-when-later = At a set time
web-bc-send = Send
web-bc-recent = Sent messages
web-bc-none = No message has been sent in this unit yet.
web-bc-col-text = Message
web-bc-col-total = Recipients
web-bc-status-scheduled = Scheduled
web-bc-status-sending = Sending
web-bc-status-done = Sent
web-bc-status-cancelled = Stopped
web-bc-back = All messages
web-bc-detail-title = Message
web-bc-sent = Sent
web-bc-progress = Progress
web-bc-waiting = Waiting
web-bc-failed = Not delivered
web-bc-cancelled = Cancelled
web-bc-refreshing = This page updates itself every 5 seconds.
web-bc-stop = Stop sending
web-err-bc-empty = Please write the message.
web-err-bc-long = The message is too long (3,500 characters at most).
web-err-bc-target = Not a valid choice of recipients.
web-err-bc-nobody = Nobody is there yet.
web-err-bc-time = Not a valid time.
web-err-bc-time-range = A scheduled time must be ahead, within 90 days.
