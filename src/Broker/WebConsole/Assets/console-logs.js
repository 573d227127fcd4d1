// Agent Vault console: the live request log of /ui/logs. New records arrive as server-sent events from /ui/logs/stream
// (filtered by the server with the page's filters) and are inserted at the top of the table as the same rows the server
// renders. Record fields come from agents (hosts, paths): they are only ever set as text, never parsed as HTML.
"use strict";

(function () {
  const table = document.getElementById("log-table");
  const rows = document.getElementById("log-rows");
  const live = document.getElementById("log-live");
  const empty = document.getElementById("log-empty");
  if (!table || !rows || !window.EventSource) {
    return;
  }

  const maxRows = 500;

  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function utc(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) {
      return text(iso);
    }

    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " +
      pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  }

  function cell(row, content, className) {
    const td = document.createElement("td");
    if (className) {
      td.className = className;
    }

    if (content instanceof Node) {
      td.appendChild(content);
    } else {
      td.textContent = text(content);
    }

    row.appendChild(td);
    return td;
  }

  function badge(content, outcome) {
    const span = document.createElement("span");
    span.className = "badge " + outcome;
    span.textContent = text(content);
    return span;
  }

  function buildRow(record) {
    const refused = record.status >= 400 || (record.error !== null && record.error !== undefined);
    const outcome = refused ? "refused" : "ok";
    const row = document.createElement("tr");
    row.className = "log-row " + outcome + " log-new";
    row.dataset.agent = text(record.agent);
    row.dataset.vault = text(record.vault);
    row.dataset.service = text(record.service);
    row.dataset.status = text(record.status);
    row.dataset.error = text(record.error);

    const time = document.createElement("time");
    time.dateTime = text(record.time);
    time.textContent = utc(record.time);
    cell(row, time);
    cell(row, record.agent);
    cell(row, record.vault);
    cell(row, record.method);
    cell(row, record.port === 443 ? text(record.host) : text(record.host) + ":" + text(record.port));
    cell(row, record.path, "log-path");
    cell(row, record.service);
    cell(row, badge(record.status, outcome));
    const error = cell(row, "");
    if (record.error !== null && record.error !== undefined) {
      error.appendChild(badge(record.error, "refused"));
    }

    cell(row, text(record.duration_ms) + " ms", "log-duration");
    return row;
  }

  function setLive(state, message) {
    if (live) {
      live.dataset.state = state;
      live.textContent = message;
    }
  }

  const source = new EventSource(table.dataset.stream);
  source.onopen = function () {
    setLive("on", "Live: new requests appear at the top as they are made.");
  };
  source.onerror = function () {
    if (source.readyState === EventSource.CLOSED) {
      setLive("off", "Live updates stopped (signed out?). Reload the page.");
    } else {
      setLive("connecting", "Live updates interrupted: reconnecting…");
    }
  };
  source.onmessage = function (event) {
    let record;
    try {
      record = JSON.parse(event.data);
    } catch (e) {
      return;
    }

    rows.insertBefore(buildRow(record), rows.firstChild);
    while (rows.children.length > maxRows) {
      rows.removeChild(rows.lastChild);
    }

    if (empty) {
      empty.hidden = true;
    }
  };
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
