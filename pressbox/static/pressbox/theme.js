/* Pressbox theme script: progressive enhancement only; every page works without it.
   (a) Fills the comment form from the `pressbox_commenter` cookie, which the server
       sets only when the commenter ticked "Save my name…"; the page itself stays the
       same for everyone, so it can be cached.
   (b) Moves the comment form under a comment when its Reply link is clicked.
       Without this script, ?replytocom=<id>#respond does the same on the server.
   (c) When the reader first focuses the form, fetches a fresh signed timestamp: a
       cached page may carry one that is days old (docs/comments.md).
   (d) Shows "Edit" and "Delete" beside the reader's own comments for ten minutes,
       from the readable `pressbox_own_ids` cookie; the server checks a signed one. */
(function () {
  "use strict";

  var COOKIE = "pressbox_commenter";
  var OWN_IDS_COOKIE = "pressbox_own_ids";

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split(/;\s*/) : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (eq < 0 || parts[i].slice(0, eq) !== name) continue;
      var raw = parts[i].slice(eq + 1);
      // Python's cookie writer wraps values holding "/" (and some other characters)
      // in double quotes, with backslash escapes.
      if (raw.length > 1 && raw.charAt(0) === '"' && raw.charAt(raw.length - 1) === '"') {
        raw = raw.slice(1, -1).replace(/\\([0-7]{3})/g, function (_, oct) {
          return String.fromCharCode(parseInt(oct, 8));
        }).replace(/\\(.)/g, "$1");
      }
      return raw;
    }
    return null;
  }

  function readCommenter() {
    var raw = readCookie(COOKIE);
    if (!raw) return null;
    try {
      var data = JSON.parse(decodeURIComponent(raw));
      return data && typeof data === "object" ? data : null;
    } catch (e) {
      return null;
    }
  }

  function fillFromCookie(form) {
    var data = readCommenter();
    if (!data) return;
    var filled = false;
    ["name", "email", "url"].forEach(function (key) {
      var input = form.elements[key];
      var value = data[key];
      if (!input || typeof value !== "string" || !value) return;
      if (!input.value) input.value = value; // never overwrite what the reader typed
      filled = true;
    });
    var consent = form.elements.save_details;
    if (filled && consent) consent.checked = true;
  }

  function setupReplies(respond, form) {
    var title = document.getElementById("reply-title");
    var parentInput = form.elements.parent;
    if (!title || !parentInput) return;

    var home = document.createElement("div");
    home.id = "respond-home";
    home.hidden = true;
    respond.parentNode.insertBefore(home, respond);
    var originalTitle = title.innerHTML;
    var lastLink = null;

    function cancel(event) {
      if (event) event.preventDefault();
      home.parentNode.insertBefore(respond, home.nextSibling);
      parentInput.value = "";
      title.innerHTML = originalTitle;
      // A form rendered by the server as a reply has its own cancel link; drop it too.
      var serverCancel = title.querySelector("#cancel-comment-reply-link");
      if (serverCancel) title.textContent = "Leave a Reply";
      if (lastLink && document.contains(lastLink)) lastLink.focus();
      lastLink = null;
    }

    function replyTo(link) {
      var item = document.getElementById("comment-" + link.getAttribute("data-comment-id"));
      if (!item) return false;
      var author = item.querySelector(".comment-author");
      var name = link.getAttribute("data-author") || (author ? author.textContent.trim() : "");
      var body = item.querySelector(".comment-body");
      (body || item.firstChild).insertAdjacentElement("afterend", respond);
      parentInput.value = link.getAttribute("data-comment-id");

      title.textContent = name ? "Reply to " + name + " " : "Reply ";
      var small = document.createElement("small");
      var cancelLink = document.createElement("a");
      cancelLink.id = "cancel-comment-reply-link";
      cancelLink.rel = "nofollow";
      cancelLink.href = "#respond";
      cancelLink.textContent = "Cancel reply";
      cancelLink.addEventListener("click", cancel);
      small.appendChild(cancelLink);
      title.appendChild(small);

      lastLink = link;
      var textarea = form.elements.comment;
      if (textarea) textarea.focus({ preventScroll: true });
      respond.scrollIntoView({ block: "nearest" });
      return true;
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a.comment-reply-link") : null;
      if (!link || !link.hasAttribute("data-comment-id")) return;
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      if (replyTo(link)) event.preventDefault();
    });

    // The server-rendered "Cancel reply" (after ?replytocom=) also works in place.
    var serverCancel = document.getElementById("cancel-comment-reply-link");
    if (serverCancel) serverCancel.addEventListener("click", cancel);
  }

  function refreshTokenOnFocus(form) {
    var url = form.getAttribute("data-token-url");
    var input = form.elements.timestamp;
    // A form the server sent back after an error already holds a fresh token.
    if (!url || !input || !window.fetch || form.hasAttribute("data-token-fresh")) return;
    var asked = false;
    form.addEventListener("focusin", function () {
      if (asked) return;
      asked = true;
      fetch(url, { credentials: "omit", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && typeof data.timestamp === "string") input.value = data.timestamp;
        })
        .catch(function () {
          asked = false; // offline for a moment: try again on the next focus
        });
    });
  }

  function showOwnLinks() {
    var area = document.getElementById("comments");
    var raw = readCookie(OWN_IDS_COOKIE);
    if (!area || !raw) return;
    var editUrl = area.getAttribute("data-edit-url") || "";
    var deleteUrl = area.getAttribute("data-delete-url") || "";
    raw.split("_").forEach(function (id) {
      if (!/^[0-9]+$/.test(id)) return;
      var item = document.getElementById("comment-" + id);
      var body = item && item.querySelector(".comment-body");
      if (!body || body.querySelector(".comment-own-links")) return;
      var links = document.createElement("p");
      links.className = "comment-own-links";
      [["Edit", editUrl], ["Delete", deleteUrl]].forEach(function (pair) {
        if (!pair[1]) return;
        var link = document.createElement("a");
        link.href = pair[1].replace("/0/", "/" + id + "/");
        link.className = "comment-" + pair[0].toLowerCase() + "-link";
        link.textContent = pair[0];
        link.setAttribute("aria-label", pair[0] + " your comment");
        links.appendChild(link);
      });
      var note = document.createElement("span");
      note.className = "comment-own-note";
      note.textContent = "You can change your comment for 10 minutes.";
      links.appendChild(note);
      body.appendChild(links);
    });
  }

  function init() {
    showOwnLinks();
    var respond = document.getElementById("respond");
    var form = document.getElementById("commentform");
    if (!respond || !form) return;
    fillFromCookie(form);
    setupReplies(respond, form);
    refreshTokenOnFocus(form);
    // After a refused submission, take the reader straight to the first field to fix.
    var invalid = form.querySelector("[aria-invalid='true']");
    if (invalid) invalid.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
