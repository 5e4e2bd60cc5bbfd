# Quiz contests (/cuocthi).
cmd-cuocthi = quiz contests: take part, create one, see the rankings
qz-none = There is no quiz for you right now.
qz-menu = <b>Quiz contests</b>. What would you like to do?
qz-new = Create a quiz
qz-menu-take = Take part: { $title } (until { $end })
qz-menu-continue = Go on: { $title } (until { $end })
qz-menu-reveal = See the answers: { $title }
qz-menu-results = Rankings: { $title }
qz-ask-title = Send the quiz's name, e.g. «The 2019 Labour Code». Type /huy to stop.
qz-ask-questions =
    Send the questions in one message, or send a .txt, .docx or .csv file (at most { $max } questions, 2 to { $options } options each).
    One block per question, separated by a blank line; the first line is the question, each further line an option; put * before the correct one:
    <code>When was the Vietnam Trade Union founded?
    A. 1929
    {"*"}B. 1930
    C. 1945</code>
    A .csv file: one row per question — the question, the options (separated by ; or one per column), the correct option's number in the last column.
qz-load-empty = No questions found. Please send them again as shown.
qz-load-too-large = The file is too large (at most { $kb } KB). Nothing was created.
qz-load-not-text = This file cannot be read. Please send a .txt, .docx or .csv file (UTF-8). Nothing was created.
qz-load-too-many = There are { $count } questions; at most { $max } are allowed. Nothing was created.
qz-load-row = ❌ Line { $row }: { $what } Please fix it and send again; nothing was created.
qz-row-no-question = the question is missing.
qz-row-question-too-long = the question is longer than { $max } characters.
qz-row-options = it has { $count } options; { $min } to { $max } are needed.
qz-row-option-too-long = an option is empty or longer than { $max } characters.
qz-row-no-correct = no correct answer (put * before the correct option, or its number in the last column).
qz-row-several-correct = more than one option is marked correct.
qz-row-cells = at least 3 columns are needed: question, options, correct answer.
qz-loaded = ✅ { $count } questions received.
qz-ask-window =
    From when to when is the quiz open? For example:
    <code>1/12/2026 - 20/12/2026</code>
    or with times: <code>1/12/2026 08:00 đến 20/12/2026 20:00</code>
qz-window-past = The end must be after now. Please send again, e.g. 1/12/2026 - 20/12/2026.
qz-ask-minutes = How many minutes for one attempt? Type a number from 1 to { $max }.
qz-ask-attempts = How many attempts per person? (usually 1; type a number from 1 to { $max })
qz-attempts-n = { $n } attempt(s)
qz-ask-tiebreak =
    A tie-break question for equal scores and times (guess a number)? For example:
    <code>How many people will take part?</code> (the answer is the number of entrants at the end)
    or with its answer after a |: <code>How many articles does the 2019 Labour Code have? | 220</code>
    Type «no» for none.
qz-no-tiebreak = No tie-break question
qz-tiebreak-entrants = answer: the number of entrants
qz-bad-tiebreak = The answer after | must be a number. Please send again, or type «no».
qz-ask-target = Who takes part?
qz-preview =
    <b>Quiz: { $title }</b>
    { $count } questions; question 1: { $first }
    Open: { $start } – { $end }
    { $minutes } minutes per attempt, { $attempts } attempt(s) per person
    Tie-break: { $tiebreak }
    For: { $target } — { $people } people
qz-send = Send the quiz
qz-discard = Discard
qz-discarded = The quiz was discarded; nothing was sent.
qz-sent = ✅ The quiz «{ $title }» was sent to { $count } people; it opens at { $start }. See the rankings with /cuocthi.
qz-too-long = Empty or too long (at most { $max } characters). Please send again.
qz-notice =
    🏆 <b>Quiz contest: { $title }</b>
    { $unit } invites you: { $count } questions, { $minutes } minutes per attempt.
    Open: { $start } – { $end }.
    Press «Start» or type 1 when you are ready.
qz-start-button = Start
qz-not-for-you = This quiz is not for you. Nothing changed.
qz-not-found = This quiz was not found in your unit.
qz-not-yet = The quiz has not opened yet. Please come back at { $start }.
qz-no-attempts-left = You have used all your attempts. Best result: { $score }/{ $count } correct, { $time }. The answers are shown after { $end }.
qz-start-head = <b>{ $title }</b>: { $count } questions, { $minutes } minutes (attempt { $attempt }/{ $attempts }). The clock starts now!
qz-question =
    <b>Question { $n }/{ $count }</b> (about { $minutes } min left)
    { $question }
qz-ask-guess =
    <b>Tie-break:</b> { $question }
    Type a number.
qz-bad-guess = Please type a number (0 to { $max }).
qz-time-up = ⏰ Time is up! Your attempt counts as it stood.
qz-done = ✅ You finished «{ $title }»: <b>{ $score }/{ $count }</b> correct, time { $time }.
qz-attempts-left = You have { $n } attempt(s) left; your best result counts.
qz-reveal-after = The answers are shown after { $end } (type /cuocthi).
qz-reveal-head = <b>Answers to «{ $title }»</b>
qz-your-best = Your result: { $score }/{ $count } correct, { $time }.
qz-results-head =
    🏆 <b>{ $title }</b> — { $unit }
    Open: { $start } – { $end }
    Entrants: <b>{ $entrants }</b>/{ $members } members ({ $rate }) · average score { $avg }/{ $count }
qz-ranking = <b>Individual ranking</b> (score, then time, then the tie-break):
qz-nobody-yet = Nobody has finished yet.
qz-guess-short = guess
qz-board = <b>Unit leaderboard</b> (by entrants):
qz-board-row = { $rank }. { $unit }: { $entrants }/{ $members } people ({ $rate }) · avg { $avg }
qz-look-into = Look into: { $unit }
qz-back-up = Back to my unit
qz-export = Download the ranking and winners (.xlsx)
qz-export-coming = Preparing the ranking files…
qz-reveal = See the answers
qz-view-what = More:
qz-export-caption = Ranking of «{ $title }»: { $rows } people.
qz-winners-caption = Winners of «{ $title }»: { $rows } people.
qz-col-rank = Rank
qz-col-name = Name
qz-col-unit = Unit
qz-col-score = Correct
qz-col-time = Time
qz-col-guess = Guess
qz-col-winner = Winner
qz-attempt-closed = This attempt is over (time ran out) and counts as it stood. Type /cuocthi to see more.
qz-swept = ⏰ Time is up for «{ $title }». Your attempt counts as it stood: { $score }/{ $count } correct. Send /cuocthi to see it.
