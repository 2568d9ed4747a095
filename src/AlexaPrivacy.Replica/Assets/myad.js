/* "Manage Your Alexa Data": fetches the stored settings, renders them (2025 or 2019 layout), and
   saves each change with the page's own request. A control shows a new state only once the
   server has answered with it. How it renders (controls, names, section order, decoys, dialogs,
   re-render) is data: the freedoms of the page config (APV.V), the default rendering's or a variant's. */
(function () {
  "use strict";
  var L = AP.L, cfg = AP.cfg, V = APV.V, el = APV.el, fixed = APV.fixed;
  var root = APV.byId("settings-root");
  var removed = cfg.removed || [];
  var settings = null;
  var gen2019 = cfg.generation === "2019";
  var wholeView = V.rerender === "whole-view";
  var many = V.decoyLabels === "many";
  var ORDER = AP.RETENTION_ORDER;

  /* The page's layout: which setting goes in which 2025 section and 2019 box, in order; "decoy:<name>"
     entries are rendered under decoyLabels=many only. A switch's label and description are
     "myad.switch.<key>" and "myad.desc.<key>" (the 2019 generation's own text, when it has one,
     under "<key>2019"). */
  var SECTIONS = [
    { id: "voice", fixedId: "voice-recordings", title: "myad.sec.voiceRecordings", keys: ["VoiceRecordingRetention", "DeletionByVoice", "decoy:deleteByVoice"] },
    { id: "improve", fixedId: "help-improve", title: "myad.sec.helpImprove", keys: ["VoiceRecordingReview", "decoy:helpImprove", "MessageTranscription", "decoy:calls"] },
    { id: "personalization", fixedId: "personalization", title: "myad.sec.personalization", keys: ["PersonalizationDecoy", "decoy:savePreferences"] }
  ];
  var BOXES = [
    { id: "retention", title: "myad.box.retention", keys: ["VoiceRecordingRetention"] },
    { id: "deletion", title: "myad.box.deletion", keys: ["DeletionByVoice", "decoy:deleteByVoice"] },
    { id: "improve", title: "myad.box.improve", keys: ["VoiceRecordingReview", "decoy:helpImprove"] },
    { id: "improve-skills", title: "decoy.boxImproveSkills", decoy: true, keys: ["decoy:skills"] },
    { id: "transcription", title: "myad.box.transcription", keys: ["MessageTranscription"] },
    { id: "personalization", title: "myad.box.personalization", keys: ["PersonalizationDecoy"] }
  ];
  var DECOYS = {
    deleteByVoice: function () { return helpLink("decoy.deleteByVoice"); },
    helpImprove: function () { return helpLink("decoy.helpImprove"); },
    calls: function () { return decoySwitch("calls", "decoy.transcriptionCalls", "decoy.transcriptionCallsDesc"); },
    savePreferences: function () { return APV.button(L["decoy.savePreferences"], function () { AP.status(L["myad.saved"]); }, { className: "a-button" }); },
    skills: function () { return decoySwitch("skills", "decoy.helpImproveSkills", "decoy.helpImproveSkillsDesc"); }
  };
  function isDecoy(key) { return key.indexOf("decoy:") === 0; }
  function text(prefix, key) {
    return gen2019 && L.hasOwnProperty(prefix + key + "2019") ? L[prefix + key + "2019"] : L[prefix + key];
  }

  var switches = {};      /* key -> switch of the current view */
  var retentionGroup = null;
  var openBoxes = {};     /* 2019: box id -> open */
  var localDecoys = {};   /* decoy switches: state kept in the page only */

  function present(key) { return removed.indexOf(key) < 0 && settings && settings.hasOwnProperty(key); }

  function save(key, value) {
    return AP.saveSetting(key, value, function (stored) { settings = stored; changed(key === "VoiceRecordingRetention"); });
  }

  /* After every change: the whole view again (whole-view) or the controls updated in place. */
  function changed(includeRadios) {
    if (wholeView) { render(); return; }
    Object.keys(switches).forEach(function (k) { if (settings.hasOwnProperty(k)) switches[k].set(settings[k]); });
    if (includeRadios && retentionGroup) retentionGroup.set(settings.VoiceRecordingRetention);
  }

  /* ---- switches ---- */
  function onSwitch(key, control) {
    if (APV.isBusy(control)) return;
    var wanted = !settings[key];
    AP.confirmChange(key, wanted, settings[key], APV.dialog).then(function (ok) {
      if (!ok) return;
      control.setAttribute("aria-busy", "true");
      return save(key, wanted).catch(AP.fail).then(function () {
        control.removeAttribute("aria-busy");
        changed(false);
      });
    });
  }

  function control(key) {
    var ids = fixed ? { control: (gen2019 ? "checkbox-" : "switch-") + key, label: "label-" + key, desc: "desc-" + key, setting: key } : null;
    var s = APV.switchControl(text("myad.switch.", key), text("myad.desc.", key), settings[key], function (c) { onSwitch(key, c); }, ids);
    switches[key] = s;
    return s.node;
  }

  /* A switch that shares words with the contract's labels; it only changes in the page. */
  function decoySwitch(id, labelKey, descKey) {
    if (!localDecoys.hasOwnProperty(id)) localDecoys[id] = true;
    var s = APV.switchControl(L[labelKey], L[descKey], localDecoys[id], function () {
      localDecoys[id] = !localDecoys[id];
      s.set(localDecoys[id]);
    });
    return s.node;
  }

  function helpLink(labelKey) {
    return el("p", { className: "setting-help" }, [el("a", { href: "/gp/help/customer/display.html?nodeId=GVP69FUJ48X9DK8V", text: L[labelKey] })]);
  }

  /* ---- retention ---- */
  function retention() {
    var options = ORDER.map(function (v) { return { value: v, text: L["myad.retention." + v] }; });
    var ids = fixed ? { label: "retention-label", group: "retention-group", name: "retention", radio: function (v) { return "retention-" + v; } } : null;
    var group = APV.radioGroup(L["myad.retention.group"], options, settings.VoiceRecordingRetention, ids);
    retentionGroup = group;
    var btn = APV.button(L["myad.save"], function () { onSaveRetention(btn, group); },
      { id: fixed ? "retention-save" : null, className: "a-button-primary", style: "width:auto;margin-top:8px" });
    return el("div", { className: "setting-row", style: "display:block" }, (fixed && group.parts ? group.parts : [group.node]).concat([btn]));
  }

  function onSaveRetention(btn, group) {
    var wanted = group.value(), current = settings.VoiceRecordingRetention;
    if (!wanted || APV.isDisabled(btn)) return;
    AP.confirmChange("VoiceRecordingRetention", wanted, current, APV.dialog).then(function (ok) {
      if (!ok) { group.set(settings.VoiceRecordingRetention); return; }
      APV.setDisabled(btn, true);
      return save("VoiceRecordingRetention", wanted).catch(AP.fail).then(function () { APV.setDisabled(btn, false); });
    });
  }

  /* The controls of a layout entry, in order: the retention choice or a switch for each setting the
     page has, and the decoys under decoyLabels=many. */
  function controls(keys) {
    return keys.map(function (k) {
      if (isDecoy(k)) return many ? DECOYS[k.substring(6)]() : null;
      if (!present(k)) return null;
      return k === "VoiceRecordingRetention" ? retention() : control(k);
    }).filter(Boolean);
  }

  /* ---- order ---- */
  function ordered(items, firstIds) {
    var order = V.sectionOrder || "standard";
    if (order === "reversed") return items.slice().reverse();
    var pick = order === "improve-first" ? firstIds.improve : order === "personalization-first" ? firstIds.personalization : [];
    if (!pick || !pick.length) return items;
    var first = items.filter(function (x) { return pick.indexOf(x.id) >= 0; });
    return first.concat(items.filter(function (x) { return pick.indexOf(x.id) < 0; }));
  }

  /* ---- 2025 layout ---- */
  function section(s, children) {
    children = children.filter(Boolean);
    if (!children.length) return null;
    var hid = fixed ? "heading-" + s.fixedId : APV.uid("heading");
    return el("section", { className: "settings-section", "aria-labelledby": hid, id: fixed ? "section-" + s.fixedId : null },
      [el("h2", { id: hid, text: L[s.title] })].concat(children));
  }

  function render2025() {
    var items = SECTIONS.map(function (s) {
      return { id: s.id, build: function () { return section(s, controls(s.keys)); } };
    });
    return ordered(items, { improve: ["improve"], personalization: ["personalization"] })
      .map(function (x) { return x.build(); }).filter(Boolean);
  }

  /* ---- 2019 layout: boxes, every one closed at first; a control exists only in an open box ---- */
  function box(id, title, build) {
    var bodyId = fixed ? "box-body-" + id : APV.uid("box-body");
    var body = el("div", { id: bodyId, className: "box-body", hidden: true });
    var attrs = { className: "box-toggle", id: fixed ? "box-toggle-" + id : null, "aria-expanded": "false", "aria-controls": bodyId };
    var nativeToggle = V.boxHeadings !== "role-button";
    var toggle = APV.button(title, function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      setOpen(!open);
      if (wholeView) render();
    }, attrs, nativeToggle);
    function setOpen(open) {
      openBoxes[id] = open;
      body.textContent = "";
      if (!open) { body.hidden = true; toggle.setAttribute("aria-expanded", "false"); return; }
      build().forEach(function (c) { if (c) body.appendChild(c); });
      body.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
    }
    if (openBoxes[id]) setOpen(true);
    return el("div", { className: "box-2019", id: fixed ? "box-" + id : null }, [el("h2", {}, [toggle]), body]);
  }

  function render2019() {
    var items = [];
    function add(id, titleKey, build) { items.push({ id: id, build: function () { return box(id, L[titleKey], build); } }); }
    BOXES.forEach(function (b) {
      if (b.decoy ? !many : !b.keys.filter(function (k) { return !isDecoy(k); }).some(present)) return;
      add(b.id, b.title, function () { return controls(b.keys); });
    });
    add("smart-home", "myad.box.smartHome", function () { return [el("p", { text: L["myad.smartHomeText"] })]; });
    return ordered(items, { improve: ["improve", "improve-skills"], personalization: ["personalization", "smart-home"] })
      .map(function (x) { return x.build(); });
  }

  function render() {
    switches = {};
    retentionGroup = null;
    root.textContent = "";
    (gen2019 ? render2019() : render2025()).forEach(function (n) { root.appendChild(n); });
    root.setAttribute("aria-busy", "false");
  }

  function load() {
    AP.api("/alexa-privacy/apd/myad/settings-data").then(function (d) {
      settings = d.settings;
      removed = d.removed || removed;
      render();
    }).catch(function (err) {
      root.textContent = "";
      root.setAttribute("aria-busy", "false");
      if (err && err.message === "signin") return;
      root.appendChild(el("div", { id: fixed ? "load-error" : null, className: "status-message error", role: "alert" }, [
        el("h2", { text: err && err.message ? err.message : L["frame.error"] })
      ]));
    });
  }

  load();
})();
