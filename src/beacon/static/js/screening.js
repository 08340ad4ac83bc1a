// Screening pages: progressive enhancement only (printing; autosave of the whole list is done by htmx).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains("js-print")) {
      event.preventDefault();
      window.print();
    }
  });
})();
