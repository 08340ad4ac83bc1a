// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Send the CSRF token with htmx requests (the token is in a hidden form field on the page).
  document.addEventListener("htmx:configRequest", function (event) {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { event.detail.headers["X-CSRFToken"] = input.value; }
  });
  // The language menu does not submit on change: arrow keys move through a closed <select> and
  // would reload the page at each step (WCAG 3.2.2). Its "Change" button sends the choice.
})();
