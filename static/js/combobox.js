/* The ARIA 1.2 combobox pattern (list autocomplete) on a plain text field, shared by
   search-autocomplete.js (header search) and ente-autocomplete.js (the authority field).
   Load it with `defer` before them. Without JavaScript the fields keep working as plain forms.

   window.PortalCombobox.create({
     box,           // wrapper: its <label> names the listbox, the live status is appended to it,
                    // and its data-results-one, data-results-many ("{count}") and
                    // data-no-results attributes are what the status announces
     input,         // the text field that becomes the combobox (needs an id)
     after,         // the element the listbox is inserted after (default: the input)
     url,           // the endpoint: "q=<query>" is appended; it answers {"results": [...]}
     renderOption,  // (li, item): fills the option element for one result
     choose,        // (item): what choosing a result does; returning false keeps the list open
     onInput,       // optional (): runs on every edit of the field, before the debounce
   });

   window.PortalCombobox.each(selector, setup) calls setup(element) for every element matching
   selector once the document is parsed. */
(function () {
  "use strict";

  // Both the header and a form may include this script on the same page.
  if (window.PortalCombobox) return;

  const MIN_LENGTH = 2; // shorter queries close the list without asking the server
  const DELAY = 200; // ms of pause in typing before a request
  const BLUR_DELAY = 150; // ms, so that a click on an option lands before the list closes

  function create(options) {
    const box = options.box;
    const input = options.input;
    const listId = input.id + "-listbox";
    const list = document.createElement("ul");
    list.id = listId;
    list.className = "portal-combobox-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.querySelector("label").textContent);
    list.hidden = true;
    (options.after || input).insertAdjacentElement("afterend", list);
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    let results = [];
    let active = -1;
    let timer = null;
    let controller = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const items = list.querySelectorAll("[role=option]");
      for (let i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      const item = results[index];
      if (!item || options.choose(item) === false) return;
      close();
    }

    function render() {
      list.innerHTML = "";
      results.forEach((item, i) => {
        const li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        options.renderOption(li, item);
        li.addEventListener("mousedown", (event) => {
          event.preventDefault(); // keeps the focus in the field
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

    function search() {
      const query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        results = [];
        close();
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      const url =
        options.url + (options.url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => {
          results = data.results || [];
          render();
        })
        .catch(() => {}); // aborted by a newer query, or offline: the form still works
    }

    input.addEventListener("input", () => {
      if (options.onInput) options.onInput();
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY);
    });
    input.addEventListener("keydown", (event) => {
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
    input.addEventListener("blur", () => {
      window.setTimeout(close, BLUR_DELAY);
    });

    return { input, list, close };
  }

  function each(selector, setup) {
    const run = () => {
      const elements = document.querySelectorAll(selector);
      for (let i = 0; i < elements.length; i++) setup(elements[i]);
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", run);
    } else {
      run();
    }
  }

  window.PortalCombobox = { create, each };
})();
