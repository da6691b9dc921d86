// dom.js - the small DOM builders the web map's panels share: an element with a class and
// text (text always through textContent, so data never becomes markup), a button that
// names its action, and a label around its control.

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

export function button(text, action, name) {
  const b = el('button', null, text);
  b.type = 'button';
  b.dataset.action = name;
  b.addEventListener('click', action);
  return b;
}

export function labelled(text, control) {
  const label = el('label', 'form-field', text);
  label.append(control);
  return label;
}
