/* Shared helpers of the Alexa Privacy pages: data requests with the csrf header, modals, status. */
var AP = (function () {
  "use strict";
  var cfgEl = document.getElementById("page-config") || document.querySelector('script[type="application/json"]');
  var cfg = cfgEl ? JSON.parse(cfgEl.textContent) : {};
  var L = cfg.labels || {};
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") e.textContent = v;
      else if (k === "className") e.className = v;
      else if (k.indexOf("on") === 0) e.addEventListener(k.substring(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }

  /* POST a data request; follows a 401 to the sign-in page, turns other errors into exceptions. */
  function api(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "anti-csrftoken-a2z": csrf },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      if (r.status === 401) {
        return r.json().then(function (d) { window.location.assign(d.signInUrl); throw new Error("signin"); });
      }
      if (!r.ok) {
        var err = new Error(r.status === 429 ? L["frame.rateExceeded"] : L["frame.error"]);
        err.status = r.status;
        throw err;
      }
      return r.json();
    });
  }

  var statusTimer = null;
  function status(text, isError) {
    var s = document.getElementById("status") || document.querySelector('[role="status"]');
    if (!s) return;
    s.textContent = "";
    if (statusTimer) clearTimeout(statusTimer);
    if (!text) return;
    s.appendChild(el("div", { className: "status-message" + (isError ? " error" : ""), text: text }));
    if (!isError) statusTimer = setTimeout(function () { s.textContent = ""; }, 8000);
  }

  function fail(err) {
    if (err && err.message === "signin") return;
    status(err && err.message ? err.message : L["frame.error"], true);
  }

  /* A modal dialog; resolves true when the confirm button is pressed, false on cancel/Escape. */
  var dialogCount = 0;
  function dialog(title, text, confirmLabel, cancelLabel) {
    return new Promise(function (resolve) {
      var id = "modal-" + (++dialogCount);
      var previous = document.activeElement;
      var backdrop;
      function close(result) {
        document.removeEventListener("keydown", onKey, true);
        backdrop.remove();
        if (previous && previous.focus) previous.focus();
        resolve(result);
      }
      function onKey(e) { if (e.key === "Escape") { e.preventDefault(); close(false); } }
      var confirmBtn = el("button", { type: "button", className: "a-button-primary", "data-action": "confirm", onclick: function () { close(true); } }, [confirmLabel]);
      var cancelBtn = el("button", { type: "button", className: "a-button", "data-action": "cancel", onclick: function () { close(false); } }, [cancelLabel]);
      var box = el("div", { role: "dialog", "aria-modal": "true", "aria-labelledby": id + "-title", "aria-describedby": id + "-text", className: "modal", id: id }, [
        el("h2", { id: id + "-title", text: title }),
        el("p", { id: id + "-text", text: text }),
        el("div", { className: "modal-actions" }, [cancelBtn, confirmBtn])
      ]);
      backdrop = el("div", { className: "modal-backdrop" }, [box]);
      document.body.appendChild(backdrop);
      document.addEventListener("keydown", onKey, true);
      confirmBtn.focus();
    });
  }

  function format(template, value) { return template.replace("{0}", value); }

  /* ---- "Manage Your Alexa Data": one change, and the question Amazon asks before it ---- */
  var RETENTION_ORDER = ["DontSave", "ThreeMonths", "EighteenMonths", "UntilDeleted"];

  /* Saves one setting; apply(settings) shows the stored state, then "Saved" is announced. */
  function saveSetting(key, value, apply) {
    return api("/alexa-privacy/apd/myad/update-setting", { setting: key, value: value }).then(function (d) {
      apply(d.settings);
      status(L["myad.saved"]);
    });
  }

  /* Resolves true when the change may go ahead: turning human review off and shortening the
     retention period ask first, through the page's own dialog(title, text, confirm, cancel). */
  function confirmChange(key, wanted, current, ask) {
    if (key === "VoiceRecordingReview" && !wanted)
      return ask(L["myad.reviewDialog.title"], L["myad.reviewDialog.text"], L["myad.turnOff"], L["myad.cancel"]);
    if (key === "VoiceRecordingRetention" && RETENTION_ORDER.indexOf(wanted) < RETENTION_ORDER.indexOf(current)) {
      var text = wanted === "DontSave" ? L["myad.retentionDialog.textAll"]
        : format(L["myad.retentionDialog.text"], L["myad.period." + wanted]);
      return ask(L["myad.retentionDialog.title"], text, L["myad.confirm"], L["myad.cancel"]);
    }
    return Promise.resolve(true);
  }

  /* ---- "Review Voice History": dates as the page shows them, and the date filter's range ---- */
  var DAY = 86400000;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function startOfDay(d) { return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(); }
  function isoDay(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function parseDay(v) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((v || "").trim());
    return m ? new Date(+m[1], +m[2] - 1, +m[3]) : null;
  }
  function formatDate(ms) {
    var d = new Date(ms), m = cfg.months[d.getMonth()];
    if (cfg.dateStyle === "de") return d.getDate() + ". " + m + " " + d.getFullYear();
    if (cfg.dateStyle === "gb") return d.getDate() + " " + m + " " + d.getFullYear();
    return m + " " + d.getDate() + ", " + d.getFullYear();
  }
  function formatTime(ms) {
    var d = new Date(ms), h = d.getHours(), mi = pad(d.getMinutes());
    if (cfg.dateStyle === "us") return ((h % 12) || 12) + ":" + mi + " " + (h < 12 ? "AM" : "PM");
    return pad(h) + ":" + mi;
  }
  /* The time range of a date filter choice (custom: the two yyyy-mm-dd days), or null while a custom range is incomplete. */
  function dateRange(choice, start, end) {
    var now = new Date(), today = startOfDay(now), endToday = today + DAY - 1;
    switch (choice) {
      case "today": return [today, endToday];
      case "yesterday": return [startOfDay(new Date(today - 1)), today - 1];
      case "last7": return [now.getTime() - 7 * DAY, endToday];
      case "last30": return [now.getTime() - 30 * DAY, endToday];
      case "all": return [0, endToday + 365 * DAY];
      case "custom":
        var s = parseDay(start), e = parseDay(end);
        if (!s || !e) return null;
        return [s.getTime(), startOfDay(new Date(e.getTime() + DAY + 3600000)) - 1];
    }
    return [today, endToday];
  }

  return {
    cfg: cfg, L: L, el: el, api: api, status: status, fail: fail, dialog: dialog, format: format,
    RETENTION_ORDER: RETENTION_ORDER, saveSetting: saveSetting, confirmChange: confirmChange,
    isoDay: isoDay, formatDate: formatDate, formatTime: formatTime, dateRange: dateRange
  };
})();
