/* The acknowledgement's "copy" and "print this page" buttons. They stay hidden without
   JavaScript (or without a clipboard): the codename can still be written down or selected. */
(function () {
  "use strict";
  var codename = document.getElementById("codename");
  var copy = document.getElementById("copy-codename");
  var print = document.getElementById("print-page");
  if (codename && copy && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(codename.textContent.trim()).then(function () {
        copy.textContent = copy.getAttribute("data-copied");
      });
    });
  }
  if (print && window.print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
