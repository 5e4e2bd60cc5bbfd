# English — second language.

## Roles
role-member = member
role-leader = group leader
role-officer = union officer

## Choosing by number
reply-with-number = Reply with a number (e.g. 1) or type your choice.
choose-an-option = Please pick one of the options below.
stale-button = This button has expired. Type /help to see the commands.

## Joining
start-without-code = Hello! To join, open the invite link your union officer sent you, or send: /start INVITE-CODE
welcome-consent =
    Hello! This is the trade union's bot.
    You are invited to join <b>{ $unit }</b> as <b>{ $role }</b>.

    The bot keeps: your display name, chat account id, unit and role, and the date you agreed.
    Why: to send you directives and campaign dates, and record your commitments and reports.
    Message texts are erased after 30 days.
    See it with /dulieu and delete it with /xoadulieu at any time.

    Do you agree?
consent-yes = I agree
consent-no = I don't agree
joined =
    You have joined <b>{ $unit }</b> as <b>{ $role }</b>. Welcome!
    Type /help to see the commands.
consent-refused = You did not agree. The bot keeps nothing about you. Open the invite link again whenever you wish.
already-member = You are already a member of <b>{ $unit }</b>. Type /help to see the commands.
invite-invalid = This invite code is not valid. Check it or ask your union officer.
invite-expired = This invite code has expired. Ask your union officer for a new one.
invite-used-up = This invite code has no uses left. Ask your union officer for a new one.
too-many-bad-codes = Too many wrong codes. Try again after { $until }.

## Help
help-title = <b>Commands you can use:</b>
help-guest-footer = You have not joined a unit yet. Open the invite link or send: /start INVITE-CODE
cmd-start = join with an invite code
cmd-help = list the commands
cmd-huy = cancel what you are in the middle of
cmd-ngonngu = change language
cmd-dulieu = see what the bot keeps about you
cmd-xoadulieu = delete your data
cmd-chithi = new directives
cmd-lich = campaign calendar
cmd-camket = sign commitments
cmd-baotin = report an incident
cmd-theodoi = follow a report
cmd-guitin = broadcast to your units
cmd-tonghop = roll-up report
cmd-tinbao = reports sent to your unit

## Language
choose-language = Chọn ngôn ngữ / Choose your language:
language-set = Switched to English.

## Personal data
my-data =
    <b>What the bot keeps about you</b>
    Name: { $name }
    Username: { $username }
    Chat accounts: { $accounts }
    Unit: { $unit }
    Role: { $role }
    Language: { $lang }
    Joined: { $joined }
    Agreed to data use: { $consent }
my-data-none = The bot keeps no data about you.
confirm-delete = Delete all your data? You will leave your unit and need a new invite to rejoin.
delete-yes = Delete
delete-no = Keep my data
data-deleted = All your data has been deleted. Goodbye!
delete-cancelled = Cancelled. Your data is unchanged.

## General
cancelled = Cancelled.
need-to-join = You need to join a unit first. Open the invite link or send: /start INVITE-CODE
officer-only = This command is for union officers only.
coming-soon = This feature is being finished and will come in the next update.
unknown-command = There is no such command. Type /help to see the commands.
not-understood = The bot did not understand this message. Type /help to see the commands.
unsupported-message = The bot only reads text messages and buttons. Type /help to see the commands.
edited-ignored = The bot does not process edited messages. Please send a new message.
group-not-supported = The bot only works in private chats. Please message it directly.

