/* Authority autocomplete: the shared ARIA 1.2 combobox (combobox.js, loaded before this script)
   over the authority search; choosing an authority fills the text field and the hidden id.
   Without this script the server resolves what was typed. */
(function () {
  "use strict";

  if (!window.PortalCombobox) return;

  window.PortalCombobox.each("[data-ente-autocomplete]", (box) => {
    const input = box.querySelector("input[type=text]");
    const hidden = document.getElementById(box.dataset.hiddenInput);
    if (!input || !hidden) return;
    window.PortalCombobox.create({
      box,
      input,
      url: box.dataset.searchUrl,
      renderOption(li, item) {
        li.textContent = item.label + (item.region ? " – " + item.kind_label + ", " + item.region : "");
      },
      choose(item) {
        input.value = item.label;
        hidden.value = item.id;
      },
      onInput() {
        hidden.value = ""; // what was typed no longer matches the authority chosen before
      },
    });
  });
})();
