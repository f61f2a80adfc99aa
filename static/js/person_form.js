// 公民身份号码 → 出生日期 and 性别, filled in while the user types (the server checks them again).
(function () {
  var id = document.getElementById("id_number");
  if (!id || id.readOnly) { return; }
  id.addEventListener("input", function () {
    var number = id.value.trim().toUpperCase();
    if (!/^[0-9]{17}[0-9X]$/.test(number)) { return; }
    var birth = document.getElementById("birth_date");
    var sex = document.getElementById("sex");
    if (birth) { birth.value = number.substr(6, 4) + "-" + number.substr(10, 2) + "-" + number.substr(12, 2); }
    if (sex) { sex.value = parseInt(number.charAt(16), 10) % 2 ? "男" : "女"; }
  });
})();
