// Search suggestions: fills the <datalist> from /ingredients/suggest/?q= as the person types.
(function () {
  var input = document.getElementById("ing-q");
  var list = document.getElementById("ing-suggestions");
  if (!input || !list) return;
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(function () {
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          list.innerHTML = "";
          data.results.forEach(function (s) {
            var opt = document.createElement("option");
            opt.value = s.label;
            opt.label = s.kind;
            list.appendChild(opt);
          });
        });
    }, 200);
  });
})();
