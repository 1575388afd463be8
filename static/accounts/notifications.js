// Live inbox: new notifications arrive over /ws/notifications/ (session-authenticated) and are
// prepended to the list. The page works without it; a reload always shows the stored inbox.
(function () {
  "use strict";
  // Strings come from Django's JavaScript catalog (base.html loads it): gettext / ngettext / interpolate.
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (fmt, args) { return fmt.replace("%s", args[0]); };
  var list = document.getElementById("inbox");
  var status = document.getElementById("live-status");
  var counter = document.getElementById("unread-count");
  if (!list || !window.WebSocket) return;
  var unread = parseInt(counter && counter.textContent, 10) || 0;
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var retry = 1000;

  function render(n) {
    var li = document.createElement("li");
    li.className = "card inbox-item unread";
    li.id = "n-" + n.id;
    var row = document.createElement("div");
    row.className = "row";
    var title = document.createElement("strong");
    title.textContent = n.title;
    var badge = document.createElement("span");
    badge.className = "badge warn";
    badge.textContent = gettext("new");
    row.appendChild(title);
    row.appendChild(badge);
    li.appendChild(row);
    if (n.body) {
      var p = document.createElement("p");
      p.textContent = n.body;
      li.appendChild(p);
    }
    if (n.url && n.url.charAt(0) === "/") {
      var a = document.createElement("a");
      a.href = n.url;
      a.textContent = gettext("Open");
      li.appendChild(a);
    }
    return li;
  }

  function connect() {
    var ws = new WebSocket(scheme + location.host + "/ws/notifications/");
    ws.onopen = function () { retry = 1000; if (status) status.textContent = gettext("Live: new notifications appear here."); };
    ws.onmessage = function (msg) {
      var data;
      try { data = JSON.parse(msg.data); } catch (e) { return; }
      if (data.type !== "notification.new" || !data.notification) return;
      if (document.getElementById("n-" + data.notification.id)) return;
      var empty = document.getElementById("inbox-empty");
      if (empty) empty.remove();
      list.insertBefore(render(data.notification), list.firstChild);
      unread += 1;
      if (counter) counter.textContent = interpolate(ngettext("%s unread", "%s unread", unread), [unread]);
    };
    ws.onclose = function (ev) {
      if (ev.code === 4401) return;
      if (status) status.textContent = gettext("Reconnecting…");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  connect();
})();
