/* "Manage Your Alexa Data" in variant mode: the same settings, labels and behaviour as myad.js,
   rendered as the variant's freedoms choose (controls, section order, decoys, dialogs, re-render). */
(function () {
  "use strict";
  var L = AP.L, cfg = AP.cfg, V = APV.V, el = APV.el;
  var root = APV.byId("settings-root");
  var removed = cfg.removed || [];
  var settings = null;
  var gen2019 = cfg.generation === "2019";
  var wholeView = V.rerender === "whole-view";
  var many = V.decoyLabels === "many";
  var ORDER = AP.RETENTION_ORDER;
  var SWITCH_LABEL = {
    VoiceRecordingReview: gen2019 ? "myad.switch.VoiceRecordingReview2019" : "myad.switch.VoiceRecordingReview",
    MessageTranscription: "myad.switch.MessageTranscription",
    DeletionByVoice: "myad.switch.DeletionByVoice",
    PersonalizationDecoy: "myad.switch.PersonalizationDecoy"
  };
  var SWITCH_DESC = {
    VoiceRecordingReview: gen2019 ? "myad.desc.VoiceRecordingReview2019" : "myad.desc.VoiceRecordingReview",
    MessageTranscription: "myad.desc.MessageTranscription",
    DeletionByVoice: "myad.desc.DeletionByVoice",
    PersonalizationDecoy: "myad.desc.PersonalizationDecoy"
  };

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
    var s = APV.switchControl(L[SWITCH_LABEL[key]], L[SWITCH_DESC[key]], settings[key], function (c) { onSwitch(key, c); });
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
    var group = APV.radioGroup(L["myad.retention.group"], options, settings.VoiceRecordingRetention);
    retentionGroup = group;
    var btn = APV.button(L["myad.save"], function () { onSaveRetention(btn, group); }, { className: "a-button-primary", style: "width:auto;margin-top:8px" });
    return el("div", { className: "setting-row", style: "display:block" }, [group.node, btn]);
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
  function section(id, titleKey, children) {
    children = children.filter(Boolean);
    if (!children.length) return null;
    var hid = APV.uid("heading");
    return el("section", { className: "settings-section", "aria-labelledby": hid },
      [el("h2", { id: hid, text: L[titleKey] })].concat(children));
  }

  function render2025() {
    var items = [
      { id: "voice", build: function () {
        return section("voice", "myad.sec.voiceRecordings", [
          present("VoiceRecordingRetention") ? retention() : null,
          present("DeletionByVoice") ? control("DeletionByVoice") : null,
          many ? helpLink("decoy.deleteByVoice") : null
        ]);
      } },
      { id: "improve", build: function () {
        return section("improve", "myad.sec.helpImprove", [
          present("VoiceRecordingReview") ? control("VoiceRecordingReview") : null,
          many ? helpLink("decoy.helpImprove") : null,
          present("MessageTranscription") ? control("MessageTranscription") : null,
          many ? decoySwitch("calls", "decoy.transcriptionCalls", "decoy.transcriptionCallsDesc") : null
        ]);
      } },
      { id: "personalization", build: function () {
        var saveDecoy = many ? APV.button(L["decoy.savePreferences"], function () { AP.status(L["myad.saved"]); }, { className: "a-button" }) : null;
        return section("personalization", "myad.sec.personalization", [
          present("PersonalizationDecoy") ? control("PersonalizationDecoy") : null,
          saveDecoy
        ]);
      } }
    ];
    return ordered(items, { improve: ["improve"], personalization: ["personalization"] })
      .map(function (x) { return x.build(); }).filter(Boolean);
  }

  /* ---- 2019 layout: boxes, every one closed at first; a control exists only in an open box ---- */
  function box(id, title, build) {
    var bodyId = APV.uid("box-body");
    var body = el("div", { id: bodyId, className: "box-body", hidden: true });
    var attrs = { className: "box-toggle", "aria-expanded": "false", "aria-controls": bodyId };
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
    return el("div", { className: "box-2019" }, [el("h2", {}, [toggle]), body]);
  }

  function render2019() {
    var items = [];
    function add(id, titleKey, build) { items.push({ id: id, build: function () { return box(id, L[titleKey], build); } }); }
    if (present("VoiceRecordingRetention")) add("retention", "myad.box.retention", function () { return [retention()]; });
    if (present("DeletionByVoice")) add("deletion", "myad.box.deletion", function () { return [control("DeletionByVoice"), many ? helpLink("decoy.deleteByVoice") : null]; });
    if (present("VoiceRecordingReview")) add("improve", "myad.box.improve", function () { return [control("VoiceRecordingReview"), many ? helpLink("decoy.helpImprove") : null]; });
    if (many) add("improve-skills", "decoy.boxImproveSkills", function () { return [decoySwitch("skills", "decoy.helpImproveSkills", "decoy.helpImproveSkillsDesc")]; });
    if (present("MessageTranscription")) add("transcription", "myad.box.transcription", function () { return [control("MessageTranscription")]; });
    if (present("PersonalizationDecoy")) add("personalization", "myad.box.personalization", function () { return [control("PersonalizationDecoy")]; });
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
      root.appendChild(el("div", { className: "status-message error", role: "alert" }, [
        el("h2", { text: err && err.message ? err.message : L["frame.error"] })
      ]));
    });
  }

  load();
})();
