// 个人用户注册's 所在地区 → 所在单位 (manual 002): choosing a region fetches that region's units into the
// 所在单位 select, typing in 单位名称 narrows them. Without this script the form's 选择地区 button asks the
// server for the same list; the server checks the chosen unit again either way.
(function () {
  var picker = document.getElementById("unit-picker");
  if (!picker || !window.fetch) { return; }
  var region = document.getElementById("region_code");
  var unit = document.getElementById("unit_id");
  var name = document.getElementById("unit_name");
  var search = document.getElementById("unit-search");
  var more = document.getElementById("unit-more");
  var button = document.getElementById("choose-region");
  var url = picker.getAttribute("data-units-url");
  var asked = 0;
  var timer = null;
  // the script asks for the units itself; without the button Enter in a text box sends 注册 again
  button.parentNode.removeChild(button);

  function fill(units, hasMore) {
    var keep = unit.value;
    unit.options.length = 0;
    unit.add(new Option("请选择…", "0"));
    units.forEach(function (u) { unit.add(new Option(u.name, String(u.id))); });
    unit.value = keep;
    if (unit.selectedIndex < 0) { unit.value = "0"; }
    more.hidden = !hasMore;
    search.hidden = !(hasMore || name.value.trim());
  }

  function load() {
    var ticket = ++asked;  // only the answer to the latest question fills the select
    if (!region.value) { fill([], false); return; }
    var query = "?region=" + encodeURIComponent(region.value) + "&q=" + encodeURIComponent(name.value.trim());
    unit.disabled = true;
    fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        if (ticket === asked) { fill(data.units, data.more); }
      })
      .catch(function () {
        if (ticket === asked) { unit.parentNode.parentNode.insertBefore(button, unit.parentNode); }  // the server's way still works
      })
      .then(function () {
        if (ticket === asked) { unit.disabled = false; }
      });
  }

  region.addEventListener("change", function () {
    name.value = "";
    unit.value = "0";
    load();
  });
  name.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); load(); }
  });
  name.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(load, 300);
  });
})();
