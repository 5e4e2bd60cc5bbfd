# Polls and surveys (/khaosat).
cmd-khaosat = polls and surveys: answer, create, see results
ks-none = There is no poll for you right now.
ks-menu = <b>Polls</b>. What would you like to do?
ks-new = Create a new poll
ks-menu-answer = Answer: { $title } (by { $deadline })
ks-menu-continue = Continue: { $title } (by { $deadline })
ks-menu-change = Change my answers: { $title } (by { $deadline })
ks-menu-results = Results: { $title }
ks-ask-title = Send the poll's name, e.g. «Living conditions in the worker housing». Type /huy to stop.
ks-ask-question-first = Send question 1 (at most { $max } questions).
ks-ask-question-next = Send question { $n }, or type «xong» when done.
ks-questions-done = Done, no more questions
ks-ask-kind = How is «{ $question }» answered?
ks-kind-single = Choose one option
ks-kind-multi = Choose several options
ks-kind-number = A number
ks-kind-text = A short text
ks-ask-options = Send the options separated by semicolons, e.g. «Good; Fair; Poor» (2 to { $max } options).
ks-bad-options = 2 to { $max } options are needed, each at most { $chars } characters, separated by semicolons. Please send them again.
ks-ask-anonymous = Should answers carry the person's name?
ks-named = Named
ks-anonymous = Anonymous
ks-ask-deadline = What is the deadline? Type day/month/year, e.g. 25/8/2026.
ks-deadline-past = The deadline must be after today. Type day/month/year, e.g. 25/8/2026.
ks-ask-target = Who answers this poll?
ks-preview =
    <b>Poll: { $title }</b> ({ $kind })
    { $questions }
    Deadline: { $deadline }
    To: { $target } — { $count } people
ks-send = Send the poll
ks-discard = Discard
ks-discarded = Poll discarded, nothing sent.
ks-sent = ✅ Poll «{ $title }» sent to { $count } people. See the results with /khaosat.
ks-too-long = Empty or too long (at most { $max } characters). Please send it again.
ks-not-for-you = This poll is not for you. Nothing was changed.
ks-not-found = This poll was not found in your unit.
ks-too-late = The poll «{ $title }» closed on { $deadline }; no more answers are taken. Thank you!
ks-answer-head = <b>{ $title }</b> ({ $unit }): { $count } questions, by { $deadline }.
ks-answer-named = Your answers carry your name.
ks-answer-anonymous = 🔒 Anonymous poll: officers see only totals, never who answered what.
ks-question = Question { $n }/{ $count }: <b>{ $question }</b>
ks-hint-single = Choose one option.
ks-hint-multi = Choose one or more options then press Done, or type the numbers, e.g. «1 3».
ks-hint-number = Type a whole number, e.g. 12.
ks-hint-text = Type a short answer.
ks-hint-stop = Type «dừng» to save and continue later.
ks-hint-keep-stop = Type «giữ» to keep your earlier answer, «dừng» to save and continue later.
ks-multi-done = Done ({ $count } chosen)
ks-tick-one = Please choose at least one option.
ks-keep = Keep: { $answer }
ks-stop = Stop, continue later
ks-no-answer = (not answered)
ks-bad-number = Please type a whole number from 0 to { $max }, e.g. 12.
ks-stopped = Your answers so far are saved. Type /khaosat to continue.
ks-submitted = ✅ Your answers to «{ $title }» are recorded. Thank you! You can change them before { $deadline } with /khaosat.
ks-submitted-again = ✅ Your answers to «{ $title }» are updated (they replace the earlier ones).
ks-results-head =
    📊 <b>Poll results: { $title }</b> ({ $kind }, deadline { $deadline })
    Answered: { $answered }/{ $asked } people ({ $pct })
ks-average = Average: <b>{ $avg }</b> ({ $count } answers)
ks-texts-count = { $count } written answers.
ks-view-what = More:
ks-view-texts = Answers to question { $n }
ks-export-xlsx = Download Excel (.xlsx)
ks-export-csv = Download CSV
ks-texts-head = <b>Question { $n }</b> — page { $page }/{ $pages } ({ $count } answers)
ks-texts-next = Next page
ks-back-results = Back to the results
ks-notice =
    📋 <b>Poll from { $unit }</b>
    { $title }
    { $count } questions, answer by { $deadline }.
    Press «Answer the poll» or type 1 to start.
ks-notice-anonymous =
    📋 <b>Anonymous poll from { $unit }</b>
    { $title }
    { $count } questions, answer by { $deadline }. Officers see only totals, never who answered what.
    Press «Answer the poll» or type 1 to start.
ks-start-button = 📝 Answer the poll
ks-chart-caption = { $title } — question { $n }
ks-export-caption = Results of the poll «{ $title }»: { $rows } people answered.
ks-col-unit = Unit
ks-col-name = Name
ks-col-time = Time
my-data-polls = <b>Polls you answered</b> (see or change before the deadline: /khaosat):
my-data-poll-line = • { $title }: { $date }
ks-anonymous-wait = 🔒 Anonymous poll: figures show once at least { $min } people have answered.
ks-anonymous-few = • { $unit }: fewer than { $min } answers, no detail shown (anonymous).
