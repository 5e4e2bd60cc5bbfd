# Officers run their part of the tree: /moi invites, /donvi units and members, moving
# between unions, the audit log (issue 17).
cmd-moi = invite codes to join (with a QR poster)
cmd-donvi = units below and their members

officer-moi-members = Only union officers and group leaders can make invites.
officer-invites-none = No invite is in use in <b>{ $unit }</b> and the units below.
officer-invites-title = Invites in use in <b>{ $unit }</b> and the units below:
officer-invite-line = • <code>{ $code }</code> — { $unit } — { $role } — { $left }/{ $uses } uses left — expires { $expires }
officer-never = never
officer-new-invite = Make a new invite
officer-revoke = Revoke { $code }

officer-units-title = <b>{ $unit }</b> ({ $code }): { $members } members.
    Units below:
officer-units-no-children = (none yet)
officer-unit-line = • { $unit } ({ $code }): { $members } members
officer-menu-inv = Make an invite
officer-menu-add = Add a unit below
officer-menu-ren = Rename a unit
officer-menu-mov = Move a unit under another parent
officer-menu-cls = Close an empty unit
officer-menu-mem = Members of a unit
officer-menu-log = Audit log

officer-pick-invite = An invite to which unit?
officer-pick-add = Add a unit below which unit?
officer-pick-rename = Rename which unit?
officer-pick-move = Move which unit (with the units and members below it)?
officer-pick-move-to = Move it under which unit?
officer-pick-close = Close which unit? (only a unit without members)
officer-pick-members = Members of which unit?
officer-pick-member-to = Move the member to which unit?
officer-pick-or-type-code = Or type the unit's code (e.g. CDCS-ABC).
officer-no-unit-to-pick = There is no unit to choose here.

officer-ask-role = An invite to <b>{ $unit }</b> with which role?
officer-ask-uses = How many people may use it? Choose, or type a number (e.g. 25 people).
officer-uses-option = { $n } people
officer-ask-days = Valid for how many days? Choose, or type a number (e.g. 10 days).
officer-days-option = { $n } days
officer-default = { $option } (default)
officer-bad-uses = The number of people must be from 1 to 10000. Choose again, or type e.g. 25 people.
officer-bad-days = The number of days must be from 1 to 365. Choose again, or type e.g. 10 days.
officer-role-too-high = You cannot give a role above your own. Nothing was changed.
officer-unit-refused = That unit is not in your part of the tree (or is closed). Nothing was changed.
officer-invite-refused = That invite is not in your part of the tree, or no longer usable. Nothing was changed.
officer-member-refused = You cannot act on this member (outside your part of the tree, yourself, or an officer of your own unit). Nothing was changed.
officer-move-into-itself = A unit cannot move into itself or a unit below it. Nothing was changed.

officer-invite-created = Invite to <b>{ $unit }</b> made ({ $role }, { $uses } people, expires { $expires }):
    <code>{ $code }</code>
officer-invite-link = Telegram link: { $link }
officer-invite-no-link = (The Telegram link exists once the bot has run with its token.)
officer-invite-zalo = On Zalo: send the code <code>{ $code }</code> to the bot.
officer-poster-caption = Poster to join { $unit }: print it and put it up at work or in the housing area.
officer-invite-revoked = Invite <code>{ $code }</code> revoked: it no longer works.
poster-title = JOIN THE TRADE UNION
poster-line-telegram = Telegram: scan the QR code, press Start.
poster-line-zalo = Zalo: send the code above to the union bot.
poster-line-expires = The code works until { $date }.

officer-ask-new-name = Type the name of the new unit below <b>{ $unit }</b>:
officer-ask-kind = What kind of unit is <b>{ $name }</b>?
officer-bad-name = A unit's name is 2 to 120 characters on one line. Type it again.
unit-kind-cdcs = Grassroots union
unit-kind-to-cong-doan = Union group
unit-kind-to-tu-quan = Worker-housing group
unit-kind-cd-xa = Commune, ward or industrial-zone union
unit-kind-khac = Other
officer-unit-added = <b>{ $unit }</b> (code { $code }) added below { $parent }.
officer-ask-rename = Type the new name of <b>{ $unit }</b>:
officer-unit-renamed = { $old } is now <b>{ $unit }</b>.
officer-unit-moved = <b>{ $unit }</b> (with the units, members, signatures and tips below it) is now under <b>{ $parent }</b>.
officer-unit-closed = <b>{ $unit }</b> closed: kept in reports, no longer offered.
officer-unit-not-empty = This unit still has members or open units below it: move them first. Nothing was changed.

officer-members-title = Members of <b>{ $unit }</b>: { $total }.
officer-members-found = Members of <b>{ $unit }</b> named like «{ $query }»: { $total }.
officer-page = { " " }Page { $page }/{ $pages }.
officer-members-hint = Choose a person, or type a name to search.
officer-next-page = Next page
officer-prev-page = Previous page
officer-member-card = <b>{ $name }</b> — { $role } — { $unit }
officer-member-role = Change role
officer-member-move = Move to another unit
officer-member-remove = Remove from the unit
officer-ask-role-for = <b>{ $name }</b> is a { $role }. New role?
officer-role-set = <b>{ $name }</b> is now a { $role }.
member-role-changed = Your role in <b>{ $unit }</b> is now: { $role }. Type /help for the commands.
officer-member-moved = <b>{ $name }</b> moved to <b>{ $unit }</b>.
member-moved = You were moved from { $from } to <b>{ $to }</b>. Your signatures and tips are kept.
officer-ask-reason = Type why <b>{ $name }</b> leaves the unit (they will be told), or choose:
officer-no-reason = No reason given
officer-reason-too-long = The reason is longer than { $max } characters. Type a shorter one.
officer-member-removed = <b>{ $name }</b> removed from { $unit }. Their data was deleted.
member-removed-reason = { "\u000A" }Reason: { $reason }
member-removed = A union officer removed you from <b>{ $unit }</b>; your data on the bot was deleted.{ $why }
    To join again: ask a union officer for a new invite and send /start with it (on Zalo: send the code).

officer-audit-empty = The audit log of your unit is empty.
officer-audit-title = <b>Audit log</b> (newest first):
officer-removed-person = (deleted)
audit-invite-create = invite made
audit-invite-revoke = invite revoked
audit-unit-add = unit added
audit-unit-rename = unit renamed
audit-unit-move = unit moved
audit-unit-close = unit closed
audit-member-role = role changed
audit-member-move = member moved
audit-member-remove = member removed
audit-member-move-by-invite = moved by invite

move-ask = You belong to <b>{ $from }</b>. This code invites you to <b>{ $to }</b> ({ $role }).
    Move your union membership to <b>{ $to }</b>? Your signatures, tips and linked accounts stay with you.
move-yes = Move to the new unit
move-no = Stay in my unit
move-cancelled = You stay in your unit. Nothing was changed.
move-done = You now belong to <b>{ $to }</b> ({ $role }). Your signatures, tips and linked accounts stay with you.
move-officer-left = Member <b>{ $name }</b> moved from { $from } to { $to }.
move-officer-joined = Member <b>{ $name }</b> moved from { $from } to { $to }.

# The command line.
cli-invite-getme-failed = Telegram did not say the bot's name (getMe); the link comes once “serve” ran, or add --bot-username.
cli-invite-poster = Poster (QR code) saved to { $file }.

# The web console's audit page shows the same log.
web-audit-actions = Actions on units and members
web-col-action = Action
web-col-member = Member
web-col-detail = Detail
