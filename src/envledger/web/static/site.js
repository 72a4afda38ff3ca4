/* envledger disclosure page: a year selector per section, the choice kept in the URL,
   small trend charts drawn once the deferred Vega scripts have loaded. No framework.
   Vega evaluates expressions with its AST interpreter (ast: true): the Content-Security-Policy
   allows no eval, and no injected <style>: Vega's styles are in site.css. */
(function () {
  "use strict";
  var node = document.getElementById("envledger-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  var selected = Object.assign({}, data.selected);
  var views = {};
  var useHash = false;

  function urlParams() {
    var text = location.search.slice(1);
    if (!text && location.hash.indexOf("=") > 0) text = location.hash.slice(1);
    return new URLSearchParams(text);
  }

  function query(extra) {
    var params = new URLSearchParams();
    Object.keys(selected).forEach(function (key) {
      if (selected[key] !== data.latest[key]) params.set(key, String(selected[key]));
    });
    Object.keys(extra).forEach(function (key) { params.set(key, extra[key]); });
    var text = params.toString();
    return text ? (useHash ? "#" : "?") + text : "";
  }

  function langExtra(lang) {
    return data.langParam && lang !== "en" ? { lang: lang } : {};
  }

  function fill(pattern, id, year) {
    return pattern.replace("{id}", encodeURIComponent(id)).replace("{year}", String(year));
  }

  function showSection(id, year) {
    var section = data.sections[id];
    var rows = section.years[String(year)];
    if (!rows) return false;
    var panel = document.querySelector('[data-section="' + id + '"]');
    section.metrics.forEach(function (m, i) {
      var row = panel.querySelector('tr[data-metric="' + m.metric + '"]');
      row.querySelector('[data-field="value"]').textContent = rows[i].display;
      row.querySelector('[data-field="change"]').textContent = rows[i].change;
      var uncertainty = row.querySelector('[data-field="uncertainty"]');
      if (uncertainty) uncertainty.textContent = rows[i].uncertainty;
    });
    panel.querySelector("[data-caption]").textContent = section.caption[String(year)];
    panel.querySelector("[data-year]").textContent = String(year);
    panel.querySelector('[data-link="json"]').href = fill(data.links.json, id, year);
    panel.querySelector('[data-link="csv"]').href = fill(data.links.csv, id, year);
    (views[id] || []).forEach(function (view) { view.signal("selected", year).runAsync(); });
    return true;
  }

  function showNotes(id, year) {
    var notes = data.notes[id][String(year)];
    if (!notes) return false;
    var list = document.querySelector('[data-notes="' + id + '"]');
    list.textContent = "";
    notes.forEach(function (note) {
      var item = document.createElement("li");
      item.id = "note-" + note.key;
      item.value = note.number;
      item.textContent = note.text;
      list.appendChild(item);
    });
    return true;
  }

  function updateLanguageLinks() {
    document.querySelectorAll("[data-language]").forEach(function (link) {
      var lang = link.getAttribute("data-language");
      link.href = data.languages[lang] + query(langExtra(lang));
    });
  }

  function writeUrl() {
    var extra = langExtra(data.lang);
    try {
      history.replaceState(null, "", (query(extra) || location.pathname) + (useHash ? "" : location.hash));
    } catch (error) {
      useHash = true; /* some browsers refuse a new query on file:// pages */
      history.replaceState(null, "", query(extra) || "#");
    }
  }

  function choose(id, year, write) {
    var shown = data.sections[id] ? showSection(id, year) : showNotes(id, year);
    if (!shown) return;
    selected[id] = year;
    var select = document.getElementById(id + "-year");
    if (select) select.value = String(year);
    if (write) writeUrl();
    updateLanguageLinks();
  }

  function chartSpec(id, section, index) {
    var metric = section.metrics[index];
    var values = Object.keys(section.years).map(function (year) {
      var row = section.years[year][index];
      return { year: Number(year), value: row.value, tip: year + ": " + row.display + " " + metric.unit };
    }).filter(function (v) { return v.value !== null; });
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      description: metric.label + " [" + metric.unit + "]",
      width: "container",
      height: 96,
      autosize: { type: "fit-x", contains: "padding" },
      params: [{ name: "selected", value: selected[id] }],
      data: { values: values },
      mark: { type: "bar", cornerRadiusEnd: 2 },
      encoding: {
        x: { field: "year", type: "ordinal", title: null,
             axis: { labelAngle: 0, ticks: false, domain: false, labelFontSize: 10 } },
        y: { field: "value", type: "quantitative", title: null,
             axis: { format: ",~r", tickCount: 3, domain: false,
                     ticks: false, labelFontSize: 10 } },
        color: { condition: { test: "datum.year === selected", value: "#0b5f46" },
                 value: "#b9d5c9" },
        tooltip: { field: "tip", type: "nominal" }
      },
      config: { view: { stroke: null }, axis: { labelColor: "#5b6661", gridColor: "#eef1ef" } }
    };
  }

  function drawCharts() {
    if (!window.vegaEmbed) return;
    var pending = [];
    Object.keys(data.sections).forEach(function (id) {
      var section = data.sections[id];
      var container = document.querySelector('[data-charts="' + id + '"]');
      section.metrics.forEach(function (metric, index) {
        var target = container.querySelector('[data-metric="' + metric.metric + '"] .plot');
        pending.push(window.vegaEmbed(target, chartSpec(id, section, index),
          { actions: false, renderer: "svg", ast: true, defaultStyle: false,
            tooltip: { disableDefaultStyle: true } }).then(function (result) {
          (views[id] = views[id] || []).push(result.view);
        }));
      });
    });
    Promise.all(pending).then(function () {
      document.documentElement.setAttribute("data-charts", "ready");
    });
  }

  function init() {
    document.querySelectorAll("[data-year-select]").forEach(function (select) {
      select.addEventListener("change", function () {
        choose(select.getAttribute("data-year-select"), Number(select.value), true);
      });
      select.form.addEventListener("submit", function (event) { event.preventDefault(); });
    });
    var params = urlParams();
    Object.keys(selected).forEach(function (id) {
      var wanted = Number(params.get(id));
      if (wanted && wanted !== selected[id]) choose(id, wanted, false);
    });
    updateLanguageLinks();
    document.documentElement.setAttribute("data-ready", "true");
  }

  init();
  if (document.readyState === "complete") drawCharts();
  else window.addEventListener("load", drawCharts);
})();
