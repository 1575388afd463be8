// Follows /ws/analysis/<id>/ (session auth) and reloads when the analysis is done or failed.
// Falls back to polling the JSON status every 2 s when WebSockets are unavailable or drop.
(function () {
  "use strict";
  var root = document.getElementById("analysis");
  if (!root) return;
  var statusUrl = root.dataset.statusUrl;
  var label = document.getElementById("processing-status");
  var finished = false;
  var pollTimer = null;
  var TEXT = { queued: "Waiting for the analyser…", processing: "Analysing your photo…" };

  function handle(status) {
    if (finished) return;
    if (status === "done" || status === "failed") {
      finished = true;
      window.location.reload();
      return;
    }
    if (label && TEXT[status]) label.textContent = TEXT[status];
  }

  function poll() {
    if (finished || pollTimer) return;
    pollTimer = window.setInterval(function () {
      fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) handle(data.status); })
        .catch(function () {});
    }, 2000);
  }

  if (!("WebSocket" in window)) { poll(); return; }
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var ws;
  try { ws = new WebSocket(scheme + window.location.host + root.dataset.wsPath); }
  catch (e) { poll(); return; }
  ws.onmessage = function (ev) {
    try { handle(JSON.parse(ev.data).status); } catch (e) { /* ignore malformed */ }
  };
  ws.onclose = function () { poll(); };
  ws.onerror = function () { poll(); };
  // Safety net: if nothing arrived within 15 s, poll as well.
  window.setTimeout(poll, 15000);
})();
