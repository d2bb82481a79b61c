/*
 * Steunpunt: the little JavaScript the site needs. Every page works without it.
 *
 * 1. "Snel weg" (quick exit), after GOV.UK's "Exit this page": the button or
 *    three presses of Shift hide the page at once, end the session on the
 *    server (a beacon) and replace the history entry with a neutral site, so
 *    Back does not bring the visitor here and a new tab shows no question.
 * 2. Focus the error summary of a form that came back with errors.
 * 3. Count a read of this page (no cookie, nothing about the reader): the
 *    page may come from the proxy's cache, where the server never sees it.
 */
(function () {
  "use strict";

  var PRESSES_NEEDED = 3;
  var PRESS_WINDOW_MS = 5000;

  // Ask the server to end this browser's session (steunpunt/views.py
  // quick_exit): a new tab or Back then no longer shows an open question. A
  // beacon is sent even while the page is already going away. False when
  // nothing could be sent: then the link's own way (through the server) is left.
  function endSessionHere(url) {
    if (!url) return false;
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(url)) return true;
    } catch (e) { /* refused: try fetch below */ }
    if (!window.fetch) return false;
    window.fetch(url, { method: "POST", keepalive: true, credentials: "same-origin" })
      .catch(function () { /* offline: nothing more to end */ });
    return true;
  }

  function setupQuickExit() {
    var root = document.querySelector("[data-quick-exit]");
    if (!root) return;
    var button = root.querySelector("[data-quick-exit-button]");
    var status = root.querySelector("[data-quick-exit-status]");
    var hint = root.querySelector("[data-quick-exit-hint]");
    if (!button) return;
    // Without the script the link itself goes through the server (href);
    // with it, straight to the neutral site while the beacon ends the session.
    var destination = button.getAttribute("data-quick-exit-to") || button.href;

    // The Shift hint only where there is a keyboard and a mouse, never on a phone.
    if (hint && window.matchMedia && window.matchMedia("(hover: hover) and (pointer: fine)").matches) {
      hint.hidden = false;
    }

    function leave(event) {
      if (event) event.preventDefault();
      document.documentElement.classList.add("is-leaving");
      document.title = "…";
      var ended = endSessionHere(button.getAttribute("data-quick-exit-end"));
      window.location.replace(ended ? destination : button.href);
    }

    // A page the browser kept (back-forward cache) must not come back blank.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) document.documentElement.classList.remove("is-leaving");
    });

    button.addEventListener("click", leave);

    var presses = 0;
    var otherKeyDown = false;
    var resetTimer = null;

    function reset() {
      presses = 0;
      if (resetTimer) window.clearTimeout(resetTimer);
      resetTimer = null;
    }

    document.addEventListener("keydown", function (event) {
      if (event.key === "Shift") {
        otherKeyDown = false;
      } else {
        // Shift used for a capital letter is typing, not a request to leave.
        otherKeyDown = true;
        reset();
      }
    });

    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift" || otherKeyDown) return;
      presses += 1;
      if (resetTimer) window.clearTimeout(resetTimer);
      resetTimer = window.setTimeout(function () {
        reset();
        if (status) status.textContent = "Snel weg is gestopt.";
      }, PRESS_WINDOW_MS);
      if (presses >= PRESSES_NEEDED) {
        leave();
      } else if (status) {
        var left = PRESSES_NEEDED - presses;
        status.textContent =
          "Shift: druk nog " + left + " keer om deze website snel te verlaten.";
      }
    });
  }

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // Copy and print buttons on the receipt: hidden until JavaScript can run them.
  function setupReceiptButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.querySelector(button.getAttribute("data-copy"));
        var status = document.querySelector("[data-copy-status]");
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          if (status) status.textContent = "De code is gekopieerd.";
        });
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // Checklists: ticks live only in this browser (localStorage), never on the server.
  // The page promises that only where the browser can keep them.
  function canStore() {
    try {
      window.localStorage.setItem("steunpunt-test", "1");
      window.localStorage.removeItem("steunpunt-test");
      return true;
    } catch (e) { return false; }
  }

  function setupChecklists() {
    if (document.querySelector("[data-checklist]") && canStore()) {
      document.querySelectorAll("[data-checklist-promise]").forEach(function (p) { p.hidden = false; });
    }
    document.querySelectorAll("[data-checklist]").forEach(function (list) {
      var key = "steunpunt-checklist-" + list.getAttribute("data-checklist");
      var ticked = {};
      try { ticked = JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { ticked = {}; }
      list.querySelectorAll("input[data-item]").forEach(function (box) {
        box.checked = !!ticked[box.getAttribute("data-item")];
        box.addEventListener("change", function () {
          if (box.checked) { ticked[box.getAttribute("data-item")] = true; }
          else { delete ticked[box.getAttribute("data-item")]; }
          try { window.localStorage.setItem(key, JSON.stringify(ticked)); } catch (e) { /* private mode */ }
        });
      });
      var clear = document.querySelector('[data-checklist-clear="' + list.getAttribute("data-checklist") + '"]');
      if (clear) {
        clear.hidden = false;
        clear.addEventListener("click", function () {
          ticked = {};
          try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ }
          list.querySelectorAll("input[data-item]").forEach(function (box) { box.checked = false; });
        });
      }
    });
  }

  // A read is counted by a beacon to the address the page names (nothing of
  // the reader is sent): in the head for a whole page, on the element for a
  // part that htmx swaps in (a wegwijzer result).
  function countRead() {
    if (!navigator.sendBeacon) return;
    var meta = document.querySelector('meta[name="steunpunt-read"]');
    if (meta) navigator.sendBeacon(meta.content);
    countSwappedRead(document);
  }

  function countSwappedRead(root) {
    if (!navigator.sendBeacon || !root.querySelectorAll) return;
    var parts = Array.prototype.slice.call(root.querySelectorAll("[data-steunpunt-read]"));
    if (root.hasAttribute && root.hasAttribute("data-steunpunt-read")) parts.push(root);
    parts.forEach(function (part) { navigator.sendBeacon(part.getAttribute("data-steunpunt-read")); });
  }

  // A text box htmx kept across a swap (hx-preserve, the case page's drafts)
  // keeps its old attributes: when the error it was described by is gone from
  // the new page, it is no longer marked invalid nor described by that message.
  function clearStaleErrors(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("[aria-invalid][aria-describedby]").forEach(function (box) {
      var ids = box.getAttribute("aria-describedby").split(/\s+/).filter(Boolean);
      var present = ids.filter(function (id) { return document.getElementById(id); });
      if (present.length === ids.length) return;  // its error is still shown
      box.removeAttribute("aria-invalid");
      if (present.length) box.setAttribute("aria-describedby", present.join(" "));
      else box.removeAttribute("aria-describedby");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    countRead();
    setupQuickExit();
    focusErrorSummary();
    setupReceiptButtons();
    setupChecklists();
  });
  // After an htmx swap a form may come back with errors.
  document.addEventListener("htmx:afterSwap", focusErrorSummary);
  document.addEventListener("htmx:afterSettle", function (event) {
    clearStaleErrors(event.target);
    countSwappedRead(event.target);
  });
})();
