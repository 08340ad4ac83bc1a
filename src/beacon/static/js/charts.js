/*
 * Beacon chart helper: renders Vega-Lite (or Vega) specs with vega-embed, under a strict
 * Content-Security-Policy (no 'unsafe-eval', no 'unsafe-inline').
 *
 * Markup (no inline script needed):
 *   <div data-vega-spec="/reports/charts/cases-by-month.json"></div>
 * or, with the spec embedded in the page as data (a JSON script block is not executed, so CSP
 * allows it):
 *   <script type="application/json" id="cases-spec">{"$schema": "...", ...}</script>
 *   <div data-vega-spec-id="cases-spec"></div>
 *
 * The chart libraries (about 850 kB) are loaded only when a page has a chart to draw, from the
 * URLs listed on this file's own script tag, in order:
 *   <script src="js/charts.js" data-vega-libs="vendor/vega.min.js vendor/vega-lite.min.js
 *     vendor/vega-embed.min.js" defer></script>
 * Static files carry content hashes in production, so browsers keep them in their cache.
 * The stylesheet vendor/vega-embed.css is linked by the page (vega-embed is told not to inject
 * its own <style>).
 * Charts are rendered on DOMContentLoaded, after every htmx swap and after an htmx history
 * restore; views inside content that htmx removes are finalized; rendered charts are kept out of
 * htmx's history snapshots.
 */
(function () {
  "use strict";

  // vega-embed 7 bundles vega-interpreter: with ast: true expressions are interpreted from
  // their AST instead of being compiled with Function(), so no 'unsafe-eval' is needed.
  // defaultStyle: false and tooltip.disableDefaultStyle stop vega-embed and vega-tooltip from
  // injecting <style> elements (their rules are in vendor/vega-embed.css instead).
  var EMBED_OPTIONS = {
    actions: false,
    renderer: "svg",
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };

  var SELECTOR = "[data-vega-spec], [data-vega-spec-id]";
  var views = new WeakMap();
  var ownTag = document.currentScript;
  var LIBRARIES = ((ownTag && ownTag.getAttribute("data-vega-libs")) || "").split(/\s+/).filter(Boolean);
  var librariesReady = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(tag);
    });
  }

  // Loaded once, one after the other (vega-lite needs vega, vega-embed needs both); a failed
  // load is retried by the next chart rather than poisoning the page.
  function loadLibraries() {
    if (window.vegaEmbed) {
      return Promise.resolve();
    }
    if (!librariesReady) {
      librariesReady = LIBRARIES.reduce(function (chain, src) {
        return chain.then(function () {
          return loadScript(src);
        });
      }, Promise.resolve()).catch(function (error) {
        librariesReady = null;
        throw error;
      });
    }
    return librariesReady;
  }

  function loadSpec(el) {
    var id = el.getAttribute("data-vega-spec-id");
    if (id) {
      var node = document.getElementById(id);
      if (!node) {
        return Promise.reject(new Error("no element with id " + id));
      }
      return Promise.resolve().then(function () {
        return JSON.parse(node.textContent);
      });
    }
    var url = el.getAttribute("data-vega-spec");
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status + " for " + url);
      }
      return response.json();
    });
  }

  function render(el) {
    if (el.hasAttribute("data-vega-state")) {
      return Promise.resolve(views.get(el));
    }
    el.setAttribute("data-vega-state", "loading");
    // The page's own text alternative ("Chart: ... The same figures are in the table below"):
    // vega-embed replaces the container's label, and the SVG's internals (axis ticks such as
    // "0.000000", mark descriptions) would reach the accessibility tree. Put the label back and
    // hide the drawing itself; the table next to the chart carries the figures.
    var label = { role: el.getAttribute("role"), name: el.getAttribute("aria-label") };
    return loadSpec(el)
      .then(function (spec) {
        return loadLibraries().then(function () {
          return window.vegaEmbed(el, spec, EMBED_OPTIONS);
        });
      })
      .then(function (result) {
        views.set(el, result.view);
        restoreLabel(el, label);
        el.setAttribute("data-vega-state", "rendered");
        el.dispatchEvent(new CustomEvent("beacon:chart-rendered", { bubbles: true, detail: result }));
        return result.view;
      })
      .catch(function (error) {
        el.setAttribute("data-vega-state", "error");
        el.textContent = el.getAttribute("data-vega-error") || "This chart could not be displayed.";
        console.error("Beacon chart failed:", error);
      });
  }

  function restoreLabel(el, label) {
    ["role", "aria-label"].forEach(function (attribute, index) {
      var value = index === 0 ? label.role : label.name;
      if (value === null) {
        el.removeAttribute(attribute);
      } else {
        el.setAttribute(attribute, value);
      }
    });
    el.querySelectorAll("svg").forEach(function (svg) {
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
    });
  }

  function renderAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var elements = Array.prototype.slice.call(scope.querySelectorAll(SELECTOR));
    if (scope.matches && scope.matches(SELECTOR)) {
      elements.unshift(scope);
    }
    return Promise.all(elements.map(render));
  }

  function finalize(el) {
    var view = views.get(el);
    if (view) {
      view.finalize();
      views.delete(el);
    }
  }

  window.BeaconCharts = { render: render, renderAll: renderAll, options: EMBED_OPTIONS };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      renderAll(document);
    });
  } else {
    renderAll(document);
  }

  // htmx:afterSwap fires on the swap target; with outerHTML swaps the new content is not inside
  // it, so scan the whole document: already rendered elements are skipped.
  document.addEventListener("htmx:afterSwap", function () {
    renderAll(document);
  });
  // htmx snapshots the page (innerHTML) right after htmx:beforeHistorySave, in the same task.
  // Keep the rendered charts and the tooltip out of the snapshot: their style attributes would
  // break the CSP (style-src-attr) when the snapshot is restored, and map SVGs are large. They
  // are put back in a microtask, i.e. once the snapshot has been taken.
  document.addEventListener("htmx:beforeHistorySave", function () {
    var stash = [];
    document.querySelectorAll("[data-vega-state]").forEach(function (el) {
      // data-vega-state stays, so the htmx:afterSwap that follows does not render it again.
      // Read the attribute (not el.style) before removing it: Chromium otherwise writes back a
      // stale style="" from the CSSOM when the snapshot serializes the element.
      var css = el.getAttribute("style") || "";
      stash.push({ el: el, css: css, children: Array.prototype.slice.call(el.childNodes) });
      el.removeAttribute("style");
      el.replaceChildren();
    });
    var tooltip = document.getElementById("vg-tooltip-element");
    var tooltipParent = tooltip && tooltip.parentNode;
    if (tooltip) {
      tooltip.remove();
    }
    queueMicrotask(function () {
      stash.forEach(function (item) {
        item.el.replaceChildren.apply(item.el, item.children);
        item.el.style.cssText = item.css; // CSSOM, allowed by CSP (setAttribute("style") is not)
      });
      if (tooltip && tooltipParent) {
        tooltipParent.appendChild(tooltip);
      }
    });
  });
  // A restored snapshot has no live views (and its chart elements are still marked): render the
  // charts in it (htmx:afterSwap does not fire for a restore).
  document.addEventListener("htmx:historyRestore", function () {
    document.querySelectorAll("[data-vega-state]").forEach(function (el) {
      if (!views.has(el)) {
        el.removeAttribute("data-vega-state");
      }
    });
    renderAll(document);
  });
  // htmx fires this on each element it removes, so charts do not leak listeners.
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    finalize(event.target);
  });
})();
