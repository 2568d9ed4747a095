/* The rendering helpers of the privacy page scripts (myad.js, rvh.js): the same contract rendered
   as the page config's freedoms choose. The server embeds them as data (AP.cfg.variant): a variant's
   seeded choices (AP.cfg.variant, see Variant.cs), or the default rendering's own (AP.cfg.rendering,
   Variant.DefaultConfig), whose
   names=fixed keeps the default's fixed ids and data-* hooks and its dialog. Offers the building
   blocks the page scripts share: names, buttons, switches, radios, dialogs. */
var APV = (function (AP) {
  "use strict";
  var variant = AP.cfg.variant || AP.cfg.rendering || { seed: 0, freedoms: {} };
  var V = variant.freedoms || {};
  var seed = variant.seed;
  var L = AP.L;
  var random = V.names === "random";
  /* names=fixed (the default rendering only): the page scripts give controls fixed ids. */
  var fixed = V.names === "fixed";

  function fnv(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
    return h >>> 0;
  }
  /* Same as Variant.Mangle in C#, so server-rendered names and script names agree. */
  function mangle(name) { return "x" + fnv(seed + ":" + name).toString(16) + String(fnv(name + ":" + seed) % 997); }
  function name(n) { return random ? mangle(n) : n; }
  function mapList(v) { return String(v).split(/\s+/).filter(Boolean).map(mangle).join(" "); }

  /* AP.el with every id, class and id reference renamed under names=random. */
  var NAME_ATTRS = ["id", "for", "aria-labelledby", "aria-describedby", "aria-controls", "className"];
  function el(tag, attrs, children) {
    if (random && attrs) {
      var a = {};
      Object.keys(attrs).forEach(function (k) { a[k] = attrs[k]; });
      NAME_ATTRS.forEach(function (k) { if (typeof a[k] === "string" && a[k]) a[k] = mapList(a[k]); });
      attrs = a;
    }
    return AP.el(tag, attrs, children);
  }
  function byId(id) { return document.getElementById(name(id)); }

  var uidCount = 0;
  function uid(prefix) { return prefix + "-" + (++uidCount); }

  /* ---- buttons: <button> or <div role=button tabindex=0> with Enter/Space ---- */
  function isDisabled(b) { return !!b.disabled || b.getAttribute("aria-disabled") === "true"; }
  function setDisabled(b, d) {
    if (b.tagName === "BUTTON") b.disabled = !!d;
    else if (d) b.setAttribute("aria-disabled", "true");
    else b.removeAttribute("aria-disabled");
  }
  function keyActivates(node) {
    node.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); node.click(); }
    });
  }
  function button(label, onClick, attrs, nativeOverride) {
    attrs = attrs || {};
    var a = {};
    Object.keys(attrs).forEach(function (k) { a[k] = attrs[k]; });
    var native = nativeOverride !== undefined ? nativeOverride : V.buttons !== "aria";
    var b;
    var kids = Array.isArray(label) ? label : [label];
    if (native) { a.type = "button"; b = el("button", a, kids); }
    else { a.role = "button"; a.tabindex = "0"; b = el("div", a, kids); keyActivates(b); }
    if (onClick) b.addEventListener("click", function (e) { if (isDisabled(b)) return; onClick(e); });
    return b;
  }

  /* ---- dialogs: role=dialog div or native <dialog>, at once or 100-600 ms after the click ---- */
  var dialogCount = 0;
  function dialog(title, text, confirmLabel, cancelLabel) {
    if (fixed) return AP.dialog(title, text, confirmLabel, cancelLabel);
    return new Promise(function (resolve) {
      function open() {
        var id = uid("modal");
        var previous = document.activeElement;
        var done = false, node, onKey;
        function close(result) {
          if (done) return;
          done = true;
          if (onKey) document.removeEventListener("keydown", onKey, true);
          if (node.tagName === "DIALOG" && node.open) node.close();
          node.remove();
          if (previous && previous.focus && document.contains(previous)) previous.focus();
          resolve(result);
        }
        var confirmBtn = button(confirmLabel, function () { close(true); }, { className: "a-button-primary" });
        var cancelBtn = button(cancelLabel, function () { close(false); }, { className: "a-button" });
        var content = [
          el("h2", { id: id + "-title", text: title }),
          el("p", { id: id + "-text", text: text }),
          el("div", { className: "modal-actions" }, dialogCount++ % 2 ? [confirmBtn, cancelBtn] : [cancelBtn, confirmBtn])
        ];
        if (V.dialogElement === "native-dialog" && typeof HTMLDialogElement === "function") {
          node = el("dialog", { "aria-labelledby": id + "-title", "aria-describedby": id + "-text", className: "modal" }, content);
          node.addEventListener("cancel", function (e) { e.preventDefault(); close(false); });
          document.body.appendChild(node);
          node.showModal();
        } else {
          var box = el("div", { role: "dialog", "aria-modal": "true", "aria-labelledby": id + "-title", "aria-describedby": id + "-text", className: "modal" }, content);
          node = el("div", { className: "modal-backdrop" }, [box]);
          document.body.appendChild(node);
          onKey = function (e) { if (e.key === "Escape") { e.preventDefault(); close(false); } };
          document.addEventListener("keydown", onKey, true);
        }
        confirmBtn.focus();
      }
      if (V.dialogTiming === "delayed") setTimeout(open, 100 + Math.floor(Math.random() * 501));
      else open();
    });
  }

  /* ---- switches ---- */
  /* A switch named by its label; returns { node, control, set(checked) }. onToggle(control) on click/keys.
     ids (optional, names=fixed): { control, label, desc, setting } instead of generated ones. */
  function switchControl(label, desc, checked, onToggle, ids) {
    var kind = V.switches || "button-labelledby";
    ids = ids || {};
    var lid = ids.label || uid("label"), did = ids.desc || uid("desc"), cid = ids.control || uid("switch");
    var control, labelNode, input = false;
    if (kind === "checkbox-fixed") {
      /* the default rendering of the 2019 generation: a checkbox, its label, and the description below */
      control = el("input", { type: "checkbox", id: cid, "data-setting": ids.setting || null, "aria-describedby": did });
      control.checked = !!checked;
      control.addEventListener("click", function (e) {
        e.preventDefault(); /* the box shows what the server stored, once it answered */
        onToggle(control);
      });
      return {
        node: el("div", {}, [
          el("div", { className: "cb-row" }, [control, el("label", { "for": cid, text: label })]),
          el("p", { id: did, className: "setting-desc", text: desc })
        ]),
        control: control,
        set: function (v) { control.checked = !!v; }
      };
    }
    var descNode = el("span", { id: did, className: "setting-desc", text: desc });
    if (kind === "checkbox-label" || kind === "checkbox-role-switch") {
      input = true;
      control = el("input", { type: "checkbox", id: cid, role: kind === "checkbox-role-switch" ? "switch" : null, "aria-describedby": did });
      control.checked = !!checked;
      control.addEventListener("click", function (e) { e.preventDefault(); onToggle(control); });
      labelNode = el("label", { "for": cid, className: "setting-label", text: label });
      return {
        node: el("div", { className: "setting-row" }, [
          el("div", { className: "setting-text" }, [el("div", { className: "cb-row" }, [control, labelNode]), descNode])
        ]),
        control: control,
        set: function (v) { control.checked = !!v; }
      };
    }
    var byLabel = kind === "button-arialabel" || kind === "div-arialabel";
    var attrs = {
      id: cid, role: "switch", className: "switch", "data-setting": ids.setting || null, "aria-checked": String(!!checked), "aria-describedby": did,
      "aria-labelledby": byLabel ? null : lid, "aria-label": byLabel ? label : null
    };
    if (kind.indexOf("div-") === 0) {
      attrs.tabindex = "0";
      control = el("div", attrs);
      control.addEventListener("keydown", function (e) {
        if (e.key === " " || e.key === "Enter") { e.preventDefault(); control.click(); }
      });
    } else {
      attrs.type = "button";
      control = el("button", attrs);
    }
    control.addEventListener("click", function () { onToggle(control); });
    labelNode = el("span", { id: byLabel ? null : lid, className: "setting-label", text: label, "aria-hidden": byLabel ? "true" : null });
    return {
      node: el("div", { className: "setting-row" }, [el("div", { className: "setting-text" }, [labelNode, descNode]), control]),
      control: control,
      set: function (v) { control.setAttribute("aria-checked", String(!!v)); }
    };
  }
  function isBusy(control) { return control.getAttribute("aria-busy") === "true"; }

  /* ---- radio groups ---- */
  /* options [{value,text}]; returns { node, value(), set(value) } (native-radiogroup also parts: label and group).
     ids (optional, names=fixed): { label, group, name, radio(value) } instead of generated ones. */
  function radioGroup(groupLabel, options, selected, ids) {
    var kind = V.radios || "native-radiogroup";
    var current = selected;
    ids = ids || {};
    var gid = ids.label || uid("group"), nameAttr = ids.name || uid("retention");
    var inputs = [];
    if (kind === "aria-radio") {
      var radios = options.map(function (o) {
        var r = el("div", { role: "radio", className: "radio-row aria-radio", "aria-checked": String(o.value === current), tabindex: o.value === current ? "0" : "-1" },
          [el("span", { className: "radio-mark", "aria-hidden": "true" }), o.text]);
        r.addEventListener("click", function () { pick(o.value); });
        r.addEventListener("keydown", function (e) {
          var i = options.indexOf(o);
          if (e.key === " " || e.key === "Enter") { e.preventDefault(); pick(o.value); }
          else if (e.key === "ArrowDown" || e.key === "ArrowRight") { e.preventDefault(); pick(options[(i + 1) % options.length].value, true); }
          else if (e.key === "ArrowUp" || e.key === "ArrowLeft") { e.preventDefault(); pick(options[(i + options.length - 1) % options.length].value, true); }
        });
        inputs.push({ value: o.value, node: r });
        return r;
      });
      function pick(v, focus) {
        current = v;
        inputs.forEach(function (x) {
          x.node.setAttribute("aria-checked", String(x.value === v));
          x.node.setAttribute("tabindex", x.value === v ? "0" : "-1");
          if (focus && x.value === v) x.node.focus();
        });
      }
      return {
        node: el("div", {}, [el("span", { id: gid, className: "setting-label", text: groupLabel }),
          el("div", { role: "radiogroup", "aria-labelledby": gid }, radios)]),
        value: function () { return current; },
        set: function (v) { pick(v); }
      };
    }
    var rows = options.map(function (o) {
      var id = ids.radio ? ids.radio(o.value) : uid("radio");
      var r = el("input", { type: "radio", name: nameAttr, id: kind === "native-fieldset" ? null : id, value: o.value });
      r.checked = o.value === current;
      r.addEventListener("change", function () { if (r.checked) current = o.value; });
      inputs.push({ value: o.value, node: r });
      if (kind === "native-fieldset") return el("div", { className: "radio-row" }, [el("label", {}, [r, " " + o.text])]);
      return el("div", { className: "radio-row" }, [r, el("label", { "for": id, text: o.text })]);
    });
    var parts = kind === "native-fieldset" ? null
      : [el("span", { id: gid, className: "setting-label", text: groupLabel }), el("div", { role: "radiogroup", id: ids.group || null, "aria-labelledby": gid }, rows)];
    var node = kind === "native-fieldset"
      ? el("fieldset", { className: "retention-fieldset" }, [el("legend", { className: "setting-label", text: groupLabel })].concat(rows))
      : el("div", {}, parts);
    return {
      node: node,
      parts: parts,
      value: function () { return current; },
      set: function (v) { current = v; inputs.forEach(function (x) { x.node.checked = x.value === v; }); }
    };
  }

  /* pageHeading=script: the page heading comes from the script (a page whose script failed has none). */
  if (V.pageHeading === "script" && AP.cfg.heading) {
    var main = document.querySelector("main");
    if (main && !main.querySelector("h1")) main.insertBefore(el("h1", { text: AP.cfg.heading }), main.firstChild);
  }

  return {
    V: V, seed: seed, fixed: fixed, name: name, mangle: mangle, el: el, byId: byId, uid: uid,
    button: button, isDisabled: isDisabled, setDisabled: setDisabled, keyActivates: keyActivates,
    dialog: dialog, switchControl: switchControl, isBusy: isBusy, radioGroup: radioGroup
  };
})(AP);
