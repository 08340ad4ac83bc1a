// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Send the CSRF token with htmx requests (the token is in a hidden form field on the page).
  document.addEventListener("htmx:configRequest", function (event) {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { event.detail.headers["X-CSRFToken"] = input.value; }
  });
  // Language switch submits on change.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select && select.id === "language-select" && select.form) { select.form.submit(); }
  });
})();
