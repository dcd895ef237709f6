/* Proof-of-work for forms that carry a challenge (common/pow.py): before the form is sent, find a
   number n such that SHA-256("<challenge>:<n>") starts with the asked number of zero bits, put it in
   the form, then send it. No third party is involved; a person waits a second or two. Forms marked
   data-pow-auto are sent as soon as the answer is found (the vote check page). */
(function () {
  "use strict";

  function zeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { bits += 1; b <<= 1; }
      return bits;
    }
    return bits;
  }

  function solve(challenge, difficulty) {
    var encoder = new TextEncoder();
    var n = 0;
    function batch() {
      var tries = [];
      for (var k = 0; k < 256; k++, n++) {
        tries.push((function (candidate) {
          return crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + candidate)).then(function (digest) {
            return zeroBits(new Uint8Array(digest)) >= difficulty ? candidate : null;
          });
        })(n));
      }
      return Promise.all(tries).then(function (found) {
        for (var j = 0; j < found.length; j++) if (found[j] !== null) return String(found[j]);
        return batch();
      });
    }
    return batch();
  }

  function prepare(form) {
    var answer = form.querySelector("input[name=pow_solution]");
    var challenge = form.querySelector("input[name=pow_challenge]");
    if (!answer || !challenge || !window.crypto || !crypto.subtle) return;
    var status = form.querySelector("[data-pow-status]");
    var working = null;
    function start() {
      if (!working) {
        if (status) status.textContent = status.getAttribute("data-pow-working") || "";
        working = solve(challenge.value, parseInt(answer.getAttribute("data-pow-difficulty"), 10) || 0);
      }
      return working;
    }
    form.addEventListener("submit", function (event) {
      if (answer.value) return;
      event.preventDefault();
      var submitter = event.submitter;
      start().then(function (solution) {
        answer.value = solution;
        if (status) status.textContent = status.getAttribute("data-pow-done") || "";
        if (submitter && submitter.name) {
          var carried = document.createElement("input");
          carried.type = "hidden"; carried.name = submitter.name; carried.value = submitter.value;
          form.appendChild(carried);
        }
        HTMLFormElement.prototype.submit.call(form);
      });
    });
    if (form.hasAttribute("data-pow-auto")) {
      start().then(function (solution) {
        answer.value = solution;
        HTMLFormElement.prototype.submit.call(form);
      });
    } else {
      // Start while the person types, so the answer is usually ready when they press the button.
      form.addEventListener("focusin", start, { once: true });
    }
  }

  document.querySelectorAll("form").forEach(prepare);
})();
