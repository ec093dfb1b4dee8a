/* kpiledger: the submission form (site/pages/submit_form.py makes the page).
 *
 * Each fieldset is one missing record. On "check": read the controls into the record's
 * values as the command line writes them (authoring/sheet_read.cell_value), validate the
 * record with ajv against schemas/record.schema.json and the scheme's item limits, show each
 * problem beside its field, and only when none is left write the files: the `kpi new`
 * skeleton with its nulls filled in, so the text is what `kpi new` + filling or `kpi import`
 * writes. Nothing is sent anywhere: the links open the forge's own editor.
 */
(function () {
  "use strict";
  var dataBox = document.getElementById("kpi-submit-data");
  var form = document.getElementById("kpi-submit");
  if (!dataBox || !form) return;
  var D = JSON.parse(dataBox.textContent);
  var W = D.words;
  var Ajv = window.ajv2020 && (window.ajv2020.default || window.ajv2020);
  var ajv = new Ajv({ allErrors: true, strict: false });
  var recordValid = ajv.compile(window.KPI_RECORD_SCHEMA);

  var NUMBER = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;

  /* "7.50" → "7.5", "+08" → "8" (numbers.plain); null when the text is not a number */
  function plain(text) {
    if (!NUMBER.test(text)) return null;
    var neg = text.charAt(0) === "-";
    var t = text.replace(/^[+-]/, "");
    var parts = t.split(".");
    var whole = parts[0].replace(/^0+/, "") || "0";
    var frac = (parts[1] || "").replace(/0+$/, "");
    var out = frac ? whole + "." + frac : whole;
    return neg && out !== "0" ? "-" + out : out;
  }

  /* a typed number as the sheet reader makes it: int when whole, else float */
  function number(raw) {
    var t = raw.trim().replace(/,/g, "").replace(/，/g, "");
    var p = plain(t);
    return p === null ? t : Number(p);
  }

  function percent(raw) {
    var t = raw.replace(/％/g, "%").replace(/\s/g, "");
    var p = plain(t.replace(/%$/, ""));
    return p === null ? t : p + "%";
  }

  function valueOf(field, control) {
    var kind = control.input;
    if (kind === "level" || kind === "pass") {
      var sel = field.querySelector("select").value;
      return sel === "" ? undefined : control.options[Number(sel)].value;
    }
    if (kind === "ratio") {
      var parts = field.querySelectorAll("input");
      var a = parts[0].value.trim(), b = parts[1].value.trim();
      if (!a && !b) return undefined;
      return { numerator: number(a), denominator: number(b) };
    }
    if (kind === "occurrences") {
      var out = [];
      field.querySelectorAll("input[data-kind]").forEach(function (box) {
        var t = box.value.trim();
        if (t === "" || t === "0") return;
        out.push({ kind: box.dataset.kind, count: number(t) });
      });
      return out;
    }
    var text = field.querySelector("input").value.trim();
    if (text === "") return undefined;
    if (kind === "percent") return percent(text);
    if (kind === "average") {
      return text.split(/[;；,，、\s]+/).filter(Boolean).map(number);
    }
    return number(text);
  }

  /* ---------------------------------------------------------------- YAML as ruamel writes it */

  /* YAML 1.2 (the ledger's): what a plain scalar would be read as other than text */
  var RESERVED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|=|<<)$/;
  var NUMERIC = /^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+).*)$/;

  function plainAllowed(s) {
    if (s === "" || s !== s.trim()) return false;
    if (RESERVED.test(s) || NUMERIC.test(s)) return false;
    if (/^[-?:,\[\]{}#&*!|>'"%@`]/.test(s)) {
      if (!(/^[-?:]/.test(s) && s.length > 1 && !/^[-?:][\s]/.test(s))) return false;
      if (/^[-?:]/.test(s) && /^(---|\.\.\.)/.test(s)) return false;
    }
    if (/: |:$| #|[\t\n\r]/.test(s)) return false;
    if (/[,\[\]{}]/.test(s) && /^[-?:]/.test(s)) return false;
    return !/[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/.test(s);
  }

  /* plain when it can be, else single quotes, else (a quote or a control character inside)
     double quotes: ruamel's choice */
  function yamlString(s) {
    if (plainAllowed(s)) return s;
    if (s.indexOf("'") < 0 && !/[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/.test(s)) {
      return "'" + s.replace(/'/g, "''") + "'";
    }
    return JSON.stringify(s);
  }

  function scalar(v) {
    if (typeof v === "string") return yamlString(v);
    return String(v);
  }

  /* the text after "  id:" for a value (occurrences and lists in block style, one per line) */
  function rendered(control, value) {
    var kind = control.input;
    if (kind === "level" || kind === "pass") {
      for (var i = 0; i < control.options.length; i++) {
        if (control.options[i].value === value) return " " + control.options[i].yaml;
      }
    }
    if (kind === "ratio") {
      return " {numerator: " + scalar(value.numerator) + ", denominator: " +
        scalar(value.denominator) + "}";
    }
    if (Array.isArray(value)) {
      if (!value.length) return " []";
      return value.map(function (v) {
        if (v !== null && typeof v === "object") {
          return "\n    - {" + Object.keys(v).map(function (k) {
            return k + ": " + scalar(v[k]);
          }).join(", ") + "}";
        }
        return "\n    - " + scalar(v);
      }).join("");
    }
    return " " + scalar(value);
  }

  function fileText(rec, record) {
    var lines = rec.text.split("\n");
    rec.controls.forEach(function (c) {
      var null1 = "  " + c.id + ": null";
      var null2 = "  " + c.id + ": {numerator: null, denominator: null}";
      for (var i = 0; i < lines.length; i++) {
        if (lines[i] === null1 || lines[i] === null2) {
          lines[i] = "  " + c.id + ":" + rendered(c, record.items[c.id]);
          break;
        }
      }
    });
    var text = lines.join("\n");
    if (record.comment !== undefined) text += "comment: " + yamlString(record.comment) + "\n";
    return text;
  }

  /* ---------------------------------------------------------------- checking and showing */

  function show(box, text) {
    box.textContent = text || "";
    box.hidden = !text;
  }

  function itemOf(error) {
    var m = /^\/items\/([^/]+)/.exec(error.instancePath);
    if (m) return m[1].replace(/~1/g, "/").replace(/~0/g, "~");
    if (error.instancePath === "/items" && error.params && error.params.missingProperty) {
      return error.params.missingProperty;
    }
    return null;
  }

  function check(fieldset, rec) {
    var record = JSON.parse(JSON.stringify(rec.base));
    record.items = {};
    rec.controls.forEach(function (c) {
      var field = fieldset.querySelector('[data-item="' + c.id + '"]');
      var v = valueOf(field, c);
      if (v !== undefined) record.items[c.id] = v;
    });
    var comment = fieldset.querySelector('[data-item="comment"] input').value.trim();
    if (comment) record.comment = comment;
    var errors = [];
    if (!recordValid(record)) errors = errors.concat(recordValid.errors);
    var itemsValid = ajv.compile(rec.schema);
    if (!itemsValid(record)) errors = errors.concat(itemsValid.errors);
    var byItem = {}, general = [];
    errors.forEach(function (e) {
      var id = itemOf(e);
      var c = rec.controls.filter(function (x) { return x.id === id; })[0];
      if (c) {
        var missing = e.keyword === "required" && e.instancePath === "/items";
        byItem[id] = missing ? W.required + W.fill + c.hint : W.wrong + c.hint;
      } else if (id === null) {
        general.push((e.instancePath || "/") + " " + e.keyword);
      }
    });
    fieldset.querySelectorAll(".kpi-field[data-item]").forEach(function (field) {
      var id = field.dataset.item, box = field.querySelector(".kpi-error");
      if (!box) return;
      show(box, byItem[id]);
      field.classList.toggle("kpi-invalid", !!byItem[id]);
      field.querySelectorAll("input, select").forEach(function (x) {
        x.setAttribute("aria-invalid", byItem[id] ? "true" : "false");
      });
    });
    show(fieldset.querySelector('.kpi-error[data-for="record"]'),
      general.length ? W.record_wrong + general.join("；") : "");
    return { record: record, problems: Object.keys(byItem).length + general.length };
  }

  function handOff(rec, text) {
    var div = document.createElement("div");
    div.className = "kpi-file";
    var head = document.createElement("p");
    head.textContent = W.file + W.colon + rec.path + W.lp + rec.name + W.rp;
    div.appendChild(head);
    /* the file itself stays folded: a person needs the buttons, a reviewer may look */
    var fold = document.createElement("details");
    var label = document.createElement("summary");
    label.textContent = W.show;
    fold.appendChild(label);
    var pre = document.createElement("pre");
    pre.className = "kpi-yaml";
    pre.textContent = text;
    fold.appendChild(pre);
    div.appendChild(fold);
    var actions = document.createElement("p");
    if (D.forge) {
      var a = document.createElement("a");
      a.className = "md-button md-button--primary kpi-new-file";
      a.href = D.forge["new"].replace("{path}", encodeURIComponent(rec.path))
        .replace("{value}", encodeURIComponent(text));
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = W.new_file.replace("{forge}", D.forge.title);
      actions.appendChild(a);
    }
    var copy = document.createElement("button");
    copy.type = "button";
    copy.className = "md-button kpi-copy";
    copy.textContent = W.copy;
    copy.addEventListener("click", function () {
      var done = function () { copy.textContent = W.copied; };
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () {});
    });
    actions.appendChild(copy);
    var save = document.createElement("a");
    save.className = "md-button kpi-download";
    save.download = rec.file;
    save.href = URL.createObjectURL(new Blob([text], { type: "text/yaml;charset=utf-8" }));
    save.textContent = W.download;
    actions.appendChild(save);
    div.appendChild(actions);
    return div;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var out = document.getElementById("kpi-submit-out");
    out.textContent = "";
    var made = [], problems = 0;
    form.querySelectorAll("fieldset[data-record]").forEach(function (fs) {
      var rec = D.records[Number(fs.dataset.record)];
      var result = check(fs, rec);
      problems += result.problems;
      made.push([rec, result.record]);
    });
    var summary = document.createElement("p");
    summary.className = "kpi-summary-line";
    out.appendChild(summary);
    if (problems) {
      summary.textContent = W.problems.replace("{n}", problems);
      var first = form.querySelector(".kpi-invalid input, .kpi-invalid select");
      if (first) first.focus();
      return;
    }
    summary.textContent = W.ready.replace("{n}", made.length);
    made.forEach(function (pair) {
      out.appendChild(handOff(pair[0], fileText(pair[0], pair[1])));
    });
  });

  /* for the browser test: the same quoting on any text */
  window.kpiYamlString = yamlString;
})();
