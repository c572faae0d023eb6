// The chat page's client: the browser's own WebSocket, no library. Each message is {"name": ..., "text": ...};
// the server sends every accepted message to everyone, the sender included, so the list shows what the room saw.
// ?name=... fills in the name.
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
  var status = document.getElementById('status');
  var list = document.getElementById('messages');
  var form = document.getElementById('send');
  var nameInput = document.getElementById('name');
  var textInput = document.getElementById('text');
  nameInput.value = params.get('name') || '';

  var scheme = (window.location.protocol === 'https:') ? 'wss:' : 'ws:';
  var socket = new WebSocket(scheme + '//' + window.location.host + '/chat/ws');

  function show(name, text) {
    var item = document.createElement('li');
    var who = document.createElement('span');
    who.className = 'name';
    who.textContent = name + ':';   // textContent, never innerHTML: messages are other people's input
    item.appendChild(who);
    item.appendChild(document.createTextNode(text));
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function send(name, text) {
    socket.send(JSON.stringify({ name: name, text: text }));
  }

  socket.onopen = function () {
    status.textContent = 'connected';
    status.className = 'open';
    status.dataset.extensions = socket.extensions;   // what the server accepted, e.g. permessage-deflate
  };
  socket.onmessage = function (event) {
    var message = JSON.parse(event.data);
    show(message.name, message.text);
  };
  socket.onclose = function (event) {
    status.textContent = 'disconnected (' + event.code + (event.reason ? ': ' + event.reason : '') + ')';
    status.className = 'closed';
  };

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (socket.readyState === WebSocket.OPEN && nameInput.value.trim() && textInput.value.trim()) {
      send(nameInput.value.trim(), textInput.value.trim());
      textInput.value = '';
      textInput.focus();
    }
  });
})();