## Command line (CLI)
cli-migrated = Database schema is up to date.
cli-import-done = Imported { $total } units: { $created } new, { $updated } updated, { $unchanged } unchanged.
cli-err-file = Cannot read { $path }: { $error }
cli-err-csv-too-large = The file is too large (64 MB at most).
cli-err-csv-columns = Missing columns: { $columns }. Needed: code,parent_code,name,kind
cli-err-csv-unreadable = Line { $line }: unreadable ({ $error }). The file must be UTF-8 CSV.
cli-err-csv-code = Line { $line }: unit code “{ $value }” is not valid (ASCII letters, digits, - _ ., 40 characters at most).
cli-err-csv-parent = Line { $line }: parent code “{ $value }” is not valid.
cli-err-csv-name = Line { $line }: the unit name is empty or too long.
cli-err-csv-kind = Line { $line }: the unit kind is empty or too long.
cli-err-csv-duplicate = Line { $line }: code { $code } appears twice.
cli-err-csv-own-parent = Line { $line }: unit { $code } cannot be its own parent.
cli-err-csv-empty = The file has no units.
cli-err-unknown-parent = Unit { $code } has parent { $parent }, which is neither in the file nor in the database. Nothing changed.
cli-err-cycle = The tree has a cycle through unit { $code }. Nothing changed.
cli-err-db = Database error: { $error }
cli-err-unit-not-found = No unit with code { $code }. List them with: congdoan-bot org tree
cli-err-role = The role must be member, leader or officer.
cli-err-uses = Uses must be between 1 and 100000.
cli-err-expires = Days to expiry must be between 1 and 365.
cli-err-serve = The bot could not start: { $error }
cli-tree-empty = No units yet. Import them with: congdoan-bot org import units.csv
cli-tree-members = { $count } members
cli-invite-created =
    Invite code: { $code }
    Unit: { $unit } · Role: { $role } · Uses: { $uses } · Expires: { $expires }
cli-invite-link = Telegram link: { $link }
cli-invite-no-username = Telegram link: the bot's username is unknown. Run “serve” once with TELOXIDE_TOKEN, or add --bot-username.
cli-invite-zalo = On Zalo: send “/start { $code }” to the bot.
cli-serve-no-channel = No TELOXIDE_TOKEN or ZALO_BOT_TOKEN: opening the terminal demo chat.
cli-serve-running = The bot is running. Press Ctrl-C to stop.
cli-serve-console = Officers' console: { $url } (send /web to the bot for a sign-in link).
cli-serve-stopping = Stopping: finishing the messages in hand…

## Terminal demo
demo-intro = congdoan-bot demo: sample database { $file } with { $units } units and { $members } members.
demo-console =
    Officers' console (open it in a browser; one use, within 10 minutes):
    { $link }
