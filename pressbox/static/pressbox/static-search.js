/* Search for a static copy of a Pressbox site (`pressbox export_static`): the search
   page loads the index the export wrote (title, address, date, summary and the distinct
   words of each post) and lists the posts holding every word the reader typed, a word
   matching the start of an indexed one ("squat" finds "squats"). Titles count most.
   Everything is inserted as text, never as HTML. */
(function () {
  "use strict";

  var root = document.getElementById("static-search");
  if (!root) return;
  var title = document.getElementById("static-search-title");
  var count = document.getElementById("static-search-count");
  var list = document.getElementById("static-search-results");
  var MAX_RESULTS = 50;

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function words(text) {
    return fold(text).match(/[\p{L}\p{N}_]+/gu) || [];
  }

  function matches(tokens, word) {
    for (var i = 0; i < tokens.length; i++) {
      if (tokens[i].lastIndexOf(word, 0) === 0) return true;
    }
    return false;
  }

  function search(posts, query) {
    var wanted = words(query);
    if (!wanted.length) return [];
    var found = [];
    posts.forEach(function (post, order) {
      if (!post._tokens) {
        post._tokens = post.k ? post.k.split(" ") : [];
        post._title = words(post.t);
      }
      var score = 0;
      for (var i = 0; i < wanted.length; i++) {
        var inTitle = matches(post._title, wanted[i]);
        if (!inTitle && !matches(post._tokens, wanted[i])) return;
        score += inTitle ? 3 : 1;
      }
      found.push({ post: post, score: score, order: order });
    });
    found.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return found;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function show(found, query) {
    title.textContent = "Search results for \u201c" + query + "\u201d";
    document.title = title.textContent + " \u2013 " + document.title.split(" \u2013 ").pop();
    count.textContent = found.length === 1 ? "1 post matched." : found.length + " posts matched.";
    list.textContent = "";
    if (!found.length) {
      list.appendChild(element("p", "no-results", "Nothing matched your search. Try other words, or fewer."));
      return;
    }
    found.slice(0, MAX_RESULTS).forEach(function (hit) {
      var post = hit.post;
      var article = element("article", "entry entry-summary-card search-result h-entry");
      var header = element("header", "entry-header");
      var heading = element("h2", "entry-title p-name");
      var link = element("a", "", post.t);
      link.href = post.u;
      link.rel = "bookmark";
      heading.appendChild(link);
      header.appendChild(heading);
      var date = element("time", "entry-date dt-published", post.d);
      date.dateTime = post.d;
      header.appendChild(element("p", "entry-meta")).appendChild(date);
      article.appendChild(header);
      var summary = element("div", "entry-summary p-summary");
      summary.appendChild(element("p", "", post.s));
      article.appendChild(summary);
      list.appendChild(article);
    });
  }

  var query = (new URLSearchParams(window.location.search).get("s") || "").trim();
  var box = document.getElementById("search-q");
  if (box && query) box.value = query;
  if (!query) {
    list.appendChild(element("p", "no-results", "Type a few words to search the posts."));
    return;
  }
  fetch(root.getAttribute("data-index"))
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (index) { show(search(index.posts || [], query), query); })
    .catch(function () {
      list.textContent = "";
      list.appendChild(element("p", "no-results", "The search index could not be loaded."));
    });
})();
