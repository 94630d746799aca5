// The decision form: says at once when the chosen decision would override the panel.
// A hint only: the server applies the rule (and the page works without this file).
(function () {
  "use strict";
  var form = document.querySelector(".decision-form");
  if (!form) return;
  var choices = form.querySelector("[data-overriding]");
  var overriding = (choices.getAttribute("data-overriding") || "").split(" ").filter(Boolean);
  var reason = form.querySelector("textarea[name=override_reason]");
  var needed = document.getElementById("override-needed");

  function update() {
    var chosen = form.querySelector("input[name=decision]:checked");
    var overrides = Boolean(chosen) && overriding.indexOf(chosen.value) !== -1;
    needed.hidden = !overrides;
    reason.required = overrides;
    if (overrides) {
      reason.setAttribute("aria-describedby", "override-needed");
    } else {
      reason.removeAttribute("aria-describedby");
    }
  }

  form.addEventListener("change", update);
  update();
})();
