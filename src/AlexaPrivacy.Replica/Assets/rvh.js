/* "Review Voice History": filters, the customer-history-records-v2 feed with "Show more" paging,
   per-record delete and "Delete all of my recordings" for the current filters. How it renders is
   data: the freedoms of the page config (APV.V), the default rendering's or a variant's (filter
   controls, combined filter, record layout, "Show more" or scroll, decoys, re-render of the whole
   view after every change), and how it behaves where the contract leaves it open: when a custom
   range takes effect (on input, on change, on "Apply", on Enter; the default: on every change),
   whether the device filter is the feed's or the page's own (on the records loaded), and what
   "Delete all of my recordings" sends (the filters, or the keys of the records loaded).
   names=fixed (the default rendering) keeps the default's fixed ids, form names, option values
   and data-* hooks, its filters in place, and its "Show more" (disabled while the next page loads). */
(function () {
  "use strict";
  var L = AP.L, cfg = AP.cfg, V = APV.V, el = APV.el, fixed = APV.fixed;
  var root = APV.byId("rvh-root");
  var wholeView = V.rerender === "whole-view";
  var many = V.decoyLabels === "many";
  var DATES = ["today", "yesterday", "last7", "last30", "all", "custom"];
  var confirmRange = V.customRange === "apply-button" || V.customRange === "enter";
  /* customRange=change-always (the default rendering): every change of a date field reloads the list. */
  var changeAlways = V.customRange === "change-always";
  var pageDevices = V.deviceFiltering === "page";

  /* date/start/end: what the controls show; shown*: the filter the list shows (a custom range waits for
     "Apply" or Enter under customRange=apply-button/enter). */
  var S = { date: "today", device: "", start: "", end: "", shownDate: "today", shownStart: "", shownEnd: "",
            records: [], token: null, loading: false, error: null, devices: [] };
  var loadSeq = 0, lastRange = "";
  var filtersNode, customNode, listNode, footerNode, deleteAllNode, observer = null;
  var popups = [];   /* open popups: { close() } */
  var openKey = null, reopen = {};  /* the open popup survives a re-render of the whole view */

  var isoDay = AP.isoDay, formatDate = AP.formatDate, formatTime = AP.formatTime;

  function range() { return AP.dateRange(S.shownDate, S.shownStart, S.shownEnd); }
  function rangeQuery(r) { return "startTime=" + r[0] + "&endTime=" + r[1]; }
  /* The feed's query: the page's device filter goes to the server only under deviceFiltering=server. */
  function query(r) {
    var q = rangeQuery(r);
    if (S.device && !pageDevices) q += "&deviceName=" + encodeURIComponent(S.device);
    return q;
  }
  /* Whether a loaded record is shown: under deviceFiltering=page the page filters what it loaded. */
  function shown(rec) { return !pageDevices || !S.device || (rec.device && rec.device.deviceName) === S.device; }
  function shownRecords() { return S.records.filter(shown); }

  /* ---- popups (listbox / menu) ---- */
  function closePopups() { popups.slice().forEach(function (p) { p.close(); }); popups = []; }
  document.addEventListener("click", function (e) {
    popups.slice().forEach(function (p) { if (!p.contains(e.target)) p.close(); });
  }, true);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && popups.length) closePopups(); });

  /* A trigger that opens a popup; items: [{text, selected, pick()}] or groups [{label, items}]. */
  function popupControl(key, kind, triggerLabel, labelledBy, groups, triggerText) {
    var popId = APV.uid("popup");
    var isMenu = kind === "menu";
    var trigger;
    var tAttrs = {
      className: "a-button dropdown-trigger", "aria-haspopup": isMenu ? "menu" : "listbox", "aria-expanded": "false",
      "aria-controls": popId, "aria-labelledby": labelledBy || null, "aria-label": labelledBy ? null : triggerLabel
    };
    var kids = [triggerText == null ? triggerLabel : triggerText, el("span", { className: "dropdown-caret", "aria-hidden": "true", text: " \u25BE" })];
    if (V.buttons === "aria") {
      /* a listbox filter of its own is a combobox; the combined filter and menus stay buttons */
      tAttrs.role = !isMenu && groups.length === 1 ? "combobox" : "button"; tAttrs.tabindex = "0";
      trigger = el("div", tAttrs, kids);
      APV.keyActivates(trigger);
    } else {
      tAttrs.type = "button";
      trigger = el("button", tAttrs, kids);
    }
    var wrap = el("div", { className: "dropdown" }, [trigger]);
    var pop = null;
    var handle = {
      contains: function (n) { return wrap.contains(n); },
      close: function (keepKey) {
        if (!pop) return;
        if (!keepKey && openKey === key) openKey = null;
        pop.remove(); pop = null;
        trigger.setAttribute("aria-expanded", "false");
        popups = popups.filter(function (p) { return p !== handle; });
      }
    };
    function item(it) {
      var attrs = isMenu
        ? { role: "menuitemradio", "aria-checked": String(!!it.selected), tabindex: "-1", className: "dropdown-item" }
        : { role: "option", "aria-selected": String(!!it.selected), tabindex: "-1", className: "dropdown-item" };
      var n = el(isMenu ? "div" : "li", attrs, [it.text]);
      n.addEventListener("click", function (e) { e.stopPropagation(); handle.close(); it.pick(); });
      n.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); n.click(); }
        else if (e.key === "ArrowDown" && n.nextElementSibling) { e.preventDefault(); n.nextElementSibling.focus(); }
        else if (e.key === "ArrowUp" && n.previousElementSibling) { e.preventDefault(); n.previousElementSibling.focus(); }
      });
      return n;
    }
    function open() {
      closePopups();
      var content;
      if (groups.length === 1) {
        content = isMenu
          ? el("div", { role: "menu", id: popId, "aria-labelledby": labelledBy || null, "aria-label": labelledBy ? null : triggerLabel, className: "dropdown-popup" }, groups[0].items.map(item))
          : el("ul", { role: "listbox", id: popId, "aria-labelledby": labelledBy || null, "aria-label": labelledBy ? null : triggerLabel, className: "dropdown-popup" }, groups[0].items.map(item));
      } else if (isMenu) {
        var kids = [];
        groups.forEach(function (g, i) {
          if (i) kids.push(el("div", { role: "separator", className: "dropdown-separator" }));
          kids.push(el("div", { role: "group", "aria-label": g.label }, [el("div", { className: "dropdown-group-label", "aria-hidden": "true", text: g.label })].concat(g.items.map(item))));
        });
        content = el("div", { role: "menu", id: popId, "aria-label": triggerLabel, className: "dropdown-popup" }, kids);
      } else {
        content = el("div", { id: popId, className: "dropdown-popup" }, groups.map(function (g) {
          var gid = APV.uid("group-label");
          return el("div", { className: "dropdown-group" }, [
            el("div", { id: gid, className: "dropdown-group-label", text: g.label }),
            el("ul", { role: "listbox", "aria-labelledby": gid }, g.items.map(item))
          ]);
        }));
      }
      pop = content;
      openKey = key;
      wrap.appendChild(pop);
      trigger.setAttribute("aria-expanded", "true");
      popups.push(handle);
      var first = pop.querySelector('[aria-checked="true"],[aria-selected="true"]') || pop.querySelector('[tabindex="-1"]');
      if (first) first.focus();
    }
    trigger.addEventListener("click", function () { if (pop) handle.close(); else open(); });
    reopen[key] = open;
    return wrap;
  }

  function dateItems() {
    return DATES.map(function (v) { return { value: v, text: L["rvh.date." + v], selected: S.date === v, pick: function () { setDate(v); } }; });
  }
  function deviceItems() {
    return [{ value: "", text: L["rvh.allDevices"], selected: !S.device, pick: function () { setDevice(""); } }].concat(S.devices.map(function (d) {
      return { value: d, text: d, selected: S.device === d, pick: function () { setDevice(d); } };
    }));
  }

  /* One filter: native select, listbox or menu. fixedIds (names=fixed): the select's id and form name;
     its options then carry their own values (the date choice, the device name). */
  function filter(kind, labelKey, items, fixedIds) {
    var lid = APV.uid("filter-label");
    if (kind === "select") {
      var sid = fixedIds ? fixedIds.id : APV.uid("filter");
      var optionValue = function (it, i) { return fixedIds ? it.value : String(i); };
      var sel = el("select", { id: sid, name: fixedIds ? fixedIds.name : null }, items.map(function (it, i) { return el("option", { value: optionValue(it, i), text: it.text }); }));
      items.forEach(function (it, i) { if (it.selected) sel.value = optionValue(it, i); });
      sel.addEventListener("change", function () { items.filter(function (it, i) { return optionValue(it, i) === sel.value; })[0].pick(); });
      return el("div", { className: fixed ? null : "filter" }, [el("label", { "for": sid, text: L[labelKey] }), sel]);
    }
    var selected = items.filter(function (it) { return it.selected; })[0];
    return el("div", { className: "filter" }, [
      el("span", { id: lid, className: "filter-label", text: L[labelKey] }),
      popupControl(labelKey, kind, L[labelKey], lid, [{ label: L[labelKey], items: items }], selected ? selected.text : "")
    ]);
  }

  function buildFilters() {
    var kids;
    if (V.filterLayout === "combined") {
      var dateText = L["rvh.date." + S.date], deviceText = S.device || L["rvh.allDevices"];
      kids = [el("div", { className: "filter" }, [
        popupControl("combined", V.combinedFilter === "listbox" ? "listbox" : "menu", L["rvh.filter"], null, [
          { label: L["rvh.filterDate"], items: dateItems() },
          { label: L["rvh.filterDevice"], items: deviceItems() }
        ], null),
        el("span", { className: "filter-summary", text: " " + dateText + " \u00B7 " + deviceText })
      ])];
    } else {
      kids = [filter(V.dateFilter || "select", "rvh.filterDate", dateItems(), fixed ? { id: "filter-date", name: "dateFilter" } : null),
        filter(V.deviceFilter || "select", "rvh.filterDevice", deviceItems(), fixed ? { id: "filter-device", name: "deviceFilter" } : null)];
    }
    deleteAllNode = APV.button(L["rvh.deleteAll"], onDeleteAll, { id: fixed ? "delete-all" : null, className: "a-button" });
    kids.push(el("div", {}, [deleteAllNode]));
    if (many) {
      var note = el("p", { className: "filter-note", hidden: true, text: L["decoy.moreFiltersText"] });
      var more = APV.button(L["decoy.showMoreFilters"], function () {
        note.hidden = !note.hidden;
        more.setAttribute("aria-expanded", String(!note.hidden));
      }, { className: "a-button", "aria-expanded": "false" });
      kids.push(el("div", {}, [more, note]));
      kids.push(el("div", {}, [el("a", { href: "/gp/help/customer/display.html?nodeId=GYCXKY2AB2QWZT2X", text: L["decoy.deleteByVoice"] })]));
    }
    return el("div", { className: "filters", id: fixed ? "filters" : null }, kids);
  }

  function dateInput(which, labelKey) {
    var value = which === "start" ? S.start : S.end;
    var kind = V.dateInputs || "date-labelfor";
    var id = fixed ? "filter-" + which : APV.uid("date"), lid = APV.uid("date-label");
    var input;
    if (kind === "text-arialabel") {
      input = el("input", { type: "text", "aria-label": L[labelKey], placeholder: "yyyy-mm-dd", inputmode: "numeric", value: value, autocomplete: "off" });
    } else {
      input = el("input", { type: "date", id: kind === "date-labelfor" ? id : null, name: fixed ? which + "Date" : null, "aria-labelledby": kind === "date-labelledby" ? lid : null, value: value });
    }
    function onValue() {
      if (which === "start") S.start = input.value; else S.end = input.value;
      /* change-always: the list's range is what the fields show, as in a page that reads them when it asks */
      if (changeAlways) { S.shownStart = S.start; S.shownEnd = S.end; }
    }
    function onCommit() {
      onValue();
      if (changeAlways) { loadPage(true); return; } /* whatever the date choice, a complete or incomplete range */
      if (S.date === "custom" && !confirmRange) applyCustom();
    }
    input.addEventListener("input", V.customRange === "input" ? onCommit : onValue);
    input.addEventListener("change", V.customRange === "input" || V.customRange === "change" || changeAlways ? onCommit : onValue);
    if (V.customRange === "enter") {
      input.addEventListener("keydown", function (e) {
        if (e.key !== "Enter") return;
        e.preventDefault();
        onValue();
        applyCustom();
      });
    }
    var label = kind === "date-labelfor" ? el("label", { "for": id, text: L[labelKey] })
      : kind === "date-labelledby" ? el("span", { id: lid, className: "filter-label", text: L[labelKey] })
      : el("span", { className: "filter-label", "aria-hidden": "true", text: L[labelKey] });
    return el("div", {}, [label, input]);
  }

  function buildCustom() {
    var kids = [dateInput("start", "rvh.startDate"), dateInput("end", "rvh.endDate")];
    if (V.customRange === "apply-button") kids.push(el("div", {}, [APV.button(L["rvh.apply"], function () { applyCustom(); }, { className: "a-button" })]));
    return el("div", { id: fixed ? "custom-range" : null, className: "filters", hidden: S.date !== "custom" }, kids);
  }

  /* ---- records ---- */
  function itemOf(rec, type) {
    var items = rec.voiceHistoryRecordItems || [];
    for (var i = 0; i < items.length; i++) if (items[i].recordItemType === type) return items[i];
    return null;
  }
  function transcriptText(rec) {
    var asr = itemOf(rec, "ASR_REPLACEMENT_TEXT"), said = itemOf(rec, "CUSTOMER_TRANSCRIPT");
    if (said && said.transcriptText) return { text: "\"" + said.transcriptText + "\"", placeholder: false };
    var text = asr && asr.transcriptText;
    if (text === "Audio was not intended for Alexa") text = L["rvh.notIntended"];
    else if (!text || text === "Text not available") text = L["rvh.notAvailable"];
    return { text: text, placeholder: true };
  }
  function meta(rec) {
    return el("div", { className: "record-meta" }, [
      el("span", { className: "record-date", text: formatDate(rec.timestamp) }), " ",
      el("span", { className: "record-time", text: formatTime(rec.timestamp) }), " \u00B7 ",
      el("span", { className: "record-device", text: (rec.device && rec.device.deviceName) || "" })
    ]);
  }
  function responseContent(rec) {
    var response = itemOf(rec, "ALEXA_RESPONSE");
    return response && response.transcriptText
      ? el("span", {}, [el("strong", { text: L["rvh.alexaSaid"] + ": " }), response.transcriptText])
      : el("span", { text: L["rvh.noResponse"] });
  }

  function recordNode(rec) {
    var t = transcriptText(rec);
    var transcript = el("div", { className: "record-transcript" + (t.placeholder ? " record-placeholder" : ""), text: t.text });
    var node;
    var del = APV.button(L["rvh.deleteRecording"], function () {
      APV.setDisabled(del, true);
      AP.api("/alexa-privacy/apd/rvh/delete-records", { recordKeys: [rec.recordKey] }).then(function () {
        S.records = S.records.filter(function (r) { return r.recordKey !== rec.recordKey; });
        AP.status(L["rvh.deleted"]);
        if (wholeView) { renderAll(); return; }
        node.remove();
        if (!shownRecords().length && S.token === null) renderFooter();
      }).catch(function (err) { APV.setDisabled(del, false); AP.fail(err); });
    }, { className: "a-button record-delete", "data-record-key": fixed ? rec.recordKey : null });

    if (V.records === "details") {
      return node = el("div", { className: "record record-details" }, [
        el("details", {}, [
          el("summary", {}, [meta(rec), transcript]),
          el("div", { className: "record-response" }, [responseContent(rec)])
        ]),
        el("div", { className: "record-actions" }, [del])
      ]);
    }
    var respId = APV.uid("record-response");
    var respBox = el("div", { id: respId, className: "record-response", hidden: true }, [responseContent(rec)]);
    var expand = APV.button(L["rvh.showResponse"], function () {
      var open = expand.getAttribute("aria-expanded") === "true";
      expand.setAttribute("aria-expanded", String(!open));
      respBox.hidden = open;
    }, { className: "a-button record-expand", "aria-expanded": "false", "aria-controls": respId });
    var kids = [el("div", { className: "record-main" }, [meta(rec), transcript]), el("div", { className: "record-actions" }, [expand, del]), respBox];
    if (V.records === "articles") return node = el("article", { className: "record", "aria-label": formatDate(rec.timestamp) + " " + formatTime(rec.timestamp) }, kids);
    return node = el("li", { className: "record", "data-record-key": fixed ? rec.recordKey : null, "data-timestamp": fixed ? String(rec.timestamp) : null }, kids);
  }

  function buildList() {
    var attrs = { id: fixed ? "record-list" : null, className: "record-list", "aria-label": L["rvh.title"], "aria-busy": String(S.loading) };
    if (V.records === "articles") { attrs.role = "feed"; return el("div", attrs); }
    if (V.records === "details") return el("div", attrs);
    return el("ul", attrs);
  }

  /* ---- footer: "Show more" or loading on scroll; "End of list" / "No records found" ---- */
  function renderFooter() {
    if (observer) { observer.disconnect(); observer = null; }
    footerNode.textContent = "";
    if (S.error) {
      footerNode.appendChild(el("div", { id: fixed ? "load-error" : null, className: "status-message error", role: "alert" }, [el("h2", { text: S.error.message || L["frame.error"] })]));
      if (S.error.more) footerNode.appendChild(APV.button(L["rvh.showMore"], function () { loadPage(false); }, { className: "a-button" }));
      return;
    }
    if (S.loading) { footerNode.appendChild(el("p", { className: "loading", text: L["frame.loading"] })); return; }
    if (S.token !== null) {
      if (V.paging === "scroll") {
        var sentinel = el("div", { className: "scroll-sentinel", style: "height:24px" }, []);
        footerNode.appendChild(sentinel);
        if (typeof IntersectionObserver === "function") {
          observer = new IntersectionObserver(function (entries) {
            if (entries.some(function (e) { return e.isIntersecting; }) && !S.loading && S.token !== null) loadPage(false);
          });
          observer.observe(sentinel);
        }
        return;
      }
      footerNode.appendChild(APV.button(L["rvh.showMore"], function (e) {
        APV.setDisabled(e.currentTarget, true);
        loadPage(false);
      }, { id: fixed ? "show-more" : null, className: "a-button" }));
      return;
    }
    if (!shownRecords().length) footerNode.appendChild(el("p", { id: fixed ? "no-records" : null, className: "list-end", text: L["rvh.noRecords"] }));
    else footerNode.appendChild(el("p", { id: fixed ? "end-of-list" : null, className: "list-end", text: L["rvh.endOfList"] }));
  }
  window.addEventListener("scroll", function () {
    if (V.paging !== "scroll" || S.loading || S.token === null || !footerNode) return;
    var r = footerNode.getBoundingClientRect();
    if (r.top < window.innerHeight + 40) loadPage(false);
  }, { passive: true });

  function renderAll() {
    var wasOpen = openKey;
    popups.slice().forEach(function (p) { p.close(true); });
    popups = [];
    reopen = {};
    root.textContent = "";
    filtersNode = buildFilters();
    customNode = buildCustom();
    listNode = buildList();
    shownRecords().forEach(function (r) { listNode.appendChild(recordNode(r)); });
    footerNode = el("div", { id: fixed ? "list-footer" : null, "aria-live": "polite" });
    root.appendChild(filtersNode);
    root.appendChild(customNode);
    root.appendChild(listNode);
    root.appendChild(footerNode);
    root.setAttribute("aria-busy", "false");
    renderFooter();
    if (wasOpen && reopen[wasOpen]) reopen[wasOpen]();
  }

  /* The filters changed: in place (filters rebuilt only when their own shown value changed) or whole view. */
  function filtersChanged() {
    if (wholeView) return; /* loadPage re-renders everything */
    if (fixed) { customNode.hidden = S.date !== "custom"; return; } /* the default's controls stay; they show their own value */
    openKey = null;
    var f = buildFilters();
    filtersNode.replaceWith(f);
    filtersNode = f;
    customNode.hidden = S.date !== "custom";
  }

  function setDate(v) {
    if (S.date === v) return;
    S.date = v;
    if (v === "custom" && confirmRange) {
      /* The list keeps what it shows until the range is confirmed. */
      if (wholeView) renderAll(); else filtersChanged();
      return;
    }
    S.shownDate = v; S.shownStart = S.start; S.shownEnd = S.end;
    filtersChanged();
    loadPage(true);
  }
  function setDevice(d) {
    if (S.device === d) return;
    S.device = d;
    if (!pageDevices) { filtersChanged(); loadPage(true); return; }
    /* The page's own device filter: the records loaded, shown again; no request. */
    if (wholeView) { renderAll(); return; }
    filtersChanged();
    listNode.textContent = "";
    shownRecords().forEach(function (r) { listNode.appendChild(recordNode(r)); });
    renderFooter();
  }
  /* The custom range takes effect: on input/change as they come (only a new range reloads), or on "Apply"/Enter (always). */
  function applyCustom() {
    if (S.date !== "custom") return;
    S.shownDate = "custom"; S.shownStart = S.start; S.shownEnd = S.end;
    var r = range();
    var key = r ? r.join("-") : "";
    if (confirmRange || (key && key !== lastRange)) loadPage(true);
  }

  function loadPage(first) {
    var r = range();
    var seq = first ? ++loadSeq : loadSeq;
    if (!first && (S.loading || S.token === null)) return;
    S.error = null;
    if (first) { S.records = []; S.token = null; lastRange = r ? r.join("-") : ""; }
    if (!r) {
      S.loading = false;
      if (wholeView) renderAll(); else { listNode.textContent = ""; renderFooter(); }
      return;
    }
    S.loading = true;
    if (first && !wholeView) listNode.textContent = "";
    /* names=fixed: while the next page loads, the footer keeps its disabled "Show more" */
    if (wholeView) renderAll(); else { listNode.setAttribute("aria-busy", "true"); if (first || !fixed) renderFooter(); }
    AP.api("/alexa-privacy/apd/rvh/customer-history-records-v2?" + query(r) + "&pageType=VOICE_HISTORY",
      { previousRequestToken: first ? null : S.token }).then(function (d) {
      if (seq !== loadSeq) return;
      var added = d.customerHistoryRecords || [];
      S.records = S.records.concat(added);
      S.token = d.encodedRequestToken || null;
      S.loading = false;
      if (wholeView) { renderAll(); return; }
      added.filter(shown).forEach(function (rec) { listNode.appendChild(recordNode(rec)); });
      listNode.setAttribute("aria-busy", "false");
      renderFooter();
    }).catch(function (err) {
      if (seq !== loadSeq) return;
      S.loading = false;
      if (err && err.message === "signin") {
        if (fixed) { listNode.setAttribute("aria-busy", "false"); footerNode.textContent = ""; }
        return;
      }
      S.error = { message: err && err.message, more: !first };
      if (wholeView) { renderAll(); return; }
      listNode.setAttribute("aria-busy", "false");
      renderFooter();
    });
  }

  function onDeleteAll() {
    var r = range();
    if (!r) return;
    APV.dialog(L["rvh.deleteAllDialog.title"], L["rvh.deleteAllDialog.text"], L["rvh.delete"], L["rvh.cancel"]).then(function (ok) {
      if (!ok) return;
      /* deleteAllScope=filter: the server deletes what matches the filters; loaded: the page sends the keys it shows. */
      var request = V.deleteAllScope === "loaded"
        ? AP.api("/alexa-privacy/apd/rvh/delete-records", { recordKeys: shownRecords().map(function (rec) { return rec.recordKey; }) })
        : AP.api("/alexa-privacy/apd/rvh/delete-all?" + rangeQuery(r) + (S.device ? "&deviceName=" + encodeURIComponent(S.device) : ""), {});
      /* names=fixed: the button is disabled until the deletion answered */
      var button = fixed ? deleteAllNode : null;
      if (button) APV.setDisabled(button, true);
      request.then(function (d) {
        AP.status(AP.format(L["rvh.deletedAll"], d.deleted));
        loadPage(true);
      }).catch(AP.fail).then(function () { if (button) APV.setDisabled(button, false); });
    });
  }

  AP.api("/alexa-privacy/apd/rvh/devices").then(function (d) {
    S.devices = d.devices || [];
    var today = isoDay(new Date());
    S.start = today; S.end = today; S.shownStart = today; S.shownEnd = today;
    renderAll();
    loadPage(true);
  }).catch(function (err) {
    root.textContent = "";
    root.setAttribute("aria-busy", "false");
    if (err && err.message === "signin") return;
    root.appendChild(el("div", { id: fixed ? "load-error" : null, className: "status-message error", role: "alert" }, [el("h2", { text: err.message || L["frame.error"] })]));
  });
})();
