/* "Manage Your Alexa Data": fetches the stored settings, renders them (2025 or 2019 layout), and
   saves each change with the page's own request. A control shows a new state only once the
   server has answered with it. */
(function () {
  "use strict";
  var el = AP.el, L = AP.L, cfg = AP.cfg;
  var root = document.getElementById("settings-root");
  var removed = cfg.removed || [];
  var settings = null;
  var ORDER = AP.RETENTION_ORDER;
  var SWITCH_LABEL = {
    VoiceRecordingReview: cfg.generation === "2019" ? "myad.switch.VoiceRecordingReview2019" : "myad.switch.VoiceRecordingReview",
    MessageTranscription: "myad.switch.MessageTranscription",
    DeletionByVoice: "myad.switch.DeletionByVoice",
    PersonalizationDecoy: "myad.switch.PersonalizationDecoy"
  };
  var SWITCH_DESC = {
    VoiceRecordingReview: cfg.generation === "2019" ? "myad.desc.VoiceRecordingReview2019" : "myad.desc.VoiceRecordingReview",
    MessageTranscription: "myad.desc.MessageTranscription",
    DeletionByVoice: "myad.desc.DeletionByVoice",
    PersonalizationDecoy: "myad.desc.PersonalizationDecoy"
  };

  function present(key) { return removed.indexOf(key) < 0 && settings && settings.hasOwnProperty(key); }

  function save(key, value) {
    return AP.saveSetting(key, value, function (stored) { settings = stored; refresh(key === "VoiceRecordingRetention"); });
  }

  /* ---- switches ---- */
  function onSwitch(key, control) {
    if (control.getAttribute("aria-busy") === "true") return;
    var current = settings[key];
    var wanted = !current;
    AP.confirmChange(key, wanted, current, AP.dialog).then(function (ok) {
      if (!ok) return;
      control.setAttribute("aria-busy", "true");
      return save(key, wanted).catch(AP.fail).then(function () {
        control.removeAttribute("aria-busy");
        refresh(false);
      });
    });
  }

  function switch2025(key) {
    var lid = "label-" + key, did = "desc-" + key;
    var btn = el("button", {
      type: "button", role: "switch", id: "switch-" + key, className: "switch", "data-setting": key,
      "aria-checked": String(!!settings[key]), "aria-labelledby": lid, "aria-describedby": did
    });
    btn.addEventListener("click", function () { onSwitch(key, btn); });
    return el("div", { className: "setting-row" }, [
      el("div", { className: "setting-text" }, [
        el("span", { id: lid, className: "setting-label", text: L[SWITCH_LABEL[key]] }),
        el("span", { id: did, className: "setting-desc", text: L[SWITCH_DESC[key]] })
      ]),
      btn
    ]);
  }

  function checkbox2019(key) {
    var id = "checkbox-" + key, did = "desc-" + key;
    var cb = el("input", { type: "checkbox", id: id, "data-setting": key, "aria-describedby": did });
    cb.checked = !!settings[key];
    cb.addEventListener("click", function (e) {
      e.preventDefault(); /* the box shows what the server stored, once it answered */
      onSwitch(key, cb);
    });
    return el("div", {}, [
      el("div", { className: "cb-row" }, [cb, el("label", { "for": id, text: L[SWITCH_LABEL[key]] })]),
      el("p", { id: did, className: "setting-desc", text: L[SWITCH_DESC[key]] })
    ]);
  }

  function control(key) { return cfg.generation === "2019" ? checkbox2019(key) : switch2025(key); }

  /* ---- retention ---- */
  function retention() {
    var gid = "retention-label";
    var rows = ORDER.map(function (v) {
      var id = "retention-" + v;
      var r = el("input", { type: "radio", name: "retention", id: id, value: v });
      r.checked = settings.VoiceRecordingRetention === v;
      return el("div", { className: "radio-row" }, [r, el("label", { "for": id, text: L["myad.retention." + v] })]);
    });
    var group = el("div", { role: "radiogroup", id: "retention-group", "aria-labelledby": gid }, rows);
    var btn = el("button", { type: "button", id: "retention-save", className: "a-button-primary", style: "width:auto;margin-top:8px" }, [L["myad.save"]]);
    btn.addEventListener("click", function () { onSaveRetention(btn); });
    return el("div", { className: "setting-row", style: "display:block" }, [
      el("span", { id: gid, className: "setting-label", text: L["myad.retention.group"] }), group, btn
    ]);
  }

  function onSaveRetention(btn) {
    var picked = root.querySelector('input[name="retention"]:checked');
    if (!picked || btn.disabled) return;
    var wanted = picked.value, current = settings.VoiceRecordingRetention;
    AP.confirmChange("VoiceRecordingRetention", wanted, current, AP.dialog).then(function (ok) {
      if (!ok) { refresh(true); return; }
      btn.disabled = true;
      return save("VoiceRecordingRetention", wanted).catch(AP.fail).then(function () { btn.disabled = false; });
    });
  }

  /* Shows the stored state on every control on the page. */
  function refresh(includeRadios) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-setting]"), function (c) {
      var key = c.getAttribute("data-setting");
      if (!settings.hasOwnProperty(key)) return;
      if (c.type === "checkbox") c.checked = !!settings[key];
      else c.setAttribute("aria-checked", String(!!settings[key]));
    });
    if (includeRadios) Array.prototype.forEach.call(root.querySelectorAll('input[name="retention"]'), function (r) {
      r.checked = r.value === settings.VoiceRecordingRetention;
    });
  }

  /* ---- layouts ---- */
  function section(id, titleKey, children) {
    children = children.filter(Boolean);
    if (!children.length) return null;
    return el("section", { className: "settings-section", "aria-labelledby": "heading-" + id, id: "section-" + id },
      [el("h2", { id: "heading-" + id, text: L[titleKey] })].concat(children));
  }

  function render2025() {
    return [
      section("voice-recordings", "myad.sec.voiceRecordings", [
        present("VoiceRecordingRetention") ? retention() : null,
        present("DeletionByVoice") ? control("DeletionByVoice") : null
      ]),
      section("help-improve", "myad.sec.helpImprove", [
        present("VoiceRecordingReview") ? control("VoiceRecordingReview") : null,
        present("MessageTranscription") ? control("MessageTranscription") : null
      ]),
      section("personalization", "myad.sec.personalization", [
        present("PersonalizationDecoy") ? control("PersonalizationDecoy") : null
      ])
    ].filter(Boolean);
  }

  function box(id, titleKey, build) {
    var bodyId = "box-body-" + id;
    var body = el("div", { id: bodyId, className: "box-body", hidden: true });
    var toggle = el("button", { type: "button", className: "box-toggle", id: "box-toggle-" + id, "aria-expanded": "false", "aria-controls": bodyId }, [L[titleKey]]);
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      body.textContent = "";
      if (open) { body.hidden = true; toggle.setAttribute("aria-expanded", "false"); return; }
      build().forEach(function (c) { body.appendChild(c); });
      body.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
    });
    return el("div", { className: "box-2019", id: "box-" + id }, [el("h2", {}, [toggle]), body]);
  }

  function render2019() {
    var boxes = [];
    if (present("VoiceRecordingRetention")) boxes.push(box("retention", "myad.box.retention", function () { return [retention()]; }));
    if (present("DeletionByVoice")) boxes.push(box("deletion", "myad.box.deletion", function () { return [control("DeletionByVoice")]; }));
    if (present("VoiceRecordingReview")) boxes.push(box("improve", "myad.box.improve", function () { return [control("VoiceRecordingReview")]; }));
    if (present("MessageTranscription")) boxes.push(box("transcription", "myad.box.transcription", function () { return [control("MessageTranscription")]; }));
    if (present("PersonalizationDecoy")) boxes.push(box("personalization", "myad.box.personalization", function () { return [control("PersonalizationDecoy")]; }));
    boxes.push(box("smart-home", "myad.box.smartHome", function () { return [el("p", { text: L["myad.smartHomeText"] })]; }));
    return boxes;
  }

  function load() {
    AP.api("/alexa-privacy/apd/myad/settings-data").then(function (d) {
      settings = d.settings;
      removed = d.removed || removed;
      root.textContent = "";
      (cfg.generation === "2019" ? render2019() : render2025()).forEach(function (n) { root.appendChild(n); });
      root.setAttribute("aria-busy", "false");
    }).catch(function (err) {
      root.textContent = "";
      root.setAttribute("aria-busy", "false");
      if (err && err.message === "signin") return;
      root.appendChild(el("div", { id: "load-error", className: "status-message error", role: "alert" }, [
        el("h2", { text: err && err.message ? err.message : L["frame.error"] })
      ]));
    });
  }

  load();
})();
