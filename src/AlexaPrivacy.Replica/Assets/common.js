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

  return { cfg: cfg, L: L, el: el, api: api, status: status, fail: fail, dialog: dialog, format: format };
})();
