/* "Review Voice History": filters, the customer-history-records-v2 feed with "Show more" paging,
   per-record delete and "Delete all of my recordings" for the current filters. */
(function () {
  "use strict";
  var el = AP.el, L = AP.L, cfg = AP.cfg;
  var root = document.getElementById("rvh-root");
  var token = null, loadSeq = 0, recordSeq = 0;
  var dateSel, deviceSel, startIn, endIn, customBox, list, footer, deleteAllBtn;

  var isoDay = AP.isoDay, formatDate = AP.formatDate, formatTime = AP.formatTime;

  /* The time range of the current date filter, or null while a custom range is incomplete. */
  function range() { return AP.dateRange(dateSel.value, startIn.value, endIn.value); }

  function query(r) {
    var q = "startTime=" + r[0] + "&endTime=" + r[1];
    if (deviceSel.value) q += "&deviceName=" + encodeURIComponent(deviceSel.value);
    return q;
  }

  function itemOf(rec, type) {
    var items = rec.voiceHistoryRecordItems || [];
    for (var i = 0; i < items.length; i++) if (items[i].recordItemType === type) return items[i];
    return null;
  }

  function transcriptNode(rec) {
    var asr = itemOf(rec, "ASR_REPLACEMENT_TEXT"), said = itemOf(rec, "CUSTOMER_TRANSCRIPT");
    if (said && said.transcriptText) return el("div", { className: "record-transcript", text: "\"" + said.transcriptText + "\"" });
    var text = asr && asr.transcriptText;
    if (text === "Audio was not intended for Alexa") text = L["rvh.notIntended"];
    else if (!text || text === "Text not available") text = L["rvh.notAvailable"];
    return el("div", { className: "record-transcript record-placeholder", text: text });
  }

  function recordNode(rec) {
    var n = ++recordSeq, respId = "record-response-" + n;
    var response = itemOf(rec, "ALEXA_RESPONSE");
    var respBox = el("div", { id: respId, className: "record-response", hidden: true }, [
      response && response.transcriptText ? el("span", {}, [el("strong", { text: L["rvh.alexaSaid"] + ": " }), response.transcriptText]) : el("span", { text: L["rvh.noResponse"] })
    ]);
    var expand = el("button", { type: "button", className: "a-button record-expand", "aria-expanded": "false", "aria-controls": respId }, [L["rvh.showResponse"]]);
    expand.addEventListener("click", function () {
      var open = expand.getAttribute("aria-expanded") === "true";
      expand.setAttribute("aria-expanded", String(!open));
      respBox.hidden = open;
    });
    var li;
    var del = el("button", { type: "button", className: "a-button record-delete", "data-record-key": rec.recordKey }, [L["rvh.deleteRecording"]]);
    del.addEventListener("click", function () {
      if (del.disabled) return;
      del.disabled = true;
      AP.api("/alexa-privacy/apd/rvh/delete-records", { recordKeys: [rec.recordKey] }).then(function () {
        li.remove();
        AP.status(L["rvh.deleted"]);
        if (!list.children.length && token === null) showFooter();
      }).catch(function (err) { del.disabled = false; AP.fail(err); });
    });
    li = el("li", { className: "record", "data-record-key": rec.recordKey, "data-timestamp": String(rec.timestamp) }, [
      el("div", { className: "record-main" }, [
        el("div", { className: "record-meta" }, [
          el("span", { className: "record-date", text: formatDate(rec.timestamp) }), " ",
          el("span", { className: "record-time", text: formatTime(rec.timestamp) }), " · ",
          el("span", { className: "record-device", text: (rec.device && rec.device.deviceName) || "" })
        ]),
        transcriptNode(rec)
      ]),
      el("div", { className: "record-actions" }, [expand, del]),
      respBox
    ]);
    return li;
  }

  function showFooter() {
    footer.textContent = "";
    if (token !== null) {
      var more = el("button", { type: "button", id: "show-more", className: "a-button" }, [L["rvh.showMore"]]);
      more.addEventListener("click", function () { more.disabled = true; loadPage(false); });
      footer.appendChild(more);
    } else if (!list.children.length) {
      footer.appendChild(el("p", { id: "no-records", className: "list-end", text: L["rvh.noRecords"] }));
    } else {
      footer.appendChild(el("p", { id: "end-of-list", className: "list-end", text: L["rvh.endOfList"] }));
    }
  }

  function loadPage(first) {
    var r = range();
    var seq = first ? ++loadSeq : loadSeq;
    if (first) { list.textContent = ""; token = null; footer.textContent = ""; }
    if (!r) { showFooter(); return; }
    list.setAttribute("aria-busy", "true");
    if (first) footer.appendChild(el("p", { className: "loading", text: L["frame.loading"] }));
    AP.api("/alexa-privacy/apd/rvh/customer-history-records-v2?" + query(r) + "&pageType=VOICE_HISTORY",
      { previousRequestToken: first ? null : token }).then(function (d) {
      if (seq !== loadSeq) return;
      (d.customerHistoryRecords || []).forEach(function (rec) { list.appendChild(recordNode(rec)); });
      token = d.encodedRequestToken || null;
      list.setAttribute("aria-busy", "false");
      showFooter();
    }).catch(function (err) {
      if (seq !== loadSeq) return;
      list.setAttribute("aria-busy", "false");
      footer.textContent = "";
      if (err && err.message === "signin") return;
      footer.appendChild(el("div", { id: "load-error", className: "status-message error", role: "alert" }, [el("h2", { text: err.message || L["frame.error"] })]));
      var retry = el("button", { type: "button", className: "a-button" }, [L["rvh.showMore"]]);
      retry.addEventListener("click", function () { loadPage(first); });
      if (!first) footer.appendChild(retry);
    });
  }

  function onDeleteAll() {
    var r = range();
    if (!r) return;
    AP.dialog(L["rvh.deleteAllDialog.title"], L["rvh.deleteAllDialog.text"], L["rvh.delete"], L["rvh.cancel"]).then(function (ok) {
      if (!ok) return;
      deleteAllBtn.disabled = true;
      AP.api("/alexa-privacy/apd/rvh/delete-all?" + query(r), {}).then(function (d) {
        AP.status(AP.format(L["rvh.deletedAll"], d.deleted));
        loadPage(true);
      }).catch(AP.fail).then(function () { deleteAllBtn.disabled = false; });
    });
  }

  function build(devices) {
    var dateOptions = ["today", "yesterday", "last7", "last30", "all", "custom"].map(function (v) {
      return el("option", { value: v, text: L["rvh.date." + v] });
    });
    dateSel = el("select", { id: "filter-date", name: "dateFilter" }, dateOptions);
    var today = isoDay(new Date());
    startIn = el("input", { type: "date", id: "filter-start", name: "startDate", value: today });
    endIn = el("input", { type: "date", id: "filter-end", name: "endDate", value: today });
    customBox = el("div", { id: "custom-range", className: "filters", hidden: true }, [
      el("div", {}, [el("label", { "for": "filter-start", text: L["rvh.startDate"] }), startIn]),
      el("div", {}, [el("label", { "for": "filter-end", text: L["rvh.endDate"] }), endIn])
    ]);
    deviceSel = el("select", { id: "filter-device", name: "deviceFilter" },
      [el("option", { value: "", text: L["rvh.allDevices"] })].concat(devices.map(function (d) { return el("option", { value: d, text: d }); })));
    deleteAllBtn = el("button", { type: "button", id: "delete-all", className: "a-button" }, [L["rvh.deleteAll"]]);
    deleteAllBtn.addEventListener("click", onDeleteAll);
    dateSel.addEventListener("change", function () { customBox.hidden = dateSel.value !== "custom"; loadPage(true); });
    deviceSel.addEventListener("change", function () { loadPage(true); });
    startIn.addEventListener("change", function () { loadPage(true); });
    endIn.addEventListener("change", function () { loadPage(true); });
    list = el("ul", { id: "record-list", className: "record-list", "aria-label": L["rvh.title"], "aria-busy": "true" });
    footer = el("div", { id: "list-footer", "aria-live": "polite" });
    root.textContent = "";
    root.appendChild(el("div", { className: "filters", id: "filters" }, [
      el("div", {}, [el("label", { "for": "filter-date", text: L["rvh.filterDate"] }), dateSel]),
      el("div", {}, [el("label", { "for": "filter-device", text: L["rvh.filterDevice"] }), deviceSel]),
      el("div", {}, [deleteAllBtn])
    ]));
    root.appendChild(customBox);
    root.appendChild(list);
    root.appendChild(footer);
    root.setAttribute("aria-busy", "false");
    loadPage(true);
  }

  AP.api("/alexa-privacy/apd/rvh/devices").then(function (d) { build(d.devices || []); }).catch(function (err) {
    root.textContent = "";
    root.setAttribute("aria-busy", "false");
    if (err && err.message === "signin") return;
    root.appendChild(el("div", { id: "load-error", className: "status-message error", role: "alert" }, [el("h2", { text: err.message || L["frame.error"] })]));
  });
})();
