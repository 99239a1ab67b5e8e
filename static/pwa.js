// Registers the service worker (/sw.js) that keeps the public site usable offline:
// the shell, the service catalogue and the e-tickets visited (docs/decisions/0038).
if ('serviceWorker' in navigator) {
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {
      // No worker (private mode, old browser): the site works online as before.
    });
  });
}
