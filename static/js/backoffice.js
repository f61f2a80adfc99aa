/* Behaviour every back-office page shares, kept out of the HTML so the pages need no inline script:
   - data-confirm on a button, link or form asks before an irreversible step (是/否, 删除, 解除绑定);
   - data-action on a list's toolbar button runs that batch action on the ticked rows. */
(function () {
  'use strict';

  document.addEventListener('click', function (event) {
    var target = event.target.closest('[data-confirm]');
    if (target && target.tagName !== 'FORM' && !window.confirm(target.getAttribute('data-confirm'))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.hasAttribute('data-confirm') && !window.confirm(form.getAttribute('data-confirm'))) {
      event.preventDefault();
    }
  }, true);

  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-action]');
    if (button && window.modelActions) {
      event.preventDefault();
      window.modelActions.execute(button.getAttribute('data-action'));
    }
  });
})();
