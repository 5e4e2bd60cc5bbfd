# Incident tips (/baotin, /theodoi, /tinbao)

## Categories
tip-cat-theft = Theft
tip-cat-drugs = Drugs
tip-cat-fight = Fight, disorder
tip-cat-fire = Fire, explosion risk
tip-cat-stranger = Suspicious stranger
tip-cat-vice = Social evils
tip-cat-labour = Labour dispute
tip-cat-other = Other

## Status
tip-status-new = New, waiting to be taken
tip-status-acknowledged = Taken, being handled
tip-status-resolved = Resolved

## Reporter
tip-ask-category = 🚨 <b>Report an incident</b>
    What happened? (Type /huy to cancel at any time.)
tip-ask-what = Category: <b>{ $category }</b>.
    Describe briefly what happened.
tip-what-too-short = Please write a little more (at least a few words).
tip-too-long = Too long (at most { $max } characters). Please make it shorter.
tip-ask-where = Where? Type the address (e.g. row 5, alley 12), or share a location (📎 → Location).
tip-skip = Skip
tip-ask-when = When did it happen? Choose below or type it (e.g. last night 10 pm).
tip-when-now = Happening now
tip-when-today = Today
tip-ask-photos = Send photos if you have any (at most { $max }). No photos, or done: press «Done».
tip-photo-received = Got { $count }/{ $max } photos. Send more, or press «Done».
tip-photos-done = Done
tip-photos-or-done = Send a photo, or press «Done» to go on.
tip-photos-full = That's { $max } photos, the most one tip can hold.
tip-photo-kept-where = Photo kept. Now tell us where it happened.
tip-ask-anonymous = Send it anonymously?
    Anonymous: officers don't know who sent it; you still get updates through the bot.
tip-anon-yes = Anonymous
tip-anon-no = Use my name
tip-sent-anonymous = ✅ Tip sent <b>anonymously</b>.
    Receipt code: <b>{ $code }</b>
    The bot will tell you when something happens. Check: /theodoi { $code }
tip-sent-named = ✅ Tip sent.
    Receipt code: <b>{ $code }</b>
    The bot will tell you when something happens. Check: /theodoi { $code }
tip-too-many = You sent { $max } tips in the last hour. Please wait a while. If there is danger, call 113 (police) or 114 (fire) now.
tip-follow-usage = Type /theodoi with the receipt code, e.g. /theodoi TB-ABCDE-FGHJK
tip-code-invalid = That receipt code is not right. It looks like TB-ABCDE-FGHJK.
tip-not-found = No such tip, or you may not see it.

## Updates to the reporter
tip-update-acknowledged = 📋 Tip <b>{ $code }</b> was taken by <b>{ $unit }</b>.
tip-update-escalated = 📋 Tip <b>{ $code }</b> was passed up to <b>{ $unit }</b>.
tip-update-resolved = ✅ Tip <b>{ $code }</b> was resolved.
    Result: { $note }

## Officers
tip-alert-new = 🚨 <b>New tip</b>
tip-alert-copy = 🚨 <b>Urgent tip (copy for the level above)</b>
tip-alert-escalated = ⬆️ <b>Tip passed up by the level below</b>
tip-alert-overdue = ⏰ <b>Tip not taken in time, passed up</b>
tip-alert-hint = Type /tinbao to see and handle it.
tip-btn-open = Open and handle
tip-btn-ack = Take it
tip-btn-escalate = Pass up
tip-btn-resolve = Resolved
tip-btn-note = Note
tip-card-title = <b>Tip { $code }</b> · { $category }
tip-card-status = Status: { $status }
tip-card-deadline = Take it before: { $at }
tip-card-what = What: { $text }
tip-card-where = Where: { $place }
tip-card-map = Location: { $link }
tip-card-when = When: { $when }
tip-card-from = From: { $unit }, at { $at }
tip-card-reporter = Reported by: { $name }
tip-card-anonymous = anonymous
tip-card-photos = Photos: { $count }
tip-card-result = Result: { $note }
tip-card-handler = Handled by: { $unit }
tip-photo-caption = Photo of tip { $code }
tip-history-title = <b>History</b>
tip-event-created = Received
tip-event-copied = Copied to the level above
tip-event-acknowledged = Taken
tip-event-escalated = Passed up
tip-event-overdue = Overdue, passed up
tip-event-top = Already at the top level
tip-event-resolved = Resolved
tip-event-note = Note
tip-acknowledged-ok = Tip { $code } taken. The reporter has been told.
tip-already-acknowledged = Tip { $code } was already taken.
tip-already-resolved = Tip { $code } is already resolved.
tip-escalated-ok = Tip { $code } passed up.
tip-no-higher-level = No level above has officers to pass this tip to.
tip-ask-resolution = What was done about tip { $code }? One short sentence (the reporter will read it).
tip-ask-note = Type a note for tip { $code } (officers only).
tip-resolved-ok = Tip { $code } closed. The reporter has been told the result.
tip-note-ok = Note added to tip { $code }.
tip-inbox-empty = No tips waiting. 👍
tip-inbox-title = 🚨 <b>Open tips: { $count }</b> (oldest first)
tip-inbox-line = <b>{ $code }</b> · { $category } · { $status }
    { $unit }, { $at }
tip-overdue-mark = ⏰ overdue
tip-pick-number = Pick a number from the list, or type /tinbao to see it again.

## Command line
cli-err-tip-route = Needs: --category theft|drugs|fight|fire|stranger|vice|labour|other, --handles yes|no, --deadline-minutes from 5 to 10080.
cli-tip-route-handles = { $unit } takes “{ $category }” tips; not taken within { $minutes } minutes, they go up a level. { $parent }
cli-tip-route-passes = { $unit } does not take “{ $category }” tips: they go straight to the level above with officers. { $parent }
cli-tip-route-parent-yes = The level above is told at once too.
cli-tip-route-parent-no = The level above gets them only when passed up.
