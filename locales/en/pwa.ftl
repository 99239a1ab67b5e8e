## The installable site and its offline page (src/pwa)
pwa-description = Office matters, queue tickets and the Public Information Bulletin of the office.
pwa-offline-title = No internet connection
pwa-offline-lead = This page is not stored on your device, and the office cannot be reached right now.
pwa-offline-kept = Without a connection, the pages already opened on this device work:
pwa-offline-home = the office's home page
pwa-offline-services = the service catalogue (the cards you opened)
pwa-offline-tickets = Open your queue e-ticket with the same link as before; it shows the state at your last connection. When the connection is back, reload the page.
