/* Vote controls and the pairwise page, enhanced: the same forms as without JavaScript,
   sent to the JSON API with fetch so the page updates in place (no reload).
   Without JavaScript (or if this file fails) the forms post to the voting views. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function send(method, url, form, body) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" }
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      if (response.status === 204) return { ok: true, status: 204, data: null };
      return response.json().catch(function () { return null; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  // The API's message: {"detail": "..."} or field errors {"value": ["..."]}.
  function errorText(result, fallback) {
    var data = result && result.data;
    if (data && typeof data === "object") {
      if (typeof data.detail === "string") return data.detail;
      for (var key in data) {
        var value = data[key];
        if (Array.isArray(value) && value.length) return String(value[0]);
        if (typeof value === "string") return value;
      }
    }
    return fallback;
  }

  function announce(region, text, isError) {
    if (!region) return;
    region.textContent = text;
    region.classList.toggle("vote-error", !!isError);
  }

  function setBusy(form, busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) {
      button.disabled = busy;
    });
  }

  // --- Ballots on proposals --------------------------------------------------------------

  function numberOf(widget, name) {
    return parseInt(widget.getAttribute("data-" + name), 10) || 0;
  }

  function currentValue(widget) {
    var raw = widget.getAttribute("data-value");
    return raw === "" || raw === null ? null : parseInt(raw, 10);
  }

  // Move the counts from the old ballot to the new one (the viewer's own change, known exactly).
  function applyBallot(widget, newValue) {
    var method = widget.getAttribute("data-method");
    var old = currentValue(widget);
    var up = numberOf(widget, "up"), down = numberOf(widget, "down");
    var ballots = numberOf(widget, "ballots"), sum = numberOf(widget, "sum");
    if (old !== null) {
      ballots -= 1; sum -= old;
      if (method === "updown") { if (old > 0) up -= 1; else down -= 1; }
    }
    if (newValue !== null) {
      ballots += 1; sum += newValue;
      if (method === "updown") { if (newValue > 0) up += 1; else down += 1; }
    }
    widget.setAttribute("data-up", up);
    widget.setAttribute("data-down", down);
    widget.setAttribute("data-ballots", ballots);
    widget.setAttribute("data-sum", sum);
    widget.setAttribute("data-value", newValue === null ? "" : String(newValue));
    var counts = { net: (up - down > 0 ? "+" : "") + (up - down), up: up, down: down, ballots: ballots,
                   mean: ballots ? (sum / ballots).toFixed(1) : "–" };
    Array.prototype.forEach.call(widget.querySelectorAll("[data-count]"), function (element) {
      element.textContent = String(counts[element.getAttribute("data-count")]);
    });
    renderControls(widget, newValue);
  }

  function renderControls(widget, value) {
    var withdraw = widget.querySelector("[data-withdraw]");
    var withdrawUrl = withdraw ? withdraw.getAttribute("formaction") : null;
    if (withdraw) withdraw.hidden = value === null;
    Array.prototype.forEach.call(widget.querySelectorAll("button[name=value]"), function (button) {
      if (button.hasAttribute("aria-pressed")) {
        var pressed = parseInt(button.value, 10) === value;
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
        // Pressing the pressed button withdraws the vote, as in the no-JavaScript form.
        if (pressed && withdrawUrl) button.setAttribute("formaction", withdrawUrl);
        else button.removeAttribute("formaction");
      }
    });
    var support = widget.querySelector("[data-support]");
    if (support) support.hidden = value !== null;
    Array.prototype.forEach.call(widget.querySelectorAll("input[type=radio][name=value]"), function (radio) {
      radio.checked = parseInt(radio.value, 10) === value;
    });
    var focusTarget = value === null ? support : withdraw;
    var active = document.activeElement;
    if (focusTarget && widget.contains(active) && (active.hidden || active.disabled)) focusTarget.focus();
  }

  function updateSupportsLeft(remaining) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-supports-left]"), function (element) {
      var count = remaining === undefined ? (parseInt(element.getAttribute("data-remaining"), 10) || 0) + 1 : remaining;
      element.setAttribute("data-remaining", count);
      var label = element.getAttribute(count === 1 ? "data-label-one" : "data-label-many");
      element.textContent = label.replace("%(count)s", count);
    });
  }

  function submitVote(event, form) {
    var widget = form.closest("[data-vote-widget]");
    if (!widget || !window.fetch) return;
    event.preventDefault();
    var submitter = event.submitter || null;
    var region = widget.querySelector("[data-vote-live]");
    var withdraw = !!submitter && (submitter.hasAttribute("data-withdraw") ||
                                   submitter.getAttribute("aria-pressed") === "true");
    var url = widget.getAttribute("data-api-url");
    var request, raw = "";
    if (withdraw) {
      request = send("DELETE", url, form);
    } else {
      if (submitter && submitter.name === "value") raw = submitter.value;
      else {
        var checked = form.querySelector("input[name=value]:checked");
        raw = checked ? checked.value : "";
      }
      request = send("POST", url, form, { value: /^-?\d+$/.test(raw) ? parseInt(raw, 10) : raw });
    }
    setBusy(form, true);
    request.then(function (result) {
      if (result.status === 428 && !withdraw) {
        // Past the rate threshold a ballot needs a proof of work: send the plain form, whose page solves it.
        var carried = document.createElement("input");
        carried.type = "hidden"; carried.name = "value"; carried.value = raw;
        form.appendChild(carried);
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
      if (!result.ok) {
        announce(region, errorText(result, form.getAttribute("data-msg-error")), true);
        return;
      }
      if (withdraw) {
        applyBallot(widget, null);
        if (widget.getAttribute("data-method") === "approval") updateSupportsLeft();
        announce(region, form.getAttribute("data-msg-withdrawn"), false);
      } else {
        applyBallot(widget, result.data.value);
        if (result.data.remaining_supports !== null && result.data.remaining_supports !== undefined) {
          updateSupportsLeft(result.data.remaining_supports);
        }
        announce(region, form.getAttribute("data-msg-cast"), false);
      }
    }).catch(function () {
      announce(region, form.getAttribute("data-msg-error"), true);
    }).then(function () {
      setBusy(form, false);
      renderControls(widget, currentValue(widget));
    });
  }

  // --- Pairwise page ----------------------------------------------------------------------

  function showPair(container, form, data) {
    var empty = container.querySelector("[data-compare-empty]");
    if (!data || !data.pair) {
      form.hidden = true;
      empty.hidden = false;
      if (data && data.detail) empty.textContent = data.detail;
      return;
    }
    form.querySelector("input[name=first]").value = data.pair[0].id;
    form.querySelector("input[name=second]").value = data.pair[1].id;
    var label = container.getAttribute("data-choose-label");
    Array.prototype.forEach.call(form.querySelectorAll("[data-compare-card]"), function (card, index) {
      var proposal = data.pair[index];
      var link = card.querySelector("[data-compare-link]");
      link.textContent = proposal.title;
      link.setAttribute("href", proposal.url);
      card.querySelector("[data-compare-summary]").textContent = proposal.summary;
      var choice = card.querySelector("[data-compare-choice]");
      choice.value = proposal.id;
      choice.textContent = label.replace("%(title)s", proposal.title);
    });
  }

  function submitComparison(event, form) {
    var container = form.closest("[data-compare]");
    if (!container || !window.fetch) return;
    event.preventDefault();
    var submitter = event.submitter;
    if (!submitter) return;
    var first = parseInt(form.querySelector("input[name=first]").value, 10);
    var second = parseInt(form.querySelector("input[name=second]").value, 10);
    var skip = submitter.value === "skip";
    var winner = skip ? first : parseInt(submitter.value, 10);
    var body = { winner: winner, loser: winner === first ? second : first, skip: skip };
    var url = container.getAttribute("data-api-url");
    var region = container.querySelector("[data-vote-live]");
    var errorMessage = container.getAttribute("data-msg-error");
    setBusy(form, true);
    send("POST", url, form, body).then(function (result) {
      if (!result.ok) {
        announce(region, errorText(result, errorMessage), true);
      } else {
        announce(region, container.getAttribute(skip ? "data-msg-skipped" : "data-msg-chosen"), false);
      }
      // Whatever happened, show the pair the server offers now (a refused pair is replaced too).
      return send("GET", url, form).then(function (next) {
        if (next.ok) showPair(container, form, next.data);
        else announce(region, errorText(next, errorMessage), true);
      });
    }).catch(function () {
      announce(region, errorMessage, true);
    }).then(function () {
      setBusy(form, false);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-vote-form]")) submitVote(event, form);
    else if (form.matches("[data-compare-form]")) submitComparison(event, form);
  });
})();
