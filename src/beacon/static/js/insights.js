// Insights dashboard: mark a panel as loaded once htmx has swapped its content in, and say so
// plainly when a panel could not be loaded (htmx leaves the placeholder on an error response).
(function () {
  "use strict";
  function panelOf(event) {
    var target = event.detail && (event.detail.target || event.detail.elt);
    return target && target.classList && target.classList.contains("insight") ? target : null;
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = panelOf(event);
    if (panel) { panel.setAttribute("aria-busy", "false"); }
  });
  function failed(event) {
    var panel = panelOf(event);
    if (!panel) { return; }
    panel.setAttribute("aria-busy", "false");
    var loading = panel.querySelector(".loading");
    if (loading && panel.getAttribute("data-error")) {
      loading.firstChild.textContent = panel.getAttribute("data-error") + " ";
      loading.setAttribute("role", "alert");
    }
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
