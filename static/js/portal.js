/* Small enhancements on top of Bootstrap Italia. The portal works without them. */
(function () {
  "use strict";

  var script = document.currentScript;
  var bs = window.bootstrap;

  // Bootstrap Italia's web fonts, served by Django's staticfiles.
  if (bs && typeof bs.loadFonts === "function" && script && script.dataset.fontsPath) {
    bs.loadFonts(script.dataset.fontsPath);
  }

  // FAQ: a link to #question-anchor opens that answer and moves the focus to its button.
  function openFromHash() {
    if (!location.hash || location.hash.length < 2) return;
    var target;
    try {
      target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    } catch (e) {
      return;
    }
    if (!target || !target.classList.contains("accordion-item")) return;
    var panel = target.querySelector(".accordion-collapse");
    var button = target.querySelector(".accordion-button");
    if (!panel) return;
    if (bs && bs.Collapse) {
      bs.Collapse.getOrCreateInstance(panel, { toggle: false }).show();
    } else {
      panel.classList.add("show");
    }
    if (button) {
      button.classList.remove("collapsed");
      button.setAttribute("aria-expanded", "true");
      button.focus({ preventScroll: true });
    }
    target.scrollIntoView();
  }

  // Embedded players must have an accessible name.
  function nameFrames() {
    var frames = document.querySelectorAll(".portal-embed iframe:not([title])");
    for (var i = 0; i < frames.length; i++) {
      var box = frames[i].closest(".portal-embed");
      frames[i].setAttribute("title", (box && box.dataset.frameTitle) || document.title);
    }
  }

  // Error summaries take the focus so that screen reader users hear them first.
  function focusErrors() {
    var summary = document.querySelector("[data-portal-focus]");
    if (summary) summary.focus();
  }

  function init() {
    nameFrames();
    focusErrors();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // After "load" the browser has finished its own scrolling to the fragment, which would
  // otherwise take the focus back.
  if (document.readyState === "complete") {
    openFromHash();
  } else {
    window.addEventListener("load", function () {
      window.setTimeout(openFromHash, 0);
    });
  }
  window.addEventListener("hashchange", openFromHash);
})();
