# The police liaison (/congan)
role-liaison = police officer in charge of the area
cmd-congan = police liaison: tip categories, warnings
liaison-not-member = This command is for union members. You are the police officer in charge of the area: tips will reach you here; type /congan to send a warning.
liaison-only = This is for the police officer in charge of the area.
liaison-officer-intro = <b>Police liaison — {$unit}</b>
    Police officers who joined: {$liaisons}. Invite one with /moi (role «police officer in charge of the area»).
liaison-ask-categories = Choose which kinds of tips go to the police officer (tap to switch on/off), then tap «Done»:
liaison-btn-done = Done
liaison-none-chosen = none
liaison-categories-saved = ✅ Saved. The police officer will get tips of: {$names}.
liaison-menu = <b>Police liaison</b>
    Tips of the kinds the unit chose come here, with buttons to take them, resolve them and add a note.
    You can send a short warning to the housing-group leaders; it goes out once a union officer approves it.
liaison-btn-write = Send a warning to the group leaders
liaison-ask-warning = Please type the warning (/huy to cancel).
liaison-ask-warning-max = Please type the warning, at most {$max} characters (/huy to cancel).
liaison-warning-too-long = The warning is too long: at most {$max} characters. Please type a shorter one.
liaison-warning-waiting = ✅ Your warning was sent to the union officers for approval. It goes to the group leaders once approved.
liaison-approval = <b>Warning waiting for approval — {$unit}</b>
    Police officer {$author} wants to send to the housing-group leaders:
    «{$text}»
    Reply 1 to approve and send, 2 not to send.
liaison-btn-approve = 1. Approve and send
liaison-btn-reject = 2. Do not send
liaison-approved-ok = ✅ Approved. The warning is going out to the group leaders.
liaison-rejected-ok = Noted: this warning will not be sent.
liaison-warning-not-found = This warning was not found, or it is not your unit's.
liaison-warning-already = This warning was already approved or rejected.
liaison-warning-message = <b>⚠️ Warning from the area's police</b> (via {$unit})
    {$text}
liaison-warning-sent = ✅ Your warning was approved and sent ({$count} messages).
liaison-warning-rejected = Your warning was not approved.
liaison-summary-title = <b>Tips of {$month} — {$unit}</b>
liaison-summary-line = • {$category}: {$total} (new {$new}, in hand {$taken}, resolved {$resolved})
liaison-summary-total = <b>Total: {$total}</b> (new {$new}, in hand {$taken}, resolved {$resolved})
liaison-summary-none = No tips this month.
audit-liaison-categories = chose the tip kinds for the police
audit-liaison-warning = police warning waiting for approval
audit-liaison-approved = approved a police warning
audit-liaison-rejected = rejected a police warning
liaison-btn-remove = Remove {$name} (no longer in charge)
