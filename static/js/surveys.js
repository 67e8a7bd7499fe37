/* The answering form of a questionnaire (templates/surveys/includes/answer_form.html).

   1. Conditions: a question or section with data-condition-field / data-condition-value is shown
      only when that earlier question has that answer (and is itself shown). Hidden ones get the
      `hidden` attribute and their inputs are disabled (not sent); a polite live region says
      which question appeared or went away. Without this script everything is shown, each
      conditional question says in words when to answer it, and the server ignores the answers
      to the hidden ones.
   2. Autosave: about 3 seconds after the last change, the form is posted to the draft endpoint
      (data-autosave-url, with the CSRF token); "Draft saved at HH:MM" is announced. The
      "Save draft" button keeps working without it.
   Messages come translated from the form's data-msg-* attributes. */
(function () {
  "use strict";

  var DELAY = 3000;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) {
      return values[name] === undefined ? "" : values[name];
    });
  }

  function valuesOf(form, name) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.name !== name || input.disabled) return;
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.value);
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }

  function isShown(element) {
    return !element.closest("[hidden]");
  }

  function setupConditions(form) {
    var dependents = form.querySelectorAll("[data-condition-field]");
    if (!dependents.length) return function () {};
    var announcer = form.querySelector("[data-survey-announce]");

    function update(announce) {
      var messages = [];
      // In document order: a question's controller comes before it, so its state is known.
      Array.prototype.forEach.call(dependents, function (element) {
        var field = element.dataset.conditionField;
        var controller = form.querySelector('[data-question="' + field + '"]');
        var shown =
          !!controller &&
          isShown(controller) &&
          valuesOf(form, field).indexOf(element.dataset.conditionValue) !== -1;
        var wasShown = !element.hidden;
        element.hidden = !shown;
        if (announce && wasShown !== shown) {
          var template = shown ? form.dataset.msgShown : form.dataset.msgHidden;
          messages.push(format(template || "", { label: element.dataset.conditionLabel || "" }));
        }
      });
      Array.prototype.forEach.call(form.elements, function (input) {
        if (input.type === "hidden" || input.type === "submit") return;
        input.disabled = !isShown(input);
      });
      if (announcer && messages.length) announcer.textContent = messages.join(" ");
    }

    update(false);
    return update;
  }

  function setupAutosave(form) {
    var url = form.dataset.autosaveUrl;
    var status = form.querySelector("[data-survey-status]");
    var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!url || !window.fetch || !window.FormData || !tokenInput) {
      return { changed: function () {}, cancel: function () {} };
    }
    var timer = null;
    var saving = false;
    var again = false;

    function say(text) {
      if (status) status.textContent = text;
    }

    function save() {
      if (saving) {
        again = true;
        return;
      }
      saving = true;
      var data = new FormData(form);
      data.delete("action");
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokenInput.value, Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (body) {
            if (response.ok && body.saved_at) {
              say(format(form.dataset.msgSaved || "", { time: body.saved_at }));
            } else {
              say(body.message || form.dataset.msgFailed || "");
            }
          });
        })
        .catch(function () {
          say(form.dataset.msgFailed || "");
        })
        .then(function () {
          saving = false;
          if (again) {
            again = false;
            save();
          }
        });
    }

    return {
      changed: function () {
        if (timer) window.clearTimeout(timer);
        timer = window.setTimeout(save, DELAY);
      },
      cancel: function () {
        if (timer) window.clearTimeout(timer);
        timer = null;
      },
    };
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-survey-form]"), function (form) {
      var update = setupConditions(form);
      var autosave = setupAutosave(form);
      var submitting = false;
      form.addEventListener("change", function () {
        update(true);
        if (!submitting) autosave.changed();
      });
      form.addEventListener("input", function () {
        if (!submitting) autosave.changed();
      });
      // A pending autosave must not race the form's own submission.
      form.addEventListener("submit", function () {
        submitting = true;
        autosave.cancel();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
