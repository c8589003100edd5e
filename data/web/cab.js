/*
 * cab.js: the change advisory board's pages.
 *
 *   #/impact?ids=a,b&direction=up&depth=2   what a change to assets
 *       touches (GET /impact): the impact set with each member's
 *       distance and route, the owners to notify, the summary figures;
 *   #/changes?state=open                    the change records;
 *   #/changes/CHG-N                         one change: its details,
 *       its assessment and posture delta (POST .../assess), its CAB
 *       workbook, and the decision (POST .../decide, CAB members).
 *
 * Every figure is the API's, which is the CLI's --json; risk scores are
 * printed as `highwater change show` prints them (one decimal).
 */
"use strict";

(function () {
  var el = HW.el, append = HW.append, clear = HW.clear;

  function splitIds(s) {
    return (s || "").split(",").map(function (x) { return x.trim(); })
      .filter(function (x) { return x !== ""; });
  }

  /* C, I and A as badges: sc has either the long or the short names. */
  function levels(sc) {
    var c = "confidentiality" in sc ? sc.confidentiality : sc.c;
    var i = "integrity" in sc ? sc.integrity : sc.i;
    var a = "availability" in sc ? sc.availability : sc.a;
    return el("span", {class: "cia"}, "C ", HW.level(c), " I ", HW.level(i),
              " A ", HW.level(a));
  }

  /* A score as change show prints it ("%.1f"; "-" for none). */
  function score(x) {
    return typeof x === "number" ? x.toFixed(1) : "-";
  }

  function orDash(x) { return x === null || x === undefined ? "-" : String(x); }

  /* A definition list of [term, value] pairs (null values left out). */
  function facts(id, pairs) {
    var dl = el("dl", {class: "facts", id: id});
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined) return;
      append(dl, el("dt", null, p[0]), el("dd", null, p[1]));
    });
    return dl;
  }

  /* ---------------------------------------------------------------- */
  /* #/impact                                                          */

  HW.page("/impact", {title: "Impact", nav: "Impact", order: 30,
                      roles: ["owner", "cab", "manager"]},
  function (main, params, query) {
    var ids = splitIds(query.ids);
    var p = HW.combobox({
      name: "ids", id: "impact", label: "Assets to change",
      help: "Type part of an asset's id or name; pick with the arrow keys " +
            "and Enter. Pick as many as the change touches.",
      search: HW.assetSuggestions, initial: ids
    });
    var dir = el("select", {name: "direction"},
      [["", "up: what depends on them (the default)"],
       ["down", "down: what they rely on"], ["both", "both ways"]]
        .map(function (o) {
          return el("option", {value: o[0], selected: (query.direction || "") === o[0]},
                    o[1]);
        }));
    var depth = el("input", {type: "number", name: "depth", min: "0",
                             inputmode: "numeric", value: query.depth || null});
    var f = HW.form({id: "impact-form", submit: "Show the impact"}, [
      p.field,
      HW.field("Direction", dir,
               "Up follows the assets that depend on those picked (who is " +
               "hurt if they fail); down what they rely on."),
      HW.field("Depth", depth, "How many steps to follow; empty: all.")
    ], function () {
      var picked = p.values();
      if (picked.length === 0) {
        HW.fieldError(f, "ids", "pick at least one asset");
        return null;
      }
      var q = "ids=" + picked.map(encodeURIComponent).join(",");
      if (dir.value) q += "&direction=" + encodeURIComponent(dir.value);
      if (depth.value !== "") q += "&depth=" + encodeURIComponent(depth.value);
      HW.go("/impact?" + q);
      return null;
    });
    var result = el("section", {id: "impact-result", "aria-live": "polite"});
    append(main, el("h1", null, "Impact of a change"),
           el("p", {class: "lead"}, "Every asset a change to the picked assets " +
              "reaches, however far and around cycles; whom to tell; and the " +
              "route the change takes (as highwater impact)."), f, result);
    if (ids.length === 0) return null;
    return HW.api("GET", "/impact", null, {
      target: ids, direction: query.direction || null,
      depth: query.depth || null
    }).then(function (r) { showImpact(result, r); }, function (err) {
      if (HW.shown(main)) impactError(f, err);
    });
  });

  /* The impact API's query parameters by the form's control names. */
  var IMPACT_FIELDS = {target: "ids", depth: "depth", direction: "direction"};

  /* An error of GET /impact beside the control its path names (an
   * unknown asset: target), else above the button (as an alert). */
  function impactError(f, err) {
    var name = null;
    if (err instanceof HW.ApiError) name = IMPACT_FIELDS[err.path] || null;
    HW.fieldError(f, name, err instanceof HW.ApiError ? err.message
                  : "Something went wrong: " + String(err));
  }

  function showImpact(box, r) {
    var s = r.summary;
    var arrow = r.direction === "down" ? " -> " : r.direction === "up" ? " <- " : " – ";
    append(box,
      el("h2", null, "Impact set: " + s.members + " asset" + (s.members === 1 ? "" : "s")),
      el("p", {class: "lead"}, "A change to " + r.targets.join(", ") +
         " (direction " + r.direction +
         (r.depth !== null && r.depth !== undefined ? ", depth " + r.depth : "") + ")."),
      el("div", {class: "cards", id: "impact-summary"},
        HW.card("route", el("span", {id: "impact-route"}, s.route)),
        HW.card("assets", s.members, "impact-assets"),
        HW.card("highest", levels(s.highest)),
        HW.card("high", s.counts.high, "impact-high"),
        HW.card("moderate", s.counts.moderate, "impact-moderate"),
        HW.card("low", s.counts.low, "impact-low"),
        HW.card("uncategorized", s.counts.uncategorized, "impact-uncategorized"),
        HW.card("on a cycle", s.on_cycle, "impact-cycle")),
      s.partly_categorized > 0
        ? el("p", {id: "impact-partly"}, s.partly_categorized + " partly " +
             "categorized (counted at a lower bound)") : null,
      el("h2", null, "Owners to notify"),
      s.owners.length
        ? el("ul", {id: "impact-owners"}, s.owners.map(function (o) { return el("li", null, o); }))
        : el("p", {id: "impact-owners"}, "none"),
      el("h2", null, "Business services reached"),
      s.services.length
        ? el("ul", {id: "impact-services"}, s.services.map(function (id) {
            return el("li", null, HW.assetLink(id));
          }))
        : el("p", {id: "impact-services"}, "none"));
    if (!r.members) return;
    var t = HW.table([
      {label: "Distance", num: true, cell: function (m) { return String(m.distance); }},
      {label: "Asset", cell: function (m) { return HW.assetLink(m.id); }},
      {label: "Name", cell: function (m) { return m.name; }},
      {label: "C", cell: function (m) { return HW.level(m.effective.confidentiality); }},
      {label: "I", cell: function (m) { return HW.level(m.effective.integrity); }},
      {label: "A", cell: function (m) { return HW.level(m.effective.availability); }},
      {label: "Overall", cell: function (m) { return HW.overall(m.overall, m.overall_exact); }},
      {label: "Owner", cell: function (m) { return m.owner === null ? "(none)" : m.owner; }},
      {label: "Cycle", cell: function (m) { return m.on_cycle ? "yes" : ""; }},
      {label: "Reached by", cell: function (m) {
        return m.path.length <= 1 ? "(target)" : m.path.join(arrow);
      }}
    ], r.members, "The impact set, nearest first (reached by: the route " +
       "from a picked asset)");
    t.id = "impact-members";
    box.appendChild(el("h2", null, "Every asset reached"));
    box.appendChild(t);
  }

  /* ---------------------------------------------------------------- */
  /* #/changes                                                         */

  var STATES = ["new", "assessed", "approved", "rejected", "implemented",
                "closed", "cancelled"];

  HW.page("/changes", {title: "Changes", nav: "Changes", order: 40,
                       roles: ["owner", "cab", "manager"]},
  function (main, params, query) {
    var state = query.state || "open";
    var sel = el("select", {name: "state", id: "change-state"},
      [["open", "open (not closed or cancelled)"], ["all", "all"]]
        .concat(STATES.map(function (s) { return [s, s]; }))
        .map(function (o) {
          return el("option", {value: o[0], selected: o[0] === state}, o[1]);
        }));
    /* Sent with its button: a select that went on each change would
     * leave the page on one arrow key. */
    var f = HW.form({id: "change-filter", submit: "Show"}, [
      narrow(HW.field("Changes in state", sel))
    ], function () {
      HW.go("/changes?state=" + encodeURIComponent(sel.value));
      return null;
    });
    append(main, el("h1", null, "Changes"),
           el("p", {class: "lead"}, "The change records, oldest first; " +
              "open one to assess it, decide it or download its CAB workbook."),
           f);
    var q = state === "open" ? {open: "true"} : state === "all" ? null : {state: state};
    return HW.api("GET", "/changes", null, q).then(function (r) {
      if (r.changes.length === 0) {
        append(main, el("p", {id: "change-none"}, "No change is " +
                        (state === "all" ? "recorded." : state + ".")));
        return;
      }
      var t = HW.table([
        {label: "Change", cell: function (c) { return HW.link("/changes/" + HW.seg(c.id), c.id); }},
        {label: "Title", cell: function (c) { return c.title; }},
        {label: "State", cell: function (c) { return stateText(c); }},
        {label: "Targets", cell: function (c) { return c.targets.join(", "); }},
        {label: "Requested by", cell: function (c) { return c.requester; }},
        {label: "Requested", cell: function (c) { return c.created; }},
        {label: "Planned", cell: function (c) { return c.planned || ""; }}
      ], r.changes, r.changes.length + " change" + (r.changes.length === 1 ? "" : "s"));
      t.id = "change-list";
      main.appendChild(t);
    });
  });

  function stateText(c) {
    return c.state + (c.result ? " (" + c.result + ")" : "");
  }

  /* ---------------------------------------------------------------- */
  /* #/changes/:id                                                     */

  HW.page("/changes/:id", {title: "Change", roles: ["owner", "cab", "manager"]},
  function (main, params) {
    return HW.api("GET", "/changes/" + HW.seg(params.id)).then(function (c) {
      if (HW.shown(main)) document.title = c.id + " · highwater";
      showChange(main, c);
    });
  });

  function showChange(main, c) {
    clear(main);
    var decided = c.decided_at
      ? [c.state === "rejected" || c.result === "rejected" ? "rejected" : "approved",
         " on ", c.decided_at, " by ", el("span", {id: "decided-by"}, c.decided_by),
         c.chair ? ", chair " + c.chair : null,
         c.reason ? [": ", el("q", {id: "decided-reason"}, c.reason)] : null]
      : null;
    append(main,
      el("p", null, HW.link("/changes", "← All changes")),
      el("h1", null, c.id + ": " + c.title),
      facts("change-facts", [
        ["State", el("span", {id: "change-state-now"}, stateText(c))],
        ["Description", c.description],
        ["Targets", el("span", null, c.targets.map(function (id, i) {
          return [i ? ", " : "", HW.assetLink(id)];
        }))],
        ["Requested", c.created + " by " + c.requester],
        ["Planned", c.planned],
        ["Edits", edits(c.edits)],
        ["Assessed", c.assessed_at],
        ["Decision", decided ? el("span", {id: "change-decision"}, decided) : null],
        ["Implemented", c.implemented_at ? c.implemented_at + " by " + c.implemented_by : null],
        [c.state === "cancelled" ? "Cancelled" : "Closed", c.closed_at],
        ["Reverted", c.reverted_at ? c.reverted_at + " by " + c.reverted_by : null]
      ]),
      el("p", null, el("a", {id: "change-workbook", download: true,
                             href: "/api/v1/reports/change/" + HW.seg(c.id) + ".xlsx"},
                        "Download the CAB workbook of " + c.id + " (.xlsx)")));
    main.appendChild(assessment(main, c));
    main.appendChild(decision(main, c));
  }

  function edits(list) {
    if (!list || list.length === 0) return "none";
    return el("ol", {class: "edits"}, list.map(function (e) {
      var t;
      if (e.kind === "add-dep")
        t = "add dependency " + e.from + " -> " + e.to + (e.type ? " (" + e.type + ")" : "") +
            (e.carries ? ", carries " + e.carries : "");
      else if (e.kind === "rm-dep") t = "remove dependency " + e.from + " -> " + e.to;
      else if (e.kind === "set") t = "set " + e.asset + " " + e.field + " = " + e.value;
      else if (e.asset && typeof e.asset === "object")
        t = "add asset " + e.asset.id + " (" + e.asset.name + ", " + e.asset.type + ")";
      else t = "add asset " + e.asset;
      return el("li", null, t);
    }));
  }

  function mayAssess(c) {
    return (HW.hasRole("cab") || HW.hasRole("owner")) &&
      ["new", "assessed", "approved"].indexOf(c.state) >= 0;
  }

  function assessment(main, c) {
    var box = el("section", {id: "assessment", "aria-labelledby": "assessment-h"},
                 el("h2", {id: "assessment-h"}, "Assessment"));
    var a = c.assessment;
    if (mayAssess(c)) {
      var err = el("p", {class: "form-error", role: "alert"});
      var button = el("button", {type: "button", id: "assess",
                                 class: a ? "secondary" : null},
                      a ? "Assess again" : "Assess");
      button.addEventListener("click", function () {
        button.disabled = true;
        clear(err);
        HW.status("Assessing " + c.id + "…");
        HW.api("POST", "/changes/" + HW.seg(c.id) + "/assess").then(function (nc) {
          HW.status("");
          showChange(main, nc);
          var h = document.getElementById("assessment-h");
          if (h) { h.setAttribute("tabindex", "-1"); h.focus(); }
        }, function (e) {
          HW.status("");
          button.disabled = false;
          append(err, e.message);
        });
      });
      append(box, el("div", {class: "actions"}, button), err);
    }
    if (!a) {
      append(box, el("p", {id: "assessment-none"}, "Not assessed yet."));
      return box;
    }
    var s = a.summary, d = a.delta, cnt = s.count, h = s.highest;
    var route = s.route;
    if (s.route_before !== undefined && s.route_before !== s.route_after)
      route += " (before the edits " + s.route_before + ", after " + s.route_after + ")";
    var owners = s.owners.map(function (o) { return o.name + " (" + o.count + ")"; });
    if (s.unowned) owners.push("unowned " + s.unowned);
    append(box,
      el("p", {class: "lead"}, "As of " + a.at + "."),
      facts("assessment-summary", [
        ["Route", el("span", {id: "assessment-route"}, route)],
        ["Highest", levels(h)],
        ["Assets", s.members + " (high " + cnt.high + ", moderate " + cnt.moderate +
                   ", low " + cnt.low + ", none " + cnt.none + ")"],
        ["Owners to notify", el("span", {id: "assessment-owners"},
                                owners.length ? owners.join(", ") : "none")],
        ["Services", s.services.length ? s.services.join(", ") : "none"]
      ]));
    var byDist = HW.table([
      {label: "Distance", num: true, cell: function (m) { return String(m[0]); }},
      {label: "Assets", cell: function (m) {
        return m[1].map(function (id, i) { return [i ? ", " : "", HW.assetLink(id)]; });
      }}
    ], a.members, "The impact set by distance");
    byDist.id = "assessment-members";
    box.appendChild(byDist);
    append(box, el("h3", null, "Posture delta of the proposed edits"));
    var any = false;
    if (d.levels.length) {
      any = true;
      box.appendChild(withId(HW.table([
        {label: "Asset", cell: function (v) { return HW.assetLink(v.asset); }},
        {label: "Objective", cell: function (v) { return v.objective; }},
        {label: "Before", cell: function (v) { return HW.level(v.old); }},
        {label: "After", cell: function (v) { return HW.level(v.new); }}
      ], d.levels, "Levels that move"), "delta-levels"));
    }
    if (d.baselines.length) {
      any = true;
      box.appendChild(withId(HW.table([
        {label: "Asset", cell: function (v) { return HW.assetLink(v.asset); }},
        {label: "Before", cell: function (v) { return HW.level(v.old); }},
        {label: "After", cell: function (v) { return HW.level(v.new); }}
      ], d.baselines, "Baselines that move"), "delta-baselines"));
    }
    if (d.gaps.controls) {
      any = true;
      append(box, el("p", {id: "delta-gaps"}, "New control gaps: " + d.gaps.controls +
        " (" + d.gaps.families.map(function (f) {
          return f.first.split("-")[0].toUpperCase() + " " + f.controls;
        }).join(", ") + ")"));
    }
    if (d.risks.length) {
      any = true;
      box.appendChild(withId(HW.table([
        {label: "Asset", cell: function (v) { return HW.assetLink(v.asset); }},
        {label: "Score before", num: true, cell: function (v) { return score(v.old_score); }},
        {label: "Score after", num: true, cell: function (v) { return score(v.new_score); }},
        {label: "Rank before", num: true, cell: function (v) { return orDash(v.old_rank); }},
        {label: "Rank after", num: true, cell: function (v) { return orDash(v.new_rank); }}
      ], d.risks, "Risk scores that move"), "delta-risks"));
    }
    if (d.cycles.length) {
      any = true;
      append(box, el("ul", {id: "delta-cycles"}, d.cycles.map(function (cy) {
        return el("li", null, "new cycle " + cy.join(" -> "));
      })));
    }
    if (!any)
      append(box, el("p", {id: "delta-none"}, "No change to levels, baselines, " +
                     "control gaps, risk scores or cycles."));
    return box;
  }

  function withId(node, id) { node.id = id; return node; }

  function narrow(field) { field.classList.add("narrow"); return field; }

  function decision(main, c) {
    var box = el("section", {id: "decision", "aria-labelledby": "decision-h"},
                 el("h2", {id: "decision-h"}, "Decision"));
    if (c.decided_at) {
      var rejected = c.state === "rejected" || c.result === "rejected";
      append(box, el("p", {id: "decision-made", class: rejected ? "error" : "ok"},
        (rejected ? "Rejected" : "Approved") +
        " on " + c.decided_at + " by " + c.decided_by +
        (c.chair ? " (chair " + c.chair + ")" : "") +
        (c.reason ? ": “" + c.reason + "”" : "")));
    } else if (c.state !== "assessed") {
      append(box, el("p", {id: "decision-none"},
        c.state === "new" ? "Not decided: the CAB decides once the change is assessed."
                          : "Not decided."));
    }
    if (c.state !== "assessed" || !HW.hasRole("cab")) return box;
    var first = HW.uid("decision");
    var radios = [["approve", "Approve"], ["reject", "Reject"]].map(function (o, i) {
      var id = i ? HW.uid("decision") : first;
      return el("div", {class: "choice"},
        el("input", {type: "radio", name: "decision", value: o[0], id: id,
                     "aria-describedby": first + "-error"}),
        " ", el("label", {for: id}, o[1]));
    });
    var reason = el("textarea", {name: "reason", required: true, rows: "3"});
    var f = HW.form({id: "decide", submit: "Record the decision"}, [
      el("fieldset", null, el("legend", null, "The CAB's decision"), radios,
         el("p", {class: "field-error", id: first + "-error", "data-for": first})),
      HW.field("Reason", reason, "Why: it goes into the change record and the " +
               "audit log, with your name.")
    ], function () {
      var picked = f.querySelector("input[name=decision]:checked");
      if (!picked) {
        HW.fieldError(f, "decision", "choose approve or reject");
        return null;
      }
      return HW.api("POST", "/changes/" + HW.seg(c.id) + "/decide",
                    {decision: picked.value, reason: reason.value.trim()})
        .then(function (nc) {
          showChange(main, nc);
          var h = document.getElementById("decision-made");
          if (h) { h.setAttribute("tabindex", "-1"); h.focus(); }
        });
    });
    box.appendChild(f);
    return box;
  }
})();
