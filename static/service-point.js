// The service point's live pages: the display board, the public status page and the
// e-ticket. Each page renders complete without JavaScript; this script follows the
// point's Server-Sent Events (/service-points/{id}/events). Every event carries the
// queue's snapshot as of the change or later (counts, estimates, desks, the last called;
// an e-ticket's stream also its own place), so the page shows the current state
// whatever it missed; the browser reconnects by itself and resumes after the last event it saw
// (Last-Event-ID). The board plays a chime (Web Audio, no file) on every call and, when
// the checkbox is ticked, says the number and the desk by the browser's speech
// synthesis. The desk's rating tablet (src/satisfaction/tablet.rs) opens the rating
// form when its desk finishes a visit. No inline script: the CSP forbids it.
(function () {
  "use strict";

  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.addEventListener("click", function () {
      window.print();
    });
  }

  var root = document.getElementById("sp-live");
  if (!root || !window.EventSource) {
    return;
  }
  var mode = root.getAttribute("data-sp-live");
  var t = function (name) {
    return root.getAttribute("data-t-" + name) || "";
  };

  function setText(scope, field, text) {
    var el = scope.querySelector('[data-field="' + field + '"]');
    if (el && el.textContent !== text) {
      el.textContent = text;
    }
  }

  function categoryRow(code) {
    return root.querySelector('[data-category="' + code + '"]');
  }

  function chime() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) {
      return;
    }
    try {
      var ctx = new Context();
      [880, 660].forEach(function (freq, i) {
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, ctx.currentTime + i * 0.35);
        gain.gain.exponentialRampToValueAtTime(0.3, ctx.currentTime + i * 0.35 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.35 + 0.6);
        osc.connect(gain);
        gain.connect(ctx.destination);
        osc.start(ctx.currentTime + i * 0.35);
        osc.stop(ctx.currentTime + i * 0.35 + 0.65);
      });
    } catch (e) {
      // A browser that refuses audio before a user gesture: the board still shows it.
    }
  }

  var speech = root.querySelector("[data-speech-toggle]");

  function say(ticket, desk) {
    if (!speech || !speech.checked || !window.speechSynthesis) {
      return;
    }
    // "A 0 0 7" is read letter by letter and digit by digit, as boards announce it.
    var spelled = ticket.split("").join(" ");
    var text = t("speech")
      .replace(/[\u2068\u2069]/g, "")
      .replace("{ticket}", spelled)
      .replace("{desk}", desk);
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = root.getAttribute("data-speech-lang") === "en" ? "en-GB" : "pl-PL";
    window.speechSynthesis.speak(utterance);
  }

  function renderBoard(snapshot, change, fresh) {
    var list = root.querySelector('[data-list="called"]');
    if (list) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      snapshot.called.forEach(function (line) {
        var li = document.createElement("li");
        var number = document.createElement("span");
        number.className = "sp-called-number";
        number.textContent = line.ticket;
        var arrow = document.createElement("span");
        arrow.className = "sp-called-arrow";
        arrow.setAttribute("aria-hidden", "true");
        arrow.textContent = "→";
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = t("desk");
        var desk = document.createElement("span");
        desk.className = "sp-called-desk";
        desk.textContent = line.desk;
        li.appendChild(number);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(arrow);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(hidden);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(desk);
        list.appendChild(li);
      });
    }
    snapshot.categories.forEach(function (k) {
      var row = categoryRow(k.code);
      if (row) {
        setText(row, "waiting", String(k.waiting));
      }
    });
    if (fresh && change && (change.kind === "called" || change.kind === "recalled")) {
      chime();
      say(change.ticket || "", change.desk || "");
      if (list && list.firstChild) {
        list.firstChild.classList.add("sp-flash");
      }
    }
  }

  function renderStatus(snapshot) {
    snapshot.categories.forEach(function (k) {
      var row = categoryRow(k.code);
      if (!row) {
        return;
      }
      setText(row, "waiting", String(k.waiting));
      setText(row, "open_desks", String(k.open_desks));
      setText(
        row,
        "wait",
        k.estimated_wait_minutes === null ? t("none") : k.estimated_wait_minutes + " " + t("minutes")
      );
    });
    snapshot.desks.forEach(function (d) {
      var item = root.querySelector('[data-desk="' + d.id + '"]');
      if (item) {
        var ticket = item.querySelector('[data-field="ticket"]');
        if (ticket) {
          ticket.textContent = d.ticket || "";
        }
      }
    });
  }

  // The stream of an e-ticket (`&ticket=` in its address) carries the ticket's own
  // place beside the snapshot: `place` is {ahead, estimated_wait_minutes} while it
  // waits, null once it left the queue.
  function renderTicket(snapshot, place) {
    var label = root.getAttribute("data-label");
    var status = root.querySelector('[data-field="status"]');
    if (!status) {
      return;
    }
    var lines = [];
    var atDesk = snapshot.desks.filter(function (d) {
      return d.ticket === label;
    })[0];
    if (atDesk) {
      lines.push([t("called") + " " + atDesk.name, true]);
    } else if (place) {
      lines.push([t("ahead") + ": " + place.ahead, false]);
      if (place.estimated_wait_minutes !== null) {
        lines.push([place.estimated_wait_minutes + " " + t("minutes"), false]);
      }
    } else {
      lines.push([t("done"), false]);
    }
    var text = lines
      .map(function (l) {
        return l[0];
      })
      .join(" · ");
    if (status.getAttribute("data-last") === text) {
      return;
    }
    status.setAttribute("data-last", text);
    while (status.firstChild) {
      status.removeChild(status.firstChild);
    }
    lines.forEach(function (l) {
      var p = document.createElement("p");
      if (l[1]) {
        var strong = document.createElement("strong");
        strong.textContent = l[0];
        p.appendChild(strong);
      } else {
        p.textContent = l[0];
      }
      status.appendChild(p);
    });
    if (atDesk && navigator.vibrate) {
      navigator.vibrate([200, 100, 200]);
    }
  }

  // The desk's rating tablet: back to waiting after a while; the form for the visit
  // its desk has just finished (a GET, so a refused post is not sent again).
  function reloadTablet() {
    window.location.href = window.location.pathname;
  }
  if (mode === "tablet" && root.getAttribute("data-idle-after")) {
    window.setTimeout(reloadTablet, Number(root.getAttribute("data-idle-after")) * 1000);
  }

  var source = new EventSource(root.getAttribute("data-events"));
  source.onmessage = function (message) {
    var data;
    try {
      data = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    if (!data || !data.snapshot) {
      return;
    }
    if (mode === "tablet") {
      var change = data.change || {};
      if (change.kind === "done" && String(change.desk_id) === root.getAttribute("data-desk")) {
        reloadTablet();
      }
      return;
    }
    if (mode === "board") {
      // A call replayed after a long disconnection is shown, not announced again.
      renderBoard(data.snapshot, data.change, true);
    } else if (mode === "status") {
      renderStatus(data.snapshot);
    } else if (mode === "ticket") {
      renderTicket(data.snapshot, data.ticket);
    }
  };
})();
