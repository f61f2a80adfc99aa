// 继续教育学时 follows 培训天数 × 6 (一天6学时) until the user types their own value; the server applies
// the same default and the upper limit again.
(function () {
  var days = document.getElementById("days");
  var hours = document.getElementById("hours");
  if (!days || !hours) { return; }
  var typed = hours.value.trim() !== "" && hours.value.trim() !== String(parseFloat(days.value) * 6);
  hours.addEventListener("input", function () { typed = hours.value.trim() !== ""; });
  days.addEventListener("input", function () {
    var value = parseFloat(days.value);
    if (typed || !(value > 0)) { return; }
    hours.value = String(Math.round(value * 6 * 10) / 10);
  });
})();
