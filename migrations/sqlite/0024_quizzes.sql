-- Quiz contests (`/cuocthi`), issue 19: an officer loads 1-50 multiple-choice questions
-- (2-6 options, one correct), a window, the minutes for one attempt, the attempts
-- allowed and an optional tie-break guess, for members of their subtree. Members take it
-- one question at a time; results rank people and roll up the tree per unit.
CREATE TABLE quizzes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the author's unit (officers of its subtree and above see the results)
    unit_id INTEGER NOT NULL REFERENCES units(id),
    created_by INTEGER REFERENCES members(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    -- JSON: [{"text": "...", "options": ["...", ...], "correct": 0}]
    questions TEXT NOT NULL,
    question_count INTEGER NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    -- the tie-break question ("dự đoán số người tham gia") and its answer (NULL: the
    -- number of entrants when the window closes)
    tiebreak TEXT,
    tiebreak_answer INTEGER,
    -- who takes it: the members of this unit's subtree (leaders only with the role)
    target_unit_id INTEGER NOT NULL REFERENCES units(id),
    target_role TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX quizzes_unit ON quizzes(unit_id);

-- the chosen child units (none: the whole target subtree)
CREATE TABLE quiz_units (
    quiz_id INTEGER NOT NULL REFERENCES quizzes(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (quiz_id, unit_id)
);

-- the correct option of each question, for scoring in SQL
CREATE TABLE quiz_keys (
    quiz_id INTEGER NOT NULL REFERENCES quizzes(id) ON DELETE CASCADE,
    question INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    PRIMARY KEY (quiz_id, question)
);

-- one row per member invited, with their unit then
CREATE TABLE quiz_recipients (
    quiz_id INTEGER NOT NULL REFERENCES quizzes(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (quiz_id, member_id)
);
CREATE INDEX quiz_recipients_member ON quiz_recipients(member_id);

-- one row per attempt; `answered` questions so far, `score` correct so far; an attempt
-- past `deadline_at` is scored as it stands (closed by the next answer or the sweep)
CREATE TABLE quiz_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    quiz_id INTEGER NOT NULL REFERENCES quizzes(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    attempt_no INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    deadline_at INTEGER NOT NULL,
    answered INTEGER NOT NULL DEFAULT 0,
    score INTEGER NOT NULL DEFAULT 0,
    -- when the last answer came (the time ranked, once all are answered)
    last_at INTEGER,
    finished_at INTEGER,
    guess INTEGER,
    UNIQUE (quiz_id, member_id, attempt_no)
);
CREATE INDEX quiz_attempts_member ON quiz_attempts(member_id, quiz_id);
CREATE INDEX quiz_attempts_open ON quiz_attempts(deadline_at) WHERE finished_at IS NULL;

-- one row per answer given
CREATE TABLE quiz_answers (
    attempt_id INTEGER NOT NULL REFERENCES quiz_attempts(id) ON DELETE CASCADE,
    question INTEGER NOT NULL,
    choice INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, question)
);

-- each entrant's best finished attempt (score desc, then time asc): the ranking and the
-- unit leaderboards read only this
CREATE TABLE quiz_results (
    quiz_id INTEGER NOT NULL REFERENCES quizzes(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    score INTEGER NOT NULL,
    elapsed_ms INTEGER NOT NULL,
    guess INTEGER,
    finished_at INTEGER NOT NULL,
    PRIMARY KEY (quiz_id, member_id)
);
CREATE INDEX quiz_results_rank ON quiz_results(quiz_id, score DESC, elapsed_ms);
CREATE INDEX quiz_results_unit ON quiz_results(quiz_id, unit_id);
