// The CRM page's side of the postMessage protocol (docs/embedding.md).
(function () {
  "use strict";
  var PROTOCOL = "partial-cancellation.embed";
  var VERSION = 1;
  var appOrigin = new URL(document.documentElement.dataset.appUrl).origin;
  var frame = document.getElementById("pc-frame");
  var status = document.getElementById("status");
  var log = document.getElementById("log");
  var orderInput = document.getElementById("order-id");
  var frameReady = false;
  var host = (window.crmHost = { messages: [], openWithToken: openWithToken });

  orderInput.value = new URLSearchParams(location.search).get("orderId") || "";

  // Sign-in: a form POST into the frame keeps the token out of URLs and logs.
  function openWithToken(token, next) {
    frameReady = false;
    var form = document.createElement("form");
    form.method = "POST";
    form.action = appOrigin + "/embed/start";
    form.target = frame.name;
    [["token", token], ["next", next]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
    form.remove();
  }

  async function openOrder(orderId) {
    // Once the frame has a session, opening another order needs no new token.
    if (frameReady) {
      frame.contentWindow.postMessage({ protocol: PROTOCOL, version: VERSION, type: "open-order", orderId: orderId }, appOrigin);
      return;
    }
    status.textContent = "Signing in to the cancellation screens…";
    var response = await fetch("/api/embed-token", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    if (!response.ok) {
      status.textContent = "The CRM could not get a sign-in token (" + response.status + ").";
      return;
    }
    var body = await response.json();
    openWithToken(body.token, "/embed/orders/" + encodeURIComponent(orderId));
  }

  document.getElementById("open-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var orderId = orderInput.value.trim();
    if (orderId) openOrder(orderId);
  });

  window.addEventListener("message", function (event) {
    // Only our frame, at the app's origin, speaking our protocol.
    if (event.origin !== appOrigin || event.source !== frame.contentWindow) return;
    var m = event.data;
    if (!m || m.protocol !== PROTOCOL || m.version !== VERSION) return;
    host.messages.push(m);
    var item = document.createElement("li");
    item.textContent = JSON.stringify(m);
    log.appendChild(item);
    switch (m.type) {
      case "ready":
        frameReady = m.page !== "refused";
        if (frameReady) status.textContent = "";
        break;
      case "resize":
        frame.style.height = Math.max(192, Math.min(m.height, 5000)) + "px";
        break;
      case "cancellation.submitted":
        status.textContent = "Cancellation submitted: " + m.status.replace("_", " ") + ".";
        break;
      case "cancellation.completed":
        var money = function (a) {
          return new Intl.NumberFormat("en-US", { style: "currency", currency: m.currency }).format(Number(a));
        };
        // A manual refund is still to be made by a person: the cancellation is done, the refund is not.
        status.textContent = m.manualRefundPending
          ? "Cancelled; waiting for a manual refund of " + money(m.manualRefundPending) + "."
          : "Refund of " + money(m.refundAmount) + " completed.";
        break;
      case "error":
        frameReady = false;
        status.textContent = "The cancellation screen reports: " + m.message;
        break;
    }
  });
})();
