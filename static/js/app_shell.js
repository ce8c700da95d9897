// Every page: registers the service worker (templates/app_shell/service-worker.js), which
// makes the site installable and shows an offline page when the network is gone. Where
// service workers are missing (an old browser, a private window), the site works as before.
(() => {
  const script = document.currentScript;
  const url = script && script.dataset.serviceWorker;
  if (!url || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {
    // Not registered (blocked, or over plain http off localhost): nothing to install, no harm.
  });
})();
