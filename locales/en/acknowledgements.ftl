# «Got it»: members confirm they have read and understood a directive or a message
ack-toggle-off = ☐ Ask members to confirm «Got it»
ack-toggle-on = ☑ Ask members to confirm «Got it» (on)
ack-asked = Everyone will be asked to confirm «Got it». See who did: /tonghop
ack-button = ✅ Got it
ack-hint = 👉 Press «✅ Got it» or reply 1 to confirm you have understood it.
ack-done = ✅ Recorded: you have understood «{ $title }» (at { $date }). Thank you!
ack-already = You confirmed «{ $title }» at { $date }. No need to confirm again.
ack-not-for-you = There is nothing like that for you to confirm. Nothing was changed.
ack-kind-directive = Directive
ack-kind-broadcast = Message
ack-rollup-title = ✅ <b>Got it — { $what } «{ $title }»</b> (sent { $date })
    Confirmed / sent / rate:
digest-acknowledgements = <b>«Got it» confirmations</b> (confirmed / sent):
ack-remind-none = ⏰ Remind those who have not confirmed: never
ack-remind-daily = ⏰ Remind those who have not confirmed: daily (for { $days } days)
ack-remind-every = ⏰ Remind those who have not confirmed: every { $every } days (for { $days } days)
ack-reminder = ⏰ You have not yet confirmed «{ $title }».
my-data-acks = <b>What you confirmed as understood («Got it»)</b>
my-data-ack-line = • { $title }, { $date }, via { $channel }
web-dash-acknowledgements = «Got it» confirmations (confirmed / sent)
