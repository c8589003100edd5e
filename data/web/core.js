/*
 * core.js: what every page of highwater's web page uses: DOM building
 * that puts data in as text only (never as markup), the API client
 * (a session's cookie, its CSRF token on every write), the router of
 * "#/..." addresses, the navigation by role, forms with their errors
 * beside the field that caused them, tables and level badges.
 *
 * The pages themselves live in owner.js, cab.js and manager.js; each
 * registers its pages with HW.page().  start.js starts the router.
 */
"use strict";

var HW = (function () {
  var API = "/api/v1";
  var pages = [];
  var me = null; /* {user, roles, owns, csrf} once signed in */
  var seq = 0; /* ids for labels and error slots */

  /* ---------------------------------------------------------------- */
  /* DOM: text is text                                                 */

  /* el("p", {class: "x", onclick: f}, "text", node, [more]): a new
   * element.  Attributes are set with setAttribute (true: present;
   * false, null, undefined: absent); a function for a name starting
   * with "on" is an event listener; children that are strings or
   * numbers become text nodes, arrays are flattened, null is skipped.
   * Nothing is ever parsed as HTML. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    var name, value, i;
    attrs = attrs || {};
    for (name in attrs) {
      if (!Object.prototype.hasOwnProperty.call(attrs, name)) continue;
      value = attrs[name];
      if (typeof value === "function" && name.slice(0, 2) === "on") {
        node.addEventListener(name.slice(2), value);
      } else if (value === true) {
        node.setAttribute(name, "");
      } else if (value !== false && value !== null && value !== undefined) {
        node.setAttribute(name, String(value));
      }
    }
    for (i = 2; i < arguments.length; i++) appendOne(node, arguments[i]);
    return node;
  }

  /* append(node, child, ...): children as el() takes them. */
  function append(node) {
    var i;
    for (i = 1; i < arguments.length; i++) appendOne(node, arguments[i]);
    return node;
  }

  function appendOne(node, child) {
    var i;
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      for (i = 0; i < child.length; i++) appendOne(node, child[i]);
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function uid(prefix) {
    seq += 1;
    return (prefix || "hw") + "-" + seq;
  }

  /* ---------------------------------------------------------------- */
  /* The API                                                           */

  /* An answer that is not 2xx: status, the API's error code, its path
   * (the field or JSON path it is about, or null) and its message. */
  function ApiError(status, code, path, message) {
    this.status = status;
    this.code = code;
    this.path = path;
    this.message = message;
  }
  ApiError.prototype.toString = function () { return this.message; };

  /* api("GET", "/assets", null, {q: "x", ids: ["a", "b"]}): a promise
   * of the parsed JSON answer (null for 204); rejects with an ApiError.
   * A 401 (the session ended) shows the sign-in page again. */
  function api(method, path, body, query) {
    var headers = {"Accept": "application/json"};
    var init = {method: method, headers: headers, credentials: "same-origin"};
    if (body !== null && body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    if (method !== "GET" && me && me.csrf) headers["X-CSRF-Token"] = me.csrf;
    return fetch(API + path + queryString(query), init).then(function (resp) {
      if (resp.status === 204) return null;
      return resp.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (resp.ok) return data;
        var e = (data && data.error) || {};
        var err = new ApiError(resp.status, e.code || "http_" + resp.status,
                               e.path || null,
                               e.message || "the service answered " +
                               resp.status + " " + resp.statusText);
        if (resp.status === 401 && path !== "/session" && me) {
          me = null;
          showSignIn("Your session ended: sign in again.");
        }
        throw err;
      });
    }, function () {
      throw new ApiError(0, "network", null,
                         "the service cannot be reached: is highwater serve running?");
    });
  }

  function queryString(query) {
    var parts = [], name, v, i;
    if (!query) return "";
    for (name in query) {
      if (!Object.prototype.hasOwnProperty.call(query, name)) continue;
      v = query[name];
      if (v === null || v === undefined || v === "") continue;
      if (!Array.isArray(v)) v = [v];
      for (i = 0; i < v.length; i++)
        parts.push(encodeURIComponent(name) + "=" + encodeURIComponent(v[i]));
    }
    return parts.length ? "?" + parts.join("&") : "";
  }

  /* "/assets/" + seg(id): one path segment, percent-encoded. */
  function seg(s) { return encodeURIComponent(s); }

  /* ---------------------------------------------------------------- */
  /* Who is signed in                                                  */

  function user() { return me; }

  function hasRole(role) {
    return !!me && (me.roles.indexOf(role) >= 0 || me.roles.indexOf("admin") >= 0);
  }

  /* May the user see a page meant for roles (an array; empty: all)? */
  function allowed(roles) {
    var i;
    if (!roles || roles.length === 0) return true;
    for (i = 0; i < roles.length; i++) if (hasRole(roles[i])) return true;
    return false;
  }

  /* ---------------------------------------------------------------- */
  /* Pages and the router                                              */

  /* page("/assets/:id", {title, roles, nav}, render): render(view,
   * params, query) fills view, a fresh element in main, (it may return
   * a promise; what it draws after the user went on is never shown:
   * HW.shown(view) says whether it still is); nav is the
   * label of the page's entry in the navigation (none when absent).
   * params.id is the decoded segment; query the "?a=b" after the
   * address. */
  function page(pattern, opts, render) {
    pages.push({parts: pattern.split("/").slice(1), pattern: pattern,
                title: opts.title, roles: opts.roles || [],
                nav: opts.nav || null, order: opts.order || 50,
                render: render});
  }

  /* The address of a page: go("/assets/" + seg(id)). */
  function href(path) { return "#" + path; }

  function go(path) {
    if (location.hash === "#" + path) route();
    else location.hash = "#" + path;
  }

  function match(p, parts) {
    var params = {}, i;
    if (p.parts.length !== parts.length) return null;
    for (i = 0; i < parts.length; i++) {
      if (p.parts[i].charAt(0) === ":") {
        if (parts[i] === "") return null;
        try { params[p.parts[i].slice(1)] = decodeURIComponent(parts[i]); }
        catch (e) { return null; }
      } else if (p.parts[i] !== parts[i]) {
        return null;
      }
    }
    return params;
  }

  function parseQuery(s) {
    var q = {}, pairs = s ? s.split("&") : [], i, kv;
    for (i = 0; i < pairs.length; i++) {
      kv = pairs[i].split("=");
      try {
        q[decodeURIComponent(kv[0])] = decodeURIComponent((kv[1] || "").replace(/\+/g, " "));
      } catch (e) { /* a bad escape: left out */ }
    }
    return q;
  }

  /* The home page of the signed-in user: the first of their roles'. */
  function home() {
    if (hasRole("owner") && me.roles.indexOf("admin") < 0) return "/assets";
    if (hasRole("cab")) return "/changes";
    if (hasRole("manager")) return "/risk";
    return "/assets";
  }

  var rendering = 0;

  function route() {
    var main = document.getElementById("main");
    var hash = location.hash.replace(/^#/, "");
    var qpos, path, query, parts, i, params, p = null;
    if (!me) return showSignIn();
    if (hash === "" || hash === "/") return go(home());
    if (hash.charAt(0) !== "/") return; /* "#main": the skip link */
    qpos = hash.indexOf("?");
    path = qpos >= 0 ? hash.slice(0, qpos) : hash;
    query = parseQuery(qpos >= 0 ? hash.slice(qpos + 1) : "");
    parts = path.split("/").slice(1);
    for (i = 0; i < pages.length && !p; i++) {
      params = match(pages[i], parts);
      if (params) p = pages[i];
    }
    buildNav(path);
    clear(main);
    main.removeAttribute("data-route");
    rendering += 1;
    var mine = rendering;
    if (!p) {
      document.title = "Not found · highwater";
      append(main, el("h1", null, "No such page"),
             el("p", null, "Nothing lives at ", el("code", null, hash), ". ",
                el("a", {href: href(home())}, "Go to your start page"), "."));
      return rendered(main, hash);
    }
    if (!allowed(p.roles)) {
      document.title = "Not allowed · highwater";
      append(main, el("h1", null, p.title),
             el("p", {class: "error", role: "alert"},
                "This page is for the roles " + p.roles.join(", ") +
                "; you are " + me.roles.join(", ") + "."));
      return rendered(main, hash);
    }
    document.title = p.title + " · highwater";
    status("Loading " + p.title.toLowerCase() + "…");
    /* The page draws into a view of its own: an answer that arrives
     * after the user went on draws into a view no longer shown. */
    var view = el("div", {class: "view"});
    main.appendChild(view);
    Promise.resolve().then(function () {
      return p.render(view, params, query);
    }).then(function () {
      if (mine !== rendering) return;
      status("");
      rendered(main, hash);
    }, function (err) {
      if (mine !== rendering) return;
      status("");
      if (err instanceof ApiError && err.status === 401) return;
      append(view, errorBox(err));
      rendered(main, hash);
    });
  }

  /* Is node still on the page (a page's late answer checks before it
   * changes anything but its own view, e.g. the title)? */
  function shown(node) { return document.body.contains(node); }

  /* A page is drawn: main says which (data-route, what the tests wait
   * for), and a keyboard user who came by the navigation (the focus
   * left on it or on nothing) continues in the page. */
  function rendered(main, hash) {
    var a = document.activeElement;
    main.setAttribute("data-route", hash);
    if (!a || a === document.body || (a.closest && a.closest("header")))
      main.focus();
  }

  function buildNav(path) {
    var nav = clear(document.getElementById("nav"));
    var list = el("ul");
    var shown = pages.filter(function (p) { return p.nav && allowed(p.roles); });
    shown.sort(function (a, b) { return a.order - b.order; });
    shown.forEach(function (p) {
      var current = path === p.pattern || path.indexOf(p.pattern + "/") === 0;
      list.appendChild(el("li", null,
        el("a", {href: href(p.pattern), "aria-current": current ? "page" : null},
           p.nav)));
    });
    nav.appendChild(list);
    var who = clear(document.getElementById("who"));
    append(who, me.user, " ", el("span", {class: "roles"}, "(" + me.roles.join(", ") + ")"));
    document.getElementById("signout").hidden = false;
  }

  /* ---------------------------------------------------------------- */
  /* Sign in and out                                                   */

  function showSignIn(notice) {
    var main = clear(document.getElementById("main"));
    clear(document.getElementById("nav"));
    clear(document.getElementById("who"));
    document.getElementById("signout").hidden = true;
    document.title = "Sign in · highwater";
    var input = el("input", {type: "password", name: "token", id: "token",
                             autocomplete: "off", required: true,
                             spellcheck: "false"});
    var f = form({id: "signin", submit: "Sign in"}, [
      field("Your token", input,
            "The token highwater printed once when an administrator added " +
            "you (highwater user add NAME --role ROLE). It is sent once " +
            "and traded for a session that ends when you sign out or after " +
            "a while unused.")
    ], function () {
      return api("POST", "/session", {token: input.value}).then(function (who) {
        me = who;
        input.value = "";
        var target = location.hash.replace(/^#/, "");
        if (target === "" || target === "/" || target.charAt(0) !== "/") go(home());
        else route();
      });
    });
    append(main, el("h1", null, "Sign in"),
           notice ? el("p", {class: "notice", role: "alert"}, notice) : null, f);
    input.focus();
  }

  function signOut() {
    api("DELETE", "/session").then(null, function () { return null; })
      .then(function () {
        me = null;
        showSignIn("You are signed out.");
      });
  }

  /* Who holds this browser's session, if anybody: then the router. */
  function start() {
    document.getElementById("signout").addEventListener("click", signOut);
    document.getElementById("skip").addEventListener("click", function (ev) {
      ev.preventDefault();
      document.getElementById("main").focus();
    });
    window.addEventListener("hashchange", route);
    api("GET", "/session").then(function (who) {
      me = who.csrf ? who : null;
      route();
    }, function () {
      me = null;
      route();
    });
  }

  /* ---------------------------------------------------------------- */
  /* Forms                                                             */

  /* field("Name", input, "help text"): a labelled control with its help
   * and an error slot (aria-describedby points at both); the control's
   * name attribute is what an API error's path names. */
  function field(label, control, help) {
    var id = control.id || uid("f");
    var helpId = id + "-help", errId = id + "-error";
    control.id = id;
    control.setAttribute("aria-describedby",
                         (help ? helpId + " " : "") + errId);
    return el("div", {class: "field"},
              el("label", {for: id}, label),
              control,
              help ? el("p", {class: "help", id: helpId}, help) : null,
              el("p", {class: "field-error", id: errId, "data-for": id}));
  }

  /* form({id, submit: "Register"}, [fields...], onsubmit): onsubmit(ev)
   * returns a promise; while it runs the button is disabled; an
   * ApiError it rejects with is shown beside the field its path names
   * (the control whose name is the path's first member), else above
   * the button. */
  function form(opts, children, onsubmit) {
    var button = el("button", {type: "submit"}, opts.submit);
    var general = el("p", {class: "form-error", role: "alert"});
    var f = el("form", {id: opts.id || null, novalidate: true}, children,
               general, el("div", {class: "actions"}, button, opts.extra || null));
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearErrors(f);
      var missing = firstMissing(f);
      if (missing) {
        fieldError(f, missing.name, "this is required");
        return;
      }
      button.disabled = true;
      status("Sending…");
      Promise.resolve().then(function () { return onsubmit(ev); })
        .then(function () {
          button.disabled = false;
          status("");
        }, function (err) {
          button.disabled = false;
          status("");
          showFormError(f, err);
        });
    });
    return f;
  }

  function firstMissing(f) {
    var all = f.querySelectorAll("[required]"), i;
    for (i = 0; i < all.length; i++)
      if (!all[i].disabled && String(all[i].value).trim() === "") return all[i];
    return null;
  }

  function clearErrors(f) {
    var slots = f.querySelectorAll(".field-error"), i, c;
    for (i = 0; i < slots.length; i++) {
      clear(slots[i]);
      c = document.getElementById(slots[i].getAttribute("data-for"));
      if (c) c.removeAttribute("aria-invalid");
    }
    clear(f.querySelector(".form-error"));
  }

  /* Show message beside the control named name (or above the button
   * when the form has none): true when a field took it. */
  function fieldError(f, name, message) {
    var c = name ? f.querySelector("[name=\"" + cssEscape(name) + "\"]") : null;
    var slot = c ? f.querySelector(".field-error[data-for=\"" + cssEscape(c.id) + "\"]") : null;
    if (!slot) {
      append(clear(f.querySelector(".form-error")), message);
      return false;
    }
    append(clear(slot), message);
    c.setAttribute("aria-invalid", "true");
    c.focus();
    return true;
  }

  /* The control an API error's path names: "name", "/name", "$.name"
   * (the API's JSON paths), "information_types/0" or
   * "/dependencies/1/to" all name their first member. */
  function pathField(path) {
    if (!path) return null;
    return String(path).replace(/^\$\.?|^\//, "").split(/[\/.\[]/)[0];
  }

  function showFormError(f, err) {
    var msg = err instanceof ApiError ? err.message : String(err);
    fieldError(f, err instanceof ApiError ? pathField(err.path) : null, msg);
  }

  function cssEscape(s) {
    return window.CSS && CSS.escape ? CSS.escape(s) : String(s).replace(/["\\]/g, "\\$&");
  }

  /* ---------------------------------------------------------------- */
  /* Pieces of pages                                                   */

  /* table([{label, cell: function (row) -> text or node, num}], rows,
   * caption): a table with a header row; num columns align right. */
  function table(columns, rows, caption) {
    var head = el("tr", null, columns.map(function (c) {
      return el("th", {scope: "col", class: c.num ? "num" : null}, c.label);
    }));
    var body = el("tbody", null, rows.map(function (row) {
      return el("tr", null, columns.map(function (c) {
        var v = c.cell(row);
        return el("td", {class: c.num ? "num" : null},
                  v === null || v === undefined ? "" : v);
      }));
    }));
    return el("table", null, caption ? el("caption", null, caption) : null,
              el("thead", null, head), body);
  }

  /* A FIPS 199 level as a badge: low, moderate, high, na (not
   * applicable, an information type's), or "-" for none (not set,
   * uncategorized), as the CLI's tables write them. */
  function level(l) {
    if (l === null || l === undefined || l === "")
      return el("span", {class: "level level-none", title: "no level"}, "-");
    return el("span", {class: "level level-" + String(l).replace(/[^a-z]/g, "")}, l);
  }

  /* An overall level in the CLI's words: "high", "at least moderate"
   * (partly categorized: a lower bound, unless high) or
   * "uncategorized"; upper: as categorize writes it ("at least
   * MODERATE"). */
  function overallText(l, exact, upper) {
    var t;
    if (!l) t = "uncategorized";
    else if (exact || String(l).toLowerCase() === "high") t = String(l).toLowerCase();
    else t = "at least " + String(l).toLowerCase();
    return upper ? t.replace(/(low|moderate|high|uncategorized)$/, function (w) {
      return w.toUpperCase();
    }) : t;
  }

  /* An overall level as a badge, "at least" before it when a lower
   * bound. */
  function overall(l, exact) {
    if (!l) return el("span", {class: "level level-none"}, "uncategorized");
    if (exact || String(l).toLowerCase() === "high") return level(String(l).toLowerCase());
    return el("span", {class: "lower-bound"}, "at least ", level(String(l).toLowerCase()));
  }

  function link(path, text) { return el("a", {href: href(path)}, text); }

  function assetLink(id) { return link("/assets/" + seg(id), id); }

  /* An error as a page shows it. */
  function errorBox(err) {
    return el("p", {class: "error", role: "alert"},
              err instanceof ApiError ? err.message : "Something went wrong: " + String(err));
  }

  /* The live status line (progress of long work): "" clears it. */
  function status(text) {
    var s = document.getElementById("status");
    if (s) append(clear(s), text);
  }


  /* ---------------------------------------------------------------- */
  /* A combobox: search as you type, pick into chips                   */

  /* combobox({name, label, help, id, search, initial}): {field, input,
   * values()}.  search(text) is a promise of the suggestions
   * [{value, label}] for the typed text; initial the values chosen at
   * first ([{value, label}] or bare values).  The input (role=combobox,
   * named name: what an API error's path names) controls a
   * role=listbox of suggestions (the WAI-ARIA combobox pattern): typing
   * asks search once the keys pause (an answer for older text is
   * dropped), Down/Up move, Enter picks (the only suggestion too),
   * Escape closes, a click picks.  Each pick becomes a chip (its label
   * as text) with a "Remove LABEL" button.  Enter in an empty box with
   * the list closed sends the form.  With id, the input has that id
   * and the chips id-chips. */
  function combobox(opts) {
    var input = el("input", {type: "text", name: opts.name, id: opts.id || null,
                             role: "combobox", autocomplete: "off",
                             spellcheck: "false", "aria-autocomplete": "list",
                             "aria-expanded": "false"});
    var listId = (opts.id || uid("combo")) + "-list";
    var list = el("ul", {id: listId, role: "listbox", class: "suggest",
                         "aria-label": opts.label + ": suggestions", hidden: true,
                         onmousedown: function (ev) { ev.preventDefault(); }});
    var chips = el("ul", {class: "chips", id: opts.id ? opts.id + "-chips" : null,
                          "aria-label": opts.label + ": chosen"});
    var note = el("p", {class: "help", "aria-live": "polite"});
    var options = [], active = -1, picked = [], asked = 0, timer = null;
    input.setAttribute("aria-controls", listId);

    function close() {
      options = [];
      active = -1;
      clear(list);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    /* Forget what is asked or waited for (a late answer is dropped). */
    function stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      asked += 1;
    }

    function show(found) {
      close();
      options = found.filter(function (o) { return picked.indexOf(o.value) < 0; });
      options.forEach(function (o, i) {
        list.appendChild(el("li", {id: listId + "-" + i, role: "option",
                                   "aria-selected": "false", "data-value": o.value,
                                   onclick: function () { pick(i); }},
                            o.label));
      });
      list.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      append(clear(note), options.length === 0 ? "Nothing matches." :
             options.length + " suggestion" + (options.length === 1 ? "" : "s") +
             ": arrow keys move, Enter picks.");
    }

    function move(to) {
      if (options.length === 0) return;
      if (active >= 0) list.children[active].setAttribute("aria-selected", "false");
      active = (to + options.length) % options.length;
      var li = list.children[active];
      li.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", li.id);
      if (li.scrollIntoView) li.scrollIntoView({block: "nearest"});
    }

    function pick(i) {
      var o = options[i];
      if (!o) return;
      add(o.value, o.label);
      input.value = "";
      stop();
      close();
      clear(note);
      input.focus();
    }

    function add(value, label) {
      if (picked.indexOf(value) >= 0) return;
      picked.push(value);
      var li = el("li", {"data-value": value}, label, " ",
                  el("button", {type: "button", "aria-label": "Remove " + label,
                                title: "Remove " + label, onclick: function () {
                                  picked.splice(picked.indexOf(value), 1);
                                  chips.removeChild(li);
                                  input.focus();
                                }}, "×"));
      chips.appendChild(li);
    }

    function ask() {
      var text = input.value.trim(), mine;
      stop();
      if (text === "") {
        close();
        return clear(note);
      }
      mine = asked;
      Promise.resolve(opts.search(text)).then(function (found) {
        if (mine === asked && input.value.trim() === text) show(found);
      }, function (err) {
        if (mine !== asked) return;
        close();
        append(clear(note), err instanceof ApiError ? err.message : String(err));
      });
    }

    input.addEventListener("input", function () {
      stop();
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") {
        ev.preventDefault();
        if (options.length) move(active + 1); else ask();
      } else if (ev.key === "ArrowUp") {
        ev.preventDefault();
        if (options.length) move(active < 0 ? -1 : active - 1);
      } else if (ev.key === "Enter") {
        /* Typed text is never sent unpicked: only an empty box with the
         * list closed lets Enter send the form. */
        if (!list.hidden || input.value.trim() !== "") ev.preventDefault();
        if (active >= 0) pick(active);
        else if (options.length === 1) pick(0);
      } else if (ev.key === "Escape" && !list.hidden) {
        ev.preventDefault();
        stop();
        close();
      }
    });
    input.addEventListener("blur", function () { stop(); close(); });

    (opts.initial || []).forEach(function (o) {
      if (typeof o === "object") add(o.value, o.label);
      else add(o, o);
    });
    var f = field(opts.label, input, opts.help);
    /* The suggestions and what they say sit right under the input. */
    f.insertBefore(list, input.nextSibling);
    f.insertBefore(note, list.nextSibling);
    f.appendChild(chips);
    return {field: f, input: input, values: function () { return picked.slice(); }};
  }

  /* Suggestions of assets for a combobox: those whose id or name holds
   * text (GET /assets?search), the first 12. */
  function assetSuggestions(text) {
    return api("GET", "/assets", null, {search: text, limit: 12}).then(function (ans) {
      return ans.assets.map(function (a) {
        return {value: a.id, label: a.id + " — " + a.name};
      });
    });
  }

  /* card(label, value, id): one figure of a row of cards (class
   * "cards"): the value big on top (text, a number or a node), its
   * label below. */
  function card(label, value, id) {
    return el("div", {class: "card", id: id || null},
              el("div", {class: "big"}, value), el("div", null, label));
  }

  return {
    el: el, append: append, clear: clear, uid: uid,
    api: api, ApiError: ApiError, seg: seg,
    user: user, hasRole: hasRole,
    page: page, href: href, go: go, route: route, start: start,
    field: field, form: form, fieldError: fieldError, clearErrors: clearErrors,
    table: table, level: level, overall: overall, overallText: overallText,
    link: link, assetLink: assetLink, shown: shown,
    errorBox: errorBox, status: status,
    combobox: combobox, assetSuggestions: assetSuggestions, card: card
  };
})();
