home-title = Home
home-lead = Get your matter done at the office: see where and when to find us.
home-contact = Contact
home-phone = Phone
home-email = E-mail
home-bip = Public Information Bulletin (BIP)
home-locations = Where to find us
home-hours = Opening hours
home-accessibility = Accessibility
hours-closed = closed
location-kind-building = Office building
location-kind-service-point = Residents' service point
staff-home-title = Dashboard
staff-home-welcome = Hello, { $name }
staff-home-roles = Your roles

audit-title = Audit trail
audit-filters = Audit trail filters
audit-filter-actor = Who (login)
audit-filter-entity-type = Entity type
audit-filter-entity-id = Entity id
audit-filter-from = From
audit-filter-to = To
audit-filter-submit = Filter
audit-filter-clear = Clear filters
audit-range-reversed = The end date is before the start date.
audit-none = No events match.
audit-caption = Events, newest first
audit-col-time = Time
audit-col-actor = Who
audit-col-action = Action
audit-col-entity = Entity
audit-col-change = Change
audit-before = Before
audit-after = After
audit-older = Older events

## The home page's resident tasks and the officials' workbench (issue 15)
home-tasks = What would you like to do?
home-task-find = Find your matter
home-task-online = Apply online
home-task-status = Check a case's status
home-task-my-cases = My cases
home-task-petitions = Petitions
home-task-service-points = Service point queue
home-task-contact = Contact the office
workbench-today = Today's work
workbench-my-overdue = of my cases overdue
workbench-my-today = of my cases due today
workbench-my-week = of my cases due within 7 days
workbench-my-open = of my cases open
workbench-unassigned = unassigned cases in my units
workbench-unit-overdue = cases of my units overdue
workbench-letters = letters awaiting dekretacja
workbench-my-cases = My cases by due date
workbench-my-caption = My open cases, nearest due date first
workbench-my-none = You have no open cases.
workbench-my-all = All my cases
workbench-unassigned-heading = New cases to assign
workbench-unassigned-caption = Unassigned cases of my units, nearest due date first
workbench-unassigned-none = Every case of my units has an official.
workbench-unassigned-all = All unassigned cases
workbench-letters-heading = Letters awaiting dekretacja
workbench-letters-caption = Letters without a dekretacja or a case, oldest first
workbench-letters-none = No letter is awaiting dekretacja.
workbench-register-number = Number
workbench-received = Received
workbench-sender = Sender
workbench-subject = Subject
workbench-everything = All sections
workbench-days-overdue = { $n ->
    [one] { $n } day overdue
   *[other] { $n } days overdue
}
workbench-days-left = { $n ->
    [one] { $n } day left
   *[other] { $n } days left
}
workbench-take = Take
workbench-take-label = Take case { $znak }
workbench-action = Action

# The service points' queues on the public home page.
home-queue = Service point queues now
home-queue-open-now = Open now
home-queue-open-desks = Open desks
home-queue-caption = People waiting and the estimated wait by matter
home-queue-category = Matter
home-queue-desks = Desks serving it
home-queue-waiting = People waiting
home-queue-wait = Estimated wait
home-queue-minutes = about { $minutes } min
home-queue-no-desk = no desk serving now
home-queue-closed = Closed now; no opening hours are set for the coming weeks.
home-queue-closed-opens = Closed now. Opens { $day } at { $time }.
home-queue-live = Live queue at { $point }
