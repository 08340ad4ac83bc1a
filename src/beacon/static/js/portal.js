/* Beacon public portal: quick exit (button, and Escape outside text fields or twice inside one), and the 911 reminder on the tip form.
   Everything works without this file: the quick-exit link is a real link. */
(function () {
  "use strict";
  var exit = document.getElementById("quick-exit");
  var leaving = false;
  function leave(event) {
    if (event) { event.preventDefault(); }
    // Once: a further press while the neutral site loads would start a second navigation, which
    // can cancel the visitor's Back (or leave two entries of the neutral site behind).
    if (leaving) { return; }
    leaving = true;
    var target = exit ? exit.getAttribute("href") : "https://www.weather.gov/";
    document.title = "";
    document.body.hidden = true;
    // replace() swaps the current history entry, so Back does not return here.
    window.location.replace(target);
  }
  if (exit) { exit.addEventListener("click", leave); }

  // Escape leaves at once, except while typing: there Esc also closes suggestions, cancels an
  // input method's composition and is pressed by reflex, and leaving would lose a half-written
  // report. In a text field a second Esc within a moment leaves; the first one says so.
  var AGAIN_MS = 1500;
  var firstEscape = 0;
  var status = document.getElementById("quick-exit-status");
  var NOT_TEXT = { button: 1, checkbox: 1, radio: 1, submit: 1, reset: 1, file: 1, image: 1, range: 1, color: 1 };
  function typing(element) {
    if (!element || !element.tagName) { return false; }
    if (element.isContentEditable) { return true; }
    var tag = element.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") { return true; }
    return tag === "input" && !NOT_TEXT[(element.getAttribute("type") || "text").toLowerCase()];
  }
  function say(text) {
    if (!status) { return; }
    status.textContent = text;
  }
  document.addEventListener("keydown", function (event) {
    // A key that is not Esc, or a physical Tab, tells us a keyboard is there: show the Esc hint.
    if (event.key === "Tab") { document.documentElement.classList.add("has-keyboard"); }
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    if (event.isComposing || event.keyCode === 229) { return; }  // Esc cancelling an input method
    if (event.repeat) { return; }  // a key held down is not a double press
    if (!typing(event.target)) { leave(event); return; }
    var now = Date.now();
    if (firstEscape && now - firstEscape <= AGAIN_MS) { leave(event); return; }
    firstEscape = now;
    say(status ? status.getAttribute("data-again") : "");
    window.setTimeout(function () {
      if (Date.now() - firstEscape >= AGAIN_MS) { firstEscape = 0; say(""); }
    }, AGAIN_MS);
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
