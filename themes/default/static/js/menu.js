/* vitrine — the main menu on narrow screens. No dependency, no build step.
 *
 * Below 48rem the stylesheet hides the menu behind a « Menu » link to
 * #site-menu, which opens it through :target when JavaScript is off. This
 * script turns that link into a disclosure button (aria-expanded,
 * aria-controls) with the same box, so nothing moves when it runs. Escape
 * closes the menu and gives focus back to the button. Above 48rem the
 * stylesheet hides the button and always shows the menu.
 */
(function () {
  'use strict';

  const link = document.querySelector('a.menu-toggle');
  const nav = link && document.getElementById(link.hash.slice(1));
  if (!nav) return;

  const button = document.createElement('button');
  button.type = 'button';
  button.className = link.className;
  button.setAttribute('aria-controls', nav.id);
  button.append(...link.childNodes);
  // Opened through the no-script link (#site-menu in the address): stay open.
  setOpen(nav.matches(':target'));
  // From now on the button alone decides (the stylesheet stops using :target).
  nav.classList.add('has-toggle');
  link.replaceWith(button);

  function setOpen(open) {
    button.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('is-open', open);
  }

  button.addEventListener('click', function () {
    const open = button.getAttribute('aria-expanded') !== 'true';
    setOpen(open);
  });

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || button.getAttribute('aria-expanded') !== 'true') return;
    const inside = nav.contains(document.activeElement) || document.activeElement === button;
    setOpen(false);
    if (inside) button.focus();
  });
})();
