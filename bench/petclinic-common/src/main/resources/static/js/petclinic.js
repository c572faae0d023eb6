// The clinic's own script: marks the current row of a table when it is clicked.
document.addEventListener('click', function (event) {
  var row = event.target.closest('tr');
  if (!row || !row.parentElement) {
    return;
  }
  Array.prototype.forEach.call(row.parentElement.children, function (other) {
    other.classList.toggle('table-active', other === row);
  });
});
