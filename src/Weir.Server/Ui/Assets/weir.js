// Weir's web UI: the one piece of script. On a run's page it follows the run while it is live: every
// second it asks the server for the run's details (rendered there) and the log lines after the last it has.
// On the list pages (dashboard, flow runs, a deployment's runs, work pools) it refreshes the regions marked
// data-live-region every few seconds from a fresh copy of the same page, so states and workers stay current.
(function () {
  "use strict";
  var root = document.getElementById("run");
  if (!root) { return; }
  var id = root.getAttribute("data-run");
  var after = Number(root.getAttribute("data-after") || "0");
  var live = root.getAttribute("data-live") === "true";
  var logs = document.getElementById("logs");
  var details = document.getElementById("run-details");
  var indicator = document.getElementById("live-indicator");

  function line(log) {
    var div = document.createElement("div");
    div.className = "log level-" + String(log.level).toLowerCase();
    [["t", log.time], ["lvl", log.level], ["src", log.source], ["msg", log.message]].forEach(function (part, i) {
      if (i > 0) { div.appendChild(document.createTextNode(" ")); }
      var span = document.createElement("span");
      span.className = part[0];
      span.textContent = part[1];
      div.appendChild(span);
    });
    return div;
  }

  function poll() {
    fetch("/runs/" + id + "/live?after=" + after, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        details.innerHTML = data.details; // rendered and encoded by the server
        var atBottom = logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 4;
        data.logs.forEach(function (log) { logs.appendChild(line(log)); after = Math.max(after, log.id); });
        if (data.logs.length > 0) {
          var none = document.getElementById("no-logs");
          if (none) { none.remove(); }
          if (atBottom) { logs.scrollTop = logs.scrollHeight; }
        }
        root.setAttribute("data-state", data.state);
        if (data.done && data.logs.length === 0) {
          if (indicator) { indicator.textContent = ""; }
          root.setAttribute("data-live", "false");
          return;
        }
        setTimeout(poll, data.done ? 0 : 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  if (live) { poll(); }
})();

(function () {
  "use strict";
  var every = 5000;
  if (document.querySelectorAll("[data-live-region][id]").length === 0) { return; }

  function refresh() {
    if (document.hidden) { setTimeout(refresh, every); return; }
    fetch(location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.text(); })
      .then(function (html) {
        // Rendered and encoded by the server; a page that no longer has a region (a login page after the
        // session ended) leaves the current one as it is.
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-region][id]").forEach(function (region) {
          var replacement = fresh.getElementById(region.id);
          if (replacement && replacement.hasAttribute("data-live-region")) {
            region.replaceWith(document.importNode(replacement, true));
          }
        });
        setTimeout(refresh, every);
      })
      .catch(function () { setTimeout(refresh, 3 * every); });
  }

  setTimeout(refresh, every);
})();
