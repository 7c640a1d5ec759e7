/* Authors in order without numbers: up and down buttons on each author row, and the
   hidden position of every row set from the rows' order when the form is sent.
   Without this script the rows keep their order and new authors go last. */
(function () {
  "use strict";
  function group() { return document.getElementById("authors-group"); }
  function rows() {
    var g = group();
    return g ? Array.prototype.filter.call(
      g.querySelectorAll("tr.form-row"), function (row) {
        return !row.classList.contains("empty-form");
      }) : [];
  }
  function renumber() {
    // Only rows with a name: a blank extra row must stay blank, or it would be saved.
    rows().filter(function (row) {
      var name = row.querySelector("input[name$='-name']");
      return name && name.value.trim() !== "";
    }).forEach(function (row, index) {
      var input = row.querySelector("input[name$='-position']");
      if (input) { input.value = index; }
    });
  }
  function button(label, step) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "author-move";
    b.textContent = label;
    b.addEventListener("click", function () {
      var row = b.closest("tr");
      var sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
      if (!sibling || !sibling.classList.contains("form-row") ||
          sibling.classList.contains("empty-form")) { return; }
      if (step < 0) { row.parentNode.insertBefore(row, sibling); }
      else { row.parentNode.insertBefore(sibling, row); }
      renumber();
      b.focus();
    });
    return b;
  }
  function enhance(row) {
    var g = group();
    if (!g || row.querySelector(".author-move")) { return; }
    var cell = row.querySelector("td.field-name") || row.querySelector("td");
    if (!cell) { return; }
    var tools = document.createElement("span");
    tools.className = "author-order";
    tools.appendChild(button(g.dataset.moveUp || "↑", -1));
    tools.appendChild(button(g.dataset.moveDown || "↓", 1));
    cell.appendChild(tools);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var g = group();
    if (!g) { return; }
    var labels = document.getElementById("author-order-labels");
    if (labels) {
      g.dataset.moveUp = labels.dataset.up;
      g.dataset.moveDown = labels.dataset.down;
    }
    rows().forEach(enhance);
    document.addEventListener("formset:added", function (event) {
      if (event.detail && event.detail.formsetName === "authors") { enhance(event.target); }
    });
    var form = g.closest("form");
    if (form) { form.addEventListener("submit", renumber); }
  });
})();
