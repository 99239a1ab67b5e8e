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
  var meanings = {};
  try {
    meanings = JSON.parse(rows ? rows.getAttribute("data-meanings") || "{}" : "{}");
  } catch (e) {
    meanings = {};
  }
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
      // One more step of the timeline: its date, the status and what it means.
      var row = document.createElement("li");
      var day = document.createElement("span");
      day.className = "timeline-date";
      day.textContent = change.date;
      var label = document.createElement("strong");
      label.textContent = change.status_label;
      row.appendChild(day);
      row.appendChild(document.createTextNode(" "));
      row.appendChild(label);
      if (meanings[change.status_label]) {
        var meaning = document.createElement("p");
        meaning.textContent = meanings[change.status_label];
        row.appendChild(meaning);
      }
      rows.appendChild(row);
    }
  };
})();
