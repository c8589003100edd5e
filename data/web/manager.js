/*
 * manager.js: the managers' pages: the top risks with every part of
 * their scores (#/risk), the protection plan's first actions (#/plan)
 * and the workbooks to download (#/reports).  Every number is the
 * API's (risk --json, plan --json, categorize --summary --json),
 * written as the CLI's text output writes it.
 */
"use strict";

(function () {
  var el = HW.el, append = HW.append;
  var TOP = 10; /* rows shown unless the address says ?top=N */

  /* ---------------------------------------------------------------- */
  /* Numbers as the CLI prints them                                    */

  /* The API writes a real with 12 significant digits, the CLI rounds
   * the full double: where the 12 digits end on a tie ("0.0875" to 3
   * decimals) the double behind them was, but for an exact binary tie
   * such as 0.0625, a hair off it, and the rounding is guessed upwards
   * (printf takes an exact tie to the even digit, llround away from
   * zero).  Elsewhere the digits round as the double does. */
  function rounded(x, dec, evenOnExactTie) {
    var s = String(Math.abs(x)), point, whole, frac, keep, rest, up, i, d;
    if (/e/.test(s)) return x.toFixed(dec); /* below 1e-6: no tie to guess */
    point = s.indexOf(".");
    whole = point < 0 ? s : s.slice(0, point);
    frac = point < 0 ? "" : s.slice(point + 1);
    while (frac.length <= dec) frac += "0";
    keep = whole + frac.slice(0, dec);
    rest = frac.slice(dec);
    if (rest.charAt(0) !== "5" || /[1-9]/.test(rest.slice(1))) {
      up = rest.charAt(0) >= "5";
    } else if (evenOnExactTie &&
               /^50*$/.test(Math.abs(x).toFixed(100).split(".")[1].slice(dec))) {
      up = Number(keep.charAt(keep.length - 1)) % 2 === 1;
    } else {
      up = true;
    }
    if (up) { /* keep + 1, in decimal */
      d = keep.split("");
      for (i = d.length - 1; i >= 0 && d[i] === "9"; i--) d[i] = "0";
      if (i < 0) d.unshift("1"); else d[i] = String(Number(d[i]) + 1);
      keep = d.join("");
    }
    while (keep.length <= dec) keep = "0" + keep;
    keep = keep.replace(/^0+(?=\d)/, "");
    while (keep.length <= dec) keep = "0" + keep;
    return (x < 0 && /[1-9]/.test(keep) ? "-" : "") +
      (dec > 0 ? keep.slice(0, keep.length - dec) + "." + keep.slice(keep.length - dec) : keep);
  }

  /* printf("%.*f", dec, x), as the CLI's text output writes a real. */
  function printf(x, dec) {
    if (typeof x !== "number") return x === null || x === undefined ? "-" : String(x);
    return rounded(x, dec, true);
  }

  /* cmd-risk.c's fixed(): v × 10^dec rounded half away from zero
   * (llround), as the register's columns print. */
  function fixed(v, dec) {
    if (typeof v !== "number") return v === null || v === undefined ? "-" : String(v);
    return rounded(v, dec, false);
  }

  /* "?/?/H": effective C/I/A. */
  function cia(sc) {
    var letter = {low: "L", moderate: "M", high: "H"};
    return ["confidentiality", "integrity", "availability"].map(function (o) {
      return letter[sc[o]] || "?";
    }).join("/");
  }

  /* The likelihood terms above zero, besides the base, in the model's
   * order: "internet +0.250, cvss 9.8 +0.294, ..." (cmd-risk.c). */
  var TERMS = ["internet", "cvss", "vulnerabilities", "patch_age",
               "end_of_life", "unauthorized", "baseline_gap", "fragility"];

  function termText(name, f) {
    switch (name) {
    case "cvss": return "cvss " + printf(f.value, 1);
    case "vulnerabilities": return "vulnerabilities " + f.value;
    case "patch_age": return "patched " + f.value + "d ago";
    case "baseline_gap": return "baseline gap " + f.value;
    case "fragility":
      return "fragility " + printf(f.value, 2) + " (failed " +
        (f.changes > 0 ? f.failed + "/" + f.changes : "-") + ", incidents " +
        f.incidents + ", mttr " +
        (f.repaired > 0 ? printf(f.mttr_hours, 1) + "h" : "-") + ")";
    default: return name;
    }
  }

  function factorTerms(factors) {
    return TERMS.filter(function (name) {
      return factors[name] && factors[name].contribution > 0;
    }).map(function (name) {
      return termText(name, factors[name]) + " +" +
        printf(factors[name].contribution, 3);
    });
  }

  /* The terms one a line (the CLI joins them with ", "). */
  function factorsCell(factors) {
    var terms = factorTerms(factors);
    if (!terms.length) return "-";
    return terms.map(function (x) { return el("div", null, x); });
  }

  /* ---------------------------------------------------------------- */
  /* What both pages share: how many rows, as of which day             */

  /* ?top=N: N rows; ?top=all: every asset; none: TOP. */
  function topOf(query) {
    if (query.top === "all") return "";
    return query.top !== undefined && query.top !== "" ? query.top : String(TOP);
  }

  /* The API's query for the page's address (no top: every asset). */
  function viewQuery(query) {
    return {top: topOf(query), as_of: query.as_of || null};
  }

  /* Risks and plan: every role may read them (the API allows all). */
  var READERS = ["manager", "cab", "owner"];

  /* The "how many, as of" form: checked by the API (its error beside
   * the field it names), then the page's address carries the choice. */
  function viewForm(pattern, apiPath, query) {
    var top = el("input", {type: "number", name: "top", min: 0, step: 1,
                           value: topOf(query), inputmode: "numeric"});
    var asOf = el("input", {type: "date", name: "as_of", value: query.as_of || null});
    var f = HW.form({id: pattern.slice(1) + "-view", submit: "Show"}, [
      el("div", {class: "cards"},
         HW.field("How many", top, "The highest first; empty: every asset."),
         HW.field("As of", asOf, "The day scored (patch age, end of life, " +
                  "history windows); empty: today."))
    ], function () {
      var q = {top: top.value.trim(), as_of: asOf.value};
      /* checked with no rows asked for when every asset is */
      return HW.api("GET", apiPath, null, {top: q.top === "" ? 0 : q.top, as_of: q.as_of})
        .then(function () {
          var parts = ["top=" + (q.top === "" ? "all" : encodeURIComponent(q.top))];
          if (q.as_of) parts.push("as_of=" + encodeURIComponent(q.as_of));
          HW.go(pattern + "?" + parts.join("&"));
        });
    });
    return f;
  }

  /* ---------------------------------------------------------------- */
  /* #/risk: the top risks, their parts, the categorization summary    */

  function weightMap(answer) {
    var w = {};
    (answer.weights || []).forEach(function (x) { w[x.name] = x.value; });
    return w;
  }

  function explanation(w) {
    return [
      el("h2", null, "How a score is made"),
      el("p", null, "Every figure of a row is in the table, so any score can " +
         "be recomputed by hand (the README's “Risk model”; ",
         el("code", null, "highwater risk --weights"), " lists the weights):"),
      el("ul", {id: "risk-model"},
         el("li", null, el("strong", null, "impact"),
            " = (2 × max(C, I, A) + C + I + A) / 15 on the effective levels: " +
            "low 1, moderate 2, high 3, an uncategorized objective (?) " +
            w["impact.uncategorized"] + "."),
         el("li", null, el("strong", null, "likelihood"),
            " = min(1, " + w["likelihood.base"] + " for every asset + the " +
            "likelihood factors of its row, each with its contribution)."),
         el("li", null, el("strong", null, "multiplier"),
            " = " + w["blast.floor"] + " + (1 − " + w["blast.floor"] +
            ") × blast; blast = min(1, log10(1 + weighted dependents) / " +
            "log10(1 + " + w["blast.saturation"] + ")), the weighted " +
            "dependents adding up the level value of everything that depends " +
            "on the asset (~: estimated, beyond 126 dependents)."),
         el("li", null, el("strong", null, "score"),
            " = 100 × impact × likelihood × multiplier, rounded to 0.1; band " +
            "moderate from " + w["band.moderate"] + ", high from " +
            w["band.high"] + ", very high from " + w["band.very_high"] + ".")),
      el("p", {class: "help"}, "Ranking: score, then id. Downtime cost does " +
         "not enter the score: it orders the plan's stabilise actions.")
    ];
  }

  function summaryCards(s) {
    var total = s.high + s.moderate + s.low + s.uncategorized;
    return [
      el("h2", null, "Categorization"),
      el("div", {class: "cards", id: "risk-summary"},
         HW.card("assets", total, "sum-assets"),
         HW.card("high", s.high, "sum-high"),
         HW.card("moderate", s.moderate, "sum-moderate"),
         HW.card("low", s.low, "sum-low"),
         HW.card("uncategorized", s.uncategorized, "sum-uncategorized")),
      el("p", {class: "help"}, "By effective overall level (FIPS 199, the " +
         "high-water mark of confidentiality, integrity and availability). " +
         s.partly_categorized + " partly categorized (counted at a lower " +
         "bound: some objectives have no level); " + s.own_uncategorized +
         " with no levels of their own; " + s.raised +
         " raised by what depends on them.")
    ];
  }

  /* A cell of a main value and, below it, smaller lines. */
  function stack(first) {
    var i, out = [el("div", null, first)];
    for (i = 1; i < arguments.length; i++)
      out.push(el("div", {class: "help"}, arguments[i]));
    return out;
  }

  /* risk's columns, some two to a cell to fit a laptop's screen: the
   * asset with its name and owner, C/I/A over the overall level, the
   * dependents over the weighted ones, blast over the multiplier. */
  var RISK_COLUMNS = [
    {label: "Rank", num: true, cell: function (r) { return String(r.rank); }},
    {label: "Asset, name, owner", cell: function (r) {
      return stack(HW.assetLink(r.id), r.name, r.owner || "-");
    }},
    {label: "C/I/A, overall", cell: function (r) {
      return stack(cia(r.effective), HW.overall(r.overall, r.overall_exact));
    }},
    {label: "Impact", num: true, cell: function (r) { return fixed(r.impact, 3); }},
    {label: "Likelihood", num: true, cell: function (r) { return fixed(r.likelihood, 3); }},
    {label: "Dependents, weighted", num: true, cell: function (r) {
      return stack((r.dependents_estimated ? "~" : "") + fixed(r.dependents, 0),
                   fixed(r.weighted_dependents, 0));
    }},
    {label: "Blast, multiplier", num: true, cell: function (r) {
      return stack(fixed(r.blast, 3), "× " + fixed(r.multiplier, 3));
    }},
    {label: "Score, band", num: true, cell: function (r) {
      return stack(el("strong", null, fixed(r.score, 1)), r.band);
    }},
    {label: "Likelihood factors (contribution)", cell: function (r) {
      return factorsCell(r.factors);
    }}
  ];

  HW.page("/risk", {title: "Top risks", nav: "Risks", order: 50, roles: READERS},
    function (main, params, query) {
      return Promise.all([
        HW.api("GET", "/risk", null, viewQuery(query)),
        HW.api("GET", "/categorize", null, {summary: "true"}),
        HW.api("GET", "/weights")
      ]).then(function (got) {
        var risk = got[0], sum = got[1].summary, w = weightMap(got[2]);
        var t = HW.table(RISK_COLUMNS, risk.assets,
                         "The " + risk.shown + " highest risks of " + risk.count +
                         " assets, as of " + risk.as_of);
        t.id = "risk-table";
        t.className = "wide";
        append(main,
               el("h1", null, "Top risks"),
               el("p", {class: "lead", id: "risk-lead"}, risk.shown + " of " +
                  risk.count + " assets, as of " + risk.as_of +
                  ": what to protect first, and why (highwater risk)."),
               viewForm("/risk", "/risk", query),
               t,
               summaryCards(sum),
               explanation(w));
      });
    });

  /* ---------------------------------------------------------------- */
  /* #/plan: the protection plan's first actions                       */

  function requiredText(a) {
    if (!a.required)
      return "required unknown (uncategorized), implemented " + a.implemented +
        ", controls to add unknown";
    return "required " + HW.overallText(a.required, a.required_exact, true) +
      ", implemented " + a.implemented + ", " + a.control_gap + " controls to add";
  }

  function actionText(x) {
    return x.gain > 0 ? x.action + " (-" + printf(x.gain, 1) + "): " + x.reason
                      : x.action + ": " + x.reason;
  }

  function actionList(a) {
    if (!a.actions.length) return "nothing to do";
    return el("ol", {class: "plan-actions"}, a.actions.map(function (x) {
      return el("li", null, actionText(x));
    }));
  }

  function planSummary(s) {
    var families = s.gaps_by_family.filter(function (f) { return f.controls > 0; });
    var gaps = HW.table([
      {label: "Control family", cell: function (f) { return f.family; }},
      {label: "Controls to add", num: true, cell: function (f) { return String(f.controls); }}
    ], families, "Controls to add, by family (summed over assets; an " +
       "unrecorded baseline counts as none)");
    gaps.id = "plan-families";
    var out = [
      el("h2", null, "Organisation summary"),
      el("p", {id: "plan-required"}, "Assets by required SP 800-53B baseline: HIGH " +
         s.required.high + ", MODERATE " + s.required.moderate + ", LOW " +
         s.required.low + ", unknown (uncategorized) " + s.required.unknown +
         (s.partly_categorized > 0 ? "; of these, " + s.partly_categorized +
          " partly categorized: the baseline is a lower bound (“at least”)." : ".")),
      gaps
    ];
    if (s.stabilise.length) {
      out.push(HW.table([
        {label: "Asset", cell: function (x) { return HW.assetLink(x.id); }},
        {label: "Fragility", num: true, cell: function (x) { return printf(x.fragility, 2); }},
        {label: "Downtime cost", num: true, cell: function (x) {
          return x.downtime_cost === null || x.downtime_cost === undefined
            ? "not recorded" : printf(x.downtime_cost, 2) + " an hour";
        }},
        {label: "Rank", num: true, cell: function (x) { return "#" + x.rank; }},
        {label: "Score", num: true, cell: function (x) { return printf(x.score, 1); }}
      ], s.stabilise, "Fragile artefacts to stabilise, by downtime cost"));
    }
    return out;
  }

  HW.page("/plan", {title: "Protection plan", nav: "Plan", order: 60, roles: READERS},
    function (main, params, query) {
      var q = viewQuery(query);
      /* The plan names no owner or name: the register (same ranks) does. */
      return Promise.all([
        HW.api("GET", "/plan", null, q),
        HW.api("GET", "/risk", null, q)
      ]).then(function (got) {
        var plan = got[0], who = {};
        got[1].assets.forEach(function (r) { who[r.id] = r; });
        var count = got[1].count;
        var t = HW.table([
          {label: "Rank", num: true, cell: function (a) { return "#" + a.rank; }},
          {label: "Asset, name, owner", cell: function (a) {
            var r = who[a.id] || {};
            return stack(HW.assetLink(a.id), r.name || "", r.owner || "(none)");
          }},
          {label: "Score, band", num: true, cell: function (a) {
            return stack(el("strong", null, printf(a.score, 1)), a.band);
          }},
          {label: "SP 800-53B baseline", cell: function (a) { return requiredText(a); }},
          {label: "First actions (score points each removes)", cell: actionList}
        ], plan.assets, "The first " + plan.assets.length + " of " + count +
           " assets in risk order, as of " + plan.as_of);
        t.id = "plan-table";
        t.className = "wide";
        append(main,
               el("h1", null, "Protection plan: first actions"),
               el("p", {class: "lead", id: "plan-lead"}, "Protection plan, as of " +
                  plan.as_of + ": " + count + " assets in risk order" +
                  (plan.assets.length < count ? " (top shown)" : "") +
                  ". Each asset's actions come most valuable first; " +
                  "(-N) is what the action takes off its score (highwater plan)."),
               viewForm("/plan", "/plan", query),
               t,
               planSummary(plan.summary));
      });
    });

  /* ---------------------------------------------------------------- */
  /* #/reports: the workbooks                                          */

  var REPORTS = "/api/v1/reports/";

  HW.page("/reports", {title: "Workbooks", nav: "Workbooks", order: 70,
                       roles: READERS},
    function (main) {
      var planLink = el("a", {id: "plan-workbook", href: REPORTS + "plan.xlsx",
                              download: true},
                        "Download the protection plan workbook");
      var day = el("input", {type: "date", name: "as_of", id: "plan-as-of"});
      function update() {
        planLink.setAttribute("href", REPORTS + "plan.xlsx" +
                              (day.value ? "?as_of=" + encodeURIComponent(day.value) : ""));
      }
      day.addEventListener("input", update);
      day.addEventListener("change", update);
      append(main,
             el("h1", null, "Workbooks"),
             el("p", {class: "lead"}, "Excel workbooks for the record, made " +
                "on the service from the inventory as it stands (the same as " +
                "highwater report)."),
             el("section", {"aria-labelledby": "wb-plan"},
                el("h2", {id: "wb-plan"}, "Protection plan"),
                el("p", null, "For managers: Summary (the ten highest risks " +
                   "with their first action and reasons, assets by risk band, " +
                   "by overall level and by required baseline, controls to add " +
                   "by family, data-quality counts), Risk register (every asset " +
                   "in rank order with each factor's contribution), Protection " +
                   "plan (the actions per asset, in order), Categorization, " +
                   "Controls (SP 800-53B) and Data quality. Named " +
                   "protection-plan-DATE.xlsx for the day it scores."),
                HW.field("Score as of", day, "The day the plan scores (patch " +
                         "age, end of life, history windows); empty: today."),
                el("p", null, planLink)),
             el("section", {"aria-labelledby": "wb-inventory"},
                el("h2", {id: "wb-inventory"}, "Inventory"),
                el("p", null, "The inventory's four tables: Assets, " +
                   "Assignments (information types held), Dependencies and " +
                   "Information types, one header row and one record a row: " +
                   "each sheet saved as CSV is that table's file, and the " +
                   "workbook, edited, imports back. Named inventory-DATE.xlsx."),
                el("p", null, el("a", {id: "inventory-workbook",
                                       href: REPORTS + "inventory.xlsx",
                                       download: true},
                                 "Download the inventory workbook"))));
    });
})();
