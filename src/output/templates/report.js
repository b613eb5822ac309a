// agentid estate report: filter and sort the findings table. Reads only the
// page's own DOM; makes no request. Without JavaScript every row shows.
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var shown = document.getElementById("shown");
  function apply() {
    var n = 0;
    rows.forEach(function (row) {
      var ok = selects.every(function (s) {
        return s.value === "" || row.getAttribute("data-" + s.getAttribute("data-filter")) === s.value;
      });
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = n + " of " + rows.length + " shown";
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function key(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell.getAttribute("data-value");
    if (numeric) { return Number(v === null ? cell.textContent : v); }
    return (v === null ? cell.textContent : v).trim().toLowerCase();
  }
  headers.forEach(function (th, col) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var numeric = th.getAttribute("data-sort") === "number";
      var asc = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var order = rows.map(function (row, i) { return [key(row, col, numeric), i, row]; });
      order.sort(function (a, b) {
        var c = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
        return (asc ? c : -c) || a[1] - b[1];
      });
      order.forEach(function (o) { body.appendChild(o[2]); });
    });
  });
  apply();
}());
