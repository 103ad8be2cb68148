// Plein staff screens: passkeys. Registering a passkey and logging in with
// one need the browser's WebAuthn interface, so this script does both;
// everything else on these pages works without it.
(function () {
  "use strict";
  var PKC = window.PublicKeyCredential;
  if (!PKC || !PKC.parseCreationOptionsFromJSON || !PKC.parseRequestOptionsFromJSON || !window.fetch) {
    return;
  }
  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
      credentials: "same-origin"
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) {
          throw j;
        }
        return j;
      });
    });
  }
  function fail(el, err) {
    var box = document.getElementById("passkey-error");
    if (box) {
      box.textContent = (err && err.error) || el.getAttribute("data-failed");
      box.hidden = false;
    }
  }

  var form = document.getElementById("passkey-register");
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var csrf = form.querySelector("input[name=csrf]").value;
      var next = form.querySelector("input[name=next]");
      var name = form.querySelector("input[name=name]").value;
      post("/staff/second-factor/passkeys/begin", csrf, {}).then(function (begun) {
        var options = PKC.parseCreationOptionsFromJSON(begun.options);
        return navigator.credentials.create({ publicKey: options }).then(function (cred) {
          return post("/staff/second-factor/passkeys/finish", csrf, {
            token: begun.token, name: name, next: next ? next.value : "", credential: cred.toJSON()
          });
        });
      }).then(function (done) {
        window.location.assign(done.next);
      }).catch(function (err) {
        fail(form, err);
      });
    });
  }

  var button = document.getElementById("passkey-login");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var csrf = button.getAttribute("data-csrf");
      var q = "?lang=" + encodeURIComponent(button.getAttribute("data-lang") || "");
      post("/staff/login/passkey/begin" + q, csrf, {}).then(function (begun) {
        var options = PKC.parseRequestOptionsFromJSON(begun.options);
        return navigator.credentials.get({ publicKey: options }).then(function (cred) {
          return post("/staff/login/passkey/finish" + q, csrf, {
            token: begun.token, next: button.getAttribute("data-next") || "", credential: cred.toJSON()
          });
        });
      }).then(function (done) {
        window.location.assign(done.next);
      }).catch(function (err) {
        fail(button, err);
      });
    });
  }
})();
