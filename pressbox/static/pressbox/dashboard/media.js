// Pressbox dashboard: drop or paste images into a Markdown textarea.
//
// <textarea data-media-drop data-upload-url="/dashboard/media/upload/json/"> accepts
// image files dropped on it or pasted into it. For each image it asks for alt text in a
// small dialog (required), uploads it, and puts `![alt](url)` where the cursor was.
// Progress and errors are announced in a live region at the end of the textarea's
// .field (or after the textarea, or in the element named by data-media-status="<id>"). The textarea then fires an `input` event,
// so autosave and preview notice the change. Without this script the textarea is a
// textarea, and images are uploaded on the Media page.
//
// window.PressboxMedia.attachDrop(textarea) attaches a textarea added later.
"use strict";

(function () {
  var IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];
  var ALT_REQUIRED = "Describe the image for people who cannot see it.";
  var NOT_AN_IMAGE = "This file is not an image (JPEG, PNG, GIF or WebP).";
  var counter = 0;

  function csrfToken(textarea) {
    var cookie = document.cookie.split("; ").find(function (c) { return c.indexOf("csrftoken=") === 0; });
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) return meta.content;
    var input = (textarea.form || document).querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function statusFor(textarea) {
    var named = textarea.dataset.mediaStatus && document.getElementById(textarea.dataset.mediaStatus);
    if (named) return named;
    var region = document.createElement("p");
    region.className = "media-drop-status";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    var field = textarea.closest(".field");
    if (field) field.appendChild(region);
    else textarea.insertAdjacentElement("afterend", region);
    return region;
  }

  function say(region, text, isError) {
    region.classList.toggle("is-error", Boolean(isError));
    region.textContent = text;
  }

  function filesIn(list) {
    return Array.prototype.slice.call(list || []);
  }

  // Resolves to the alt text typed, or null when the writer cancels.
  function askAlt(file, returnFocusTo) {
    if (typeof HTMLDialogElement !== "function") {
      var typed = window.prompt("Alt text for " + file.name + ": " + ALT_REQUIRED, "");
      return Promise.resolve(typed && typed.trim() ? typed.trim() : null);
    }
    counter += 1;
    var id = "media-alt-" + counter;
    var dialog = document.createElement("dialog");
    dialog.className = "media-alt-dialog";
    dialog.setAttribute("aria-labelledby", id + "-title");
    dialog.innerHTML =
      '<form method="dialog" novalidate>' +
      '<h2 id="' + id + '-title">Describe the image</h2>' +
      '<img alt="">' +
      '<div class="field">' +
      '<label for="' + id + '">Alt text <span class="required" aria-hidden="true">*</span></label>' +
      '<p class="help" id="' + id + '-help"></p>' +
      '<p class="field-error" id="' + id + '-error" hidden></p>' +
      '<input type="text" id="' + id + '" name="alt_text" maxlength="500" required aria-describedby="' + id + '-help">' +
      "</div>" +
      '<p class="media-actions"><button type="button" class="button" value="cancel">Cancel</button>' +
      '<button type="submit" class="button primary" value="upload">Upload</button></p>' +
      "</form>";
    var preview = URL.createObjectURL(file);
    dialog.querySelector("img").src = preview;
    dialog.querySelector(".help").textContent =
      "What " + file.name + " shows, for people who cannot see it; screen readers read it aloud.";
    var input = dialog.querySelector("input");
    var error = dialog.querySelector(".field-error");
    document.body.appendChild(dialog);

    return new Promise(function (resolve) {
      var answer = null;
      dialog.querySelector("form").addEventListener("submit", function (event) {
        var text = input.value.trim();
        if (!text) {
          event.preventDefault();
          error.textContent = ALT_REQUIRED;
          error.hidden = false;
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", id + "-error " + id + "-help");
          input.focus();
          return;
        }
        answer = text;
      });
      dialog.querySelector('button[value="cancel"]').addEventListener("click", function () {
        dialog.close();
      });
      dialog.addEventListener("close", function () {
        URL.revokeObjectURL(preview);
        dialog.remove();
        if (returnFocusTo) returnFocusTo.focus();
        resolve(answer);
      });
      dialog.showModal();
      input.focus();
    });
  }

  // Inserts `text` as its own paragraph at `at` (the cursor when the image was dropped:
  // the dialog takes focus, and other scripts may move the cursor meanwhile); returns
  // where the next image goes.
  function insertAt(textarea, at, text) {
    var start = Math.min(at.start, textarea.value.length);
    var end = Math.min(Math.max(at.end, start), textarea.value.length);
    var before = textarea.value.slice(0, start);
    var prefix = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    textarea.setRangeText(prefix + text + "\n", start, end, "end");
    changed(textarea);
    return { start: textarea.selectionEnd, end: textarea.selectionEnd };
  }

  function replaceText(textarea, placeholder, text) {
    var at = textarea.value.indexOf(placeholder);
    if (at === -1) return false; // the writer removed it meanwhile
    textarea.setRangeText(text, at, at + placeholder.length, "preserve");
    changed(textarea);
    return true;
  }

  function changed(textarea) {
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function upload(textarea, file, altText) {
    var body = new FormData();
    body.append("file", file, file.name);
    body.append("alt_text", altText);
    return fetch(textarea.dataset.uploadUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(textarea), Accept: "application/json" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        throw new Error("The upload did not go through; your session may have ended. Log in again in another tab, then drop the image again.");
      }
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "The upload failed.");
        return data;
      });
    }, function () {
      throw new Error("The upload failed: the site could not be reached. Try again.");
    });
  }

  function handleFiles(textarea, region, files) {
    var chain = Promise.resolve();
    var at = { start: textarea.selectionStart, end: textarea.selectionEnd };
    files.forEach(function (file) {
      chain = chain.then(function () {
        if (IMAGE_TYPES.indexOf(file.type) === -1) {
          say(region, file.name + ": " + NOT_AN_IMAGE, true);
          return;
        }
        return askAlt(file, textarea).then(function (altText) {
          if (altText === null) {
            say(region, file.name + " was not uploaded: it needs alt text.", true);
            return;
          }
          counter += 1;
          var placeholder = "![Uploading " + file.name.replace(/[\[\]]/g, "") + " (" + counter + ")…]()";
          at = insertAt(textarea, at, placeholder);
          say(region, "Uploading " + file.name + "…");
          return upload(textarea, file, altText).then(function (data) {
            replaceText(textarea, placeholder, data.markdown);
            say(region, file.name + " uploaded and added to the text.");
          }, function (problem) {
            replaceText(textarea, placeholder, "");
            say(region, file.name + ": " + problem.message, true);
          });
        });
      });
    });
    return chain;
  }

  function hasFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return Boolean(types) && Array.prototype.indexOf.call(types, "Files") !== -1;
  }

  function attachDrop(textarea) {
    if (textarea.dataset.mediaDropReady) return;
    textarea.dataset.mediaDropReady = "1";
    var region = statusFor(textarea);

    textarea.addEventListener("dragover", function (event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      textarea.classList.add("media-drop-over");
    });
    textarea.addEventListener("dragleave", function () {
      textarea.classList.remove("media-drop-over");
    });
    textarea.addEventListener("drop", function (event) {
      textarea.classList.remove("media-drop-over");
      if (!hasFiles(event)) return;
      event.preventDefault();
      handleFiles(textarea, region, filesIn(event.dataTransfer.files));
    });
    textarea.addEventListener("paste", function (event) {
      var files = filesIn(event.clipboardData && event.clipboardData.files);
      if (!files.length) return;
      event.preventDefault();
      handleFiles(textarea, region, files);
    });
  }

  window.PressboxMedia = { attachDrop: attachDrop };

  function attachAll() {
    document.querySelectorAll("textarea[data-media-drop]").forEach(attachDrop);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else {
    attachAll();
  }
})();
