// Haetae console: the passkey ceremonies (enrolment and sign-in). Vendored, no dependencies; served from the
// gateway itself so the Content-Security-Policy can forbid every other script.
"use strict";
(function () {
  function b64urlToBytes(s) {
    var b64 = s.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }
  function bytesToB64url(buf) {
    var bytes = new Uint8Array(buf);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf() },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }
  function status(text) {
    var el = document.getElementById("passkey-status");
    if (el) { el.textContent = text; }
  }
  function failed(err) {
    var el = document.getElementById("passkey-status");
    status((el ? el.getAttribute("data-failed") : "") + " (" + (err && err.message ? err.message : err) + ")");
  }
  function creationOptions(o) {
    var pk = o.publicKey;
    pk.challenge = b64urlToBytes(pk.challenge);
    pk.user.id = b64urlToBytes(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = b64urlToBytes(c.id); });
    return { publicKey: pk };
  }
  function requestOptions(o) {
    var pk = o.publicKey;
    pk.challenge = b64urlToBytes(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = b64urlToBytes(c.id); });
    return { publicKey: pk };
  }
  function registration(cred) {
    return {
      id: cred.id,
      rawId: bytesToB64url(cred.rawId),
      type: cred.type,
      extensions: {},
      response: {
        attestationObject: bytesToB64url(cred.response.attestationObject),
        clientDataJSON: bytesToB64url(cred.response.clientDataJSON)
      }
    };
  }
  function assertion(cred) {
    var r = cred.response;
    return {
      id: cred.id,
      rawId: bytesToB64url(cred.rawId),
      type: cred.type,
      extensions: {},
      response: {
        authenticatorData: bytesToB64url(r.authenticatorData),
        clientDataJSON: bytesToB64url(r.clientDataJSON),
        signature: bytesToB64url(r.signature),
        userHandle: r.userHandle ? bytesToB64url(r.userHandle) : null
      }
    };
  }
  function done(answer) { window.location.assign(answer.redirect); }

  var enrol = document.getElementById("enrol");
  if (enrol) {
    enrol.addEventListener("submit", function (ev) {
      ev.preventDefault();
      status("…");
      post(enrol.getAttribute("data-begin"), {})
        .then(function (o) { return navigator.credentials.create(creationOptions(o)); })
        .then(function (cred) { return post(enrol.getAttribute("data-finish"), registration(cred)); })
        .then(done, failed);
    });
  }
  var signin = document.getElementById("signin");
  if (signin) {
    signin.addEventListener("submit", function (ev) {
      ev.preventDefault();
      status("…");
      var name = document.getElementById("name").value;
      post(signin.getAttribute("data-begin"), { name: name })
        .then(function (o) { return navigator.credentials.get(requestOptions(o)); })
        .then(function (cred) { return post(signin.getAttribute("data-finish"), assertion(cred)); })
        .then(done, failed);
    });
  }
})();
