/* repp survey pages: progressive enhancement only. Every page works without this file.
 *
 * - Questions whose condition depends on an answer on the same page carry it in `data-show-if`
 *   (the instrument's own condition format); they are shown or hidden as answers change. Hidden
 *   questions count as unanswered for later conditions, as on the server, and their inputs are
 *   disabled so nothing of them is sent.
 * - The error summary takes focus when the page loads; its links focus the question's input.
 *
 * `evaluate` follows instrument/conditions.py exactly; outside a browser (Node) it is exported so
 * the tests can check the two agree.
 */
(function () {
  "use strict";

  function isAnswered(value) {
    if (value === null || value === undefined) return false;
    if (Array.isArray(value) || typeof value === "string") return value.length > 0;
    return true;
  }

  function same(answer, value) {
    if (typeof answer === "boolean" || typeof value === "boolean") return answer === value;
    return answer === value;
  }

  function matches(answer, value) {
    if (Array.isArray(answer)) return answer.some(function (a) { return same(a, value); });
    return same(answer, value);
  }

  function evaluate(condition, answers) {
    if (Array.isArray(condition.all)) {
      return condition.all.every(function (c) { return evaluate(c, answers); });
    }
    if (Array.isArray(condition.any)) {
      return condition.any.some(function (c) { return evaluate(c, answers); });
    }
    if (condition.not) return !evaluate(condition.not, answers);
    var answer = answers[condition.item];
    if (Object.prototype.hasOwnProperty.call(condition, "equals")) {
      return isAnswered(answer) && matches(answer, condition.equals);
    }
    if (Array.isArray(condition["in"])) {
      return isAnswered(answer) && condition["in"].some(function (v) { return matches(answer, v); });
    }
    return isAnswered(answer);
  }

  function readNumber(text) {
    var compact = text.replace(/\s+/g, "").replace("\u2212", "-").replace(",", ".");
    if (!/^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(compact)) return null;
    return Number(compact);
  }

  function readAnswer(block) {
    var type = block.getAttribute("data-type");
    var name = block.getAttribute("data-item");
    var inputs = Array.prototype.filter.call(
      block.querySelectorAll("input, textarea"),
      function (el) { return el.name === name; }
    );
    if (type === "multiple_choice") {
      var chosen = inputs.filter(function (el) { return el.checked; })
        .map(function (el) { return el.value; });
      return chosen.length ? chosen : null;
    }
    if (type === "likert" || type === "single_choice") {
      var checked = inputs.filter(function (el) { return el.checked; })[0];
      if (!checked) return null;
      if (type === "likert" && checked.value !== "na") return Number(checked.value);
      return checked.value;
    }
    var text = inputs.length ? inputs[0].value.trim() : "";
    if (!text) return null;
    return type === "number" ? readNumber(text) : text;
  }

  function update(form) {
    var answers = {};
    form.querySelectorAll("[data-item]").forEach(function (block) {
      var raw = block.getAttribute("data-show-if");
      var shown = true;
      if (raw) {
        try {
          shown = evaluate(JSON.parse(raw), answers);
        } catch (error) {
          shown = true; // show rather than hide a question we cannot judge
        }
      }
      block.hidden = !shown;
      block.classList.toggle("hidden-by-condition", !shown);
      block.querySelectorAll("input, textarea").forEach(function (el) { el.disabled = !shown; });
      if (shown) {
        var value = readAnswer(block);
        if (isAnswered(value)) answers[block.getAttribute("data-item")] = value;
      }
    });
  }

  function enhanceForm(form) {
    if (!form.querySelector("[data-show-if]")) return;
    var refresh = function () { update(form); };
    form.addEventListener("change", refresh);
    form.addEventListener("input", refresh);
    refresh();
  }

  function enhanceErrorSummary(summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      var block = target.closest(".question-block") || target;
      block.scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }

  if (typeof document !== "undefined") {
    document.documentElement.classList.add("js");
    document.querySelectorAll("form.survey-form").forEach(enhanceForm);
    var summary = document.querySelector(".error-summary");
    if (summary) enhanceErrorSummary(summary);
  } else if (typeof module === "object" && module.exports) {
    module.exports = { evaluate: evaluate, readNumber: readNumber };
  }
})();
