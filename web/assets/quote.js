// MetalPro back office, the quote editor: live totals and more extra lines. The page works
// without this file (saving shows the totals); with it, the form is posted to the server's
// totals endpoint as the operator types and the answer fills the totals and the messages.
// The server computes everything: this file only shows what comes back.
(function () {
  "use strict";

  var form = document.getElementById("quote-form");
  if (!form || !form.getAttribute("data-totals-url")) {
    return;
  }
  var url = form.getAttribute("data-totals-url");
  var csrf = form.querySelector('input[name="csrf"]');
  var timer = null;
  var pending = null; // the latest request: older answers are ignored

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) {
      el.textContent = text;
    }
  }

  // errorKey is the field key the server's messages use for one error slot.
  function errorKey(slot) {
    var key = slot.getAttribute("data-error-for");
    if (key === "extraDescription" || key === "extraAmount") {
      var rows = Array.prototype.slice.call(form.querySelectorAll("tr[data-extra]"));
      key = key + "." + rows.indexOf(slot.closest("tr"));
    }
    return key;
  }

  function showErrors(byField) {
    var slots = document.querySelectorAll("[data-error-for]");
    Array.prototype.forEach.call(slots, function (slot) {
      var msg = byField[errorKey(slot)] || "";
      slot.textContent = msg;
      if (slot.id === "quote-form-error") {
        slot.hidden = msg === "";
        return;
      }
      var input = slot.parentNode.querySelector("input, textarea");
      if (input) {
        if (msg) {
          input.setAttribute("aria-invalid", "true");
        } else {
          input.removeAttribute("aria-invalid");
        }
      }
    });
  }

  function showTotals(body) {
    setText("total-net", body.net);
    setText("total-vat", body.vat);
    setText("total-gross", body.gross);
    Array.prototype.forEach.call(form.querySelectorAll("[data-line]"), function (cell) {
      cell.textContent = (body.lines && body.lines[cell.getAttribute("data-line")]) || "—";
    });
  }

  function refresh() {
    var data = new URLSearchParams(new FormData(form));
    var req = fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf ? csrf.value : "", "Accept": "application/json" }
    });
    pending = req;
    req.then(function (resp) {
      return resp.json().then(function (body) {
        if (req !== pending) {
          return;
        }
        if (resp.ok) {
          showErrors({});
          showTotals(body);
          return;
        }
        var byField = {};
        (body.details || []).forEach(function (d) {
          byField[d.field] = d.message;
        });
        if (!body.details) {
          byField[""] = body.error;
        }
        showErrors(byField);
        ["total-net", "total-vat", "total-gross"].forEach(function (id) {
          setText(id, "—");
        });
      });
    }).catch(function () {
      // Offline or the session ended: the totals stay as they were; saving still works.
    });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  });

  // "Add a line": a copy of the last extra pair, emptied, with ids of its own.
  var add = document.querySelector("[data-add-extra]");
  var body = document.getElementById("quote-extras");
  if (add && body) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = body.querySelectorAll("tr[data-extra]");
      var row = rows[rows.length - 1].cloneNode(true);
      var n = "added-" + rows.length;
      Array.prototype.forEach.call(row.querySelectorAll("input"), function (input) {
        input.value = "";
        input.removeAttribute("aria-invalid");
        var kind = input.name === "extraAmount" ? "amount" : "description";
        input.id = "extra-" + kind + "-" + n;
        var label = input.parentNode.querySelector("label");
        if (label) {
          label.setAttribute("for", input.id);
        }
      });
      Array.prototype.forEach.call(row.querySelectorAll("[data-error-for]"), function (slot) {
        slot.textContent = "";
      });
      body.appendChild(row);
      row.querySelector("input").focus();
    });
  }
})();
