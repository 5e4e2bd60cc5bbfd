# Zalo: liên kết tài khoản, hạn mức
cmd-lienket = link your Zalo and Telegram accounts
link-code = 🔗 Your link code: <b>{ $code }</b> (single use, valid { $minutes } minutes).
    Open the bot in the other app (Zalo or Telegram) and send: /lienket { $code }
    The two accounts become one: same unit, same commitment signatures.
link-usage-guest = To link, type /lienket in the account that already joined to get a code, then send that code here.
link-done = ✅ Linked. This account belongs to <b>{ $name }</b> ({ $unit }). Type /help to see the commands.
link-expired = The link code has expired. Type /lienket in the other account for a new one.
link-used = This link code was already used. Type /lienket in the other account for a new one.
link-invalid = That link code is not right. Check it (it looks like ABCD-EFGH).
link-same-member = This account is already linked.
link-already-member = This account is already a member, so it can't be linked. To move to another account, type /xoadulieu here first.
unsupported-voice = The bot can't listen to voice messages yet; please type instead.
zalo-quota-paused = ⚠️ Zalo says the bot's sending quota is used up. Sending on Zalo is paused ({ $count } messages waiting) and tried again every { $minutes } minutes; no message is dropped.
cli-zalo-webhook-unreachable = ⚠️ Zalo could not reach the webhook address ({ $detail }). No Zalo message will arrive until it answers: check CONGDOAN_PUBLIC_URL, HTTPS and the firewall.
# Zalo OA (Official Account): messages held outside 48 hours
zalo-oa-waiting = 📬 You have { $count } new messages from the union while you were away:
my-data-zalo-oa-phone = <b>Phone number</b> (shared with the Zalo OA; used for commitment reminders by ZNS when you have not written to the OA for 48 hours): { $phone }
