// The teacher's class screen: every 2 seconds, ask whether pupils joined
// or answered or the question moved, and reload when they did. Without
// JavaScript the page refreshes itself every 5 seconds.
(function () {
  var live = document.getElementById('live');
  if (!live) return;
  var url = live.getAttribute('data-state'), version = live.getAttribute('data-version');
  function poll() {
    fetch(url, {credentials: 'same-origin', cache: 'no-store'}).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && s.version !== version) { location.reload(); return; }
        setTimeout(poll, 2000);
      }, function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
