# Codzienne przypomnienia o terminach spraw (e-mail, zwykły tekst).

reminders-subject = Terminy spraw: { $overdue } po terminie, { $soon } w ciągu { $days } { $days ->
    [one] dnia
   *[other] dni
}
reminders-subject-head = Terminy spraw ({ $units }): { $overdue } po terminie, { $soon } w ciągu { $days } { $days ->
    [one] dnia
   *[other] dni
}
reminders-greeting = Dzień dobry, { $name }.
reminders-intro = Oto prowadzone przez Panią/Pana sprawy, których termin załatwienia minął lub upływa w ciągu { $days } { $days ->
    [one] dnia
   *[other] dni
} (stan na { $date }).
reminders-intro-head = Oto sprawy komórek organizacyjnych: { $units } (z komórkami podległymi), których termin załatwienia minął lub upływa w ciągu { $days } { $days ->
    [one] dnia
   *[other] dni
} (stan na { $date }), według prowadzących.
reminders-section-overdue = PO TERMINIE ({ $count })
reminders-section-soon = TERMIN W CIĄGU { $days } { $days ->
    [one] DNIA
   *[other] DNI
} ({ $count })
reminders-unassigned = Nieprzydzielone
reminders-due = termin: { $date } — { $status }
reminders-due-today = termin upływa dziś
reminders-days-left = { $days ->
    [one] został { $days } dzień
    [few] zostały { $days } dni
   *[many] zostało { $days } dni
}
reminders-days-overdue = { $days ->
    [one] { $days } dzień po terminie
   *[other] { $days } dni po terminie
}
reminders-footer = Wiadomość wysłana automatycznie przez system Magistrat. Prosimy na nią nie odpowiadać; sprawy znajdziesz w systemie na liście „Sprawy”.
