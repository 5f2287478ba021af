// Kernelsmith dashboard: applies the page's server-sent events. Each event carries {fragments: {element id: html}},
// rendered by the silo; an element whose html did not change is left alone (so focus and selection stay where they are).
(function () {
  'use strict';
  var main = document.getElementById('main');
  var url = main && main.getAttribute('data-live');
  if (!url || !window.EventSource) {
    return;
  }

  var status = document.createElement('p');
  status.id = 'live-status';
  status.className = 'live';
  status.setAttribute('role', 'status');
  status.textContent = 'Live: connecting';
  main.insertBefore(status, main.children[1] || null);
  var last = {};
  var source = new EventSource(url);
  source.onopen = function () { status.textContent = 'Live'; status.dataset.state = 'open'; };
  source.onerror = function () {
    status.textContent = 'Live updates paused: reconnecting';
    status.dataset.state = 'error';
  };
  source.onmessage = function (event) {
    var data = JSON.parse(event.data);
    var fragments = data.fragments || {};
    Object.keys(fragments).forEach(function (id) {
      var element = document.getElementById(id);
      if (!element || last[id] === fragments[id]) {
        return;
      }

      last[id] = fragments[id];
      element.innerHTML = fragments[id];
      if (fragments[id] === '' && element.tagName === 'P') {
        element.hidden = true;
      }
    });
    status.textContent = 'Live · updated ' + new Date().toLocaleTimeString();
    status.dataset.state = 'open';
    document.dispatchEvent(new CustomEvent('kernelsmith:updated'));
  };
  window.addEventListener('pagehide', function () { source.close(); });
})();
