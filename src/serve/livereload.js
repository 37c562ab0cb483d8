// vitrine live reload: added to HTML pages by `vitrine serve` only, never
// written to the output. No dependencies, no eval, no inline style strings.
(function () {
  "use strict";
  if (window.__vitrineLiveReload || typeof EventSource === "undefined") {
    return;
  }
  window.__vitrineLiveReload = true;

  var SCRIPT = "__vitrine/livereload.js";
  var OVERLAY_ID = "__vitrine-overlay";
  var me = document.currentScript;
  var base = "/";
  if (me && me.src) {
    var src = new URL(me.src, location.href).pathname;
    if (src.slice(-SCRIPT.length) === SCRIPT) {
      base = src.slice(0, -SCRIPT.length);
    }
  }

  // The writer's language, given by the server (`data-lang`): the page's
  // own is the site's, which may be another.
  var lang = (me && me.getAttribute("data-lang")) || "fr";
  var english = lang === "en";
  var LABELS = english
    ? {
        title: "Build error",
        close: "Close",
        warnings: function (n) {
          return n > 1 ? n + " build warnings" : "1 build warning";
        },
        dismiss: "Dismiss these warnings",
        edit: "Edit in the editor"
      }
    : {
        title: "Erreur de construction",
        close: "Fermer",
        warnings: function (n) {
          return n > 1 ? n + " avertissements de construction" : "1 avertissement de construction";
        },
        dismiss: "Masquer ces avertissements",
        edit: "Modifier dans l'éditeur"
      };

  // --- stylesheets -------------------------------------------------------

  // "/css/site.1a2b3c4d.css" and "/css/site.css" are the same stylesheet.
  function unfingerprint(path) {
    return path.replace(/\.[0-9a-f]{8,}(\.[^./]+)$/i, "$1");
  }

  function hasFingerprint(path) {
    return unfingerprint(path) !== path;
  }

  function stylesheets() {
    var out = [];
    var links = document.querySelectorAll("link[rel]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].relList && links[i].relList.contains("stylesheet") && links[i].href) {
        out.push(links[i]);
      }
    }
    return out;
  }

  // Loads `href` in a copy of `link`, then removes the old one: no flash of
  // unstyled content. If the new URL fails (e.g. a fingerprint changed),
  // reload the page.
  function swap(link, url) {
    url.searchParams.set("v", String(Date.now()));
    var fresh = link.cloneNode(false);
    fresh.href = url.origin === location.origin ? url.pathname + url.search + url.hash : url.toString();
    fresh.addEventListener("load", function () {
      link.remove();
    });
    fresh.addEventListener("error", function () {
      location.reload();
    });
    link.after(fresh);
  }

  function onCss(path) {
    if (typeof path !== "string" || path === "") {
      path = "";
    }
    var wanted = [];
    if (path) {
      var absolute = new URL(path, location.origin + base).pathname;
      wanted.push(unfingerprint(absolute));
      wanted.push(unfingerprint(base + path.replace(/^\/+/, "")));
    }
    var links = stylesheets();
    var matched = links.filter(function (link) {
      var p = unfingerprint(new URL(link.href, location.href).pathname);
      return wanted.indexOf(p) !== -1;
    });
    if (matched.length > 0) {
      matched.forEach(function (link) {
        var url = new URL(link.href, location.href);
        // The event names the new fingerprinted file: load that one.
        if (hasFingerprint(url.pathname) && hasFingerprint(path)) {
          url = new URL(path, location.origin + base);
        }
        swap(link, url);
      });
    } else {
      links.forEach(function (link) {
        swap(link, new URL(link.href, location.href));
      });
    }
  }

  // --- error overlay -----------------------------------------------------

  var overlay = null;
  var returnFocus = null;

  function style(el, props) {
    for (var k in props) {
      if (Object.prototype.hasOwnProperty.call(props, k)) {
        el.style[k] = props[k];
      }
    }
  }

  function onKey(e) {
    if (!overlay) {
      return;
    }
    if (e.key === "Escape" || e.key === "Esc") {
      e.preventDefault();
      hideOverlay();
    } else if (e.key === "Tab") {
      // Keep focus inside the dialog.
      var focusable = overlay.querySelectorAll("button, [tabindex='0']");
      if (focusable.length === 0) {
        return;
      }
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      var active = document.activeElement;
      if (e.shiftKey && (active === first || !overlay.contains(active))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (active === last || !overlay.contains(active))) {
        e.preventDefault();
        first.focus();
      }
    }
  }

  function showOverlay(text) {
    if (overlay) {
      overlay.querySelector("pre").textContent = text;
      return;
    }
    returnFocus = document.activeElement;

    var backdrop = document.createElement("div");
    backdrop.id = OVERLAY_ID;
    backdrop.setAttribute("lang", lang);
    style(backdrop, {
      position: "fixed",
      top: "0",
      right: "0",
      bottom: "0",
      left: "0",
      zIndex: "2147483647",
      background: "rgba(0, 0, 0, 0.7)",
      overflow: "auto",
      padding: "1rem 0.5rem",
      boxSizing: "border-box",
      display: "flex",
      alignItems: "flex-start",
      justifyContent: "center"
    });

    var dialog = document.createElement("div");
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-labelledby", OVERLAY_ID + "-title");
    dialog.setAttribute("aria-describedby", OVERLAY_ID + "-text");
    dialog.tabIndex = -1;
    style(dialog, {
      width: "100%",
      maxWidth: "60rem",
      boxSizing: "border-box",
      background: "#ffffff",
      color: "#1a1a1a",
      borderTop: "6px solid #b00020",
      borderRadius: "4px",
      padding: "1rem",
      font: "16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      textAlign: "left",
      boxShadow: "0 4px 24px rgba(0, 0, 0, 0.5)"
    });

    var title = document.createElement("h2");
    title.id = OVERLAY_ID + "-title";
    title.textContent = LABELS.title;
    title.tabIndex = -1;
    style(title, {
      margin: "0 0 0.75rem",
      fontSize: "1.25rem",
      lineHeight: "1.3",
      color: "#b00020",
      font: "bold 1.25rem/1.3 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
    });

    var pre = document.createElement("pre");
    pre.id = OVERLAY_ID + "-text";
    pre.textContent = text;
    pre.tabIndex = 0; // scrollable with the keyboard
    style(pre, {
      margin: "0 0 1rem",
      padding: "0.75rem",
      maxHeight: "60vh",
      overflow: "auto",
      whiteSpace: "pre-wrap",
      overflowWrap: "anywhere",
      wordBreak: "break-word",
      background: "#f4f4f4",
      color: "#1a1a1a",
      border: "1px solid #767676",
      borderRadius: "4px",
      font: "14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace"
    });

    var close = document.createElement("button");
    close.type = "button";
    close.textContent = LABELS.close;
    style(close, {
      font: "inherit",
      fontWeight: "bold",
      minHeight: "44px",
      minWidth: "44px",
      padding: "0.5rem 1.25rem",
      background: "#1a1a1a",
      color: "#ffffff",
      border: "2px solid #1a1a1a",
      borderRadius: "4px",
      cursor: "pointer"
    });
    close.addEventListener("click", hideOverlay);

    dialog.appendChild(title);
    dialog.appendChild(pre);
    dialog.appendChild(close);
    backdrop.appendChild(dialog);
    (document.body || document.documentElement).appendChild(backdrop);
    overlay = backdrop;
    document.addEventListener("keydown", onKey, true);
    title.focus();
  }

  function hideOverlay() {
    if (!overlay) {
      return;
    }
    document.removeEventListener("keydown", onKey, true);
    overlay.remove();
    overlay = null;
    if (returnFocus && typeof returnFocus.focus === "function" && document.contains(returnFocus)) {
      returnFocus.focus();
    }
    returnFocus = null;
  }

  // --- warnings panel ----------------------------------------------------

  // Not modal: the page stays usable. Dismissed warnings stay hidden (in
  // this browser) until the warnings change.
  var WARNINGS_ID = "__vitrine-warnings";
  var DISMISSED_KEY = "vitrine-dismissed-warnings";
  var warningsPanel = null;

  function dismissed() {
    try {
      return window.localStorage.getItem(DISMISSED_KEY);
    } catch (err) {
      return null;
    }
  }

  function remember(text) {
    try {
      window.localStorage.setItem(DISMISSED_KEY, text);
    } catch (err) {
      // Storage refused (private mode): dismissed for this page only.
    }
  }

  function hideWarnings() {
    if (warningsPanel) {
      warningsPanel.remove();
      warningsPanel = null;
    }
  }

  function showWarnings(text, count) {
    hideWarnings();
    if (typeof text !== "string" || text === "" || dismissed() === text) {
      return;
    }
    var panel = document.createElement("section");
    panel.id = WARNINGS_ID;
    panel.setAttribute("lang", lang);
    panel.setAttribute("aria-labelledby", WARNINGS_ID + "-title");
    style(panel, {
      position: "fixed",
      right: "0.5rem",
      bottom: "0.5rem",
      left: "0.5rem",
      zIndex: "2147483646",
      maxWidth: "60rem",
      margin: "0 auto",
      boxSizing: "border-box",
      background: "#ffffff",
      color: "#1a1a1a",
      borderTop: "6px solid #8a5a00",
      borderRadius: "4px",
      padding: "0.75rem 1rem",
      font: "16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      textAlign: "left",
      boxShadow: "0 4px 24px rgba(0, 0, 0, 0.4)"
    });

    var title = document.createElement("h2");
    title.id = WARNINGS_ID + "-title";
    title.textContent = LABELS.warnings(typeof count === "number" && count > 0 ? count : 1);
    style(title, {
      margin: "0 0 0.5rem",
      color: "#6b4600",
      font: "bold 1.1rem/1.3 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
    });

    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.tabIndex = 0; // scrollable with the keyboard
    style(pre, {
      margin: "0 0 0.75rem",
      padding: "0.5rem",
      maxHeight: "30vh",
      overflow: "auto",
      whiteSpace: "pre-wrap",
      overflowWrap: "anywhere",
      background: "#f4f4f4",
      color: "#1a1a1a",
      border: "1px solid #767676",
      borderRadius: "4px",
      font: "14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace"
    });

    var close = document.createElement("button");
    close.type = "button";
    close.textContent = LABELS.dismiss;
    style(close, {
      font: "inherit",
      fontWeight: "bold",
      minHeight: "44px",
      padding: "0.5rem 1.25rem",
      background: "#1a1a1a",
      color: "#ffffff",
      border: "2px solid #1a1a1a",
      borderRadius: "4px",
      cursor: "pointer"
    });
    function dismiss() {
      var hadFocus = panel.contains(document.activeElement);
      remember(text);
      hideWarnings();
      if (hadFocus) {
        var main = document.getElementById("main") || document.body;
        if (main && typeof main.focus === "function") {
          main.focus();
        }
      }
    }
    close.addEventListener("click", dismiss);
    panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape" || e.key === "Esc") {
        e.preventDefault();
        dismiss();
      }
    });

    panel.appendChild(title);
    panel.appendChild(pre);
    panel.appendChild(close);
    (document.body || document.documentElement).appendChild(panel);
    warningsPanel = panel;
  }

  // --- link to the editing interface ----------------------------------------

  // Shown only when `serve` offers the interface (it may be off).
  var EDIT_ID = "__vitrine-edit";
  function addEditLink() {
    var admin = base + "__vitrine/admin/";
    if (typeof fetch !== "function") {
      return;
    }
    fetch(admin, { method: "HEAD" })
      .then(function (res) {
        if (!res.ok || document.getElementById(EDIT_ID) || !document.body) {
          return;
        }
        var link = document.createElement("a");
        link.id = EDIT_ID;
        link.href = admin;
        link.textContent = LABELS.edit;
        link.setAttribute("lang", lang);
        style(link, {
          position: "fixed",
          top: "0.5rem",
          right: "0.5rem",
          zIndex: "2147483645",
          padding: "0.5rem 0.75rem",
          background: "#1a1a1a",
          color: "#ffffff",
          border: "2px solid #ffffff",
          borderRadius: "4px",
          font: "bold 14px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
          textDecoration: "underline",
          outlineOffset: "2px"
        });
        document.body.appendChild(link);
      })
      .catch(function () {
        // No interface: no link.
      });
  }
  addEditLink();

  // --- events ------------------------------------------------------------

  function data(e) {
    try {
      return JSON.parse(e.data) || {};
    } catch (err) {
      return {};
    }
  }

  var opened = false;
  var lost = false;
  var source = new EventSource(base + "__vitrine/events");

  source.addEventListener("open", function () {
    if (opened && lost) {
      // Reconnected: the server restarted (or we missed events). Reload
      // once; the new page starts with a fresh connection.
      location.reload();
      return;
    }
    opened = true;
  });
  source.addEventListener("reload", function () {
    location.reload();
  });
  source.addEventListener("css", function (e) {
    onCss(data(e).path);
  });
  source.addEventListener("error", function (e) {
    // The server's "error" events (build errors) carry data; the browser's
    // own "error" events (connection lost) do not.
    if (typeof e.data === "string") {
      var d = data(e);
      // The error's text holds the warnings too.
      hideWarnings();
      showOverlay(typeof d.text === "string" ? d.text : String(e.data));
    } else if (opened) {
      lost = true;
    }
  });
  source.addEventListener("clear", function () {
    hideOverlay();
  });
  source.addEventListener("warnings", function (e) {
    var d = data(e);
    showWarnings(d.text, d.count);
  });
})();
