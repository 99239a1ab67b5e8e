# Resident accounts: sign-in by a link sent by e-mail and the list of one's own cases.

nav-my-cases = My cases
resident-title = My cases
resident-intro = Enter the e-mail address you give in e-service applications. We will send a sign-in link to it: when you open it you will see every case filed with that address. No password and no registration needed.
resident-email = E-mail address
resident-email-hint = For example jan.kowalski@example.pl
resident-email-missing = Enter an e-mail address.
resident-email-invalid = Enter a valid e-mail address, for example jan.kowalski@example.pl.
resident-send = Send me a sign-in link
resident-send-again = Send the link again
resident-sent-heading = Check your mailbox.
resident-sent = If { $email } is a valid address, a message with a sign-in link is on its way to it. The link works for { $minutes } minutes and only once. No message? Check your spam folder or send the link again.
resident-no-account = Rather not sign in? You can check any case with the code from its filing confirmation:
resident-track-link = check a case's status
resident-link-title = Signing in to “My cases”
resident-link-confirm = Sign in as { $email } to see your cases.
resident-link-submit = Sign in
resident-link-gone = This sign-in link has expired, has been used already, or is incomplete.
resident-link-again = Ask for a new link
resident-cases-title = My cases
resident-signed-in-as = Signed in as { $email }. Below are the cases filed with this address.
resident-sign-out = Sign out
resident-cases-none = No e-service application has been filed with this address yet.
resident-services-link = Go to the catalogue of services
resident-cases-caption = Cases filed with your e-mail address, newest first
resident-case-service = Service
resident-case-filed = Filed
flash-resident-signed-in = Signed in. Here are your cases.
flash-resident-signed-out = Signed out.

resident-mail-subject = Sign-in link — { $office }
resident-mail-body = Hello,

    someone (probably you) asked to sign in to “My cases” at { $office }.
    To sign in, open this link within { $minutes } minutes:

    { $link }

    The link works once. If you did not ask to sign in, ignore this message:
    nobody sees your cases without opening the link.

    { $office }
