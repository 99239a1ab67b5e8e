# Daily case deadline reminders (e-mail, plain text).

reminders-subject = Case deadlines: { $overdue } overdue, { $soon } within { $days } { $days ->
    [one] day
   *[other] days
}
reminders-subject-head = Case deadlines ({ $units }): { $overdue } overdue, { $soon } within { $days } { $days ->
    [one] day
   *[other] days
}
reminders-greeting = Hello { $name },
reminders-intro = These are your cases whose deadline has passed or ends within { $days } { $days ->
    [one] day
   *[other] days
} (as of { $date }).
reminders-intro-head = These are the cases of the units { $units } (with the units below them) whose deadline has passed or ends within { $days } { $days ->
    [one] day
   *[other] days
} (as of { $date }), by official.
reminders-section-overdue = OVERDUE ({ $count })
reminders-section-soon = DUE WITHIN { $days } { $days ->
    [one] DAY
   *[other] DAYS
} ({ $count })
reminders-unassigned = Not assigned
reminders-due = due: { $date } — { $status }
reminders-due-today = due today
reminders-days-left = { $days ->
    [one] { $days } day left
   *[other] { $days } days left
}
reminders-days-overdue = { $days ->
    [one] { $days } day overdue
   *[other] { $days } days overdue
}
reminders-footer = Sent automatically by Magistrat. Please do not reply; you will find the cases in the system under "Cases".
