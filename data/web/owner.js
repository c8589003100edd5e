/*
 * owner.js: the asset owners' pages: "My assets" (the list, with the
 * effective category of each), "Register" (a new asset with its
 * information types and what it depends on) and one asset's page (its
 * details, dependencies both ways and its effective categorization with
 * why each level is what it is).  Every value shown is the API's, which
 * is the CLI's --json: levels as given, overall words as the CLI writes
 * them.
 */
"use strict";

(function () {
  var el = HW.el, append = HW.append, clear = HW.clear;
  var PAGE = 100; /* assets a list shows at once */
  var SUGGEST = 30; /* suggestions a combobox shows at once */
  var OBJECTIVES = [["confidentiality", "C", "Confidentiality"],
                    ["integrity", "I", "Integrity"],
                    ["availability", "A", "Availability"]];
  var KINDS = ["business_service", "application", "database", "server",
               "virtual_machine", "container", "network_device",
               "storage_device", "cloud_service", "endpoint", "other"];
  var DEP_TYPES = ["uses", "runs_on", "stores_data_in", "connects_to",
                   "authenticates_via", "backs_up_to", "other"];
  var RANK = {na: 1, low: 1, moderate: 2, high: 3};

  /* ---------------------------------------------------------------- */
  /* Levels as the CLI writes them                                      */

  /* A C/I/A triple as three badges, each titled with its objective
   * (bare: without the letters, where the column's heading says C/I/A). */
  function triple(sc, bare) {
    return el("span", {class: "triple"}, OBJECTIVES.map(function (o) {
      var l = sc ? sc[o[0]] : null;
      return el("span", {class: "obj", title: o[2]},
                bare ? null : [el("abbr", {title: o[2]}, o[1]), " "], HW.level(l));
    }));
  }

  /* "C low, I high, A n/a": levels set by the owner as text. */
  function tripleText(sc) {
    return OBJECTIVES.map(function (o) {
      return o[1] + " " + ((sc && sc[o[0]]) || "not set");
    }).join(", ");
  }

  /* ---------------------------------------------------------------- */
  /* My assets                                                          */

  /* The assets of one query: a page of them, whether there are more. */
  function assetPage(query) {
    var q = {}, k;
    for (k in query) if (Object.prototype.hasOwnProperty.call(query, k)) q[k] = query[k];
    q.limit = PAGE + 1;
    return HW.api("GET", "/assets", null, q).then(function (ans) {
      var more = ans.assets.length > PAGE;
      return {assets: ans.assets.slice(0, PAGE), more: more};
    });
  }

  HW.page("/assets", {title: "My assets", nav: "My assets", order: 10},
          function (main, params, query) {
    var me = HW.user();
    var mine = HW.hasRole("owner") && me.roles.indexOf("admin") < 0 &&
               me.owns && me.owns.length > 0;
    var offset = Math.max(0, parseInt(query.offset, 10) || 0);
    var filter = {search: query.search || "", owner: query.owner || "",
                  level: query.level || ""};
    append(main, el("h1", null, mine ? "My assets" : "Assets"),
           el("p", {class: "lead"}, mine
              ? "The assets of " + me.owns.join(", ") + ", with the category " +
                "they have of their own and the effective one (raised by what " +
                "depends on them)."
              : "Every asset with its own and its effective category."));
    if (!mine) main.appendChild(filterForm(filter));

    var lists;
    if (mine) {
      lists = Promise.all(me.owns.map(function (o) {
        return assetPage({owner: o});
      })).then(function (pages) {
        var all = [], more = false;
        pages.forEach(function (p) { all = all.concat(p.assets); more = more || p.more; });
        all.sort(function (a, b) { return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; });
        return {assets: all, more: more};
      });
    } else {
      lists = assetPage({search: filter.search, owner: filter.owner,
                         level: filter.level, offset: offset || null});
    }
    /* The effective categories of the page's assets alone, and the
     * inventory's counts (both cheap on a large inventory). */
    var cats = lists.then(function (page) {
      var ids = page.assets.map(function (a) { return a.id; }), asks = [], i;
      /* The service takes up to 256 query parameters a request. */
      for (i = 0; i < ids.length; i += PAGE)
        asks.push(HW.api("GET", "/categorize", null, {asset: ids.slice(i, i + PAGE)}));
      return Promise.all(asks).then(function (answers) {
        return {assets: [].concat.apply([], answers.map(function (x) { return x.assets; }))};
      });
    });
    var counts = HW.api("GET", "/categorize", null, {summary: "true"});
    return Promise.all([lists, cats, counts]).then(function (got) {
      var page = got[0], eff = {}, sum = got[2].summary;
      got[1].assets.forEach(function (c) { eff[c.id] = c; });
      var total = sum.high + sum.moderate + sum.low + sum.uncategorized;
      var count;
      if (page.assets.length === 0) count = "No assets" +
        (mine || filter.search || filter.owner || filter.level ? " match." : " yet.");
      else if (mine) count = page.assets.length + " asset" +
        (page.assets.length === 1 ? "" : "s") +
        (page.more ? " shown: more than " + PAGE + " for one of your owner values " +
         "(the first " + PAGE + " of each are shown)" : "") +
        "; " + total + " in the whole inventory.";
      else count = "Assets " + (offset + 1) + "–" + (offset + page.assets.length) +
        (page.more ? " (more follow)" : "") + (filter.search || filter.owner || filter.level
        ? " of those that match" : " of " + total) + "; " + total +
        " in the whole inventory.";
      var t = HW.table([
        {label: "ID", cell: function (a) { return HW.assetLink(a.id); }},
        {label: "Name", cell: function (a) { return a.name; }},
        {label: "Kind", cell: function (a) { return a.type; }},
        {label: "Owner", cell: function (a) {
          /* may break before the "@" of a mail address */
          var at = a.owner ? a.owner.indexOf("@") : -1;
          return at > 0 ? [a.owner.slice(0, at), el("wbr"), a.owner.slice(at)]
            : a.owner || "(none)";
        }},
        {label: "Registered C/I/A", cell: function (a) {
          return el("span", {title: tripleText(a.direct)},
                    OBJECTIVES.map(function (o) { return a.direct[o[0]] || "–"; })
                      .join(" / "));
        }},
        {label: "Own", cell: function (a) { return HW.overall(a.overall, a.overall_exact); }},
        {label: "Effective C/I/A", cell: function (a) {
          return eff[a.id] ? triple(eff[a.id].effective, true) : "";
        }},
        {label: "Overall", cell: function (a) {
          var c = eff[a.id];
          return c ? HW.overall(c.overall, c.overall_exact) : "";
        }}
      ], page.assets, count);
      t.id = "asset-list";
      main.appendChild(t);
      if (!mine && (offset > 0 || page.more)) {
        var nav = el("p", {class: "actions"});
        var q = function (o) {
          return "/assets?" + ["search", "owner", "level"].filter(function (k) {
            return filter[k];
          }).map(function (k) {
            return k + "=" + encodeURIComponent(filter[k]);
          }).concat(["offset=" + o]).join("&");
        };
        if (offset > 0) nav.appendChild(HW.link(q(Math.max(0, offset - PAGE)), "Previous " + PAGE));
        if (page.more) nav.appendChild(HW.link(q(offset + PAGE), "Next " + PAGE));
        main.appendChild(nav);
      }
      if (HW.hasRole("owner"))
        main.appendChild(el("p", null, HW.link("/register", "Register an asset")));
    });
  });

  /* The filter of the whole list (not an owner's own). */
  function filterForm(filter) {
    var search = el("input", {type: "search", name: "search", value: filter.search});
    var owner = el("input", {type: "text", name: "owner", value: filter.owner});
    var level = el("select", {name: "level"},
                   el("option", {value: ""}, "any"),
                   ["low", "moderate", "high"].map(function (l) {
                     return el("option", {value: l, selected: filter.level === l}, l);
                   }));
    var f = HW.form({id: "asset-filter", submit: "Filter"}, [
      el("div", {class: "filters"},
         HW.field("ID or name holds", search, "letters' case ignored"),
         HW.field("Owner", owner, "exactly, as registered"),
         HW.field("Own overall level", level))
    ], function () {
      var parts = [];
      if (search.value.trim()) parts.push("search=" + encodeURIComponent(search.value.trim()));
      if (owner.value.trim()) parts.push("owner=" + encodeURIComponent(owner.value.trim()));
      if (level.value) parts.push("level=" + encodeURIComponent(level.value));
      HW.go("/assets" + (parts.length ? "?" + parts.join("&") : ""));
    });
    return f;
  }

  /* ---------------------------------------------------------------- */
  /* Register                                                           */

  var LEVEL_HELP = "FIPS 199: the worst adverse effect a loss of this " +
    "objective could have on the organisation, its assets or people — " +
    "low: limited; moderate: serious; high: severe or catastrophic. " +
    "Leave \"not set\" to take the levels from the information types " +
    "(the highest of them counts).";

  var TYPES_HELP = "The SP 800-60 information types the asset holds: type " +
    "part of a name or an id (\"payroll\", \"C.3.5\"). Their provisional " +
    "levels count towards the asset's own category.";
  var DEPS_HELP = "Existing assets this one depends on: type part of " +
    "an id or a name. A dependency onto an asset that is not yours becomes a proposed " +
    "change for the change advisory board.";

  function levelSelect(name) {
    return el("select", {name: name},
              el("option", {value: ""}, "not set"),
              el("option", {value: "low"}, "low — limited adverse effect"),
              el("option", {value: "moderate"}, "moderate — serious adverse effect"),
              el("option", {value: "high"}, "high — severe or catastrophic adverse effect"));
  }

  HW.page("/register", {title: "Register an asset", nav: "Register", order: 20,
                          roles: ["owner"]}, function (main) {
    var me = HW.user();
    var owns = me.owns || [];
    var id = el("input", {type: "text", name: "id", required: true,
                          autocomplete: "off", spellcheck: "false"});
    var name = el("input", {type: "text", name: "name", required: true});
    var kind = el("select", {name: "type", required: true},
                  el("option", {value: ""}, "choose a kind"),
                  KINDS.map(function (k) {
                    return el("option", {value: k}, k.replace(/_/g, " "));
                  }));
    var owner;
    if (owns.length > 1)
      owner = el("select", {name: "owner", required: true},
                 el("option", {value: ""}, "choose one of yours"),
                 owns.map(function (o) { return el("option", {value: o}, o); }));
    else if (owns.length === 1)
      owner = el("input", {type: "text", name: "owner", value: owns[0],
                           readonly: true});
    else
      owner = el("input", {type: "text", name: "owner"});
    var description = el("textarea", {name: "description", rows: 3});
    var internet = el("input", {type: "checkbox", name: "internet_facing"});
    var levels = {};
    OBJECTIVES.forEach(function (o) { levels[o[0]] = levelSelect(o[0]); });

    var types = HW.combobox({
      name: "information_types", label: "Information types",
      help: TYPES_HELP,
      search: function (text) {
        return HW.api("GET", "/information-types", null, {search: text})
          .then(function (ans) {
            return ans.information_types.slice(0, SUGGEST).map(function (t) {
              var p = t.provisional;
              return {value: t.id, label: t.id + " " + t.name + " (C/I/A " +
                      [p.confidentiality, p.integrity, p.availability].map(function (l) {
                        return l || "?";
                      }).join("/") + ")"};
            });
          });
      }
    });
    var deps = HW.combobox({
      name: "depends_on", label: "Depends on",
      help: DEPS_HELP,
      search: HW.assetSuggestions
    });
    var depType = el("select", {name: "dependency_type"},
                     DEP_TYPES.map(function (t) {
                       return el("option", {value: t}, t.replace(/_/g, " "));
                     }));

    var f = HW.form({id: "register", submit: "Register"}, [
      HW.field("ID", id, "A short unique name, up to 64 characters: letters, " +
               "digits, '.', '_', ':', '-'."),
      HW.field("Name", name),
      HW.field("Kind", kind),
      HW.field("Owner", owner, owns.length > 1 ? "One of the owner values you hold."
               : owns.length === 1 ? "The owner value you hold." : null),
      HW.field("Description", description),
      el("div", {class: "field check"}, el("label", null, internet,
         " Reachable from the internet")),
      el("fieldset", {"aria-describedby": "levels-help"},
         el("legend", null, "Levels set directly (FIPS 199)"),
         el("p", {class: "help", id: "levels-help"}, LEVEL_HELP),
         OBJECTIVES.map(function (o) { return HW.field(o[2], levels[o[0]]); })),
      types.field,
      deps.field,
      HW.field("How it depends on them", depType,
               "The kind of each dependency chosen above; each carries all " +
               "three objectives.")
    ], function () {
      var body = {id: id.value.trim(), name: name.value, type: kind.value};
      if (owner.value.trim()) body.owner = owner.value.trim();
      if (description.value.trim()) body.description = description.value;
      if (internet.checked) body.internet_facing = true;
      OBJECTIVES.forEach(function (o) {
        if (levels[o[0]].value) body[o[0]] = levels[o[0]].value;
      });
      var picked = types.values();
      if (picked.length) body.information_types = picked.map(function (t) { return {id: t}; });
      return HW.api("POST", "/assets", body).then(function (asset) {
        return addDeps(asset.id, deps.values(), depType.value).then(function (changes) {
          HW.go("/assets/" + HW.seg(asset.id) +
                (changes.length ? "?proposed=" + encodeURIComponent(changes.join(",")) : ""));
        });
      });
    });
    append(main, el("h1", null, "Register an asset"),
           el("p", {class: "lead"}, "The asset, the levels you set, the " +
              "information types it holds and what it depends on are " +
              "saved together; its page then shows its effective category."),
           f);
    id.focus();
  });


  /* Add the dependencies one by one; if one is refused, remove the
   * asset again (nothing half-registered) and say what happened.  A
   * promise of the proposed changes' ids. */
  function addDeps(from, targets, type) {
    var changes = [];
    var chain = Promise.resolve();
    targets.forEach(function (to) {
      chain = chain.then(function () {
        return HW.api("POST", "/dependencies", {from: from, to: to, type: type})
          .then(function (ans) { if (ans && ans.change) changes.push(ans.change); });
      });
    });
    return chain.then(function () { return changes; }, function (err) {
      var failed = targets[changes.length] || "?";
      var why = err.message || String(err);
      return undoAsset(from, changes).then(function () {
        throw new HW.ApiError(err.status, err.code, "depends_on",
          "The dependency on " + failed + " was refused: " + why +
          ". Nothing was registered: the asset was removed again" +
          (changes.length ? " and the proposed changes " + changes.join(", ") +
           " cancelled" : "") + ".");
      }, function (undo) {
        throw new HW.ApiError(err.status, err.code, "depends_on",
          "The dependency on " + failed + " was refused: " + why +
          ". The asset " + from + " WAS registered with its levels and " +
          "information types" + (changes.length ? " (proposed changes " +
          changes.join(", ") + " recorded)" : "") + ", but removing it again " +
          "failed too: " + (undo.message || String(undo)) + ".");
      });
    });
  }

  function undoAsset(id, changes) {
    var chain = Promise.resolve();
    changes.forEach(function (c) {
      chain = chain.then(function () {
        return HW.api("POST", "/changes/" + HW.seg(c) + "/cancel");
      });
    });
    return chain.then(function () {
      return HW.api("DELETE", "/assets/" + HW.seg(id), null, {force: "true"});
    });
  }

  /* ---------------------------------------------------------------- */
  /* One asset                                                          */

  var typeNames = null; /* id -> name of every information type */

  function infoTypes() {
    if (typeNames) return Promise.resolve(typeNames);
    return HW.api("GET", "/information-types").then(function (ans) {
      typeNames = {};
      ans.information_types.forEach(function (t) { typeNames[t.id] = t.name; });
      return typeNames;
    });
  }

  function links(list, caption, id) {
    if (list.length === 0) return el("p", {id: id}, caption + ": none.");
    var t = HW.table([
      {label: "Asset", cell: function (l) { return HW.assetLink(l.asset); }},
      {label: "How", cell: function (l) { return l.type; }},
      {label: "Carries", cell: function (l) { return l.carries.toUpperCase(); }}
    ], list, caption);
    t.id = id;
    return t;
  }

  /* Why an objective's effective level is what it is. */
  function why(o, asset, cat) {
    var name = o[0], eff = cat.effective[name], own = cat.own[name];
    var r = cat.raised_by && cat.raised_by[name];
    if (r)
      return el("span", null, "raised to ", eff, " by ", HW.assetLink(r.asset),
                ", which depends on it: ",
                r.path.map(function (p, i) {
                  return [i ? " → " : "", p];
                }));
    if (!own) return "no level set and no information type gives one";
    var from = [];
    if (asset.direct[name] && RANK[asset.direct[name]] === RANK[own])
      from.push("set directly");
    asset.information_types.forEach(function (t) {
      var l = t.selected[name];
      if (l && RANK[l] === RANK[own])
        from.push(el("span", null, "information type ", t.id,
                     l === "na" ? " (n/a counts as low)" : ""));
    });
    return from.length ? el("span", null, "its own: ",
                            from.map(function (f, i) { return [i ? "; " : "", f]; }))
      : "its own";
  }

  HW.page("/assets/:id", {title: "Asset"}, function (main, params, query) {
    var id = params.id;
    return Promise.all([
      HW.api("GET", "/assets/" + HW.seg(id)),
      HW.api("GET", "/categorize/" + HW.seg(id)),
      infoTypes()
    ]).then(function (got) {
      var a = got[0], cat = got[1].assets[0], names = got[2];
      if (HW.shown(main)) document.title = a.id + " · highwater";
      append(main, el("h1", null, "Asset ", el("code", null, a.id)));
      /* Only change ids: the address is anybody's to write. */
      var proposed = (query.proposed || "").split(",").filter(function (c) {
        return /^CHG-[0-9]{1,9}$/.test(c);
      });
      if (proposed.length)
        main.appendChild(el("p", {class: "notice", role: "status"},
          "Registered. The dependencies onto assets that are not yours were " +
          "recorded as proposed changes for the CAB: ",
          proposed.map(function (c, i) {
            return [i ? ", " : "", HW.link("/changes/" + HW.seg(c), c)];
          }), "."));
      var dl = el("dl", {class: "facts", id: "asset-facts"});
      [["Name", a.name], ["Kind", a.type], ["Owner", a.owner || "(none)"],
       ["Description", a.description || "—"],
       ["Internet-facing", a.internet_facing ? "yes" : "no"],
       ["Set directly", tripleText(a.direct)],
       ["Last changed", a.changed ? a.changed.at + " by " + a.changed.by : "—"]]
        .forEach(function (kv) {
          append(dl, el("dt", null, kv[0]), el("dd", null, kv[1]));
        });
      main.appendChild(dl);

      main.appendChild(el("h2", null, "Categorization"));
      var overall = cat.overall === null
        ? "UNCATEGORIZED (no objective has a level, even inherited)"
        : cat.overall_exact
          ? HW.overallText(cat.overall, true, true) + ", SP 800-53B " + cat.baseline + " baseline"
          : HW.overallText(cat.overall, false, true) + " (partly categorized), SP 800-53B " +
            "baseline " + HW.overallText(cat.overall, false, true);
      main.appendChild(el("p", {id: "overall"}, "Overall (FIPS 200, the highest effective " +
                          "level): ", el("strong", null, overall)));
      if (cat.own_overall === null)
        main.appendChild(el("p", {class: "notice"}, "Of its own the asset is " +
          "uncategorized: no levels set and no information types."));
      if (cat.on_cycle)
        main.appendChild(el("p", {class: "notice"}, "It sits on a dependency cycle."));
      var t = HW.table([
        {label: "Objective", cell: function (o) { return o[2]; }},
        {label: "Set directly", cell: function (o) {
          return a.direct[o[0]] ? HW.level(a.direct[o[0]])
            : el("span", {class: "level level-na"}, "not set");
        }},
        {label: "Own", cell: function (o) { return HW.level(cat.own[o[0]]); }},
        {label: "Effective", cell: function (o) { return HW.level(cat.effective[o[0]]); }},
        {label: "Why", cell: function (o) { return why(o, a, cat); }}
      ], OBJECTIVES, "Registered, own and effective levels");
      t.id = "categorization";
      /* The objective's name heads its row. */
      Array.prototype.forEach.call(t.querySelectorAll("tbody tr"), function (tr) {
        var td = tr.firstChild, th = el("th", {scope: "row"}, td.textContent);
        tr.replaceChild(th, td);
      });
      main.appendChild(t);
      main.appendChild(el("p", {class: "help"}, "Own: the highest of the levels set " +
        "directly and those of its information types (n/a counts as low). Effective: " +
        "the highest of its own and the effective level of every asset depending on " +
        "it through a dependency carrying that objective."));

      main.appendChild(el("h2", null, "Information types"));
      if (a.information_types.length === 0)
        main.appendChild(el("p", {id: "asset-types"}, "None."));
      else {
        var it = HW.table([
          {label: "ID", cell: function (t) { return t.id; }},
          {label: "Name", cell: function (t) { return names[t.id] || "?"; }},
          {label: "C/I/A", cell: function (t) { return triple(t.selected); }},
          {label: "Levels", cell: function (t) {
            var adj = OBJECTIVES.some(function (o) {
              return t.selected[o[0]] !== t.base[o[0]];
            });
            return adj ? "adjusted from " + OBJECTIVES.map(function (o) {
              return t.base[o[0]] || "?";
            }).join("/") + (t.justification ? ": " + t.justification : "")
              : "provisional";
          }}
        ], a.information_types);
        it.id = "asset-types";
        main.appendChild(it);
      }
      main.appendChild(el("h2", null, "Dependencies"));
      main.appendChild(links(a.depends_on, "What it depends on", "depends-on"));
      main.appendChild(links(a.dependents, "What depends on it", "dependents"));
    });
  });
})();
