/* Beacon public portal: quick exit (button and Escape), and the 911 reminder on the tip form.
   Everything works without this file: the quick-exit link is a real link. */
(function () {
  "use strict";
  var exit = document.getElementById("quick-exit");
  function leave(event) {
    if (event) { event.preventDefault(); }
    var target = exit ? exit.getAttribute("href") : "https://www.weather.gov/";
    document.title = "";
    document.body.hidden = true;
    // replace() swaps the current history entry, so Back does not return here.
    window.location.replace(target);
  }
  if (exit) { exit.addEventListener("click", leave); }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
  var danger = document.getElementById("id_danger_now");
  var alertBox = document.getElementById("danger-alert");
  if (danger && alertBox) {
    danger.addEventListener("change", function () {
      alertBox.classList.toggle("highlight", danger.checked);
      if (danger.checked) { alertBox.scrollIntoView({ block: "start" }); alertBox.focus && alertBox.focus(); }
    });
  }
  // One click sends the form once (the server also ignores repeats of the same submission).
  var forms = document.querySelectorAll("form.tip-form");
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
