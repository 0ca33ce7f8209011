// Pressbox post editor: autosave, a copy in this browser, live preview, counters and
// suggestions. The editor works without it; this only makes losing text unlikely.
"use strict";

(function () {
  const form = document.getElementById("post-form");
  if (!form) return;

  const INTERVAL = 5000;
  const TEXT_FIELDS = ["title", "slug", "body", "excerpt", "seo_description", "tags", "authors"];
  const status = document.getElementById("autosave-status");
  const clockOffset = Number(form.dataset.serverNow || Date.now()) - Date.now();
  const serverNow = () => Date.now() + clockOffset;
  let autosaveUrl = form.dataset.autosaveUrl;
  let storageKey = form.dataset.storageKey;
  let isNew = storageKey.endsWith(":new");
  // A form sent back with errors or a conflict holds text the server has not kept yet.
  let lastSaved = form.hasAttribute("data-unsaved") ? null : snapshot();
  let lastFailed = null; // the snapshot a validation error was about, not retried as is
  let inFlight = false;
  let leaving = false;
  let sessionLost = false;

  function field(name) {
    return form.elements.namedItem(name);
  }

  function values() {
    const found = {};
    for (const name of TEXT_FIELDS) {
      const input = field(name);
      if (input) found[name] = input.value;
    }
    return found;
  }

  function snapshot() {
    return JSON.stringify(values());
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : field("csrfmiddlewaretoken").value;
  }

  function say(message, isError) {
    if (!status) return;
    if (typeof message === "string") {
      status.textContent = message;
    } else {
      status.replaceChildren(...message);
    }
    status.classList.toggle("is-error", Boolean(isError));
  }

  // A copy in this browser ------------------------------------------------------------

  function keepLocally() {
    try {
      localStorage.setItem(storageKey, JSON.stringify({ fields: values(), savedAt: serverNow() }));
    } catch (error) {
      /* storage full or disabled: the server autosave still runs */
    }
  }

  function readLocal() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function forgetLocal() {
    try {
      localStorage.removeItem(storageKey);
    } catch (error) {
      /* nothing kept */
    }
  }

  function offerLocalCopy() {
    const stored = readLocal();
    if (!stored || !stored.fields) return;
    const differs = Object.keys(stored.fields).some(
      (name) => field(name) && field(name).value !== stored.fields[name]
    );
    const newer = stored.savedAt > Number(form.dataset.savedAt || 0);
    if (!differs || !newer) {
      if (!form.hasAttribute("data-unsaved")) forgetLocal();
      return;
    }
    const offer = document.getElementById("local-offer");
    if (!offer) return;
    offer.querySelector("[data-local-when]").textContent = new Date(
      stored.savedAt - clockOffset
    ).toLocaleString();
    offer.hidden = false;
    offer.querySelector("[data-restore-local]").addEventListener("click", () => {
      for (const [name, value] of Object.entries(stored.fields)) {
        if (field(name)) field(name).value = value;
      }
      offer.hidden = true;
      form.dispatchEvent(new Event("input"));
      say("Restored the text kept in this browser. Save to keep it.");
      field("title").focus();
    });
    offer.querySelector("[data-discard-local]").addEventListener("click", () => {
      forgetLocal();
      offer.hidden = true;
    });
  }

  // Autosave to the server ------------------------------------------------------------

  function expired() {
    sessionLost = true;
    const link = document.createElement("a");
    link.href = form.dataset.loginUrl;
    link.target = "_blank";
    link.textContent = "log in in another tab";
    say(["Your session has expired — ", link, "; your text is kept here."], true);
  }

  function saved(answer, sent) {
    lastSaved = sent;
    lastFailed = null;
    if (answer.edit_url) becomeSaved(answer);
    say(`Saved at ${answer.saved_at_display}`);
    sessionLost = false;
    markState();
  }

  // "saved" once the server holds what the form shows (styles and tests can tell).
  function markState() {
    form.dataset.autosaveState = snapshot() === lastSaved ? "saved" : "unsaved";
  }

  function becomeSaved(answer) {
    // The first autosave of a new post made it a draft: edit that draft from now on.
    const kept = readLocal();
    forgetLocal();
    isNew = false;
    storageKey = `pressbox:post:${answer.post}`;
    autosaveUrl = answer.autosave_url;
    form.action = answer.edit_url;
    field("version").value = answer.version;
    if (kept) localStorage.setItem(storageKey, JSON.stringify(kept));
    history.replaceState(null, "", answer.edit_url);
  }

  function autosave({ keepalive = false } = {}) {
    const current = snapshot();
    if (current === lastSaved || (current === lastFailed && !sessionLost)) return;
    if (inFlight && (isNew || !keepalive)) return;
    const body = new FormData(form);
    body.delete("csrfmiddlewaretoken");
    inFlight = true;
    fetch(autosaveUrl, {
      method: "POST",
      body,
      keepalive,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    })
      .then((response) => {
        const json = (response.headers.get("Content-Type") || "").includes("application/json");
        if (response.type === "opaqueredirect" || response.status === 401 || (response.status === 403 && !json)) {
          expired(); // the login redirect, or a refused CSRF token after logging in elsewhere
          return null;
        }
        return response.json().then((answer) => {
          if (response.ok) {
            saved(answer, current);
          } else {
            lastFailed = current;
            say(answer.error || "Not autosaved.", true);
          }
        });
      })
      .catch(() => {
        if (!leaving) say("Not autosaved: no connection. Your text is kept in this browser; trying again.", true);
      })
      .finally(() => {
        inFlight = false;
      });
  }

  form.addEventListener("input", () => {
    keepLocally();
    markState();
  });
  setInterval(() => {
    if (!leaving) autosave();
  }, INTERVAL);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && !leaving) autosave({ keepalive: true });
  });
  window.addEventListener("pagehide", () => {
    if (!leaving) autosave({ keepalive: true });
  });
  form.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    if (submitter && submitter.formTarget === "_blank") return; // the preview tab
    leaving = true;
    field("csrfmiddlewaretoken").value = csrfToken(); // after signing in again elsewhere
  });
  // A page restored from the back/forward cache is being edited again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) leaving = false;
  });

  // Live preview ----------------------------------------------------------------------

  const toggle = document.getElementById("preview-toggle");
  const pane = document.getElementById("preview-pane");
  const frame = document.getElementById("preview-frame");
  const previewStatus = document.getElementById("preview-status");
  let previewTimer = null;
  let previewScroll = 0;

  function refreshPreview() {
    const body = new FormData(form);
    body.delete("csrfmiddlewaretoken");
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken() },
    })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then((html) => {
        try {
          previewScroll = frame.contentDocument ? frame.contentDocument.scrollingElement.scrollTop : 0;
        } catch (error) {
          previewScroll = 0;
        }
        frame.srcdoc = html;
        previewStatus.textContent = "Live preview: follows your typing";
      })
      .catch(() => {
        previewStatus.textContent = "The preview could not be updated; it will try again as you type.";
      });
  }

  if (toggle && pane && frame) {
    toggle.hidden = false;
    frame.addEventListener("load", () => {
      try {
        frame.contentDocument.scrollingElement.scrollTop = previewScroll;
      } catch (error) {
        /* an empty frame */
      }
    });
    toggle.addEventListener("click", () => {
      const opening = pane.hidden;
      pane.hidden = !opening;
      form.classList.toggle("previewing", opening);
      toggle.setAttribute("aria-expanded", String(opening));
      toggle.textContent = opening ? "Hide live preview" : "Show live preview";
      if (opening) refreshPreview();
    });
    form.addEventListener("input", () => {
      if (pane.hidden) return;
      clearTimeout(previewTimer);
      previewTimer = setTimeout(refreshPreview, 600);
    });
  }

  // SEO description counter -----------------------------------------------------------

  const seo = field("seo_description");
  const seoCount = document.getElementById("seo-count");
  if (seo && seoCount) {
    const count = () => {
      const length = seo.value.length;
      seoCount.textContent = `${length} of 160 characters`;
      seoCount.classList.toggle("near-limit", length > 150);
    };
    seo.addEventListener("input", count);
    count();
  }

  // Suggestions for comma-separated lists (authors, tags) ------------------------------
  // A datalist only matches the whole value, so each option repeats what is typed
  // before the last comma: "maya, to" offers "maya, tomas".

  function listSuggestions(input, list, fetchNames) {
    if (!input || !list) return;
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const cut = input.value.lastIndexOf(",");
        const before = cut >= 0 ? `${input.value.slice(0, cut + 1).trimEnd()} ` : "";
        const term = input.value.slice(cut + 1).trim();
        const chosen = new Set(before.split(",").map((s) => s.trim().toLowerCase()));
        Promise.resolve(fetchNames(term)).then((names) => {
          list.replaceChildren(
            ...names
              .filter(([name]) => !chosen.has(name.toLowerCase()))
              .map(([name, label]) => {
                const option = document.createElement("option");
                option.value = before + name;
                if (label) option.label = label;
                return option;
              })
          );
        });
      }, 150);
    });
  }

  const authorList = document.getElementById("author-choices");
  if (authorList) {
    const writers = Array.from(authorList.options, (o) => [o.value, o.textContent]);
    listSuggestions(field("authors"), authorList, (term) =>
      writers.filter(([name, label]) =>
        `${name} ${label}`.toLowerCase().includes(term.toLowerCase())
      )
    );
  }
  listSuggestions(field("tags"), document.getElementById("tag-choices"), (term) => {
    if (!term) return [];
    const url = `${form.dataset.tagsUrl}?q=${encodeURIComponent(term)}`;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { tags: [] }))
      .then((answer) => answer.tags.map((name) => [name, ""]))
      .catch(() => []);
  });

  // Copy the shareable preview link ---------------------------------------------------

  for (const button of document.querySelectorAll("[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(source.value).then(() => {
        button.textContent = "Copied";
        setTimeout(() => (button.textContent = "Copy"), 2000);
      });
    });
  }

  offerLocalCopy();
  markState();
  if (form.hasAttribute("data-unsaved")) keepLocally();
  if (isNew && field("title").value === "") field("title").focus();
})();
