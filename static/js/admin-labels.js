/* The admin's autocomplete boxes (select2) add a search field without a label; give each
   the label of the field it belongs to, also when select2 redraws it. */
(function () {
  "use strict";
  function label() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var text = document.querySelector("label[for='" + select.id + "']");
      var box = select.nextElementSibling;
      if (!text || !box) { return; }
      box.querySelectorAll(".select2-search__field").forEach(function (field) {
        if (!field.getAttribute("aria-label")) {
          field.setAttribute("aria-label", text.textContent.replace(/[:*]\s*$/, "").trim());
        }
      });
    });
  }
  /* From the moment the page is read, not once everything has loaded: select2 draws its
     boxes when the document is ready, and on a slow connection (or a busy machine) the
     load event came long after, leaving the fields unlabelled until then. */
  function start() {
    label();
    new MutationObserver(label).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
