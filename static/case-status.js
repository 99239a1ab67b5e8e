// The public case-status page, live: when the case's status changes, the status on the
// page and its history follow, without a reload (Server-Sent Events from
// /api/v1/cases/{code}/events; the browser reconnects by itself and resumes after the
// last change it saw). The status region is aria-live="polite": a screen reader reads
// the new status when the user is idle. Without JavaScript the page shows the status as
// it was when loaded.
(function () {
  "use strict";
  var status = document.querySelector("[data-live-status]");
  if (!status || !window.EventSource) {
    return;
  }
  var rows = document.getElementById("case-history-rows");
  var source = new EventSource(status.getAttribute("data-live-status"));
  source.onmessage = function (message) {
    var change;
    try {
      change = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    if (typeof change.status_label !== "string") {
      return;
    }
    status.textContent = change.status_label;
    if (rows) {
      var row = document.createElement("tr");
      var day = document.createElement("th");
      day.setAttribute("scope", "row");
      day.textContent = change.date;
      var label = document.createElement("td");
      label.textContent = change.status_label;
      row.appendChild(day);
      row.appendChild(label);
      rows.appendChild(row);
    }
  };
})();
