// vitrine, editing interface of `vitrine serve`: vitrine's own checks where
// the writer edits. Before a save, the schema's rules between fields that
// Decap cannot express (a minor needs a guardian's consent, a photo its
// description); after a save, the build's diagnostics of the saved file,
// read from the events stream of the preview. No dependencies, no eval.
(function () {
  "use strict";
  var CMS = window.CMS;
  var settingsNode = document.getElementById("vitrine-editing");
  if (!CMS || !settingsNode) {
    return;
  }
  var settings;
  try {
    settings = JSON.parse(settingsNode.textContent);
  } catch (err) {
    return;
  }
  var L = settings.labels;
  var PANEL_ID = "vitrine-diagnostics";

  // --- the panel -------------------------------------------------------

  // Two live regions that exist from the start, so that screen readers
  // announce what is put in them: `status` for news, `alert` for errors.
  var panel = document.createElement("section");
  panel.id = PANEL_ID;
  panel.setAttribute("aria-labelledby", PANEL_ID + "-title");
  panel.hidden = true;
  var heading = document.createElement("h2");
  heading.id = PANEL_ID + "-title";
  heading.tabIndex = -1;
  var status = document.createElement("div");
  status.setAttribute("role", "status");
  var alert = document.createElement("div");
  alert.setAttribute("role", "alert");
  var close = document.createElement("button");
  close.type = "button";
  close.textContent = L.dismiss;
  close.addEventListener("click", hide);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape" || e.key === "Esc") {
      e.preventDefault();
      hide();
    }
  });
  panel.appendChild(heading);
  panel.appendChild(status);
  panel.appendChild(alert);
  panel.appendChild(close);
  style(panel, {
    position: "fixed",
    right: "0.5rem",
    bottom: "0.5rem",
    zIndex: "2147483646",
    width: "min(46rem, calc(100vw - 1rem))",
    maxHeight: "60vh",
    overflow: "auto",
    boxSizing: "border-box",
    background: "#ffffff",
    color: "#1a1a1a",
    borderTop: "6px solid #1a1a1a",
    borderRadius: "4px",
    padding: "0.75rem 1rem",
    font: "16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    boxShadow: "0 4px 24px rgba(0, 0, 0, 0.4)"
  });
  style(heading, { margin: "0 0 0.5rem", font: "bold 1.1rem/1.3 system-ui, sans-serif" });
  style(close, {
    font: "inherit",
    fontWeight: "bold",
    minHeight: "44px",
    padding: "0.5rem 1.25rem",
    marginTop: "0.5rem",
    background: "#1a1a1a",
    color: "#ffffff",
    border: "2px solid #1a1a1a",
    borderRadius: "4px",
    cursor: "pointer"
  });
  (document.body || document.documentElement).appendChild(panel);

  function style(el, props) {
    for (var k in props) {
      if (Object.prototype.hasOwnProperty.call(props, k)) {
        el.style[k] = props[k];
      }
    }
  }

  function hide() {
    var hadFocus = panel.contains(document.activeElement);
    panel.hidden = true;
    status.textContent = "";
    alert.textContent = "";
    if (hadFocus && document.body) {
      document.body.focus();
    }
  }

  function pre(text) {
    var block = document.createElement("pre");
    block.textContent = text;
    block.tabIndex = 0; // scrollable with the keyboard
    style(block, {
      margin: "0.5rem 0 0",
      padding: "0.5rem",
      whiteSpace: "pre-wrap",
      overflowWrap: "anywhere",
      background: "#f4f4f4",
      color: "#1a1a1a",
      border: "1px solid #767676",
      borderRadius: "4px",
      font: "14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
    });
    return block;
  }

  // `kind`: "ok", "wait", "warning" or "error".
  function show(kind, title, text, blocks) {
    var colours = { ok: "#1b6e20", wait: "#1a1a1a", warning: "#8a5a00", error: "#b00020" };
    panel.style.borderTopColor = colours[kind];
    heading.textContent = title;
    var region = kind === "error" ? alert : status;
    (region === alert ? status : alert).textContent = "";
    region.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    style(p, { margin: "0" });
    region.appendChild(p);
    (blocks || []).forEach(function (b) {
      region.appendChild(pre(b));
    });
    panel.hidden = false;
  }

  // --- the schema's rules, before a save --------------------------------

  function isSet(value) {
    if (value === null || value === undefined || value === false) {
      return false;
    }
    if (typeof value === "string") {
      return value.trim() !== "";
    }
    if (value && typeof value.size === "number") {
      return value.size > 0;
    }
    return true;
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) {
      var entry = args.entry;
      var collection = entry.get("collection");
      var data = entry.get("data");
      var broken = settings.rules.filter(function (rule) {
        return (
          rule.collections.indexOf(collection) !== -1 &&
          isSet(data.getIn(rule.field.split("."))) &&
          !isSet(data.getIn(rule.needs.split(".")))
        );
      });
      if (broken.length > 0) {
        var messages = broken.map(function (rule) {
          return rule.message;
        });
        show("error", L.refused, messages.join("\n"));
        // Decap shows the save as failed, with this text.
        throw new Error(messages.join(" "));
      }
      saving = seen;
    }
  });

  // --- the build's diagnostics, after a save -----------------------------

  var warningsText = "";
  var errorText = "";
  var seen = 0; // events received
  var saving = -1; // `seen` when the last save started
  var savedPath = null; // file of the last save, until its build is shown
  var shownPath = null;

  CMS.registerEventListener({
    name: "postSave",
    handler: function (args) {
      var entry = args.entry;
      show("wait", L.checking, entry.get("path") || "");
      savedFile(entry, function (path) {
        savedPath = path;
        shownPath = path;
        if (seen > saving) {
          report();
        }
      });
    }
  });

  // The file of a saved entry. Decap gives a new entry's path only once it
  // has moved to the entry's address (`#/collections/temoignages/entries/
  // lea/index`): wait for it, a few seconds at most.
  function savedFile(entry, then) {
    if (entry.get("path")) {
      then(entry.get("path"));
      return;
    }
    var folder = settings.folders[entry.get("collection")];
    var tries = 0;
    var timer = setInterval(function () {
      var m = /#\/collections\/([^/]+)\/entries\/(.+)$/.exec(location.hash);
      tries += 1;
      if (m && folder && m[1] === entry.get("collection")) {
        clearInterval(timer);
        then(folder + "/" + decodeURIComponent(m[2]) + ".md");
      } else if (tries > 50) {
        clearInterval(timer);
      }
    }, 100);
  }

  // A diagnostic starts with its level word (« erreur : », « avertissement : »)
  // at the start of a line; the count of problems ends the text.
  function diagnostics(text) {
    var starts = new RegExp("^(" + settings.levels.join("|") + ")\\s?:");
    var count = /^\d+ [^|]*, \d+ /;
    var blocks = [];
    text.split("\n").forEach(function (line) {
      if (starts.test(line)) {
        blocks.push(line);
      } else if (blocks.length > 0 && line !== "" && !count.test(line)) {
        blocks[blocks.length - 1] += "\n" + line;
      }
    });
    return blocks;
  }

  function mentions(block, path) {
    return block.indexOf(path + ":") !== -1 || block.indexOf(path + " ") !== -1 || block.indexOf("(" + path + ")") !== -1;
  }

  function report() {
    var path = shownPath;
    savedPath = null;
    if (!path) {
      return;
    }
    var errors = diagnostics(errorText).filter(function (b) {
      return mentions(b, path);
    });
    var warnings = diagnostics(errorText || warningsText).filter(function (b) {
      return mentions(b, path) && errors.indexOf(b) === -1;
    });
    var mine = errors.concat(warnings);
    if (errors.length > 0 || (errorText && mine.length === 0)) {
      // The site does not build: this file's errors, or all of them.
      show("error", L.errors, L.notPublished, mine.length > 0 ? mine : diagnostics(errorText));
    } else if (warnings.length > 0) {
      show("warning", L.warnings, path, warnings);
    } else {
      show("ok", L.clean, path);
    }
  }

  function data(e) {
    try {
      return JSON.parse(e.data) || {};
    } catch (err) {
      return {};
    }
  }

  var source = new EventSource(settings.events);
  function after(update) {
    return function (e) {
      update(e);
      seen += 1;
      if (savedPath) {
        report();
      }
    };
  }
  source.addEventListener(
    "warnings",
    after(function (e) {
      warningsText = typeof data(e).text === "string" ? data(e).text : "";
    })
  );
  source.addEventListener(
    "error",
    function (e) {
      // The server's build errors carry data; a lost connection does not.
      if (typeof e.data === "string") {
        after(function () {
          errorText = typeof data(e).text === "string" ? data(e).text : "";
          warningsText = "";
        })(e);
      }
    }
  );
  source.addEventListener(
    "clear",
    after(function () {
      errorText = "";
    })
  );
  source.addEventListener(
    "reload",
    after(function () {
      errorText = "";
    })
  );
})();
