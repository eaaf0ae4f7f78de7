// The trip calculator, where scripts run: a picked origin fills in its mode and
// distance, and the result refreshes as you type, fetched from /calculator/result (the
// server computes every figure, exactly as the API does). Without scripts the form
// submits as usual.
(function () {
  "use strict";
  var form = document.getElementById("trip");
  var result = document.getElementById("result");
  if (!form || !result || !window.fetch) return;
  var timer = null;
  var latest = 0;

  function query() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("add");
    return params.toString();
  }

  function refresh() {
    var asked = ++latest;
    var q = query();
    fetch("/calculator/result?" + q, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || asked !== latest) return;
        result.innerHTML = html;
        history.replaceState(null, "", "/calculator?" + q);
      })
      .catch(function () { /* offline: the Calculate button still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }

  form.addEventListener("change", function (event) {
    var origin = event.target;
    if (origin.classList.contains("origin") && origin.value) {
      var picked = origin.options[origin.selectedIndex];
      var row = origin.closest(".row");
      row.querySelector(".mode").value = picked.dataset.mode;
      row.querySelector(".distance").value = picked.dataset.km;
    }
    later();
  });
  form.addEventListener("input", later);
})();
