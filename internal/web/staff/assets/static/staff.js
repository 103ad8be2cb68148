// Plein staff screens: a live preview of the post being written. The form
// works without this script; it only saves a click on "Preview".
(function () {
  "use strict";
  var text = document.getElementById("text");
  var target = text && document.getElementById(text.getAttribute("data-preview"));
  var csrf = document.querySelector("input[name=csrf]");
  if (!text || !target || !csrf || !window.fetch) {
    return;
  }
  var timer = null;
  var pending = null;
  function update() {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var body = new URLSearchParams();
    body.set("text", text.value);
    fetch("/staff/preview", {
      method: "POST",
      headers: { "X-CSRF-Token": csrf.value },
      body: body,
      credentials: "same-origin",
      signal: pending.signal
    }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      // The server returns Markdown rendered and sanitised by Plein.
      if (html !== null) {
        target.innerHTML = html;
      }
    }).catch(function () {});
  }
  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
})();
