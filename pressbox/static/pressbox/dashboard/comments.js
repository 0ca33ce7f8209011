// Pressbox dashboard: the comment queue acts in place. Without this script every button
// is a plain POST that comes back to the same tab, search and page.
//
// A row's buttons (form.row-actions) are sent with fetch, asking for JSON: the server
// answers {message, was, status, row} (views/comments.py). The row is replaced by the new
// one, or removed when the comment left the tab; the tab counts and the menu badge
// follow; the message goes to the live region #queue-status; focus moves to the next
// row's first button, so a keyboard user can go on down the queue. Anything unexpected
// (a lost session, a server error) falls back to the plain POST.
// It also shows the "select every comment on this page" box for the bulk actions.
"use strict";

(function () {
  const queue = document.getElementById("comment-queue");
  if (!queue) return;
  const live = document.getElementById("queue-status");
  const tab = queue.dataset.tab;

  const selectAll = document.getElementById("select-all");
  if (selectAll) {
    selectAll.hidden = false;
    selectAll.addEventListener("change", function () {
      for (const box of queue.querySelectorAll('tbody input[name="ids"]')) box.checked = selectAll.checked;
    });
  }

  function say(text, isError) {
    live.classList.toggle("is-error", Boolean(isError));
    live.textContent = text;
  }

  function bump(element, pattern, change) {
    if (!element) return;
    const now = Number((element.textContent.match(pattern) || [0, 0])[1]) + change;
    element.textContent = element.textContent.replace(pattern, (whole, n) => whole.replace(n, String(Math.max(0, now))));
    return now;
  }

  function recount(was, status) {
    for (const [value, change] of [[was, -1], [status, 1]]) {
      const count = document.querySelector('.status-tabs a[data-tab="' + value + '"] .count');
      bump(count, /\((\d+)\)/, change);
    }
    const badge = document.querySelector('.dash-nav a[href$="/comments/"] .badge');
    const change = (status === "pending") - (was === "pending");
    if (badge && change) {
      const now = bump(badge, /(\d+)/, change);
      badge.setAttribute("aria-label", now + " waiting");
      badge.hidden = now <= 0;
    }
  }

  function firstButton(row) {
    return row && row.querySelector("button, summary");
  }

  function plainSubmit(form, button) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = button.name;
    input.value = button.value;
    form.appendChild(input);
    HTMLFormElement.prototype.submit.call(form);
  }

  queue.addEventListener("submit", async function (event) {
    const form = event.target;
    const button = event.submitter;
    if (!form.matches("form.row-actions") || !button || !window.fetch) return;
    event.preventDefault();
    const data = new FormData(form);
    data.set(button.name, button.value);
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    let answer;
    try {
      const response = await fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
      answer = response.ok && isJson ? await response.json() : null;
    } catch (error) {
      buttons.forEach((b) => { b.disabled = false; });
      say("No connection: the comment was not changed. Try again.", true);
      return;
    }
    if (!answer) {
      plainSubmit(form, button);
      return;
    }
    const row = form.closest("tr");
    recount(answer.was, answer.status);
    say(answer.message, false);
    if (tab === "all" || tab === answer.status) {
      row.insertAdjacentHTML("afterend", answer.row);
      const fresh = row.nextElementSibling;
      row.remove();
      firstButton(fresh).focus();
      return;
    }
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    if (next) {
      firstButton(next).focus();
    } else {
      queue.insertAdjacentHTML("afterend", '<p class="empty">No comments left on this page.</p>');
      queue.remove();
      document.getElementById("bulk-form").remove();
      document.getElementById("queue-title").focus();
    }
  });
})();
