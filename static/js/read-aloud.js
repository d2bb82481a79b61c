/*
 * "Lees voor": the browser reads the text of a topic page aloud with its own
 * speech synthesis (window.speechSynthesis). No sound leaves the browser and
 * no other service is asked. Progressive enhancement: the place for the
 * buttons ([data-read-aloud]) stays hidden, and empty, unless the browser can
 * speak. It reads the title, the summary and the text (.prose) of the
 * article, each in its own language (its lang attribute: a Dutch text on an
 * Arabic page is read in Dutch).
 */
(function () {
  "use strict";

  var place = document.querySelector("[data-read-aloud]");
  if (!place || !("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) return;
  var synth = window.speechSynthesis;
  var article = place.closest("article") || document.body;

  function label(name) {
    return place.getAttribute("data-label-" + name) || name;
  }

  function langOf(element) {
    var withLang = element.closest("[lang]");
    return withLang ? withLang.getAttribute("lang") : document.documentElement.lang;
  }

  // What to read: block by block, so the voice pauses between paragraphs.
  function parts() {
    var blocks = [];
    article.querySelectorAll("h1, .lead, .prose").forEach(function (element) {
      if (element.classList.contains("prose")) {
        element.querySelectorAll("h2, h3, h4, p, li").forEach(function (block) {
          if (block.closest("li") && block.tagName !== "LI") return; // read with its item
          blocks.push(block);
        });
      } else {
        blocks.push(element);
      }
    });
    return blocks
      .map(function (block) {
        return { text: block.textContent.replace(/\s+/g, " ").trim(), lang: langOf(block) };
      })
      .filter(function (part) { return part.text; });
  }

  function button(text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button--secondary read-aloud__button";
    b.textContent = text;
    return b;
  }

  var read = button(label("read"));
  var pause = button(label("pause"));
  var stop = button(label("stop"));
  var state = "idle"; // idle, speaking, paused

  function show() {
    read.hidden = state === "speaking";
    read.textContent = state === "paused" ? label("resume") : label("read");
    pause.hidden = state !== "speaking";
    stop.hidden = state === "idle";
  }

  function start() {
    synth.cancel();
    var queue = parts();
    queue.forEach(function (part, index) {
      var utterance = new window.SpeechSynthesisUtterance(part.text);
      utterance.lang = part.lang;
      if (index === queue.length - 1) {
        utterance.onend = function () { state = "idle"; show(); };
      }
      utterance.onerror = function () { state = "idle"; show(); };
      synth.speak(utterance);
    });
    state = queue.length ? "speaking" : "idle";
    show();
  }

  read.addEventListener("click", function () {
    if (state === "paused") {
      synth.resume();
      state = "speaking";
      show();
      pause.focus();
    } else {
      start();
      pause.focus();
    }
  });
  pause.addEventListener("click", function () {
    synth.pause();
    state = "paused";
    show();
    read.focus();
  });
  stop.addEventListener("click", function () {
    synth.cancel();
    state = "idle";
    show();
    read.focus();
  });
  // Leaving the page stops the voice (some browsers would read on).
  window.addEventListener("pagehide", function () { synth.cancel(); });

  place.setAttribute("role", "group");
  place.setAttribute("aria-label", label("group"));
  place.appendChild(read);
  place.appendChild(pause);
  place.appendChild(stop);
  show();
  place.hidden = false;
})();
