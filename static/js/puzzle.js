/*
 * The puzzle of the question form (steunpunt/puzzle.py), solved while the
 * visitor types: find a number that makes SHA-256("puzzle:number") start
 * with the asked number of zero bits. No third party is involved. Without
 * this script (or without crypto.subtle) the form still works: the server
 * then counts the puzzle once it is a few seconds old.
 */
(function () {
  "use strict";

  var BATCH = 256; // hashes asked of the browser at once

  function leadingZeroBits(buffer) {
    var bytes = new Uint8Array(buffer);
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) {
        bits += 8;
        continue;
      }
      var byte = bytes[i];
      while ((byte & 0x80) === 0) {
        bits += 1;
        byte <<= 1;
      }
      return bits;
    }
    return bits;
  }

  function solve(puzzle, bits) {
    var encoder = new TextEncoder();
    var next = 0;
    function batch() {
      var start = next;
      next += BATCH;
      var work = [];
      for (var n = start; n < next; n++) {
        work.push(window.crypto.subtle.digest("SHA-256", encoder.encode(puzzle + ":" + n)));
      }
      return Promise.all(work).then(function (digests) {
        for (var i = 0; i < digests.length; i++) {
          if (leadingZeroBits(digests[i]) >= bits) return String(start + i);
        }
        return batch();
      });
    }
    return batch();
  }

  function setup(form) {
    var puzzleInput = form.querySelector("[data-puzzle]");
    var answerInput = form.querySelector("[data-puzzle-answer]");
    if (!puzzleInput || !answerInput || !window.crypto || !window.crypto.subtle) return;
    var puzzle = puzzleInput.value;
    var bits = parseInt(puzzle.split(":")[2], 10);
    if (!bits) return;
    var solved = false;
    var waiting = null; // the submit that waits for the answer
    function done(answer) {
      answerInput.value = answer;
      solved = true;
      if (waiting) {
        var submitter = waiting;
        waiting = null;
        if (form.requestSubmit) {
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        } else {
          form.submit();
        }
      }
    }
    // Should the browser refuse to hash, the form goes without an answer:
    // the server's wait counts instead.
    solve(puzzle, bits).then(done, function () { done(""); });
    form.addEventListener("submit", function (event) {
      if (solved) return;
      event.preventDefault();
      waiting = event.submitter || true;
    });
  }

  function start() {
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].querySelector("[data-puzzle]")) setup(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
