/* Header search suggestions: the shared ARIA 1.2 combobox (combobox.js, loaded before this
   script) over the autocomplete endpoint; choosing a suggestion opens it. Without this script
   the form simply opens the results page. */
(function () {
  "use strict";

  if (!window.PortalCombobox) return;

  window.PortalCombobox.each("[data-search-autocomplete]", (box) => {
    const input = box.querySelector("input[type=search]");
    const form = box.querySelector("form");
    if (!input || !form) return;
    window.PortalCombobox.create({
      box,
      input,
      after: form,
      url: box.dataset.autocompleteUrl,
      renderOption(li, item) {
        const title = document.createElement("span");
        title.textContent = item.title;
        const kind = document.createElement("small");
        kind.className = "d-block";
        kind.textContent = item.type_label;
        li.appendChild(title);
        li.appendChild(kind);
      },
      choose(item) {
        if (!item.url) return false;
        window.location.assign(item.url);
      },
    });
  });
})();
