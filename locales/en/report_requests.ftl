# Reports of results up the tree (/baocao).
cmd-baocao = report requests: ask, fill and compile reports
rq-none = Your unit has no report requests to fill.
rq-menu = <b>Reports</b>. What would you like to do?
rq-new = New report request
rq-menu-fill = Fill: { $title } (due { $deadline })
rq-menu-fill-again = Change the submitted report: { $title } (due { $deadline })
rq-menu-view = Results: { $title }
rq-ask-title = Send the report's title, e.g. "Results of the Directive 48 campaign". /huy to stop.
rq-ask-item-first = Send item 1 to report on, e.g. "Number of sessions held" (at most { $max } items).
rq-ask-item-next = Send item { $n }, or type "done" if that is all.
rq-items-done = Done, no more items
rq-ask-kind = How is "{ $label }" answered?
rq-kind-number = A number
rq-kind-yes-no = Yes / No
rq-kind-text = A short text
rq-ask-deadline = When is the report due? Type day/month/year, e.g. 25/8/2026.
rq-deadline-past = The deadline must be after today. Type day/month/year, e.g. 25/8/2026.
rq-no-children = Your unit has no units below it to ask for a report.
rq-ask-targets = Which units must report? Choose all, or tick units one by one (type numbers, e.g. "2 3").
rq-targets-all = All units directly below
rq-targets-chosen = { $count } units chosen. Type "done" or press Done when that is all.
rq-targets-done = Done, send to the chosen units
rq-confirm =
    <b>Report request: { $title }</b>
    { $items }
    Due: { $deadline }
    To: { $units }
rq-send = Send the request
rq-created = ✅ Request "{ $title }" sent to { $count } units. See the results with /baocao.
rq-too-long = Empty or too long (at most { $max } characters). Please send it again.
rq-not-for-you = This report request is not for your unit, or it is closed. Nothing was changed.
rq-too-late = The deadline has passed: a submitted report can no longer be changed.
rq-fill-head = <b>{ $title }</b> ({ $unit }, due { $deadline }): { $count } items.
rq-fill-returned = Sent back for completion: "{ $note }"
rq-no-answer = (not answered)
rq-yes = Yes
rq-no = No
rq-item = Item { $n }/{ $count }: <b>{ $label }</b>
rq-hint-number = Type a whole number, e.g. 12.
rq-hint-text = Type a short answer.
rq-keep = Keep: { $answer }
rq-pause = Save, continue later
rq-hint-stop = (Type "stop" to save and continue later with /baocao.)
rq-hint-keep-stop = (Type "keep" to keep the previous answer, "stop" to save and continue later.)
rq-review =
    <b>Check the report "{ $title }"</b>
    { $answers }
rq-submit = Submit the report
rq-redo = Go over it again from item 1
rq-paused = Saved. Type /baocao to continue.
rq-incomplete = Some items are not answered yet. Type /baocao to continue.
rq-submitted = ✅ Report "{ $title }" submitted.
rq-submitted-again = ✅ Report "{ $title }" submitted again (the previous one is kept).
rq-bad-number = A whole number from 0 to { $max } is needed, e.g. 12 or 1.200.
rq-view-head = <b>{ $title }</b> (due { $deadline }): { $done }/{ $total } units submitted.
rq-status-submitted = submitted { $date }
rq-status-pending = not yet
rq-status-overdue = not submitted, overdue
rq-status-returned = sent back for completion
rq-total-number = Total: <b>{ $sum }</b> ({ $units } units)
rq-total-yes-no = Yes: { $yes }, No: { $no }
rq-not-found = This report request was not found in your unit.
rq-view-what = What next?
rq-export = Download the compiled table (Excel)
rq-return = Send a unit's report back for completion
rq-nothing-to-return = No unit has submitted yet.
rq-return-which = Whose report goes back?
rq-return-note = Type what must be completed (the unit gets this note).
rq-returned = The report was sent back to the unit for completion.
rq-notice =
    📋 <b>{ $unit }</b> asks for a report: <b>{ $title }</b>
    Due: { $deadline }
    { $items }
    Press "Fill the report" or type /baocao.
rq-fill-button = Fill the report
rq-reminder = ⏰ { $days } days left to submit the report "{ $title }" ({ $deadline }). Your unit has not submitted. Press "Fill the report" or type /baocao.
rq-reminder-today = ⏰ Today ({ $deadline }) the report "{ $title }" is due. Your unit has not submitted. Press "Fill the report" or type /baocao.
rq-overdue = ⚠️ The report "{ $title }" is overdue: { $count } units have not submitted: { $units }.
rq-notice-submitted = 📥 { $unit } submitted the report "{ $title }" ({ $done }/{ $total } units).
rq-notice-returned = ↩️ Your unit's report "{ $title }" was sent back for completion: "{ $note }". Press "Fill the report" or type /baocao.
rq-export-caption = Compiled report "{ $title }" ({ $units } units)
rq-view-button = See the results
rq-col-unit = Unit
rq-col-status = Status
rq-col-submitted-at = Submitted at
rq-col-submitted = Submitted
rq-col-pending = Not yet
rq-col-returned = Sent back
rq-menu-pass-down = Pass down to the units below: { $title }
rq-pass-down = Passing "{ $title }" (due to the level above by { $deadline }) down to the units below, with the same items. Once they have reported, open the results and choose "Send the compiled result up".
rq-forward = Send the compiled result up
rq-forward-prefilled = The report "{ $title }" to { $unit } is filled in from the compiled result (numbers added up, the units' texts). Check it, add your own unit's part, then submit.
rq-kind-choice = One of several options
rq-ask-options = Send the options separated by semicolons, e.g. "Good; Fair; Not met" (2 to 6 options, at most 40 characters each).
rq-bad-options = 2 to 6 options are needed, separated by semicolons, at most 40 characters each. Please send them again.
