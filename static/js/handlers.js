/* Page behaviour without inline script, so the Content-Security-Policy can refuse all inline code
 * (see backoffice/auth/headers.py). Loaded by layout.html and auth/base.html; plain DOM, no jQuery.
 *
 * - data-confirm="…" on a form (asked on submit) or on a submit button (asked on click);
 * - data-model-action="…" on an entry of Flask-Admin's 「选中的」 menu (templates/admin/actions.html);
 * - data-refresh-src on the captcha image: a click fetches a new one;
 * - placeholder links (href="#", and Flask-Admin's href="javascript:void(0)" on tabs, pager and menus)
 *   must not navigate: the policy would refuse the javascript: URL and report a violation.
 */
(function () {
  "use strict";

  function closest(node, selector) {
    return node && node.closest ? node.closest(selector) : null;
  }

  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var button = closest(event.target, "button[data-confirm], input[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    var action = closest(event.target, "a[data-model-action]");
    if (action) {
      event.preventDefault();
      window.modelActions.execute(action.getAttribute("data-model-action"));  // Flask-Admin's actions.js
      return;
    }
    var captcha = closest(event.target, "img[data-refresh-src]");
    if (captcha) {
      captcha.src = captcha.getAttribute("data-refresh-src") + "?" + Date.now();
    }
  });

  // In the capture phase: the dropdown scripts stop the click's propagation without preventing it.
  document.addEventListener("click", function (event) {
    if (closest(event.target, 'a[href="#"], a[href^="javascript:"]')) {
      event.preventDefault();
    }
  }, true);
})();