demo-choose =
    Who do you want to be in this chat?
    1. Member (workers' housing group no. 1)
    2. Housing group leader
    3. Grassroots union officer
    4. Newcomer, joining with an invite code
demo-choose-prompt = Pick 1-4:
demo-persona-invalid = Please type a number from 1 to 4.
demo-you-are = You are: { $who }. Type a message and press Enter. /help lists commands, /thoat quits.
demo-persona-member = member
demo-persona-leader = group leader
demo-persona-officer = union officer
demo-persona-new = newcomer
demo-new-code = Your invite code: { $code }. Type: /start { $code }
demo-you = You
demo-bye = Goodbye!

## Documents, directives
directive-err-empty = The document is empty.
directive-err-too-large = The document is too large ({ $size } MB, at most { $max } MB).
directive-err-not-text = Cannot read it: the file is neither text (.txt) nor Word (.docx).
directive-err-not-directive = This does not look like a directive: no document number, “Kính gửi”, cited documents or numbered actions.
directive-own = Document
directive-issuer = Issuer
directive-place-date = Place, date
directive-subject = Subject
directive-addressees = To
directive-citations = Cited documents
directive-actions = Actions
directive-events = Dates
directive-reporting = Reporting
directive-summary = Summary for phones ({ $chars } characters):
summary-actions = Actions
summary-dates = Dates
summary-report = Report
document-unavailable = The bot could not download this file. Send it again, or paste the text into a message.
directive-err-too-large-chat = The document is too large ({ $max } MB at most). Send its main part.
directive-untitled = New directive
directive-review =
    <b>Draft for members</b> ({ $chars } characters):

    { $summary }

    Who should receive it?
directive-send-all = Send to all of { $unit } ({ $count } people)
directive-pick = Choose units below
directive-edit = Edit the summary
directive-cancel = Cancel
directive-back = Back
directive-pick-help = Choose the receiving units (tap to select/unselect, or type numbers, e.g. 1 3), then tap Send.
directive-send-chosen = Send ({ $units } units, { $count } people)
directive-pick-none = You have not chosen any unit.
directive-edit-help = Send the new summary ({ $max } characters at most). Type /huy to stop.
directive-summary-too-long = The summary has { $chars } characters, over { $max }. Shorten it and send again.
directive-cancelled = Draft cancelled. Nothing was sent.
directive-sent = Directive sent to { $count } people.
directive-report =
    ⚠️ <b>Directive “{ $title }”</b> did not reach everyone:
    Delivered: { $sent }/{ $total }
    Failed: { $failed }
    Blocked the bot or left: { $unreachable }
directive-report-advice = Please reach these people another way (group meeting, phone call).
directive-broadcast =
    📄 <b>New directive from { $unit }</b>

    { $summary }

    <i>Read again: /chithi</i>
campaign-suggest =
    The document has these dates:
    { $dates }
    Add them to the calendar and remind everyone 7 days before, the day before and that morning?
campaign-add = Add to calendar
campaign-skip = No
campaign-added = Added { $count } dates to the calendar. See them with /lich.
campaign-skipped = Not added to the calendar.
directives-title = <b>Directives received</b> (newest first). Choose one to read:
directives-none = No directive has reached you yet.
directive-officer-hint = To send a new directive: paste the document's text or send a .txt/.docx file here.
directive-detail =
    📄 <b>{ $title }</b>
    { $unit } · { $date }

    { $summary }
directive-not-found = Directive not found.
calendar-title = <b>Coming dates</b>
calendar-line = • <b>{ $date }</b> — { $title } (in { $days } days)
calendar-none = No dates yet.
calendar-officer-hint = Add a yearly date: /lich them 28/7 Name of the event (lunar: /lich them 15/8 âm lịch Mid-Autumn Festival)
calendar-add-usage = To add a date: /lich them DAY/MONTH Name
    Example: /lich them 28/7 Vietnam Trade Union Day
    Lunar: /lich them 15/8 âm lịch Mid-Autumn Festival
    Reminders: add “nhắc 3,1,0 lúc 8h” at the end (days before, 0 is the day itself).
calendar-ics = Download calendar (.ics)
calendar-ics-name = Trade union calendar
calendar-ics-caption = Open this file to add the dates to your phone's calendar.
campaign-reminder-week = ⏰ <b>In 7 days</b>: { $title } ({ $date }).
campaign-reminder-tomorrow = ⏰ <b>Tomorrow</b>: { $title } ({ $date }).
campaign-reminder-today = ⏰ <b>Today</b>: { $title } ({ $date }).
campaign-reminder-days = ⏰ <b>In { $days } days</b>: { $title } ({ $date }).
cm-sign-button = I commit
cm-sign-ask =
    ✍️ <b>Commitment of { $unit }</b> (version { $version }, sign by { $deadline }):

    { $text }

    Read it, then press «I commit» or type 1.
cm-sign-again =
    ✍️ <b>The commitment of { $unit } has changed</b> (version { $version }, sign by { $deadline }). Please sign again:

    { $text }

    Read it, then press «I commit» or type 1.
cm-more-pending = You have { $count } more commitments to sign. Type /camket after signing.
cm-signed = ✅ Your commitment «{ $title }» is recorded (version { $version }, at { $date }). Receipt: { $code }.
cm-already-signed = You signed version { $version } of this commitment at { $date }. No need to sign again.
cm-text-changed = The commitment text was changed. Please read the new version and sign again.
cm-not-for-you = This commitment is not for you, or it is closed. Nothing was changed.
cm-not-found = This commitment was not found in your unit.
cm-none = You have no commitments to sign.
cm-signed-title = <b>Commitments you signed:</b>
cm-signed-line = • { $title } (version { $version }, { $date })
cm-officer-hint = Officers: new commitment with /camket moi, edit or close with /camket sua, progress with /tonghop.
cm-usage = Usage: /camket (read and sign), /camket moi (new), /camket sua (edit, close).
cm-menu = <b>Commitments</b>. What would you like to do?
cm-new = New commitment
cm-edit = Edit: { $title }
cm-close = Close: { $title }
cm-new-text = Send the commitment text (at most { $max } characters). The first line is its title. Type /huy to stop.
cm-text-too-long = The text has { $chars } characters, more than { $max }. Please shorten it and send again.
cm-who = Who must sign?
cm-who-member = Members
cm-who-leader = Group leaders
cm-who-everyone = Everyone
cm-deadline = What is the deadline? Type day/month/year, e.g. 30/11/2026.
cm-deadline-past = The deadline must be after today. Type day/month/year, e.g. 30/11/2026.
cm-remind = When should people who have not signed be reminded?
cm-remind-daily = Every day
cm-remind-3days = Every 3 days
cm-remind-monday = Every Monday
cm-remind-none = No reminders
cm-confirm =
    <b>New commitment</b>

    { $text }

    Signers: { $who }. Deadline: { $deadline }. Reminders: { $remind } (from { $hour }:00, never at night).
    Send now?
cm-send = Send
cm-created = The commitment was sent to everyone in scope. Progress: /tonghop
cm-edit-text =
    Current text (version { $version }):

    { $text }

    Send the new text (at most { $max } characters). Everyone will have to sign again. Type /huy to stop.
cm-edit-confirm =
    <b>New text</b>

    { $text }

    Save it as a new version and ask everyone to sign again?
cm-revised = The new version is saved and was sent to everyone to sign.
cm-closed = The commitment «{ $title }» is closed. No more signatures or reminders.
cm-broadcast =
    ✍️ <b>New commitment from { $unit }</b> (version { $version }, sign by { $deadline }):

    { $text }

    Press «I commit» or type 1 to sign. See it again: /camket
cm-broadcast-changed =
    ✍️ <b>{ $unit } changed the commitment</b> (version { $version }, sign by { $deadline }). Please sign again:

    { $text }

    Press «I commit» or type 1 to sign. See it again: /camket
cm-reminder = ⏰ You have not signed the commitment «{ $title }» (deadline { $deadline }). Press «I commit» or type 1 to sign. Read it again: /camket
rollup-none = There are no open commitments in your unit, and no directive or message asking members to confirm «Got it».
rollup-title = 📊 <b>{ $title }</b> (version { $version }, deadline { $deadline })
    Signed / in scope / rate:
rollup-unsigned = Not signed yet (directly in your unit): { $names }
rollup-more = and { $count } more
inbound-too-fast = ⏳ You are sending too fast, so the bot skipped your last messages. Wait a minute and send again.

# Updates that could not be handled (one person's message never stops the others)
update-failed = ⚠️ Sorry, the bot could not handle your last message. Please send it another way (shorter, or type /help), or tell a union officer.
cli-inbox-none = No parked updates.
cli-inbox-parked-line = #{ $id }  { $channel }  { $time }  { $attempts } tries  error: { $error }
cli-inbox-retried = Update #{ $id } is queued to be handled again.
cli-err-not-parked = No parked update #{ $id } (or its content was erased). See: congdoan-bot inbox parked

my-data-signatures = <b>Commitments you signed</b>
my-data-signature-line = • { $title } (version { $version }), { $date }, via { $channel }
my-data-tips = <b>Tips you reported</b>
my-data-tip-line = • { $code }, { $date }: { $status }
my-data-footer = Message texts sent through the bot are erased after 30 days; the contents of resolved tips after 180 days. Purpose: sending directives and campaign dates, recording your commitments and tips. Delete everything with /xoadulieu.
draft-kept = ✏️ You are still in the middle of writing; the bot kept it. Go on from this step (or type /huy to drop it):
