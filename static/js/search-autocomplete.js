/* Header search suggestions: the ARIA 1.2 combobox pattern (list autocomplete), as
   ente-autocomplete.js. Without this script the form simply opens the results page. */
(function () {
  "use strict";

  function setup(box) {
    var input = box.querySelector("input[type=search]");
    var form = box.querySelector("form");
    if (!input || !form) return;
    var listId = input.id + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "portal-combobox-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.querySelector("label").textContent);
    list.hidden = true;
    form.insertAdjacentElement("afterend", list);
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var results = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = results[index];
      if (!item || !item.url) return;
      close();
      window.location.assign(item.url);
    }

    function render() {
      list.innerHTML = "";
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.textContent = item.title;
        var kind = document.createElement("small");
        kind.className = "d-block";
        kind.textContent = item.type_label;
        li.appendChild(title);
        li.appendChild(kind);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(li);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent =
          results.length === 1
            ? box.dataset.resultsOne
            : box.dataset.resultsMany.replace("{count}", results.length);
      } else {
        close();
        status.textContent = box.dataset.noResults;
      }
    }

    function suggest() {
      var query = input.value.trim();
      if (query.length < 2) {
        results = [];
        close();
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var url = box.dataset.autocompleteUrl;
      url += (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          results = data.results || [];
          render();
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden && results.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  function init() {
    var boxes = document.querySelectorAll("[data-search-autocomplete]");
    for (var i = 0; i < boxes.length; i++) setup(boxes[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
