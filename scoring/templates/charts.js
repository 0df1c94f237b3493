/*
 * repp charts: draw every `.repp-chart` from the JSON data block its `data-figure` names.
 *
 * Pages carry no inline script (the Content-Security-Policy forbids it): each chart is an empty
 * <div class="repp-chart" data-figure="chart-X-data"> next to
 * <script type="application/json" id="chart-X-data">, and this file is loaded after plotly.min.js.
 * Without Plotly, or when a figure cannot be read, the empty drawing area is hidden and the table
 * beside it (the chart's text alternative) is all the reader gets, which says the same.
 *
 * The same file is inlined in the offline HTML report (scoring/templates/charts.js is an identical
 * copy, checked by a test). Plain ES2017, no build step, no eval.
 */
(function () {
  "use strict";

  // A4 and Letter both fit this width (in CSS pixels) inside 15 mm margins.
  var PRINT_WIDTH = 680;
  // No toolbar: its "share" button would send the chart to an outside server.
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    displayModeBar: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    showLink: false
  };

  function readFigure(div) {
    var dataId = div.getAttribute("data-figure");
    var block = dataId ? document.getElementById(dataId) : null;
    if (!block) {
      return null;
    }
    try {
      var figure = JSON.parse(block.textContent);
      return figure && typeof figure === "object" ? figure : null;
    } catch (error) {
      return null;
    }
  }

  function giveUp(div) {
    // An empty role="img" would be announced as a picture with nothing in it.
    div.hidden = true;
    div.classList.add("repp-chart--unavailable");
  }

  function draw(div) {
    if (div.getAttribute("data-drawn") === "true") {
      return Promise.resolve(div);
    }
    var figure = readFigure(div);
    if (!figure || typeof window.Plotly === "undefined") {
      giveUp(div);
      return Promise.resolve(div);
    }
    div.setAttribute("data-drawn", "true");
    function failed() {
      div.removeAttribute("data-drawn");
      giveUp(div);
      return div;
    }
    try {
      return Promise.resolve(
        window.Plotly.newPlot(div, figure.data || [], figure.layout || {}, CONFIG)
      ).catch(failed);
    } catch (error) {
      return Promise.resolve(failed());
    }
  }

  function drawAll(root) {
    var scope = root || document;
    var divs = Array.prototype.slice.call(scope.querySelectorAll(".repp-chart"));
    return Promise.all(divs.map(draw));
  }

  function drawn() {
    return Array.prototype.slice.call(document.querySelectorAll('.repp-chart[data-drawn="true"]'));
  }

  // Charts are as wide as the screen; on paper they take the page's width, then come back.
  function beforePrint() {
    drawn().forEach(function (div) {
      window.Plotly.relayout(div, { width: PRINT_WIDTH });
    });
  }

  function afterPrint() {
    drawn().forEach(function (div) {
      window.Plotly.relayout(div, { width: null, autosize: true }).then(function () {
        window.Plotly.Plots.resize(div);
      });
    });
  }

  function start() {
    drawAll(document);
    if (typeof window.Plotly !== "undefined") {
      window.addEventListener("beforeprint", beforePrint);
      window.addEventListener("afterprint", afterPrint);
    }
  }

  window.ReppCharts = { draw: draw, drawAll: drawAll };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
