// 继续教育记录申报: the form asks 学习形式 first and shows only the fields that form needs. Which fields a
// form leaves out comes from the server (workflows/declarations.py:HIDDEN_BY_FORM), which applies the same
// table again when the form is saved. No inline script: the rules ride on a data attribute (CSP).
(function () {
  var rules = document.getElementById("record-form-rules");
  var form = document.getElementById("study_form_code");
  if (!rules || !form) { return; }
  var hidden = JSON.parse(rules.getAttribute("data-hidden-fields") || "{}");
  var all = ["course_type", "course_name", "start_on", "end_on", "days", "exam_result", "declared_hours",
             "institution_name", "year", "location", "content", "note"];
  function group(name) {
    var input = document.getElementById(name);
    return input ? input.closest(".form-group") || input.parentNode : null;
  }
  function apply() {
    var chosen = form.value;
    var leaveOut = hidden[chosen] || [];
    all.forEach(function (name) {
      var box = group(name);
      if (!box) { return; }
      box.style.display = (!chosen || leaveOut.indexOf(name) >= 0) ? "none" : "";
    });
  }
  form.addEventListener("change", apply);
  apply();

  // 施教机构名称: offer the registered institutions whose names contain what is typed; any other name
  // (an institution outside the system) is kept as typed.
  var name = document.getElementById("institution_name");
  var choices = document.getElementById("institution-choices");
  var url = rules.getAttribute("data-institutions");
  if (!name || !choices || !url) { return; }
  var timer = null;
  function offer(names) {
    while (choices.firstChild) { choices.removeChild(choices.firstChild); }
    names.forEach(function (text) {
      var option = document.createElement("option");
      option.value = text;
      choices.appendChild(option);
    });
  }
  name.addEventListener("input", function () {
    clearTimeout(timer);
    var typed = name.value.trim();
    if (!typed) { offer([]); return; }
    timer = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(typed), {credentials: "same-origin"})
        .then(function (answer) { return answer.ok ? answer.json() : []; })
        .then(offer)
        .catch(function () { offer([]); });
    }, 250);
  });
})();
