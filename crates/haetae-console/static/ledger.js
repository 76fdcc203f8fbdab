// Haetae console: checks in the browser that a request id's entry is in the transparency log. Vendored, no
// dependencies. The root comes from the checkpoint on the page (compare it with what your witnesses cosigned);
// the entry comes from its entry-bundle tile and its leaf hash from the level-0 hash tile, both served under
// /ledger/tile; the proof hashes are folded up with WebCrypto SHA-256 as RFC 6962 / RFC 9162 §2.1.3.2 say.
// Nothing the server says is taken on trust except the bytes being hashed.
"use strict";
(function () {
  var form = document.getElementById("verify");
  var out = document.getElementById("verify-result");
  if (!form || !out) { return; }
  var base = form.getAttribute("data-ledger");

  function say(kind, extra) {
    out.textContent = out.getAttribute("data-" + kind) + (extra ? " " + extra : "");
    out.className = kind;
  }
  function b64ToBytes(s) {
    var bin = atob(s.trim());
    var b = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { b[i] = bin.charCodeAt(i); }
    return b;
  }
  function concat(parts) {
    var n = 0;
    parts.forEach(function (p) { n += p.length; });
    var out = new Uint8Array(n);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }
  function sha256(bytes) {
    return crypto.subtle.digest("SHA-256", bytes).then(function (d) { return new Uint8Array(d); });
  }
  function leafHash(entry) { return sha256(concat([new Uint8Array([0]), entry])); }
  function nodeHash(l, r) { return sha256(concat([new Uint8Array([1]), l, r])); }
  function equal(a, b) {
    if (a.length !== b.length) { return false; }
    var d = 0;
    for (var i = 0; i < a.length; i++) { d |= a[i] ^ b[i]; }
    return d === 0;
  }
  // tlog-tiles index: groups of three digits, all but the last prefixed with "x".
  function formatIndex(n) {
    var s = String(n);
    while (s.length % 3) { s = "0" + s; }
    var groups = s.match(/.{3}/g);
    return groups.map(function (g, i) { return i < groups.length - 1 ? "x" + g : g; }).join("/");
  }
  function tilePath(kind, n, size) {
    var width = Math.min(256, size - n * 256);
    return base + "/tile/" + kind + "/" + formatIndex(n) + (width < 256 ? ".p/" + width : "");
  }
  function fetchBytes(url) {
    return fetch(url, { credentials: "omit" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
      return r.arrayBuffer();
    }).then(function (b) { return new Uint8Array(b); });
  }
  // An entry bundle: each entry a big-endian u16 length, then its bytes.
  function bundleEntry(bundle, i) {
    var at = 0;
    for (var k = 0; ; k++) {
      if (at + 2 > bundle.length) { throw new Error("entry bundle too short"); }
      var len = (bundle[at] << 8) | bundle[at + 1];
      if (k === i) { return bundle.subarray(at + 2, at + 2 + len); }
      at += 2 + len;
    }
  }
  // RFC 9162 §2.1.3.2: the root a leaf hash and its inclusion path give for leaf `index` of `size`.
  function rootFromProof(index, size, leaf, proof) {
    if (index >= size) { return Promise.reject(new Error("index beyond the tree")); }
    var fn = index, sn = size - 1;
    var r = Promise.resolve(leaf);
    for (var k = 0; k < proof.length; k++) {
      if (sn === 0) { return Promise.reject(new Error("proof too long")); }
      var p = proof[k];
      if ((fn & 1) === 1 || fn === sn) {
        r = r.then(nodeHash.bind(null, p));
        if ((fn & 1) === 0) {
          while ((fn & 1) === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        }
      } else {
        r = r.then((function (q) { return function (h) { return nodeHash(h, q); }; })(p));
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    if (sn !== 0) { return Promise.reject(new Error("proof too short")); }
    return r;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!window.crypto || !crypto.subtle) { say("no-webcrypto"); return; }
    var lines = document.getElementById("checkpoint").textContent.split("\n");
    var size = parseInt(lines[1], 10);
    var root = b64ToBytes(lines[2]);
    var requestId = document.getElementById("verify-index").value.trim();
    var proofUrl = base + "/proof/inclusion?request_id=" + encodeURIComponent(requestId) + "&tree_size=" + size;
    var index;
    fetch(proofUrl, { credentials: "omit" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (p) {
        index = p.leaf_index;
        if (p.tree_size !== size) { throw new Error("proof for another tree size"); }
        var n = Math.floor(index / 256);
        return Promise.all([
          fetchBytes(tilePath("entries", n, size)),
          fetchBytes(tilePath("0", n, size)),
          p.proof.map(b64ToBytes)
        ]);
      })
      .then(function (got) {
        var entry = bundleEntry(got[0], index % 256);
        var hashes = got[1];
        var proof = got[2];
        return leafHash(entry).then(function (leaf) {
          var fromTile = hashes.subarray((index % 256) * 32, (index % 256) * 32 + 32);
          if (!equal(leaf, fromTile)) { return false; }
          return rootFromProof(index, size, leaf, proof).then(function (r) { return equal(r, root); });
        });
      })
      .then(function (ok) { say(ok ? "ok" : "bad", ok ? "(#" + index + ")" : ""); },
            function (err) { say("error", err && err.message ? err.message : String(err)); });
  });
})();
